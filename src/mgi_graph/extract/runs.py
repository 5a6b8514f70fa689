"""Runs of capitalised words: where a name's head word is, where the name starts and ends, and
where one run holds several names (generic vocabulary only, from patterns.py)."""

from __future__ import annotations

import re

from .patterns import ACRONYM, DOC_HEADS, NOT_NAME, ORG_HEADS, WORD


def unit_end(text: str, start: int, end: int, head: str) -> int:
    """A unit's name ends before "of the <body>" when that body has a head word of its own."""
    if not unit_head(head):
        return end
    for link in re.finditer(r"\s+of the\s+", text[start:end]):
        before = text[start:start + link.start()]
        found, rest = head_of(before), head_of(text[start + link.end():end])
        if found and found[0] > 0 and before.endswith(head) and rest and rest[2] == "org":
            return start + link.start()
    return end


def unit_head(head: str) -> bool:
    return ORG_HEADS.get(head) == "Unit" or head in ("Office", "Prosecutor")


def head_of(name: str) -> tuple[int, str, str] | None:
    """The leftmost head word in a name: (offset, head, 'org' or 'instrument')."""
    best = None
    for heads, kind in ((DOC_HEADS, "instrument"), (ORG_HEADS, "org")):
        for head in heads:
            match = re.search(rf"(?<![\w-]){re.escape(head)}(?![\w-])", name)
            if match and (best is None or match.start() < best[0]
                          or (match.start() == best[0] and len(head) > len(best[1]))):
                best = (match.start(), head, kind)
    return best


def extend_left(text: str, run_start: int, head_start: int) -> int:
    """Where the name whose head starts at head_start begins: over capitalised words, not connectors."""
    start = head_start
    words = list(re.finditer(r"\S+", text[run_start:head_start]))
    for i in range(len(words) - 1, -1, -1):
        token = words[i].group()
        if token == "and" and i > 0 and _modifier(words[i - 1].group()):
            continue  # "Social Development and Population Policy"
        if not _modifier(token):
            break
        start = run_start + words[i].start()
    return start


def _modifier(token: str) -> bool:
    if not re.fullmatch(WORD, token) or token in NOT_NAME or token.endswith(","):
        return False
    if re.search(r"[’']s$", token) and ACRONYM.match(token[:-2]):
        return False  # "ACR’s Directorate": the owner, not part of the name
    return not ACRONYM.match(token) or any(c.isdigit() for c in token)


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run split where a new name starts: at commas and 'and (the)' followed by a name with its own head."""
    cuts = [start]
    for sep in re.finditer(r",\s+(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?", text[start:end]):
        after = text[start + sep.end():end]
        before = text[cuts[-1]:start + sep.start()]
        next_part = re.split(r",\s|\s+and\s", after)[0]
        comma_acronym = sep.group().startswith(",") and ACRONYM.match(next_part.split()[0])
        if _keeps_together(text[cuts[-1]:start + sep.start()], sep.group(), next_part):
            continue
        if head_of(next_part) is not None and head_of(before) is not None or comma_acronym:
            cuts.append(start + sep.end())
    bounds = cuts + [end]
    return [(a, _trim_end(text, a, b)) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _keeps_together(before: str, sep: str, after: str) -> bool:
    """No new name at this separator: inside the parties of an agreement ("... between A, B and C"),
    or in "System of Coastal and Inland Councils" (one bare word after the head's "of", and no head
    word starting what follows)."""
    found = head_of(before)
    if found and found[2] == "instrument" and " between " in before[found[0]:]:
        return True
    after_head = head_of(after)
    return (found is not None and sep.strip() == "and"
            and re.search(r"\s(?:of|for)\s+[A-Z][\w’'-]*$", before[found[0]:]) is not None
            and len(before[found[0]:].split()) == 3 and after_head is not None and after_head[0] > 0)


def _trim_end(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    trimmed = re.sub(r"(?:[,\s]+(?:and|the|of|for|on|to|in|with|between))+[,\s]*$", "", piece).rstrip(" ,")
    return start + len(trimmed)
