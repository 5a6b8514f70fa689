"""Content negotiation for linked-data pages: a suffix (.ttl, .nt, .jsonld) wins, then the Accept
header; HTML for browsers. Shared by /id/..., /ontology and /dataset."""

from __future__ import annotations

from flask import Response, abort, make_response, request
from rdflib import Graph

from ..results import graph_bytes

RDF_FORMATS = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
               "jsonld": ("application/ld+json", "json-ld")}
SUFFIXES = tuple("." + fmt for fmt in RDF_FORMATS)
# What Accept may ask for, in the order ties are broken (browsers send */*: HTML first).
_ACCEPTED = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
             "application/x-turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
             "application/json": "jsonld"}


def split_suffix(path: str) -> tuple[str, str | None]:
    """("org/gtm/igm", "ttl") for "org/gtm/igm.ttl"; (path, None) without a known suffix."""
    for fmt in RDF_FORMATS:
        if path.endswith("." + fmt):
            return path[: -len(fmt) - 1], fmt
    return path, None


def negotiate(suffix: str | None = None) -> str:
    """"html", "ttl", "nt" or "jsonld": the suffix if given, else the best match for Accept (406 if none)."""
    if suffix:
        return suffix
    if not request.accept_mimetypes:
        return "html"
    best = request.accept_mimetypes.best_match(list(_ACCEPTED))
    if best is None:
        abort(406, description="Available: " + ", ".join(sorted(set(_ACCEPTED))))
    return _ACCEPTED[best]


def rdf_response(graph: Graph, fmt: str) -> Response:
    media_type, _ = RDF_FORMATS[fmt]
    body = graph_bytes(graph, fmt)
    return vary(Response(body, mimetype=media_type))


def vary(body: Response | str) -> Response:
    response = make_response(body)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def alternates(base_path: str) -> list[tuple[str, str]]:
    """(href, media type) of the RDF twins of a page, for <link rel="alternate">."""
    return [(f"{base_path}.{fmt}", media_type) for fmt, (media_type, _) in RDF_FORMATS.items()]
