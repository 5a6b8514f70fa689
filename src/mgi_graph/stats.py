"""Counts that describe what a graph holds, for `build`, the home page and the dataset description."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from .sparql_files import internal_query
from .store import Store


@dataclass
class GraphStats:
    triples: int  # in every named graph, the derived ones included
    classes: int
    per_class: list[tuple[str, int]]
    derived: int = 0  # of those, the triples derived at build time (the inferred graph)

    @property
    def stated(self) -> int:
        """What the sources state: what the dumps and `export` hold."""
        return self.triples - self.derived


def graph_stats(store: Store, inferred_graph: str | None = None) -> GraphStats:
    per_class = [(str(row[0]), int(row[1])) for row in store.query(internal_query("class-counts")).rows]
    classes = store.query(internal_query("class-total")).rows[0][0]
    derived = 0
    if inferred_graph and inferred_graph in store.graph_names():
        derived = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                  {"g": URIRef(inferred_graph)}).rows[0][0])
    return GraphStats(store.count(), int(classes), per_class, derived)
