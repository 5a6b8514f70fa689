"""Whole-graph dumps in the formats researchers reuse."""

from __future__ import annotations

import pyoxigraph as ox

from .results import graph_bytes
from .store import Store

# Written by Oxigraph from the embedded store: at a million triples an rdflib graph took 40 s and
# 2.4 GB. Its JSON-LD is the expanded form (full IRIs, no @context).
OXIGRAPH_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
PREFIXES = {
    "mgi": "https://w3id.org/mgi-graph/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def export_graph(store: Store, fmt: str) -> bytes:
    """The union of every graph, as Turtle, N-Triples or JSON-LD."""
    dump = getattr(store, "dump", None)
    if fmt in OXIGRAPH_FORMATS and dump is not None:  # the embedded store writes these itself
        return dump(OXIGRAPH_FORMATS[fmt], prefixes=PREFIXES)
    graph = store.to_rdflib()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph_bytes(graph, fmt)
