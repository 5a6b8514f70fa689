"""The store: one interface, answered by the embedded Oxigraph store or a remote endpoint."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .binding import with_values
from .errors import QuerySyntaxError, ResultTooLargeError
from .results import QueryResult
from .settings import Settings
from .sources import SourceFile, load_into, parse_file, source_files
from .terms import to_rdflib


class Store(Protocol):
    """What the CLI, the saved queries and the web app need from a store."""

    version: str  # changes whenever the stored graph changes; keys caches

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, union_default: bool = True,
              base_iri: str | None = None) -> QueryResult: ...

    def count(self) -> int: ...

    def graph_names(self) -> list[str]: ...

    def to_rdflib(self) -> Graph: ...


class EmbeddedStore:
    """Oxigraph in this process: in memory, or on disk when given a folder."""

    def __init__(self, path: Path | None = None, *, store: ox.Store | None = None, version: str = "empty") -> None:
        self._store = store if store is not None else ox.Store(str(path)) if path else ox.Store()
        self.version = version

    # -- loading -----------------------------------------------------------------------
    def replace_all(self, quads: list[ox.Quad], version: str) -> None:
        """Swap the whole content in one step (callers parse first, so nothing half-loads)."""
        self._store.clear()
        self._store.extend(quads)
        self._store.optimize()
        self.version = version

    # -- reading -----------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, union_default: bool = True,
              base_iri: str | None = None) -> QueryResult:
        """Run a query. The default graph is the union of all graphs unless the caller names
        default_graphs, or passes union_default=False so the query's own FROM clauses apply."""
        options: dict[str, object] = {"base_iri": base_iri}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif union_default:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            answer = self._store.query(with_values(sparql, bindings or {}), **options)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        return _to_result(answer, max_rows)

    def count(self) -> int:
        return len(self._store)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def to_rdflib(self) -> Graph:
        """The union of all graphs as one rdflib Graph (for pyshacl and owlready2)."""
        graph = Graph()
        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        # N-Quads to triples: the union is what validation and reasoning look at.
        graph.parse(data=_drop_graph_names(data), format="nt")
        return graph

    def dump_graph(self, name: str) -> bytes:
        """One named graph as N-Triples (what `mgi-graph load` sends to a remote server)."""
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return self._store.dump(format=fmt)
        quads = ox.Store()
        quads.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in self._store)
        return quads.dump(format=fmt, from_graph=ox.DefaultGraph())


def _drop_graph_names(nquads: bytes) -> bytes:
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                 for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def _to_result(answer: object, max_rows: int | None) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = []
        for solution in answer:
            if max_rows is not None and len(rows) >= max_rows:
                raise ResultTooLargeError(f"the result has more than {max_rows} rows; add a LIMIT")
            rows.append(tuple(to_rdflib(solution[i]) for i in range(len(variables))))
        return QueryResult("SELECT", variables=variables, rows=rows)
    return QueryResult("CONSTRUCT", graph=triples_to_graph(answer, max_rows))  # type: ignore[arg-type]


def triples_to_graph(triples, max_rows: int | None) -> Graph:
    """Oxigraph triples as an rdflib Graph, stopping past max_rows (ResultTooLargeError)."""
    graph = Graph()
    for count, triple in enumerate(triples):
        if max_rows is not None and count >= max_rows:
            raise ResultTooLargeError(f"the graph has more than {max_rows} triples; narrow the query")
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def load_sources(files: list[SourceFile], base_iri: str | None = None) -> list[ox.Quad]:
    """Parse every file first; any error stops here, before a store is touched."""
    quads: list[ox.Quad] = []
    for source in files:
        quads += parse_file(source.path, source.graph, base_iri=base_iri)
    return quads


def parse_sources(files: list[SourceFile], progress: Callable[[SourceFile], None] | None = None) -> ox.Store:
    """A fresh in-memory Oxigraph store holding every file, parsed by Oxigraph itself.
    Any error stops here, so the caller's store is never half-loaded."""
    fresh = ox.Store()
    for source in files:
        load_into(fresh, source)
        if progress is not None:
            progress(source)
    return fresh


def sources_version(files: list[SourceFile]) -> str:
    """A hash of every source file's path and bytes: what an on-disk index was built from."""
    digest = hashlib.sha1()
    for source in files:
        digest.update(str(source.path).encode())
        digest.update(source.path.read_bytes())
    return digest.hexdigest()[:12]


def build_store(settings: Settings, progress: Callable[[SourceFile], None] | None = None) -> EmbeddedStore:
    """The embedded store in memory, holding the ontology, the reference data and every profile."""
    files = source_files(settings)
    version = sources_version(files)
    fresh = parse_sources(files, progress)
    fresh.optimize()
    return EmbeddedStore(store=fresh, version=version)


def open_store(settings: Settings, *, progress: Callable[[SourceFile], None] | None = None,
               rebuild: bool = False) -> Store:
    """The one place a store is chosen: settings.store None = in memory, an http(s) URL = a remote
    SPARQL endpoint, anything else = an on-disk index in that folder (rebuilt when the sources
    changed). Wrapped in the query cache."""
    from .store_cache import CachingStore

    location = settings.store
    if not location:
        inner: Store = build_store(settings, progress)
    elif urlsplit(location).scheme in ("http", "https"):
        from .remote_store import RemoteStore

        inner = RemoteStore.from_settings(settings)
    else:
        from .disk_store import open_disk_store

        inner = open_disk_store(Path(location), settings, progress=progress, rebuild=rebuild)
    return CachingStore(inner, max_entries=settings.cache_entries, max_bytes=settings.cache_bytes)
