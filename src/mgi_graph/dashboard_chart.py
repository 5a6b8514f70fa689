"""The dashboard's charts as SVG drawn on the server: findings per MiGOF dimension (well-developed
and potential, stacked), what those findings cite, and the evidence per SDG 10.7.2 sub-category."""

from __future__ import annotations

from . import svg
from .dashboard import NOTE, Dashboard

WELL = "#2e8b57"
POTENTIAL = "#e0a030"
INSTRUMENTS = "#1f6fb2"
INSTITUTIONS = "#d9731a"
THIN = "#b8322a"
LABEL_WIDTH = 250
BAR_WIDTH = 420


def _scale(maximum: int) -> float:
    return BAR_WIDTH / max(maximum, 1)


def dimensions_chart(board: Dashboard) -> str:
    """Two bars per dimension: findings (stacked by outcome) and entities cited (instruments, institutions)."""
    rows = board.dimensions
    unit = _scale(max([d.findings for d in rows] + [d.instruments + d.institutions for d in rows] + [1]))
    parts, y = [_key([(WELL, "well-developed findings"), (POTENTIAL, "findings with potential for development"),
                      (INSTRUMENTS, "instruments cited"), (INSTITUTIONS, "institutions cited")], 8.0)], 52.0
    for d in rows:
        parts.append(svg.text(svg.shorten(f"{d.notation}. {d.short}", 38), x=0.0, y=y + 10, fill="#1d2733"))
        parts.append(_bar([(d.well_developed, WELL, "well-developed"), (d.potential, POTENTIAL, "potential")],
                          y, unit, f"{d.short}: {d.well_developed} well-developed, {d.potential} potential"))
        parts.append(_bar([(d.instruments, INSTRUMENTS, "instruments"), (d.institutions, INSTITUTIONS, "institutions")],
                          y + 16, unit, f"{d.short}: {d.instruments} instruments, {d.institutions} institutions cited"))
        y += 44
    parts.append(svg.text(NOTE, x=0.0, y=y + 8, font_size="11", fill="#5f6b7a"))
    return svg.document(LABEL_WIDTH + BAR_WIDTH + 60, y + 20, "".join(parts),
                        "Findings and cited entities per MiGOF dimension, derived from the profile")


def sdg_chart(board: Dashboard) -> str:
    """One bar per SDG 10.7.2 sub-category: findings linked; none marked as thin evidence."""
    unit = _scale(max([s.count for s in board.sdg] + [4]))
    parts, y = [_key([(WELL, "well-developed findings"), (POTENTIAL, "findings with potential"),
                      (THIN, "no finding linked")], 8.0)], 44.0
    domain = None
    for s in board.sdg:
        if s.domain_label != domain:
            domain = s.domain_label
            y += 8
            parts.append(svg.text(domain, x=0.0, y=y + 8, font_weight="700", fill="#1d2733"))
            y += 18
        well = s.well_developed
        parts.append(svg.text(svg.shorten(f"{s.notation} {s.label}", 40), x=8.0, y=y + 9, font_size="11",
                              fill=THIN if not s.count else "#1d2733"))
        if s.count:
            parts.append(_bar([(well, WELL, "well-developed"), (s.count - well, POTENTIAL, "potential")],
                              y, unit, f"{s.notation} {s.label}: {s.count} findings"))
        else:
            parts.append(svg.text("no evidence in the profile", x=float(LABEL_WIDTH), y=y + 9, font_size="11",
                                  fill=THIN))
        y += 18
    parts.append(svg.text(NOTE, x=0.0, y=y + 14, font_size="11", fill="#5f6b7a"))
    return svg.document(LABEL_WIDTH + BAR_WIDTH + 60, y + 26, "".join(parts),
                        "Findings per SDG 10.7.2 sub-category, derived from the profile")


def _bar(segments: list[tuple[int, str, str]], y: float, unit: float, summary: str) -> str:
    x, parts = float(LABEL_WIDTH), [svg.title(summary)]
    for value, colour, _ in segments:
        if value:
            parts.append(svg.element("rect", x=x, y=float(y), width=float(value * unit), height="13", fill=colour))
            x += value * unit
    parts.append(svg.text(str(sum(v for v, _, _ in segments)), x=x + 6, y=float(y + 11), font_size="11",
                          fill="#1d2733"))
    return svg.element("g", "".join(parts))


def _key(entries: list[tuple[str, str]], y: float) -> str:
    parts, x = [], 0.0
    for colour, words in entries:
        parts.append(svg.element("rect", x=x, y=y, width="12", height="12", fill=colour))
        parts.append(svg.text(words, x=x + 17, y=y + 10, font_size="11", fill="#1d2733"))
        x += 30 + 6.2 * len(words)
    return "".join(parts)
