"""Conversions between rdflib terms (our lingua franca) and pyoxigraph terms."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# rdflib checks and normalises every term it makes, which costs more than the query for a
# large result; the same IRIs and literals recur across rows, so terms are made once (rdflib
# terms are immutable, so sharing them is safe).
@lru_cache(maxsize=1 << 16)
def iri(value: str) -> URIRef:
    return URIRef(value)


@lru_cache(maxsize=1 << 16)
def literal(value: str, language: str | None, datatype: str | None) -> Literal:
    if language:
        return Literal(value, lang=language)
    if datatype is None or datatype == XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=iri(datatype))


def to_rdflib(term: object) -> Node | None:
    """An oxigraph term as the equivalent rdflib term (None stays None: unbound). Dispatches on
    the exact type and reads a literal's language before its datatype: this runs for every cell
    of every result."""
    kind = type(term)
    if kind is ox.NamedNode:
        return iri(term.value)  # type: ignore[attr-defined]
    if kind is ox.Literal:
        language = term.language  # type: ignore[attr-defined]
        if language:
            return literal(term.value, language, None)  # type: ignore[attr-defined]
        return literal(term.value, None, term.datatype.value)  # type: ignore[attr-defined]
    if term is None:
        return None
    if kind is ox.BlankNode:
        return BNode(term.value)  # type: ignore[attr-defined]
    raise TypeError(f"unsupported term: {term!r}")


def json_term(cell: dict) -> Node:
    """A term of SPARQL JSON results as the rdflib term ("typed-literal": as some servers still
    write a literal with a datatype)."""
    kind = cell["type"]
    if kind == "uri":
        return iri(cell["value"])
    if kind == "literal" or kind == "typed-literal":
        language = cell.get("xml:lang")
        if language:
            return literal(cell["value"], language, None)
        return literal(cell["value"], None, cell.get("datatype") or None)
    if kind == "bnode":
        return BNode(cell["value"])
    raise TypeError(f"unsupported term: {cell!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equivalent oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != RDF_LANG_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term: {term!r}")
