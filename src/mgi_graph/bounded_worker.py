"""The worker side of bounded execution (bounded.py): what runs inside the killable processes,
and the plain values that cross the pipe."""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import errors
from .errors import MgiGraphError, QueryRefusedError, StoreUnavailableError
from .memory import release_freed_memory
from .no_network import forbid_network_sockets
from .results import QueryResult, from_sparql_json
from .sparql_policy import inspect_query

SNAPSHOT_PREFIX = "mgi-graph-snapshot-"
SNAPSHOT_OWNER = "owner-pid"  # the server process the snapshot belongs to

PARSER_RECURSION_LIMIT = 20_000


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_output_bytes: int
    memory_bytes: int | None = None  # address-space cap of a worker (None: no cap)
    guard: bool = True  # install the outbound/file guard in the worker once its graph is loaded


@dataclass(frozen=True)
class Snapshot:
    """Every named graph as an N-Triples file in a temporary folder: what a worker loads, so every
    worker answers from the same data. Oxigraph writes and reads the files itself, so no Python
    object per triple, and neither the server nor a worker keeps a copy of the text in memory (as
    bytes handed to a spawned worker, it stayed referenced there, 400 MB at a million triples).
    The triple count and the graph names are kept, so the server needs no graph of its own."""

    folder: str
    graphs: tuple[tuple[str, str], ...]  # (graph IRI, file)
    version: str
    triples: int
    inferred_graph: str | None = None

    @classmethod
    def of(cls, store: Any) -> Snapshot:
        folder = owned_temp_folder()
        try:
            graphs = []
            for number, name in enumerate(store.graph_names()):
                path = os.path.join(folder, f"{number}.nt")
                store.dump_graph_to(name, path)
                graphs.append((name, path))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        snapshot = cls(folder, tuple(graphs), store.version, store.count(), store.inferred_graph)
        weakref.finalize(snapshot, shutil.rmtree, folder, True)  # also at exit, if discard() never ran
        return snapshot

    def load(self):
        """The graph as a worker serves it (the inferred graph is among the files, not derived again)."""
        from .store import EmbeddedStore

        store = EmbeddedStore()
        store.load_graphs(self.graphs, self.version)
        store.inferred_graph = self.inferred_graph  # known, so a dump can leave it out
        return store

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def owned_temp_folder(kind: str = "") -> str:
    """A new temporary folder that records this process as its owner, so that once the process is
    gone the next one to make such a folder removes it (remove_orphaned_snapshots)."""
    folder = tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX + kind)
    try:
        Path(folder, SNAPSHOT_OWNER).write_text(str(os.getpid()), encoding="utf-8")
        remove_orphaned_snapshots(Path(folder).parent)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def remove_orphaned_snapshots(folder: Path) -> None:
    """Remove the snapshot folders in `folder` whose server process is gone. A server stopped by
    SIGKILL, or by SIGTERM when it was started by code that does not turn the signal into an exit,
    runs no exit handler, and its snapshot (the size of the graph) would stay; the next server to
    take a snapshot clears it. A folder whose owner is alive, or unknown, is left as it is."""
    for candidate in folder.glob(SNAPSHOT_PREFIX + "*"):
        try:
            owner = int((candidate / SNAPSHOT_OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if owner != os.getpid() and not _alive(owner):
            shutil.rmtree(candidate, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@dataclass(frozen=True)
class DiskIndex:
    """An on-disk Oxigraph index that each worker opens read-only (no copy of the graph)."""

    path: str
    version: str

    def load(self):
        from .store import EmbeddedStore

        return EmbeddedStore(store=ox.Store.read_only(self.path), version=self.version)

    def discard(self) -> None:
        """The index belongs to the folder it was opened from: nothing to remove."""


# -- inside the worker ------------------------------------------------------------------------
def serve_queries(conn, snapshot: Snapshot, limits: Limits) -> None:
    """A worker's life: load the graph, say ready, then answer queries until the pipe closes."""
    try:
        store = snapshot.load()
        release_freed_memory()  # what loading and deriving freed
        # The cap bounds what a query may add on top of the loaded graph, which at a million
        # triples is itself well past a gigabyte of address space.
        _cap_memory(limits.memory_bytes and _address_space() + limits.memory_bytes)
        if limits.guard:
            from .guard import GuardPolicy, install

            install(GuardPolicy.closed())
            forbid_network_sockets()  # the guard cannot see Oxigraph's own HTTP client (SERVICE)
    except Exception as exc:  # reported to the parent, which raises it
        conn.send(("error", encode_error(exc)))
        return
    conn.send(("ready", store.version))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", _answer(store, message, limits)))
        except Exception as exc:
            conn.send(("error", encode_error(exc)))


def _answer(store, message: tuple, limits: Limits) -> tuple | list | None:
    if message[0] == "batch":  # BoundedStore.query_batch
        answers = []
        for sparql, bindings, options in message[1]:
            answers.append(_answer(store, ("query", sparql, bindings, options), limits))
            if answers[-1] == ("ASK", False):
                break
        return answers
    if message[0] == "inspect":  # BoundedStore.inspect_query
        # rdflib's parser recurses a few frames per triple pattern or bracket: at Python's default
        # limit a plain group of 100 patterns failed. This deeper limit still stops rdflib below
        # the nesting at which Oxigraph's own parser overflows its stack (a few thousand brackets).
        sys.setrecursionlimit(max(sys.getrecursionlimit(), PARSER_RECURSION_LIMIT))
        return inspect_query(message[1], message[2])
    if message[0] == "dump":  # the whole graph, written to a file (BoundedStore.dump_to)
        _, path, extension, prefixes = message
        store.dump_to(path, ox.RdfFormat.from_extension(extension), prefixes=prefixes)
        return None
    _, sparql, bindings, options = message
    try:
        payload = store.query_packed(sparql, bindings, max_bytes=limits.max_output_bytes, **options)
    except (ValueError, TypeError, OSError, RuntimeError) as exc:  # the engine's own evaluation errors
        raise QueryRefusedError(f"the query could not be evaluated: {exc}") from None
    return payload


def run_function(conn, func, args: tuple, memory_bytes: int | None) -> None:
    """run_bounded's child: func(*args), its value or its error sent back."""
    try:
        _cap_memory(memory_bytes)
        forbid_network_sockets()  # validation needs no network, whatever a file asks for
        conn.send(("ok", func(*args)))
    except Exception as exc:
        conn.send(("error", encode_error(exc)))


def _address_space() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS limits)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _cap_memory(memory_bytes: int | None) -> None:
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


# -- what crosses the pipe --------------------------------------------------------------------
def decode_result(payload: tuple) -> QueryResult:
    """A worker's answer as a QueryResult. It comes as EmbeddedStore.query_packed gives it: a
    SELECT's rows as SPARQL JSON, a graph as N-Triples, both written by Oxigraph and cheap to send
    (pickling rdflib terms rebuilds and re-checks each); rdflib terms are made only when read."""
    kind, body = payload
    if kind == "ASK":
        return QueryResult("ASK", boolean=body)
    if kind == "SELECT":
        return from_sparql_json(body)
    return QueryResult(kind, triples=list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))


def encode_error(exc: BaseException) -> tuple[str, dict]:
    if isinstance(exc, errors.DataFileError):
        return "DataFileError", {"path": exc.path, "line": exc.line, "message": exc.message}
    if isinstance(exc, errors.ParameterError):
        return "ParameterError", {"name": exc.name, "message": str(exc).split(": ", 1)[-1]}
    if isinstance(exc, StoreUnavailableError):
        return "StoreUnavailableError", {"message": str(exc), "timeout": exc.timeout}
    if isinstance(exc, MgiGraphError):
        return type(exc).__name__, {"message": str(exc)}
    if isinstance(exc, MemoryError):
        return "QueryTimeoutError", {"message": "the work used more memory than it may and was stopped"}
    return "MgiGraphError", {"message": f"{type(exc).__name__}: {exc}"}


def decode_error(payload: tuple[str, dict]) -> MgiGraphError:
    name, fields = payload
    cls = getattr(errors, name, MgiGraphError)
    if not (isinstance(cls, type) and issubclass(cls, MgiGraphError)):
        cls = MgiGraphError
    if cls is errors.DataFileError:
        return cls(fields["path"], fields["line"], fields["message"])
    if cls is errors.ParameterError:
        return cls(fields["name"], fields["message"])
    if cls is StoreUnavailableError:
        return cls(fields["message"], timeout=fields["timeout"])
    return cls(fields["message"])
