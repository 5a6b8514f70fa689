"""Query text helpers for stores that only take text (remote endpoints).

Binding values is binding.with_values, for every store; what is here is what a remote server
needs on top: the query form, read without SPARQLWrapper's guess, and moving a trailing VALUES
into the WHERE group for servers (Virtuoso) that reject it.
"""

from __future__ import annotations

import re

from .binding import mask, outer_where
from .errors import QuerySyntaxError

_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
_TRAILING = re.compile(r"\bVALUES\s+(\?\w+|\([^()]*\))\s*\{[^{}]*\}\s*$", re.IGNORECASE)
_AGGREGATES = re.compile(r"\b(GROUP\s+BY|COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first such keyword outside comments, strings and IRIs.
    (SPARQLWrapper's own guess reads `mgi:created` as CREATE and would send the query as an update.)"""
    match = _FORM.search(mask(query))
    return match.group(1).upper() if match else "SELECT"


def hoist_trailing_values(query: str) -> str:
    """A query whose trailing VALUES block is moved first into its WHERE group, for servers (Virtuoso)
    that reject a trailing VALUES. Only for queries without aggregates, where the two mean the same."""
    masked = mask(query)
    match = _TRAILING.search(masked)
    if not match or _AGGREGATES.search(masked):
        return query
    block, rest = query[match.start():match.end()].strip(), query[:match.start()]
    try:
        at = outer_where(rest)
    except QuerySyntaxError:
        return query
    return rest[:at] + "\n  " + block + "\n" + rest[at:]
