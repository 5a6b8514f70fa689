"""A few helpers for drawing SVG as text: every attribute value and every text node is escaped
here, so callers never build markup from data themselves."""

from __future__ import annotations

import math
from html import escape


def fmt(value: float) -> str:
    """A coordinate with at most one decimal, the same on every run."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attrs(**values: object) -> str:
    """Attributes in the order given; trailing '_' dropped and '_' turned into '-' (class_ -> class)."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        key = name.rstrip("_").replace("_", "-")
        text = fmt(value) if isinstance(value, float) else str(value)
        parts.append(f'{key}="{escape(text, quote=True)}"')
    return " ".join(parts)


def element(tag: str, content: str = "", **values: object) -> str:
    """<tag attrs>content</tag>; content must already be SVG (use text() for words)."""
    return f"<{tag} {attrs(**values)}>{content}</{tag}>" if content else f"<{tag} {attrs(**values)}/>"


def text(words: str, **values: object) -> str:
    return f"<text {attrs(**values)}>{escape(words, quote=False)}</text>"


def title(words: str) -> str:
    return f"<title>{escape(words, quote=False)}</title>"


def shorten(words: str, limit: int) -> str:
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def shape(kind: str, x: float, y: float, r: float, fill: str, **extra: object) -> str:
    """A marker centred on (x, y): circle, square, diamond, triangle or hexagon."""
    if kind.startswith("circle"):
        return element("circle", cx=float(x), cy=float(y), r=float(r * (0.7 if kind == "circle-small" else 1)),
                       fill=fill, **extra)
    if kind == "square":
        return element("rect", x=float(x - r), y=float(y - r), width=float(2 * r), height=float(2 * r), rx="2",
                       fill=fill, **extra)
    corners = {"diamond": 4, "triangle": 3, "hexagon": 6}.get(kind, 4)
    start = -math.pi / 2
    points = " ".join(
        f"{fmt(x + r * 1.2 * math.cos(start + i * 2 * math.pi / corners))},"
        f"{fmt(y + r * 1.2 * math.sin(start + i * 2 * math.pi / corners))}"
        for i in range(corners)
    )
    return element("polygon", points=points, fill=fill, **extra)


def document(width: float, height: float, content: str, label: str) -> str:
    """A standalone-capable <svg> element (usable inline in HTML or served as image/svg+xml)."""
    head = attrs(xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {fmt(width)} {fmt(height)}",
                 width=float(width), height=float(height), role="img", aria_label=label,
                 font_family="system-ui, sans-serif", font_size="12")
    return f"<svg {head}>{title(label)}{content}</svg>"
