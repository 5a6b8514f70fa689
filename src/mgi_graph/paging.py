"""Paging a saved SELECT query, grlc-style: `#+ pagination: N` in its header, `page` (1, 2 ...) from the user.

A page is the query's own text with `LIMIT N+1 OFFSET (page-1)*N` put after its solution
modifiers (GROUP BY, HAVING, ORDER BY) and before a trailing VALUES block, where SPARQL 1.1
wants them; the numbers are Python ints, never the user's text. The extra row only says
whether a next page exists; it is dropped from the answer.

Paging is stable only when the ORDER BY is total: `unordered_variables` names the variables a
query would have to order by as well (tests check that every paginated query has none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .binding import mask, outer_where
from .errors import QuerySyntaxError

__all__ = ["Page", "outer_group_end", "solution_modifiers", "modifiers_text", "with_page", "unordered_variables"]

_TRAILING_VALUES = re.compile(r"\bVALUES\s+(\?\w+|\([^()]*\))\s*\{[^{}]*\}\s*$", re.IGNORECASE)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b(.*?)(?=\bHAVING\b|\bORDER\s+BY\b|\bLIMIT\b|\bOFFSET\b|$)", re.I | re.S)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b(.*?)(?=\bLIMIT\b|\bOFFSET\b|$)", re.I | re.S)
_CONDITION = re.compile(r"(?:ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+)", re.I)
_SELECT = re.compile(r"\bSELECT\b(.*?)(?=\bWHERE\b|\bFROM\b|\{)", re.I | re.S)


@dataclass(frozen=True)
class Page:
    """One page of a paginated query's answer."""

    number: int  # 1-based
    size: int  # rows a page (the query's `pagination`)
    count: int  # rows on this page: `size`, fewer on the last page, 0 past it
    has_next: bool  # the query had a row after this page's last

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_row(self) -> int:
        """1-based number of this page's first row in the whole answer."""
        return (self.number - 1) * self.size + 1

    @property
    def last_row(self) -> int:
        return self.first_row + self.count - 1


def outer_group_end(text: str) -> int:
    """The offset of the '}' that closes the query's outermost WHERE group."""
    masked = mask(text)
    depth = 1
    for at in range(outer_where(text), len(masked)):
        if masked[at] == "{":
            depth += 1
        elif masked[at] == "}":
            depth -= 1
            if depth == 0:
                return at
    raise QuerySyntaxError("the query's WHERE group is not closed")


def solution_modifiers(text: str) -> tuple[int, int]:
    """(start, end) of the query's outer solution modifiers: from after its WHERE group to the
    start of a trailing VALUES block, or to the end of the text."""
    start = outer_group_end(text) + 1
    trailing = _TRAILING_VALUES.search(mask(text), start)
    return start, trailing.start() if trailing else len(text)


def modifiers_text(text: str) -> str:
    """The outer solution modifiers with strings, IRIs and comments blanked out."""
    start, end = solution_modifiers(text)
    return mask(text)[start:end]


def with_page(text: str, limit: int, offset: int) -> str:
    """The query with `LIMIT limit OFFSET offset` after its ORDER BY and before any trailing VALUES."""
    if not (isinstance(limit, int) and isinstance(offset, int)) or limit < 0 or offset < 0:
        raise ValueError("LIMIT and OFFSET must be non-negative ints")
    _, at = solution_modifiers(text)
    head = text[:at].rstrip()
    return f"{head}\nLIMIT {limit} OFFSET {offset}\n{text[at:]}"


def unordered_variables(text: str) -> list[str]:
    """The variables a SELECT query must add to its ORDER BY to order its rows totally.

    Rows are ordered totally when the ORDER BY names every GROUP BY key (grouped queries) or
    every projected variable (others): rows that tie on all of them are the same row. The
    query's parameters (?_x) are left out, being the same on every row. An ORDER BY condition
    other than ?x, ASC(?x) or DESC(?x), or a SELECT *, cannot be checked and is reported as
    "*" in the answer.
    """
    modifiers = modifiers_text(text)
    order = _ORDER_BY.search(modifiers)
    if not order:
        return ["*"]
    ordered: set[str] = set()
    rest = order.group(1)
    for match in _CONDITION.finditer(rest):
        ordered.add(match.group(1) or match.group(2))
    if _CONDITION.sub("", rest).strip():
        return ["*"]  # an expression we cannot read
    group = _GROUP_BY.search(modifiers)
    if group:
        needed = re.findall(r"[?$](\w+)", group.group(1))
        if re.sub(r"[?$]\w+", "", group.group(1)).strip():
            return ["*"]
    else:
        select = _SELECT.search(mask(text))
        if not select or "*" in select.group(1):
            return ["*"]
        needed = re.findall(r"[?$](\w+)", _without_expressions(select.group(1)))
    return [v for v in dict.fromkeys(needed) if not v.startswith("_") and v not in ordered]


def _without_expressions(projection: str) -> str:
    """The SELECT clause with every parenthesised `(expression AS ?x)` taken out."""
    out, depth = [], 0
    for char in projection:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)
