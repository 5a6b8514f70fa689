"""The layout of an MGI report's plain text (as extracted from the PDF): sections, paragraphs, footnotes.

The PDF text carries layout noise: running headers in capitals, a new page starting with one
space, footnotes (numbered lines) at the foot of each page followed by the link lines of
their URLs, and local file paths. This module reads the lines, drops the noise and keeps,
for every paragraph, a map from each of its characters to its offset in the input, so every
later match can be quoted as `input[start:end]`.

Only the generic MGI template is recognised (patterns, no names): "INTRODUCTION", "SUMMARY
OF UPDATES SINCE YYYY" with its "<dimension> (page N)" sub-headings, "x.1 ... well-developed
areas" / "x.2 Areas with potential for further development", and the COVID-19 annex
("This annex summarizes ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WELL_DEVELOPED = "well-developed"
POTENTIAL = "potential-development"

_FINDING_HEADING = re.compile(r"^\s*([1-6])\.([12])\.?\s+(.*\S)\s*$")
_UPDATES_HEADING = re.compile(r"^\s*SUMMARY OF UPDATES SINCE (\d{4})\s*$")
_UPDATES_SUBHEADING = re.compile(r"^\s*(\S.*?)\s*\(page \d+\)\s*$", re.IGNORECASE)
_INTRODUCTION = re.compile(r"^\s*INTRODUCTION\s*$")
_ANNEX = re.compile(r"^\s*This annex summari[sz]es\b")
_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_LINK = re.compile(r"^\s*(https?://\S.*?|[A-Za-z]:/.*?)\s*$")
_CAPITALS = re.compile(r"^[^a-z]*[A-Z]{2}[^a-z]*$")
_CONTINUES = re.compile(r"^(?:[a-z0-9(“\"‘'–-]|(?:It|Its|They|Their|These|Such|Furthermore|Moreover)\b)")
_ENDS_SENTENCE = re.compile(r"[.:;!?”\"’)]\s*$")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character in the input
    text: str  # without the line break

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Paragraph:
    """Text lines joined by single spaces; offsets[i] is the input offset of text[i]."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)
    fragments: list[tuple[int, int]] = field(default_factory=list)  # input spans, one per page

    def add(self, line: Line) -> None:
        body = line.text.strip()
        lead = line.text.index(body[0]) if body else 0
        if self.text:
            if self.text.endswith("-") and body[:1].isalpha():
                pass  # "Directorate-" + "General": no space
            else:
                self.text += " "
                self.offsets.append(line.start - 1)
        self.text += body
        self.offsets.extend(range(line.start + lead, line.start + lead + len(body)))
        span = (line.start + lead, line.start + lead + len(body))
        if self.fragments and self._same_page(span):
            self.fragments[-1] = (self.fragments[-1][0], span[1])
        else:
            self.fragments.append(span)

    def _same_page(self, span: tuple[int, int]) -> bool:
        return span[0] - self.fragments[-1][1] <= 4  # only a line break (and trailing spaces) between

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input span of text[start:end]."""
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass
class Footnote:
    number: int
    line: Line
    text: str
    page: int  # index of the page it stands on
    urls: list[str] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        return self.line.start, self.line.end


@dataclass
class Section:
    key: str  # "introduction", "updates-1", "1.1", "covid-19"
    title: str
    dimension: int | None = None
    outcome: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)  # the page of each paragraph's first line


@dataclass
class Layout:
    sections: list[Section]
    footnotes: list[Footnote]
    links: list[tuple[int, str]]  # (page, link line) for every URL link line


def lines_of(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(offset, body))
        offset += len(raw)
    return lines


def read_layout(text: str) -> Layout:
    """Sections with their paragraphs, the footnotes and the link lines of a report's text."""
    reader = _Reader()
    for line in lines_of(text):
        reader.feed(line)
    return Layout([s for s in reader.sections if s.key], reader.footnotes, reader.links)


class _Reader:
    def __init__(self) -> None:
        self.sections: list[Section] = [Section("", "")]
        self.footnotes: list[Footnote] = []
        self.links: list[tuple[int, str]] = []
        self.page = 0
        self.in_footnotes = False
        self.current: Paragraph | None = None  # the paragraph being read
        self.updates_year: str | None = None
        self.updates_seen = 0

    @property
    def section(self) -> Section:
        return self.sections[-1]

    def feed(self, line: Line) -> None:
        text = line.text
        if not text.strip():
            self._end_paragraph()
            return
        page_start = text.startswith(" ") and not text.startswith("  ")
        if page_start:
            self.page += 1
            self.in_footnotes = False
        if self._heading(line) or self._noise(line, page_start):
            return
        if self._footnote(line):
            return
        self._text(line, page_start)

    def _heading(self, line: Line) -> bool:
        text = line.text
        match = _FINDING_HEADING.match(text)
        if match and re.search(r"well-developed|potential|improvement", match.group(3), re.IGNORECASE):
            dim, part = int(match.group(1)), match.group(2)
            outcome = WELL_DEVELOPED if part == "1" else POTENTIAL
            self._open(Section(f"{dim}.{part}", match.group(3), dim, outcome))
            return True
        if _INTRODUCTION.match(text) and not self.section.key:
            self._open(Section("introduction", "Introduction"))
            return True
        match = _UPDATES_HEADING.match(text)
        if match:
            if self.updates_year is None:
                self.updates_year = match.group(1)
                self._open(Section("", ""))
            return True
        match = _UPDATES_SUBHEADING.match(text)
        if match and self.updates_year and self.updates_seen < 6 and not self.section.key[:1].isdigit():
            self.updates_seen += 1
            title = f"Summary of updates since {self.updates_year}: {match.group(1)}"
            self._open(Section(f"updates-{self.updates_seen}", title, self.updates_seen))
            return True
        if _ANNEX.match(text) and self.section.key != "covid-19":
            self._open(Section("covid-19", "COVID-19 annex"))
        return False

    def _open(self, section: Section) -> None:
        self._end_paragraph()
        self.in_footnotes = False
        self.sections.append(section)

    def _noise(self, line: Line, page_start: bool) -> bool:
        text = line.text.strip()
        link = _LINK.match(line.text)
        if link:
            if not re.match(r"[A-Za-z]:/", text):
                self.links.append((self.page, text))
            return True
        if _CAPITALS.match(text):  # running headers and dimension titles in capitals
            self.in_footnotes = False  # a header starts a page even when the page break left no mark
            if page_start and self.section.key == "introduction" and self.section.paragraphs:
                self._open(Section("", ""))
            return True
        return False

    def _footnote(self, line: Line) -> bool:
        match = _FOOTNOTE.match(line.text)
        expected = self.footnotes[-1].number + 1 if self.footnotes else 1
        if match and int(match.group(1)) in (expected, 1) and self.section.key:
            self._end_paragraph()
            self.in_footnotes = True
            self.footnotes.append(Footnote(int(match.group(1)), line, match.group(2).strip(), self.page))
            return True
        if self.in_footnotes:  # a footnote running on after a blank line
            note = self.footnotes[-1]
            note.text += ("" if note.text.endswith(("/", "-")) else " ") + line.text.strip()
            return True
        return False

    def _text(self, line: Line, page_start: bool) -> None:
        if not self.section.key:
            return
        body = line.text.strip()
        if page_start:
            self.current = None  # a new page: continue the last paragraph only if the text runs on
        if self.current is None:
            last = self.section.paragraphs[-1] if self.section.paragraphs else None
            joins = page_start and last is not None and (
                _CONTINUES.match(body) or not _ENDS_SENTENCE.search(last.text))
            if joins:
                self.current = last
            else:
                self.current = Paragraph()
                self.section.paragraphs.append(self.current)
                self.section.pages.append(self.page)
        self.current.add(line)

    def _end_paragraph(self) -> None:
        self.current = None
