"""Counts that describe what a graph holds, for `build`, the home page and the dataset description."""

from __future__ import annotations

from dataclasses import dataclass

from .store import Store

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?thing) AS ?n) WHERE { ?thing a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


@dataclass
class GraphStats:
    triples: int
    classes: int
    per_class: list[tuple[str, int]]


def graph_stats(store: Store) -> GraphStats:
    per_class = [(str(row[0]), int(row[1])) for row in store.query(CLASS_COUNTS).rows]
    classes = store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { { ?c a <http://www.w3.org/2002/07/owl#Class> }"
                          " UNION { ?c a <http://www.w3.org/2000/01/rdf-schema#Class> } }").rows[0][0]
    return GraphStats(store.count(), int(classes), per_class)
