"""Human labels for IRIs: English first, then Spanish, then any, then an acronym."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.term import Node

from .binding import with_value_list
from .sparql_files import internal_query
from .store import Store

PREFERENCE = ("en", "", "es")


def labels_for(store: Store, nodes: Iterable[Node], chunk: int = 400) -> dict[URIRef, str]:
    iris = sorted({n for n in nodes if isinstance(n, URIRef)})
    found: dict[URIRef, list] = {}
    for start in range(0, len(iris), chunk):
        query = with_value_list(internal_query("labels"), "thing", iris[start:start + chunk])
        for thing, label in store.query(query).rows:
            found.setdefault(thing, []).append(label)  # type: ignore[arg-type]
    return {iri: _best(options) for iri, options in found.items()}


def _best(options: list) -> str:
    def rank(label) -> tuple[int, str]:
        lang = getattr(label, "language", None) or ""
        return (PREFERENCE.index(lang) if lang in PREFERENCE else len(PREFERENCE), str(label))

    return str(min(options, key=rank))


def short_iri(iri: str, base_iri: str) -> str:
    """A compact form for display: the id/ path, or a known prefix."""
    if iri.startswith(base_iri):
        return iri[len(base_iri):]
    for prefix, ns in (("mgi:", "https://w3id.org/mgi-graph/ontology#"),
                       ("skos:", "http://www.w3.org/2004/02/skos/core#"),
                       ("org:", "http://www.w3.org/ns/org#"), ("prov:", "http://www.w3.org/ns/prov#"),
                       ("dcterms:", "http://purl.org/dc/terms/"), ("eli:", "http://data.europa.eu/eli/ontology#"),
                       ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
                       ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"), ("owl:", "http://www.w3.org/2002/07/owl#")):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri
