"""Footnoted web sources: each footnote's URL (its full link line where the PDF has one) and the
paragraph whose footnote mark points to it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Footnote, Layout

_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")


@dataclass(frozen=True)
class WebSource:
    url: str
    footnote: Footnote
    section: str | None  # the section of the paragraph that cites it, if found
    paragraph: int | None


def web_sources(layout: Layout) -> list[WebSource]:
    found = []
    for note in layout.footnotes:
        address = _ADDRESS.search(note.text)
        if not address:
            continue
        url = _full_url(address.group().rstrip(".,;)"), [link for page, link in layout.links if page == note.page])
        section, paragraph = _citing_paragraph(layout, note)
        found.append(WebSource(url, note, section, paragraph))
    return found


def _bare(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.replace("%20", " ")).rstrip("/.").lower()


def _full_url(address: str, links: list[str]) -> str:
    bare = _bare(address)
    matches = [link for link in links if _bare(link).startswith(bare) or bare.startswith(_bare(link))]
    url = max(matches, key=len) if matches else address
    if not re.match(r"https?://", url):
        url = "http://" + url
    return url.replace(" ", "%20")


def _citing_paragraph(layout: Layout, note: Footnote) -> tuple[str | None, int | None]:
    mark = re.compile(rf"(?:(?<=[^\s\d])|(?<=\d{{4}})){note.number}(?!\d)")
    fallback: tuple[str | None, int | None] = (None, None)
    for section in layout.sections:
        for index, (para, page) in enumerate(zip(section.paragraphs, section.pages, strict=True)):
            if note.page - 1 <= page <= note.page and note.span[0] > para.offsets[0] and mark.search(para.text):
                fallback = (section.key, index)
    return fallback
