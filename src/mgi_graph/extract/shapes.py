"""Shapes of names around the capitalised run (generic, no proper names).

- a year or period written before a title: "the 2019–2029 Public Policy on X";
- an agreement between parties: "Agreement on X between the A, B and the C" keeps the list of
  parties (and a lower-case purpose after it: "... for the protection of victims");
- one set of modifiers shared by two document words: "The X Plan and Policy";
- quoted or introduced titles after a lower-case document word: plans for the “Title”,
  the plan called Nombre (“Title”), the strategy on the Capitalised Name;
- a framework that is presided or joined is a forum, not an instrument.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .patterns import DOC_HEADS

_LEADING_DATE = re.compile(r"((?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)\d\d)?)\s+$")
_PURPOSE = re.compile(r"^\s+(?:for|on|to)\s+(?:the\s+)?[a-z][^,.;:()]*")
_SHARED_HEAD = re.compile(r"^\s+and\s+(" + "|".join(sorted(DOC_HEADS, key=len, reverse=True)) + r")\b")
_FORUM_CUE = re.compile(r"\b(?:presidency|members?|chair|secretariat|meetings?) of the\s+$|\bchaired the\s+$")
_DOC_WORDS = {"plan": "Plan", "plans": "Plan", "protocol": "Protocol", "protocols": "Protocol",
              "policy": "Policy", "strategy": "Strategy", "guidelines": "Guidelines"}
_INTRO = r"(?:\s+(?:for|on|against|to|called|entitled|named|known\s+as))?(?:\s+the)?\s+"
_QUOTED = re.compile(rf"\b({'|'.join(_DOC_WORDS)}){_INTRO}“([^”]{{3,160}})”")
_CALLED = re.compile(rf"\b({'|'.join(_DOC_WORDS)})\s+(?:called|entitled|named|known\s+as)\s+"
                     r"([A-ZÀ-Ý][^()“”,.;]{2,80}?)\s*\(“([^”]{3,160})”\)")
_TOPIC = re.compile(r"\bthe\s+((strategy|policy|plan|protocol)\s+(?:on|for|against)\s+the\s+"
                    r"[A-Z][\w’'-]*(?:\s+(?:of|for|and|the|on)?\s*[A-Z][\w’'-]*)*)")


@dataclass(frozen=True)
class Title:
    start: int  # span of the quoted English title (or of the whole phrase)
    end: int
    name: str
    head: str  # the document word, as in DOC_HEADS
    spanish: str | None = None


def leading_date(text: str, start: int) -> int:
    """Where a title starts when a year or period is written just before it."""
    match = _LEADING_DATE.search(text[max(0, start - 16):start])
    return start - (len(match.group(0))) if match else start


def between_end(text: str, start: int, end: int) -> int:
    """The end of an agreement's name: over a lower-case purpose after its list of parties."""
    if " between " not in text[start:end]:
        return end
    purpose = _PURPOSE.match(text[end:])
    return end + len(purpose.group(0).rstrip()) if purpose else end


def parties_start(text: str, start: int, end: int) -> int | None:
    """Where the list of parties of an agreement named text[start:end] starts, if it has one."""
    match = re.search(r"\sbetween\s+(?:the\s+)?", text[start:end])
    return start + match.end() if match else None


def shared_head(text: str, end: int) -> str | None:
    """The second document word of "X Plan and Policy": the name X Policy is meant too."""
    match = _SHARED_HEAD.match(text[end:])
    return match.group(1) if match and not re.match(r"\s+[A-Z]", text[end + match.end():end + match.end() + 2]) \
        else None


def forum_cue(text: str, start: int) -> bool:
    """Whether the words before a name say it is a body one presides or joins."""
    return bool(_FORUM_CUE.search(text[max(0, start - 40):start]))


def titles(text: str) -> Iterator[Title]:
    """Titles introduced by a lower-case document word: quoted, 'called' with a translation, or
    'the strategy on the Capitalised Name'."""
    for match in _CALLED.finditer(text):
        yield Title(match.start(3), match.end(3), match.group(3), _DOC_WORDS[match.group(1)], match.group(2))
    for match in _QUOTED.finditer(text):
        yield Title(match.start(2), match.end(2), match.group(2), _DOC_WORDS[match.group(1)])
    for match in _TOPIC.finditer(text):
        yield Title(match.start(1), match.end(1), match.group(1), _DOC_WORDS[match.group(2)])
