"""The store: one interface, answered by the embedded Oxigraph store or a remote endpoint."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import orjson
import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .binding import with_values
from .errors import QuerySyntaxError, ResultTooLargeError
from .results import OxigraphRows, QueryResult
from .settings import Settings
from .sources import SourceFile, graph_iri, load_into, parse_file, source_files
from .sparql_files import internal_query

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


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

    def __init__(self, path: Path | None = None, *, store: ox.Store | None = None, version: str = "empty",
                 inferred_graph: str | None = None) -> None:
        self._store = store if store is not None else ox.Store(str(path)) if path else ox.Store()
        self.version = version
        self.inferred_graph = inferred_graph  # derived triples (derive()); left out of exports

    # -- loading -----------------------------------------------------------------------
    def replace_all(self, quads: list[ox.Quad], version: str) -> None:
        """Swap the whole content in one step (callers parse first, so nothing half-loads), then
        derive the default graph (and the type closure, when this store has an inferred graph)."""
        self._store.clear()
        self._store.extend(q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))
        derive(self._store, self.inferred_graph)
        self._store.optimize()
        self.version = version

    def load_graphs(self, graphs: Iterable[tuple[str, str]], version: str) -> None:
        """Replace the content with named graphs given as N-Triples files (dump_graph_to), parsed
        by Oxigraph straight into the store (a list of Python quads would cost gigabytes at a
        million triples), then derive the default graph."""
        self._store.clear()
        for name, path in graphs:
            self._store.load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        derive(self._store, self.inferred_graph)
        self._store.optimize()
        self.version = version

    # -- reading -----------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, union_default: bool = True,
              base_iri: str | None = None) -> QueryResult:
        """Run a query. The default graph is the set union of the named graphs (derive() stores
        it), unless the caller names default_graphs or the query its own FROM graphs. Here
        union_default changes nothing (the store's own default graph is that union); a remote
        store needs it to know whether to send the protocol's dataset."""
        return _to_result(self._evaluate(sparql, bindings, default_graphs, named_graphs, base_iri), max_rows)

    def query_packed(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
                     max_rows: int | None = None, max_bytes: int | None = None,
                     default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
                     union_default: bool = True, base_iri: str | None = None) -> tuple:
        """query(), as a worker sends it down its pipe (bounded_worker.decode_result reads it):
        ("ASK", boolean), ("SELECT", SPARQL JSON results as bytes, see solutions_json) or
        ("CONSTRUCT", N-Triples bytes written by Oxigraph, also capped at max_bytes)."""
        answer = self._evaluate(sparql, bindings, default_graphs, named_graphs, base_iri)
        if isinstance(answer, ox.QueryBoolean):
            return ("ASK", bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            return ("SELECT", solutions_json(answer, max_rows, max_bytes))
        output = _CappedOutput(max_bytes)
        ox.serialize(limited(answer, max_rows, "triples"), output, format=ox.RdfFormat.N_TRIPLES)
        return ("CONSTRUCT", output.getvalue())

    def _evaluate(self, sparql: str, bindings: Mapping[str, Node] | None, default_graphs: Sequence[str] | None,
                  named_graphs: Sequence[str] | None, base_iri: str | None) -> object:
        options: dict[str, object] = {"base_iri": base_iri}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(with_values(sparql, bindings or {}), **options)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None

    def count(self) -> int:
        """The triples in the named graphs (a triple two graphs hold counts twice, as on a server)."""
        answer = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(answer))[0].value)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def to_rdflib(self) -> Graph:
        """What the source files state (every graph but the inferred one), as one rdflib Graph
        (for pyshacl, owlready2 and the exports)."""
        return Graph().parse(data=self.dump(ox.RdfFormat.N_TRIPLES), format="nt")

    def dump_graph(self, name: str) -> bytes:
        """One named graph as N-Triples (what `mgi-graph load` sends to a remote server)."""
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))

    def dump_graph_to(self, name: str, path: str) -> None:
        """One named graph as an N-Triples file (what a query worker loads), written by Oxigraph,
        its lines then sorted so each subject's triples are together. Oxigraph writes them in its
        index order, by hash; a store filled in that order answered large results up to 30% slower
        than one filled subject by subject, as parsing the sources fills it."""
        self._store.dump(path, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        with open(path, "rb") as file:
            lines = file.read().splitlines(keepends=True)  # one triple per line: N-Triples escapes newlines
        lines.sort()
        with open(path, "wb") as file:
            file.writelines(lines)

    def dump(self, fmt: ox.RdfFormat, *, derived: bool = False, prefixes: dict[str, str] | None = None) -> bytes:
        """dump_to, as bytes."""
        buffer = io.BytesIO()
        self.dump_to(buffer, fmt, derived=derived, prefixes=prefixes)
        return buffer.getvalue()

    def dump_to(self, output: Any, fmt: ox.RdfFormat, *, derived: bool = False,
                prefixes: dict[str, str] | None = None) -> None:
        """Write to a path or binary file. N-Quads or TriG: every named graph, the inferred one
        included (the derived default graph left out: loading the dump derives it again). A
        triples format: what the sources state (the default graph less the inferred triples, which
        the derivation never adds when a source states them), or with `derived` the default graph
        queries see. Streamed from the store to the output by Oxigraph: at a million triples a
        Turtle export through an rdflib graph took 39 s and 2.3 GB."""
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            quads = (quad for graph in self._store.named_graphs()
                     for quad in self._store.quads_for_pattern(None, None, None, graph))
            ox.serialize(quads, output, format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG else None)
            return
        ox.serialize(self._triples(derived), output, format=fmt, prefixes=prefixes)

    def _triples(self, derived: bool) -> Iterator[ox.Triple]:
        """The default graph's triples, one at a time, less the inferred ones unless derived (only
        rdf:type triples are ever inferred)."""
        inferred = ox.NamedNode(self.inferred_graph) if self.inferred_graph and not derived else None
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            if inferred is not None and quad.predicate == RDF_TYPE and \
                    ox.Quad(quad.subject, quad.predicate, quad.object, inferred) in self._store:
                continue
            yield quad.triple


def answer_in_order(store: Store, items: Sequence[tuple[str, Mapping[str, Node] | None, dict]]) -> list[QueryResult]:
    """Each (sparql, bindings, query() options) item answered by store.query, in order, stopping
    after an ASK that answers false: what a store without query_batch does for a batch."""
    answers: list[QueryResult] = []
    for sparql, bindings, options in items:
        answers.append(store.query(sparql, bindings, **options))
        if answers[-1].kind == "ASK" and not answers[-1].boolean:
            break
    return answers


def derive(store: ox.Store, inferred_graph: str | None) -> None:
    """Fill the default graph with the set union of the named graphs; with an inferred graph,
    add the rdf:type closure there and to the default graph (sparql/derive-*.rq say why)."""
    store.update(internal_query("derive-default-graph"))
    if inferred_graph:
        store.update(internal_query("derive-type-closure").replace("INFERRED_GRAPH", str(ox.NamedNode(inferred_graph))))


def _to_result(answer: object, max_rows: int | None) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = OxigraphRows(limited(answer, max_rows, "rows"), variables)
        return QueryResult("SELECT", variables=variables, rows=rows)
    return QueryResult("CONSTRUCT", triples=limited(answer, max_rows, "triples"))


def solutions_json(solutions: ox.QuerySolutions, max_rows: int | None, max_bytes: int | None) -> bytes:
    """The solutions as SPARQL 1.1 JSON results, written by Oxigraph: for a thousand rows, a
    Python object per term cost more than the query. Writing stops as soon as it passes max_bytes
    (ResultTooLargeError). Rows are counted once written, so max_rows refuses an answer that
    max_bytes and the time limit let through: exactly only when a quick upper bound, one more than
    the `},{` between rows, passes it."""
    output = _CappedOutput(max_bytes)
    solutions.serialize(output, format=ox.QueryResultsFormat.JSON)
    body = output.getvalue()
    if max_rows is not None and body.count(b"},{") + 1 > max_rows and \
            len(orjson.loads(body)["results"]["bindings"]) > max_rows:
        raise ResultTooLargeError(f"the result has more than {max_rows} rows; add a LIMIT")
    return body


class _CappedOutput(io.RawIOBase):
    """A binary buffer that refuses to grow past max_bytes (None: no cap)."""

    def __init__(self, max_bytes: int | None) -> None:
        super().__init__()
        self._buffer = io.BytesIO()
        self._max_bytes = max_bytes

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        written = self._buffer.write(data)
        if self._max_bytes is not None and self._buffer.tell() > self._max_bytes:
            raise ResultTooLargeError(f"the result is larger than {self._max_bytes} bytes; narrow the query "
                                      "or add a LIMIT")
        return written

    def getvalue(self) -> bytes:
        return self._buffer.getvalue()


def limited(items, max_rows: int | None, what: str) -> list:
    """The items (rows or triples) as a list; ResultTooLargeError past max_rows."""
    out = []
    for item in items:
        if max_rows is not None and len(out) >= max_rows:
            if what == "rows":
                raise ResultTooLargeError(f"the result has more than {max_rows} rows; add a LIMIT")
            raise ResultTooLargeError(f"the graph has more than {max_rows} triples; narrow the query")
        out.append(item)
    return out


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
    inferred = inferred_graph(settings)
    derive(fresh, inferred)
    fresh.optimize()
    return EmbeddedStore(store=fresh, version=version, inferred_graph=inferred)


def inferred_graph(settings: Settings) -> str:
    """The named graph holding derived triples (the type closure), never a source file's."""
    return graph_iri(settings, "inferred")


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
