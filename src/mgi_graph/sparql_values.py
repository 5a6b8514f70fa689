"""Bindings for a store that only takes query text: a VALUES block of typed terms (.n3()),
placed first inside the query's WHERE group.

Placed there, not after the query: a trailing VALUES joins after grouping and aggregation,
so a COUNT over a bound parameter would count the wrong thing. First in the WHERE group, the
rows join before everything else in the group, which for our queries answers as the embedded
store's substitution does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rdflib.term import Node

_MASKED = re.compile(
    r'#[^\n]*'  # comments
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"  # long strings
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"  # short strings
    r'|<[^<>"{}|^`\\\s]*>',  # IRIs
    re.DOTALL,
)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def values_clause(rows: Sequence[Mapping[str, Node]]) -> str:
    """`VALUES (?a ?b) { (t1 t2) ... }`; a variable missing from a row is UNDEF."""
    names = sorted({name for row in rows for name in row})
    cells = (" ".join(row[n].n3() if n in row else "UNDEF" for n in names) for row in rows)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(f'({c})' for c in cells)} }}"


def with_values(query: str, rows: Sequence[Mapping[str, Node]]) -> str:
    """The query with a VALUES block of these rows first inside its WHERE group."""
    if not rows or not any(rows):
        return query
    at = where_brace(query)
    return query[:at + 1] + "\n  " + values_clause(rows) + "\n" + query[at + 1:]


def where_brace(query: str) -> int:
    """The offset of the `{` that opens the query's (outermost) WHERE group."""
    masked = _MASKED.sub(lambda m: " " * len(m.group(0)), query)
    match = _WHERE.search(masked)
    if match:
        return match.end() - 1
    # SELECT * { ... } and ASK { ... } may leave WHERE out.
    brace = masked.find("{")
    if brace < 0 or re.search(r"\b(CONSTRUCT|DESCRIBE)\b", masked[:brace], re.IGNORECASE):
        raise ValueError("cannot find the query's WHERE group to bind parameters in")
    return brace


_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first such keyword outside comments, strings and IRIs.
    (SPARQLWrapper's own guess reads `mgi:created` as CREATE and would send the query as an update.)"""
    masked = _MASKED.sub(lambda m: " " * len(m.group(0)), query)
    match = _FORM.search(masked)
    return match.group(1).upper() if match else "SELECT"


_TRAILING = re.compile(r"\bVALUES\s+(\?\w+|\([^()]*\))\s*\{[^{}]*\}\s*$", re.IGNORECASE)


def hoist_trailing_values(query: str) -> str:
    """A query whose trailing VALUES block is moved first into its WHERE group, for servers (Virtuoso)
    that reject a trailing VALUES. Only for queries without aggregates, where the two mean the same."""
    masked = _MASKED.sub(lambda m: " " * len(m.group(0)), query)
    match = _TRAILING.search(masked)
    if not match or re.search(r"\b(GROUP\s+BY|COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\b", masked, re.I):
        return query
    block, rest = query[match.start():match.end()].strip(), query[:match.start()]
    at = where_brace(rest)
    return rest[:at + 1] + "\n  " + block + "\n" + rest[at + 1:]
