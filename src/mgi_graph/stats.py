"""Counts that describe what a graph holds, for `build`, the home page and the dataset description."""

from __future__ import annotations

from dataclasses import dataclass

from .sparql_files import internal_query
from .store import Store


@dataclass
class GraphStats:
    triples: int
    classes: int
    per_class: list[tuple[str, int]]


def graph_stats(store: Store) -> GraphStats:
    per_class = [(str(row[0]), int(row[1])) for row in store.query(internal_query("class-counts")).rows]
    classes = store.query(internal_query("class-total")).rows[0][0]
    return GraphStats(store.count(), int(classes), per_class)
