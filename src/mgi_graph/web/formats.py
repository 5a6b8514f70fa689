"""Choosing an answer's format: Accept weighed by the rules of RFC 9110 (section 12.5.1), the format
names clients put in `format=` / `output=`, and the check that an XML answer is well-formed.

Shared by /sparql and the saved queries. Werkzeug's best_match is not used: it lets `*/*;q=0.9`
outweigh an explicit `text/html;q=0.5`, and it ignores `q=0` (a refusal), answering the default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Format names as clients send them (SPARQLWrapper sends format=, output= and results=; Virtuoso and
# Fuseki read format=), each mapped to the keys it may mean, best first: "xml" is SPARQL XML for a
# table and RDF/XML for a graph. Keys: json, xml, csv, tsv (tables); ttl, nt, jsonld, rdf (graphs); html.
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdf"), "rdf": ("rdf", "xml"), "rdf+xml": ("rdf", "xml"),
    "rdfxml": ("rdf", "xml"), "csv": ("csv",), "tsv": ("tsv",), "turtle": ("ttl",), "ttl": ("ttl",),
    "n3": ("ttl",),  # Turtle is N3
    "nt": ("nt",), "ntriples": ("nt",), "n-triples": ("nt",), "json-ld": ("jsonld",), "jsonld": ("jsonld",),
    "html": ("html",),
}

# XML 1.0's Char production: what may appear in an XML document at all, even escaped.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class NotAcceptable(Exception):
    """Nothing the client accepts is offered; the message lists what is."""


def accepted(offers: Mapping[str, str], default: str, header: str | None) -> str:
    """The key of the offered media type (offers: media type -> key, in the order ties are broken)
    the Accept header rates highest; `default` when there is no Accept header. NotAcceptable when
    every offer gets quality 0."""
    ranges = parse_accept(header or "")
    if not ranges:
        return default
    # A format offered under several types (application/json beside application/sparql-results+json)
    # is rated by its most specific match: naming one of its types with q=0 refuses it, even though
    # */* would let its alias through.
    rated: dict[str, tuple[int, float]] = {}
    for media_type, key in offers.items():
        specificity, quality = match(media_type, ranges)
        if key not in rated or (specificity, quality) > rated[key]:
            rated[key] = (specificity, quality)
    best, best_quality = None, 0.0
    for key, (_, quality) in rated.items():  # in the order of offers: ties go to the first
        if quality > best_quality:
            best, best_quality = key, quality
    if best is None:
        raise NotAcceptable("none of the media types in Accept is available here; this answer is offered as "
                            + ", ".join(dict.fromkeys(offers)))
    return best


def parse_accept(header: str) -> list[tuple[str, float]]:
    """(media range, quality) pairs; a malformed q counts as 0, so it never wins."""
    ranges = []
    for item in header.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        if "/" not in media_range:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def match(media_type: str, ranges: Iterable[tuple[str, float]]) -> tuple[int, float]:
    """(specificity, quality) of the most specific range that matches: 3 for the type itself,
    2 for type/*, 1 for */*, 0 (quality 0) when none does."""
    kind = media_type.split("/")[0] + "/*"
    by_specificity = {media_type: 3, kind: 2, "*/*": 1}
    found, found_specificity = 0.0, 0
    for media_range, quality in ranges:
        specificity = by_specificity.get(media_range, 0)
        if specificity > found_specificity:
            found, found_specificity = quality, specificity
    return found_specificity, found


def named_format(names: Iterable[str], offers: Mapping[str, str]) -> str | None:
    """The key of the first name (a format name or a media type) this answer can be; None when none
    can (the caller falls back to Accept). KeyError naming the first name no format is known by."""
    keys = set(offers.values())
    for name in names:
        name = name.strip().lower()
        if "/" in name:  # a media type (SPARQLWrapper adds one for TSV, JSON-LD and RDF/XML): ours or not
            candidates: tuple[str, ...] = (offers[name],) if name in offers else ()
        elif name:
            candidates = FORMAT_NAMES.get(name) or ()
            if not candidates:
                raise KeyError(name)
        else:
            continue  # SPARQLWrapper sends an empty value when its Accept is */*
        for key in candidates:
            if key in keys:
                return key
    return None


def xml_problem(body: bytes) -> str | None:
    """Why an XML document cannot be well-formed, or None: a character XML 1.0 does not allow at all
    (a control character such as U+0001 in a literal), which no escaping can carry."""
    found = _NOT_XML_CHAR.search(body.decode("utf-8", "surrogatepass"))
    if found is None:
        return None
    return f"the answer holds the character U+{ord(found.group()):04X}, which XML 1.0 does not allow"
