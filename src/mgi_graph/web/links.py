"""Where an RDF term links to in our pages: our own IRIs to their /id/ page, other web IRIs out,
and anything else (javascript:, data:, mailto: ...) to nowhere."""

from __future__ import annotations

from urllib.parse import quote

from rdflib import BNode, URIRef


def term_kind(term: object) -> str:
    if isinstance(term, URIRef):
        return "iri"
    if isinstance(term, BNode):
        return "bnode"
    return "literal"


def term_href(term: object, base_iri: str) -> str | None:
    iri = str(term)
    if iri.startswith(base_iri):
        return "/id/" + quote(iri[len(base_iri):], safe="/-._~%")
    if iri.lower().startswith(("http://", "https://")):
        return iri
    return None
