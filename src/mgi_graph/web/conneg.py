"""Content negotiation for linked-data pages: a suffix (.ttl, .nt, .jsonld, .rdf) wins, then the
Accept header, weighed as /sparql weighs it (formats.accepted); HTML for browsers. Shared by
/id/..., /ontology and /dataset."""

from __future__ import annotations

from flask import Response, abort, make_response, request
from rdflib import Graph

from ..results import graph_bytes
from .formats import NotAcceptable, accepted

RDF_FORMATS = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
               "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}
SUFFIXES = tuple("." + fmt for fmt in RDF_FORMATS)
# What Accept may ask for, in the order ties are broken (browsers send */*: HTML first).
_ACCEPTED = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
             "application/x-turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
             "application/json": "jsonld", "application/rdf+xml": "rdf", "application/xml": "rdf"}


def split_suffix(path: str) -> tuple[str, str | None]:
    """("org/gtm/igm", "ttl") for "org/gtm/igm.ttl"; (path, None) without a known suffix."""
    for fmt in RDF_FORMATS:
        if path.endswith("." + fmt):
            return path[: -len(fmt) - 1], fmt
    return path, None


def negotiate(suffix: str | None = None) -> str:
    """"html" or a key of RDF_FORMATS: the suffix if given, else the best match for Accept (406 if none)."""
    if suffix:
        if suffix not in RDF_FORMATS:
            abort(404)
        return suffix
    try:
        return accepted(_ACCEPTED, "html", request.headers.get("Accept"))
    except NotAcceptable:
        abort(406, description="Available: " + ", ".join(sorted(set(_ACCEPTED))))


def rdf_response(graph: Graph, fmt: str) -> Response:
    media_type, _ = RDF_FORMATS[fmt]
    try:
        body = graph_bytes(graph, fmt)
    except ValueError as exc:  # RDF/XML cannot write a predicate that ends in "/" or a digit
        abort(406, description=f"this description cannot be written as RDF/XML ({exc}); ask for Turtle")
    return vary(Response(body, mimetype=media_type))


def vary(body: Response | str) -> Response:
    response = make_response(body)
    response.headers["Vary"] = "Accept"  # CORS: the app's after_request, for every read
    return response


def alternates(base_path: str) -> list[tuple[str, str]]:
    """(href, media type) of the RDF twins of a page, for <link rel="alternate">."""
    return [(f"{base_path}.{fmt}", media_type) for fmt, (media_type, _) in RDF_FORMATS.items()]
