"""A small LRU of query results in front of any store, keyed by the query text, its bindings,
the dataset options and the store's graph version: repeated identical requests skip the engine,
and a new graph version never serves an old answer. Bounded in entries and (roughly) bytes."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from rdflib.term import Node

from .results import JsonRows, OxigraphRows, QueryResult
from .store import Store, answer_in_order

_TERM_BYTES = 80  # rough overhead of one rdflib term beyond its text


class CachingStore:
    """Wraps a store; every attribute other than query() is the wrapped store's."""

    def __init__(self, inner: Store, *, max_entries: int = 512, max_bytes: int = 64_000_000) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[QueryResult, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def version(self) -> str:
        return self.inner.version

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, union_default: bool = True,
              base_iri: str | None = None) -> QueryResult:
        if self.max_entries <= 0:  # caching off: no key to build, no size to estimate
            with self._lock:
                self.misses += 1
            return self.inner.query(sparql, bindings, max_rows=max_rows, default_graphs=default_graphs,
                                    named_graphs=named_graphs, union_default=union_default, base_iri=base_iri)
        key = (sparql, tuple(sorted((k, v.n3()) for k, v in (bindings or {}).items())), max_rows,
               tuple(default_graphs) if default_graphs is not None else None,
               tuple(named_graphs) if named_graphs is not None else None, union_default, base_iri,
               self.inner.version)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[0]
        result = self.inner.query(sparql, bindings, max_rows=max_rows, default_graphs=default_graphs,
                                  named_graphs=named_graphs, union_default=union_default, base_iri=base_iri)
        self._remember(key, result)
        return result

    def query_batch(self, items) -> list[QueryResult]:
        """As BoundedStore.query_batch: with caching off, in one round trip when the store can;
        otherwise one query at a time, each through the cache."""
        batch = getattr(self.inner, "query_batch", None)
        if self.max_entries <= 0 and callable(batch):
            with self._lock:
                self.misses += len(items)
            return batch(items)
        return answer_in_order(self, items)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _remember(self, key: tuple, result: QueryResult) -> None:
        size = result_size(result)
        if size > self.max_bytes // 4:
            return  # one huge answer must not flush everything else
        with self._lock:
            self.misses += 1
            if key in self._entries:
                return
            self._entries[key] = (result, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped


def result_size(result: QueryResult) -> int:
    """A rough, cheap estimate of the memory a result holds."""
    if result.triples is not None:  # twice, for when the rdflib Graph is made
        return 2 * sum(len(t.subject.value) + len(t.predicate.value) + len(t.object.value) + 3 * _TERM_BYTES
                       for t in result.triples)
    if result.graph is not None:
        return sum(len(s) + len(p) + len(o) + 3 * _TERM_BYTES for s, p, o in result.graph)
    if isinstance(result.rows, JsonRows):  # counted without making the rows' terms; twice, for when they are
        return 2 * sum(len(cell["value"]) + _TERM_BYTES for row in result.rows.bindings for cell in row.values())
    if isinstance(result.rows, OxigraphRows):  # likewise
        return 2 * sum(len(term.value) + _TERM_BYTES for row in result.rows.items for term in row if term is not None)
    size = sys.getsizeof(result.rows)
    for row in result.rows:
        size += sum(len(t) + _TERM_BYTES for t in row if t is not None) + 8 * len(row)
    return size
