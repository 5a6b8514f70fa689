"""Candidate institutions and instruments in a report's paragraphs, found by patterns.

A name is a run of capitalised words (joined by a few connectors: of, for, the, and, against...)
around a head word of the generic vocabulary (patterns.py): "Ministry", "Council", "Directorate"
for bodies; "Law", "Policy", "Plan", "Decree No. N-YYYY" for instruments. A parenthesis after
a name gives its Spanish name and acronym. Mentions are merged into one candidate by acronym
and by normalised name; later mentions by acronym alone link to the same candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .names import normal, tidy
from .patterns import (
    ACRONYM,
    CONNECTORS,
    DOC_HEADS,
    INTERNATIONAL,
    NOT_NAME,
    NUMBERED,
    NUMBERED_TYPES,
    ORG_HEADS,
    PERIOD,
    WORD,
    YEAR,
)
from .runs import extend_left, head_of, pieces, unit_end, unit_head
from .shapes import between_end, forum_cue, leading_date, parties_start, shared_head, titles
from .text import Paragraph, Section

_CONN = "|".join(sorted(CONNECTORS))
_PLACE = re.compile(r"^Departments? of [A-Z]\S*(?: [A-Z]\S*)?$")
_OWNER = re.compile(r"([A-Z][A-Za-z]*[A-Z])[’']s\s+$")
_RUN = re.compile(rf"{WORD}(?:(?:,?\s+(?:(?:{_CONN})\s+)*){WORD})*")
_PAREN = re.compile(r"^\s*\(([^()]{1,160})\)")
_UNIT_OF = re.compile(r"^,?\s+(?:in|within|under|of) the\s+")
_TRAILING_YEAR = re.compile(r"^\s*((?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)\d\d)?)(?=\d{0,2}\b)")
_YEAR_PAREN = re.compile(r"^\s*\((?:[^()]*?,\s*)?(?:adopted in |approved in |issued in )?((?:19|20)\d\d)\)")


@dataclass(frozen=True)
class Mention:
    section: str
    paragraph: int  # index in the section
    start: int  # input offsets
    end: int


@dataclass
class Candidate:
    kind: str  # "org" or "instrument"
    name: str  # English name as first given (or the identifier for a numbered instrument)
    cls: str
    mentions: list[Mention] = field(default_factory=list)
    acronym: str | None = None
    spanish: str | None = None
    identifier: str | None = None  # "Decree No. 7-2001"
    doctype: str | None = None
    year: str | None = None
    period: tuple[str, str] | None = None
    parent: Candidate | None = None
    international: bool = False

    @property
    def key(self) -> str:
        return normal(self.identifier or self.name)


def find_candidates(sections: Iterable[Section]) -> list[Candidate]:
    """Every candidate institution and instrument, de-duplicated, in order of first mention."""
    registry = _Registry()
    paragraphs = [(s.key, i, p) for s in sections for i, p in enumerate(s.paragraphs)]
    for where in paragraphs:
        registry.read(*where)
    for where in paragraphs:
        registry.read_acronyms(*where)
    return registry.candidates


class _Registry:
    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.by_key: dict[str, Candidate] = {}

    def read(self, section: str, index: int, para: Paragraph) -> None:
        self.taken: list[tuple[int, int]] = []
        for match in NUMBERED.finditer(para.text):
            self._numbered(section, index, para, match)
        for title in titles(para.text):
            self._title(section, index, para, title)
        for run in _RUN.finditer(para.text):
            for start, end in pieces(para.text, run.start(), run.end()):
                if not any(a <= start < b for a, b in self.taken):
                    self._named(section, index, para, start, end)
                    self._parties(section, index, para, start, end)

    def _title(self, section: str, index: int, para: Paragraph, title) -> None:
        doctype, cls = DOC_HEADS[title.head]
        cand = self._add(Candidate("instrument", tidy(title.name), cls, doctype=doctype, spanish=title.spanish))
        self._mention(cand, section, index, para, title.start, title.end)
        self.taken.append((title.start, title.end))

    def _parties(self, section: str, index: int, para: Paragraph, start: int, end: int) -> None:
        """The bodies listed as parties of an agreement named text[start:end]."""
        found = head_of(para.text[start:end])
        first = parties_start(para.text, start, end)
        if found is None or found[2] != "instrument" or first is None:
            return
        for piece in pieces(para.text, first, end):
            self._named(section, index, para, *piece)

    def read_acronyms(self, section: str, index: int, para: Paragraph) -> None:
        for cand in list(self.candidates):
            if not cand.acronym:
                continue
            for match in re.finditer(rf"(?<![\w-]){re.escape(cand.acronym)}(?![\w-])", para.text):
                self._mention(cand, section, index, para, match.start(), match.end())

    def _numbered(self, section: str, index: int, para: Paragraph, match: re.Match) -> None:
        identifier = tidy(match.group(1))
        kind = re.sub(r"\s+No\..*", "", identifier).lower()
        self.taken.append((match.start(), match.end() + 4))
        cand = self._add(Candidate("instrument", identifier, "LegalInstrument", identifier=identifier,
                                   doctype=NUMBERED_TYPES.get(kind, "decree")))
        self._mention(cand, section, index, para, *match.span())
        year = match.group(3)
        cand.year = cand.year or (year if len(year) == 4 else None)
        paren = _PAREN.match(para.text[match.end():])
        if paren:
            self.taken.append((match.end(), match.end() + paren.end()))
            parts = [p.strip() for p in paren.group(1).split(",")]
            if parts and YEAR.fullmatch(parts[-1]):
                parts.pop()
            title = tidy(", ".join(parts))
            if title and not YEAR.fullmatch(title):
                cand.name = cand.name if cand.name != identifier else title
                self.by_key.setdefault(normal(title), cand)

    def _named(self, section: str, index: int, para: Paragraph, start: int, end: int) -> None:
        text = para.text
        found = head_of(text[start:end])
        if found is None:
            return
        head_at, head, kind = found
        name_start = extend_left(text, start, start + head_at)
        if kind == "instrument" and head == "Framework" and forum_cue(text, name_start):
            kind, head = "org", "Forum"
        extra = re.search(r"(?:,|\s+and)\s+[A-Z][A-Za-z]*[A-Z]\b", text[name_start:end])
        if kind == "org" and extra:
            end = name_start + extra.start()
        if kind == "org":
            end = unit_end(text, name_start, end, head)
        else:
            name_start = leading_date(text, name_start)
            end = between_end(text, name_start, end)
        name_start = self._owned_start(text, name_start, start + head_at, end)
        name = tidy(text[name_start:end])
        words = re.sub(r"^[\d–-]+\s+", "", name).split()
        if len(words) < 2 or words[0] in NOT_NAME or _PLACE.match(name):
            return
        if kind == "instrument":
            cand, end = self._instrument(name, head, text, end)
            second = shared_head(text, end)
            if second:
                other, _ = self._instrument(name[:len(name) - len(head)] + second, second, text, end)
                self._mention(other, section, index, para, name_start, end)
        else:
            cand = self._add(_with_paren(Candidate("org", name, ORG_HEADS[head],
                                                   international=bool(INTERNATIONAL.search(name))), text[end:]))
            owner = _OWNER.search(text[:name_start])
            if owner and cand.parent is None and normal(owner.group(1)) in self.by_key:
                cand.parent = self.by_key[normal(owner.group(1))]
        paren = _PAREN.match(text[end:])
        if paren:
            self.taken.append((end, end + paren.end()))
        self._mention(cand, section, index, para, name_start, end)
        if kind == "org":
            self._unit_of(cand, section, index, para, end)

    def _owned_start(self, text: str, name_start: int, head_start: int, end: int) -> int:
        """ "the ACR Council": a known body's acronym before a bare head word belongs to the name."""
        owner = re.search(r"([A-Z][A-Za-z]*[A-Z])\s+$", text[:name_start])
        if name_start == head_start and len(text[name_start:end].split()) == 1 and owner \
                and normal(owner.group(1)) in self.by_key:
            return owner.start(1)
        return name_start

    def _unit_of(self, cand: Candidate, section: str, index: int, para: Paragraph, end: int) -> None:
        link = _UNIT_OF.match(para.text[end:])
        head = head_of(cand.name)
        if not link or cand.parent is not None or head is None or not unit_head(head[1]):
            return
        start = end + link.end()
        run = _RUN.match(para.text, start)
        if run is None:
            return
        before = len(self.candidates)
        for piece in pieces(para.text, run.start(), run.end())[:1]:
            self._named(section, index, para, *piece)
        parent = self.candidates[-1] if len(self.candidates) > before else self._known(para.text[start:run.end()])
        if parent is not None and parent is not cand and parent.kind == "org":
            cand.parent, cand.cls = parent, "Unit"

    def _known(self, text: str) -> Candidate | None:
        return self.by_key.get(normal(text))

    def _instrument(self, name: str, head: str, text: str, end: int) -> tuple[Candidate, int]:
        tail = text[end:]
        trailing = _TRAILING_YEAR.match(tail)
        if trailing and not re.match(r"^\s*\(", tail):
            name = f"{name} {trailing.group(1)}"
            end += trailing.end()
        doctype, cls = DOC_HEADS[head]
        cand = self._add(_with_paren(Candidate("instrument", name, cls, doctype=doctype), text[end:]))
        self._instrument_dates(cand, name, text[end:])
        return cand, end

    def _instrument_dates(self, cand: Candidate, name: str, tail: str) -> None:
        period = PERIOD.search(name)
        if period and cand.period is None:
            cand.period = (period.group(1), period.group(2))
        paren = _YEAR_PAREN.match(tail)
        if paren and cand.year is None:
            cand.year = paren.group(1)

    def _add(self, cand: Candidate) -> Candidate:
        keys = [cand.key] + ([normal(cand.acronym)] if cand.acronym else [])
        known = next((self.by_key[k] for k in keys if k in self.by_key), None)
        if known is None:
            self.candidates.append(cand)
            known = cand
        else:
            known.acronym = known.acronym or cand.acronym
            known.spanish = known.spanish or cand.spanish
            known.year = known.year or cand.year
            known.period = known.period or cand.period
        for key in keys + ([normal(known.acronym)] if known.acronym else []):
            self.by_key.setdefault(key, known)
        return known

    def _mention(self, cand: Candidate, section: str, index: int, para: Paragraph, start: int, end: int) -> None:
        mention = Mention(section, index, *para.span(start, end))
        if mention not in cand.mentions:
            cand.mentions.append(mention)


def _with_paren(cand: Candidate, tail: str) -> Candidate:
    """The Spanish name and acronym of a parenthesis after a name: (Nombre, ACR), (ACR) or (Nombre)."""
    paren = _PAREN.match(tail)
    if paren:
        parts = [p.strip() for p in paren.group(1).split(",")]
        if ACRONYM.match(parts[-1]):
            cand.acronym = parts.pop()
        if parts and not YEAR.search(parts[0]) and parts[0][:1].isupper() and normal(parts[0]) != cand.key:
            cand.spanish = tidy(", ".join(parts))
    return cand
