"""Bounded execution: a wall-clock limit that really stops the work, a row cap and an output cap.

Oxigraph's Python API has no timeout and Python threads cannot be killed, so a query runs in a
worker process; when it passes the limit the worker is killed (SIGKILL) and a fresh one started
in the background. Workers are started with 'spawn', so they inherit no lock or thread state;
each holds its own copy of the graph (a snapshot of the parent's store) and applies the row and
output caps itself, so a huge result never crosses the pipe. `run_bounded` does the same for any
picklable function (SHACL validation, for one).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .bounded_worker import DiskIndex, Limits, Snapshot, decode_error, decode_result, run_function, serve_queries
from .disk_store import INDEX
from .errors import DataFileError, MgiGraphError, QueryTimeoutError, StoreUnavailableError
from .memory import release_freed_memory
from .results import QueryResult
from .settings import Settings
from .sparql_policy import QueryInfo
from .store import (
    EmbeddedStore,
    Store,
    build_store,
    inferred_graph,
    load_sources,
    open_store,
    source_files,
    sources_version,
)

__all__ = ["BoundedStore", "run_bounded", "reload", "serving_store", "worker_count"]

_SPAWN = mp.get_context("spawn")
START_TIMEOUT = 60.0  # seconds a new worker may take to load its graph
EXPORT_TIMEOUT = 300.0  # seconds a worker may take to write the whole graph (10 s at a million triples)
DEFAULT_WORKERS = 2
# What a worker holding the graph in memory takes, measured at 1 to 150 synthetic profiles
# (docs/performance.md): about 50 MB of Python and libraries, then about 760 bytes per triple (the
# named graphs, the derived default graph and Oxigraph's indexes). The server itself keeps no graph.
WORKER_BASE_BYTES = 50_000_000
WORKER_BYTES_PER_TRIPLE = 760
SERVER_BYTES = 100_000_000


def run_bounded(func: Callable[..., Any], args: tuple = (), timeout: float = 10.0, *,
                memory_bytes: int | None = None) -> Any:
    """func(*args) in a fresh process, killed after `timeout` seconds (QueryTimeoutError).

    func and args must pickle (a module-level function; plain data, rdflib graphs, Settings).
    An MgiGraphError raised by func is raised here again; any other exception becomes a
    MgiGraphError naming it. Costs one process start (about 0.3 s plus func's imports).
    """
    parent, child = _SPAWN.Pipe(duplex=False)
    process = _SPAWN.Process(target=run_function, args=(child, func, args, memory_bytes), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryTimeoutError(f"the work ran past the {timeout:g} s limit and was stopped")
        status, payload = parent.recv()
    except EOFError:
        raise QueryTimeoutError("the work ran out of memory and was stopped") from None
    finally:
        _kill(process)
        parent.close()
    if status == "error":
        raise decode_error(payload)
    return payload


@dataclass
class _Worker:
    process: Any
    conn: Any
    generation: int


class BoundedStore:
    """A Store whose queries run in a pool of killable worker processes.

    Every query goes to a worker, under `timeout` seconds (waiting for a free worker counts),
    `max_rows` rows and `max_output_bytes` bytes (an estimate of the serialized size, checked in
    the worker). The workers load `source`: a Snapshot of `inner` (then this process keeps no
    graph) or an on-disk index they open read-only (then `inner` is that index, kept open).
    """

    def __init__(self, inner: EmbeddedStore | None, *, timeout: float, max_rows: int, max_output_bytes: int,
                 workers: int = 2, memory_bytes: int | None = None, source: Any = None) -> None:
        self.timeout = timeout
        self.limits = Limits(max_rows, max_output_bytes, memory_bytes)
        self.size = max(1, workers)
        self._lock = threading.Lock()
        self._generation = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._snapshot = source if source is not None else Snapshot.of(inner)
        self._inner = _kept(inner, self._snapshot)
        del inner
        self._closed = False
        self._inspected: dict[tuple[str, str], QueryInfo] = {}
        try:
            self._fill(self._start_all(self._snapshot, 0))
        except BaseException:
            self._snapshot.discard()
            raise

    @classmethod
    def from_settings(cls, settings: Settings, inner: EmbeddedStore | None = None, source: Any = None) -> BoundedStore:
        """`source` is what each worker loads (bounded_worker.Snapshot or DiskIndex); default: a snapshot of inner."""
        if inner is None and source is None:
            inner = build_store(settings)
        if source is None:
            source = Snapshot.of(inner)
        return cls(inner, timeout=settings.query_timeout,
                   max_rows=settings.max_rows, max_output_bytes=settings.max_output_bytes,
                   workers=worker_count(settings, source), memory_bytes=settings.worker_memory_bytes or None,
                   source=source)

    # -- the Store protocol ---------------------------------------------------------------
    @property
    def version(self) -> str:
        return self._snapshot.version

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, union_default: bool = True,
              base_iri: str | None = None) -> QueryResult:
        options = self._options(max_rows=max_rows, default_graphs=default_graphs, named_graphs=named_graphs,
                                union_default=union_default, base_iri=base_iri)
        status, payload = self._ask(("query", sparql, dict(bindings or {}), options))
        if status == "error":
            raise decode_error(payload)
        return decode_result(payload)

    def inspect_query(self, sparql: str) -> QueryInfo:
        """sparql_policy.inspect_query, run by a worker under the time limit. rdflib's parser
        takes about 0.7 ms per item of a long IN list, under a lock: in the server, one 98 kB query
        held every other query for a minute. A worker is stopped at the limit instead. Answers that
        pass are remembered (per graph version), so a repeated query costs no round trip."""
        key = (sparql, self.version)
        known = self._inspected.get(key)
        if known is not None:
            return known
        status, payload = self._ask(("inspect", sparql, tuple(self.graph_names())))
        if status == "error":
            raise decode_error(payload)
        if len(self._inspected) >= 512:
            self._inspected.clear()
        self._inspected[key] = payload
        return payload

    def query_batch(self, items: Sequence[tuple[str, Mapping[str, Node] | None, dict]]) -> list[QueryResult]:
        """(sparql, bindings, query() options) items answered in order by one worker in one round
        trip, stopping after an ASK that answers false (a failed parameter check: what follows is
        not run). The time limit covers them all."""
        batch = [(sparql, dict(bindings or {}), self._options(**options)) for sparql, bindings, options in items]
        status, payload = self._ask(("batch", batch))
        if status == "error":
            raise decode_error(payload)
        return [decode_result(answer) for answer in payload]

    def _options(self, *, max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
                 named_graphs: Sequence[str] | None = None, union_default: bool = True,
                 base_iri: str | None = None) -> dict:
        rows = self.limits.max_rows if max_rows is None else min(max_rows, self.limits.max_rows)
        return {"max_rows": rows, "default_graphs": list(default_graphs) if default_graphs is not None else None,
                "named_graphs": list(named_graphs) if named_graphs is not None else None,
                "union_default": union_default, "base_iri": base_iri}

    # What is cheap and ours: from the on-disk index, or from the snapshot (the server keeps no
    # in-memory graph of its own: at a million triples that copy alone was 650 MB).
    def count(self) -> int:
        return self._inner.count() if self._inner is not None else self._snapshot.triples

    def graph_names(self) -> list[str]:
        return self._inner.graph_names() if self._inner is not None else [name for name, _ in self._snapshot.graphs]

    def to_rdflib(self) -> Graph:
        return Graph().parse(data=self.dump(ox.RdfFormat.N_TRIPLES), format="nt")

    def dump(self, fmt, *, prefixes: dict[str, str] | None = None) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, f"graph.{fmt.file_extension}")
            self.dump_to(path, fmt, prefixes=prefixes)
            return Path(path).read_bytes()

    def dump_to(self, path: str, fmt, *, prefixes: dict[str, str] | None = None) -> None:
        """The whole graph (as EmbeddedStore.dump_to) written to a file: from the on-disk index
        here, or by a query worker, which holds the graph in memory (a copy in this process was
        650 MB at a million triples)."""
        if self._inner is not None:
            self._inner.dump_to(path, fmt, prefixes=prefixes)
            return
        status, payload = self._ask(("dump", str(path), fmt.file_extension, prefixes),
                                    timeout=max(self.timeout, EXPORT_TIMEOUT))
        if status == "error":
            raise decode_error(payload)

    # -- life cycle -----------------------------------------------------------------------
    def reload(self, inner: EmbeddedStore, source: Any = None) -> None:
        """Serve `inner` from now on. New workers load it first; if they cannot, the old graph stays."""
        snapshot = source if source is not None else Snapshot.of(inner)
        with self._lock:
            generation = self._generation + 1
        try:
            fresh = self._start_all(snapshot, generation)
        except BaseException:
            snapshot.discard()
            raise
        with self._lock:
            self._generation, self._inner = generation, _kept(inner, snapshot)
            old_snapshot, self._snapshot = self._snapshot, snapshot
            old = self._all
            self._all = []
        self._fill(fresh)
        for worker in old:  # idle ones die now; busy ones are killed when they come back
            _kill(worker.process)
        old_snapshot.discard()  # every worker that could restart from it is gone

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        for worker in workers:
            _kill(worker.process)
        self._snapshot.discard()

    def __enter__(self) -> BoundedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the pool -------------------------------------------------------------------------
    def _ask(self, message: tuple, timeout: float | None = None) -> tuple[str, Any]:
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        worker = self._take(deadline, limit)
        try:
            worker.conn.send(message)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeoutError(f"the query ran past the {limit:g} s limit and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise QueryTimeoutError("the query used more memory than a query may and was stopped") from None
        self._give_back(worker)
        return reply

    def _take(self, deadline: float, limit: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeoutError(f"every query worker stayed busy for {limit:g} s; "
                                        "try again in a moment") from None
            if worker.generation == self._generation and worker.process.is_alive():
                return worker
            self._retire(worker)

    def _give_back(self, worker: _Worker) -> None:
        if worker.generation == self._generation and not self._closed:
            self._idle.put(worker)
        else:
            self._retire(worker)

    def _retire(self, worker: _Worker) -> None:
        _kill(worker.process)
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background (so the caller is answered now)."""
        self._retire(worker)
        if worker.generation == self._generation and not self._closed:
            threading.Thread(target=self._restart, args=(worker.generation,), daemon=True).start()

    def _restart(self, generation: int) -> None:
        try:
            fresh = self._start(self._snapshot, generation)
        except MgiGraphError:
            return  # the snapshot loaded before, so this is a transient failure; the next kill retries
        if generation == self._generation and not self._closed:
            self._fill([fresh])
        else:
            _kill(fresh.process)

    def _fill(self, workers: list[_Worker]) -> None:
        with self._lock:
            self._all.extend(workers)
        for worker in workers:
            self._idle.put(worker)

    def _start_all(self, snapshot: Snapshot, generation: int) -> list[_Worker]:
        """Start every worker at once (each spends seconds loading a large graph), then wait for all."""
        launched = [self._launch(snapshot) for _ in range(self.size)]
        started: list[_Worker] = []
        try:
            for process, parent in launched:
                started.append(self._await_ready(process, parent, generation))
        except BaseException:
            for process, _ in launched:
                _kill(process)
            raise
        return started

    def _start(self, snapshot: Snapshot, generation: int) -> _Worker:
        return self._await_ready(*self._launch(snapshot), generation)

    def _launch(self, snapshot: Snapshot) -> tuple[Any, Any]:
        parent, child = _SPAWN.Pipe()
        process = _SPAWN.Process(target=serve_queries, args=(child, snapshot, self.limits), daemon=True)
        process.start()
        child.close()
        return process, parent

    @staticmethod
    def _await_ready(process: Any, parent: Any, generation: int) -> _Worker:
        try:
            if not parent.poll(START_TIMEOUT):
                raise StoreUnavailableError("a query worker did not start in time", timeout=True)
            status, payload = parent.recv()
        except EOFError:
            _kill(process)
            raise StoreUnavailableError("a query worker died while starting") from None
        except BaseException:
            _kill(process)
            raise
        if status == "error":
            _kill(process)
            raise decode_error(payload)
        return _Worker(process, parent, generation)


def worker_count(settings: Settings, source: Any) -> int:
    """How many query workers to start: settings.query_workers when set; otherwise two, fewer when
    each would load its own in-memory copy of a graph too large for two within
    settings.serve_memory_bytes (workers on an on-disk index share it and the page cache)."""
    if settings.query_workers is not None:
        return settings.query_workers
    if not isinstance(source, Snapshot):
        return DEFAULT_WORKERS
    each = WORKER_BASE_BYTES + WORKER_BYTES_PER_TRIPLE * source.triples
    fits = (settings.serve_memory_bytes - SERVER_BYTES) // each
    return max(1, min(DEFAULT_WORKERS, fits))


def _kept(inner: EmbeddedStore, source: Any) -> EmbeddedStore | None:
    """The server's own store is kept only when it is an on-disk index (cheap to hold open)."""
    return inner if isinstance(source, DiskIndex) else None


def _kill(process: Any) -> None:
    if process.is_alive():
        process.kill()
    process.join(timeout=5)


def reload(store: Store, settings: Settings) -> None:
    """Load the source files again into `store` (an EmbeddedStore or a BoundedStore, bare or behind
    the query cache). Every file is parsed before anything is swapped, so a file that fails
    (DataFileError, with file and line) leaves the previous graph serving."""
    target = getattr(store, "inner", store)
    files = source_files(settings)
    quads = load_sources(files)
    if isinstance(target, BoundedStore):
        inner = EmbeddedStore(inferred_graph=inferred_graph(settings))
        inner.replace_all(quads, sources_version(files))
        del quads
        target.reload(inner)
        del inner
        release_freed_memory()  # the workers hold the new graph; this process keeps none
    elif isinstance(target, EmbeddedStore):
        target.replace_all(quads, sources_version(files))
    else:
        raise DataFileError(settings.data_dir, None, f"a {type(target).__name__} cannot be reloaded from files")
    clear = getattr(store, "clear", None)
    if callable(clear):
        clear()


def serving_store(settings: Settings) -> Store:
    """The store the web app serves: store.open_store's choice, with an embedded graph (in memory
    or on disk) answered by the bounded worker pool. A remote store keeps its own timeout."""
    store = open_store(settings)
    inner = getattr(store, "inner", None)
    if not isinstance(inner, EmbeddedStore):
        return store
    if settings.store:  # an on-disk index: each worker opens it read-only instead of taking a copy
        source: Any = DiskIndex(str(Path(settings.store) / INDEX), inner.version)
    else:  # in memory: the workers load a snapshot, and this process lets its own copy go
        source, store.inner, inner = Snapshot.of(inner), None, None
        release_freed_memory()
    store.inner = BoundedStore.from_settings(settings, inner, source)
    return store
