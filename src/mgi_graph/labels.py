"""Human labels for IRIs: a name built from a thing's own links where its names cannot tell it
apart (report sections, memberships: sparql/labels.rq), then English, Spanish, any, an acronym.
IRIs without a label show as a prefixed name (rdf:type, skos:prefLabel) or their id/ path."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.term import Node

from .binding import with_value_list
from .export import DATA_PREFIXES, PREFIXES
from .sparql_files import internal_query
from .store import Store

PREFERENCE = ("en", "", "es")
# The prefixes of the Turtle output, and those the data files declare besides.
DISPLAY_PREFIXES = {**PREFIXES, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **DATA_PREFIXES,
                    "schema": "https://schema.org/", "vann": "http://purl.org/vocab/vann/"}


def labels_for(store: Store, nodes: Iterable[Node], chunk: int = 400) -> dict[URIRef, str]:
    iris = sorted({n for n in nodes if isinstance(n, URIRef)})
    found: dict[URIRef, list] = {}
    for start in range(0, len(iris), chunk):
        for name in ("labels", "membership-names"):
            query = with_value_list(internal_query(name), "thing", iris[start:start + chunk])
            for thing, label, priority in store.query(query).rows:
                found.setdefault(thing, []).append((int(priority), label))  # type: ignore[arg-type]
    return {iri: _best(options) for iri, options in found.items()}


def _best(options: list) -> str:
    def rank(option) -> tuple[int, int, str]:
        priority, label = option
        lang = getattr(label, "language", None) or ""
        return (priority, PREFERENCE.index(lang) if lang in PREFERENCE else len(PREFERENCE), str(label))

    return str(min(options, key=rank)[1])


def short_iri(iri: str, base_iri: str) -> str:
    """A compact form for display: the id/ path, or a prefixed name (rdf:type)."""
    if iri.startswith(base_iri):
        return iri[len(base_iri):]
    for prefix, ns in DISPLAY_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
