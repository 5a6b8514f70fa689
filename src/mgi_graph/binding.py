"""Binding values to a query's variables as typed RDF terms.

The values go in as a VALUES block at the start of the query's outermost WHERE group, each
term written by rdflib's .n3(), which escapes literals and refuses malformed IRIs. Placed
first in the group, the block binds the variable for every pattern, OPTIONAL and FILTER
(NOT) EXISTS that follows, as a pre-bound variable would be, and it works the same on the
embedded store and on any remote SPARQL 1.1 server. Oxigraph's own substitutions were the
first choice, but they only accept variables the query projects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from .errors import QuerySyntaxError

_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
_WHERE = re.compile(r"(?<![\w:?$-])WHERE\s*\{", re.I)
_LANGUAGE = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_n3(term: Node) -> str:
    """The term in SPARQL syntax; refuses anything that could escape its place in the query."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
    elif isinstance(term, Literal):
        if term.language and not _LANGUAGE.match(term.language):
            raise ValueError(f"not a valid language tag: {term.language!r}")
        if term.datatype is not None and _IRI_FORBIDDEN.search(str(term.datatype)):
            raise ValueError(f"not a valid datatype IRI: {str(term.datatype)!r}")
    else:
        raise ValueError(f"only IRIs and literals can be bound, not {type(term).__name__}")
    return term.n3()


def mask(text: str) -> str:
    """The text with every string, IRI and comment blanked out (same length), so keywords and
    braces found in it are the query's own."""
    return _SKIP.sub(lambda m: " " * len(m.group(0)), text)


def outer_where(text: str) -> int:
    """The offset just after the '{' that opens the query's outermost WHERE group.

    WHERE may be left out in SELECT and ASK (the first brace is then the group); a CONSTRUCT or
    DESCRIBE without it is refused, since its first brace may be a template."""
    masked = mask(text)
    found = _WHERE.search(masked)
    if found:
        return found.end()
    brace = masked.find("{")
    if brace >= 0 and not re.search(r"\b(CONSTRUCT|DESCRIBE)\b", masked[:brace], re.I):
        return brace + 1
    raise QuerySyntaxError("a CONSTRUCT or DESCRIBE query that takes parameters must have an explicit WHERE { ... }")


def with_value_list(text: str, variable: str, terms: Iterable[Node]) -> str:
    """The query with ?variable taking each of terms, from a VALUES block at the start of its
    outer WHERE group. Oxigraph joins largely in the written order, so the list drives the match;
    a VALUES block after the query was joined last, once the pattern had matched the whole graph
    (the types of 300 things at 150 profiles: 1.4 s trailing, 9 ms leading)."""
    at = outer_where(text)
    return f"{text[:at]}\n  VALUES ?{variable} {{ {' '.join(term_n3(term) for term in terms)} }}\n{text[at:]}"


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """The query with its variables bound to the given terms (unchanged when there are none)."""
    if not bindings:
        return text
    variables = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term_n3(term) for term in bindings.values())
    at = outer_where(text)
    return f"{text[:at]}\n  VALUES ({variables}) {{ ({values}) }}\n{text[at:]}"
