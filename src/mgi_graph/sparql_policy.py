"""What a public query may do, decided before anything runs.

The engines reach out by default: Oxigraph and rdflib evaluate SERVICE with an HTTP client,
and rdflib loads FROM / FROM NAMED IRIs (file:// included). So every query from outside is
parsed into SPARQL algebra first and walked: SERVICE is refused, a dataset clause may only name
graphs the store holds, and anything that parses as an update is refused (the store is read-only).
The text checked is the text that runs: codepoint escapes are expanded first (expand_escapes).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryRefusedError, QuerySyntaxError

# rdflib's SPARQL grammar (pyparsing) keeps parse state in shared objects: two threads parsing
# at once corrupt each other ("<lambda>() missing 1 required positional argument"). Every parse
# in this package holds this lock (parse_query below; queries.py should use it too).
PARSER_LOCK = threading.RLock()

KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


# SPARQL 1.1 section 19.2: \uXXXX and \UXXXXXXXX are replaced anywhere in the text before it
# is parsed. rdflib does so (and also reads \u with eight digits); Oxigraph 0.5 only inside strings
# and IRIs. So one text could hold a comment for one parser and a SERVICE clause for the other.
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryInfo:
    text: str  # the query to run: its codepoint escapes expanded, as checked here
    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    from_graphs: tuple[str, ...]  # FROM
    from_named_graphs: tuple[str, ...]  # FROM NAMED


def inspect_query(text: str, known_graphs: Collection[str] = ()) -> QueryInfo:
    """The query's kind and dataset; QuerySyntaxError or QueryRefusedError when it may not run.
    Run info.text, not text: both engines then parse exactly what was checked."""
    info = _inspect(expand_escapes(text))
    unknown = [g for g in info.from_graphs + info.from_named_graphs if g not in known_graphs]
    if unknown:
        raise QueryRefusedError(
            f"FROM / FROM NAMED may only name graphs this service holds; {unknown[0]} is not one of them "
            "(nothing is ever fetched from the web or from files)")
    return info


def expand_escapes(text: str) -> str:
    """The text with its codepoint escapes replaced, once, as the SPARQL grammar asks. An escape
    that spells another escape (\\u005Cu0041) would be read again by a parser that expands too, so
    it is refused."""
    def character(match: re.Match) -> str:
        codepoint = int(match.group(1) or match.group(2), 16)
        if codepoint > 0x10FFFF or 0xD800 <= codepoint <= 0xDFFF:
            raise QuerySyntaxError(f"SPARQL syntax error: {match.group(0)} is not a Unicode character")
        return chr(codepoint)

    expanded = _CODEPOINT_ESCAPE.sub(character, text)
    if expanded != text and _CODEPOINT_ESCAPE.search(expanded):
        raise QueryRefusedError("a codepoint escape may not spell another escape (\\u005C followed by u...)")
    return expanded


def parse_query(text: str):
    """rdflib's parseQuery, one thread at a time."""
    with PARSER_LOCK:
        return parseQuery(text)


@lru_cache(maxsize=512)
def _inspect(text: str) -> QueryInfo:
    try:
        with PARSER_LOCK:
            algebra = translateQuery(parseQuery(text)).algebra
    except ParseException as exc:
        if _is_update(text):
            raise QueryRefusedError("SPARQL Update is not accepted: this endpoint is read-only") from None
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    except Exception as exc:  # rdflib raises plain exceptions for some semantic errors
        raise QuerySyntaxError(f"SPARQL error: {exc}") from None
    if _contains(algebra, "ServiceGraphPattern"):
        raise QueryRefusedError("SERVICE is not allowed: this endpoint makes no requests to other services")
    defaults, named = [], []
    for clause in algebra.get("datasetClause") or []:
        if "default" in clause:
            defaults.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return QueryInfo(text, KINDS[algebra.name], tuple(defaults), tuple(named))


def _is_update(text: str) -> bool:
    try:
        with PARSER_LOCK:
            parseUpdate(text)
    except Exception:  # not an update either: the query's own syntax error is the one to report
        return False
    return True


def _contains(node: object, name: str, depth: int = 0) -> bool:
    if depth > 500:  # deeper than any honest query; refuse rather than recurse without end
        raise QueryRefusedError("the query is nested too deeply")
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_contains(v, name, depth + 1) for v in node.values())
    if isinstance(node, dict):
        return any(_contains(v, name, depth + 1) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_contains(v, name, depth + 1) for v in node)
    return False
