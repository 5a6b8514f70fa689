"""mgi-graph benchmark (not part of the test suite): prints a table; see docs/performance.md.

    .venv/bin/python bench/bench.py --sizes 1,10,150 [--runs 7] [--baseline-max 10] [--validate]

For each size N: N synthetic profiles (mgi-graph synth, seed 1) plus the real Guatemala profile;
start-up (in-memory build, on-disk rebuild, on-disk reopen); every saved query (with its default
parameters) through the HTTP app served by waitress (cache off, then a cached repeat), on the bare
engine (in memory, and on the on-disk index), and on plain rdflib in memory (the baseline, same
run: bare, and behind the same HTTP app; 3 runs within --baseline-limit, more for a fast query);
validation; peak memory: of this process, and of `mgi-graph serve` (main process plus its query
workers) answering every query, with the graph in memory and with the on-disk index. Each figure
is the median of --runs runs, or of as many as fit in half a second for a fast query (p95 also
for HTTP). A paginated query is measured on its first page, as the app serves it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mgi_graph.cli_store import copy_project  # noqa: E402
from mgi_graph.paging import with_page  # noqa: E402
from mgi_graph.queries import bind, load_catalogue  # noqa: E402
from mgi_graph.settings import Settings  # noqa: E402
from mgi_graph.store import build_store, open_store  # noqa: E402
from mgi_graph.synth import write_profiles  # noqa: E402


def timed(fn, runs: int, min_seconds: float = 0.0, max_runs: int = 200) -> tuple[float, float, object]:
    """(median seconds, p95 seconds, last value) of `runs` runs, or of more for a fast call: runs
    go on until min_seconds have passed (at most max_runs), so sub-millisecond figures rest on
    enough samples to be stable."""
    times, value = [], None
    started_all = time.perf_counter()
    while len(times) < runs or (time.perf_counter() - started_all < min_seconds and len(times) < max_runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], value


SAMPLE_SECONDS = 0.5  # a query's figures rest on at least this much measuring (or max_runs runs)
MAX_BASELINE_RUNS = 50  # rdflib: at least 3 runs within the limit, more while under SAMPLE_SECONDS


def make_root(size: int, where: Path) -> Settings:
    copy_project(ROOT, where, with_real=True)
    write_profiles(Settings(root=ROOT), size, where / "data" / "profiles", seed=1)
    return Settings(root=where)


def serve(app) -> tuple[object, int]:
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, server.socket.getsockname()[1]


class HttpError(RuntimeError):
    def __init__(self, path: str, status: int, body: bytes) -> None:
        super().__init__(f"{path}: HTTP {status}: {body[:200]!r}")
        self.status = status


def http_get(port: int, path: str, timeout: float = 120) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise HttpError(path, response.status, body)
    return body


def first_page(query) -> str:
    """The text the app runs for a query's default answer: page 1 (and the row that says whether a
    page 2 exists) for a paginated query, the whole text otherwise."""
    return with_page(query.text, query.pagination + 1, 0) if query.pagination else query.text


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def served_peak_memory(root: Path, store: str | None, paths: list[str],
                       workers: int | None = None) -> tuple[float, float, str]:
    """(seconds to start, peak MB, the workers it started) of `mgi-graph serve` (all its processes)
    while it answers every path; workers None: as many as serve chooses."""
    port = _free_port()
    command = [str(Path(sys.executable).parent / "mgi-graph"), "--root", str(root), "serve", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    if store:
        command += ["--store", store]
    started = time.perf_counter()
    said = tempfile.TemporaryFile()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=said,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    peak = 0
    try:
        while True:
            try:
                http_get(port, "/queries")
                break
            except (OSError, HttpError):
                if server.poll() is not None:
                    raise RuntimeError("mgi-graph serve exited") from None
                peak = max(peak, tree_rss(server.pid))
                time.sleep(0.2)
        ready = time.perf_counter() - started
        stop = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, tree_rss(server.pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        for path in paths:
            try:
                http_get(port, path)
            except HttpError:
                pass  # a refusal (413, 503) still costs what it cost
        stop.set()
        watcher.join()
        said.seek(0)
        pool = next((line for line in said.read().decode().splitlines() if "query worker" in line), "?")
        return ready, peak / 2**20, pool
    finally:
        server.terminate()
        server.wait(timeout=30)
        said.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rdflib_time(graph, query, bindings, limit: float, runs: int = 3) -> float | None:
    """Median seconds rdflib takes for the query over `runs` runs (more for a fast query, as
    timed() does), in a forked child killed once `limit` seconds have passed (the runs finished by
    then count; None: not even one did).
    Forking shares the parsed graph without reloading it."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def work() -> None:
        began = time.perf_counter()
        for count in range(MAX_BASELINE_RUNS):
            if count >= runs and time.perf_counter() - began >= SAMPLE_SECONDS:
                break
            started = time.perf_counter()
            list(graph.query(first_page(query), initBindings=bindings))
            child.send(time.perf_counter() - started)
        child.send(None)

    process = context.Process(target=work, daemon=True)
    process.start()
    deadline = time.monotonic() + limit
    times: list[float] = []
    try:
        while parent.poll(max(0.0, deadline - time.monotonic())):
            took = parent.recv()
            if took is None:
                break
            times.append(took)
    finally:
        process.kill()
        process.join()
    return statistics.median(times) if times else None


class RdflibStore:
    """The baseline behind the same app: the store interface answered by plain rdflib in memory
    (values bound with rdflib's own initBindings)."""

    def __init__(self, graph, version: str) -> None:
        self.graph = graph
        self.version = version

    def query(self, sparql, bindings=None, *, max_rows=None, default_graphs=None, named_graphs=None,
              union_default=True, base_iri=None):
        from rdflib import Graph

        from mgi_graph.results import QueryResult

        answer = self.graph.query(sparql, initBindings=dict(bindings or {}))
        if answer.type == "ASK":
            return QueryResult("ASK", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            return QueryResult("SELECT", variables=[str(v) for v in answer.vars], rows=[tuple(row) for row in answer])
        graph = Graph()
        for triple in answer:
            graph.add(triple)
        return QueryResult("CONSTRUCT", graph=graph)

    def count(self) -> int:
        return len(self.graph)

    def graph_names(self) -> list[str]:
        return []

    def to_rdflib(self):
        return self.graph


def rdflib_http_time(graph, settings: Settings, path: str, limit: float, runs: int = 3) -> float | None:
    """Median seconds of `runs` requests (more for a fast query) for `path` to the same app served
    on the rdflib store, from a forked child (it shares the parsed graph) that is killed once `limit` seconds
    have passed (the requests answered by then count; None: not even one was)."""
    import multiprocessing

    from mgi_graph.web import create_app

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def work() -> None:
        app = create_app({"MGI_SETTINGS": settings, "MGI_STORE": RdflibStore(graph, "baseline"), "MGI_GUARD": False})
        _, port = serve(app)
        child.send(port)
        time.sleep(limit + 60)

    process = context.Process(target=work, daemon=True)
    process.start()
    deadline = time.monotonic() + limit
    times: list[float] = []
    try:
        if not parent.poll(60):
            return None
        port = parent.recv()
        deadline = time.monotonic() + limit
        began = time.perf_counter()
        while len(times) < MAX_BASELINE_RUNS and (len(times) < runs or time.perf_counter() - began < SAMPLE_SECONDS):
            started = time.perf_counter()
            try:
                http_get(port, path, timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            times.append(time.perf_counter() - started)
            if time.monotonic() >= deadline:
                break
    finally:
        process.kill()
        process.join()
    return statistics.median(times) if times else None


def bench_size(size: int, runs: int, baseline_max: int, validate_too: bool, baseline_limit: float):
    """Yields the lines of the table as they are measured."""
    from mgi_graph.bounded import serving_store
    from mgi_graph.web import create_app

    lines = _Printer()
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_root(size, Path(tmp) / "root")
        build, _, store = timed(lambda: build_store(settings), 3)
        triples = store.count()
        disk = settings.with_changes(store=str(Path(tmp) / "index"))
        rebuild, _, _ = timed(lambda: open_store(disk, rebuild=True).inner._store.flush(), 1)
        reopen, _, _ = timed(lambda: open_store(disk).count() and None, 3)  # dropped: releases the lock
        on_disk = open_store(disk).inner  # the bare store: no cache
        lines.append(f"## {size} synthetic profiles + Guatemala: {triples} triples")
        lines.append(f"start-up: in-memory build {build:.2f} s; on-disk full rebuild {rebuild:.2f} s; "
                     f"on-disk reopen {reopen:.3f} s")
        queries = [q for q in load_catalogue(settings).values()
                   if not any(p.required and not p.default for p in q.parameters)]
        # The engines first, alone in this process: no server thread finishing a response meanwhile.
        engine: dict[str, tuple[float, float]] = {}
        for query in queries:
            bindings = bind(query, {})
            e50, _, _ = timed(lambda q=query, b=bindings: store.query(first_page(q), b), runs, SAMPLE_SECONDS)
            d50, _, _ = timed(lambda q=query, b=bindings, s=on_disk: s.query(first_page(q), b), runs, SAMPLE_SECONDS)
            engine[query.name] = (e50, d50)
        # The app as `mgi-graph serve` runs it: queries in the bounded worker pool; the cache off here.
        # The guard (guard.py) would stop this process, the client too, from connecting: off in the bench.
        uncached = settings.with_changes(cache_entries=0)
        app = create_app({"MGI_SETTINGS": uncached, "MGI_STORE": serving_store(uncached), "MGI_GUARD": False})
        cached_app = create_app({"MGI_SETTINGS": settings, "MGI_STORE": open_store(settings), "MGI_GUARD": False})
        server, port = serve(app)
        cached_server, cached_port = serve(cached_app)
        # Ours before the baseline is parsed into this process: millions of rdflib objects slow
        # every garbage collection here, and forking for the baseline leaves pages copy-on-write.
        measured: list[tuple] = []
        paths = []
        for query in queries:
            fmt = "json" if query.kind in ("SELECT", "ASK") else "ttl"
            path = f"/queries/{query.name}.{fmt}"
            paths.append(path)
            bindings = bind(query, {})
            try:
                http_get(port, path)  # warm up
            except HttpError as exc:  # e.g. 413: the whole-graph listing passes the row cap at this size
                measured.append((query, path, bindings, exc.status))
                continue
            h50, h95, _ = timed(lambda path=path: http_get(port, path), runs, SAMPLE_SECONDS)
            http_get(cached_port, path)
            c50, _, _ = timed(lambda path=path: http_get(cached_port, path), runs, SAMPLE_SECONDS)
            e50, d50 = engine[query.name]
            measured.append((query, path, bindings, (h50, h95, e50, c50, d50)))
        time.sleep(0.5)  # the servers' threads finish their last responses before the sockets close
        server.close()
        cached_server.close()
        del app, cached_app, on_disk  # dropping the on-disk store releases its lock
        baseline = None
        if size <= baseline_max:
            import rdflib

            # The graph the queries see: the set union of the named graphs with the inferred types.
            nt = store.dump(__import__("pyoxigraph").RdfFormat.N_TRIPLES, derived=True)
            rd_load, _, baseline = timed(lambda: rdflib.Graph().parse(data=nt, format="nt"), 1)
            del nt
            lines.append(f"baseline: rdflib parses the same graph (N-Triples) in {rd_load:.2f} s "
                         f"({rd_load / build:.0f}x the embedded build)")
        lines.append("| query | HTTP p50 ms | HTTP p95 ms | engine p50 ms | HTTP/engine | cached p50 ms "
                     "| rdflib p50 ms | rdflib/engine | rdflib HTTP p50 ms | rdflib HTTP/HTTP "
                     "| on-disk engine p50 ms |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for query, path, bindings, figures in measured:
            if isinstance(figures, int):
                lines.append(f"| {query.name} | HTTP {figures} | | | | | | | | | |")
                continue
            h50, h95, e50, c50, d50 = figures
            rd = rd_http = engine_ratio = http_ratio = ""
            if baseline is not None:
                r50 = rdflib_time(baseline, query, bindings, baseline_limit)
                rh50 = rdflib_http_time(baseline, uncached, path, baseline_limit)
                rd, engine_ratio = _against(r50, e50, baseline_limit)
                rd_http, http_ratio = _against(rh50, h50, baseline_limit)
            lines.append(f"| {query.name} | {h50 * 1000:.1f} | {h95 * 1000:.1f} | {e50 * 1000:.1f} | "
                         f"{h50 / max(e50, 1e-9):.1f} | {c50 * 1000:.1f} | {rd} | {engine_ratio} | {rd_http} | "
                         f"{http_ratio} | {d50 * 1000:.1f} |")
        del baseline
        for where, folder, workers in (("in memory, as it chooses", None, None), ("in memory, --workers 2", None, 2),
                                       ("on-disk index, as it chooses", str(Path(tmp) / "index"), None)):
            ready, peak, pool = served_peak_memory(settings.root, folder, paths, workers)
            lines.append(f"mgi-graph serve ({where}: {pool}): ready in {ready:.1f} s; peak memory of the server "
                         f"and its query workers while answering every query once: {peak:.0f} MB")
        if validate_too:
            from mgi_graph.validate import validate

            one = next((settings.data_dir / "profiles").glob("syn-*/profile.nt"))
            v1, _, _ = timed(lambda: validate([one], settings=settings), 3)
            vall, _, _ = timed(lambda: validate(settings=settings), 1)
            lines.append(f"validation: one profile {v1:.2f} s; whole graph {vall:.2f} s")


def _against(baseline: float | None, ours: float, limit: float) -> tuple[str, str]:
    """(the baseline's ms, its ratio to ours); "> limit" when the baseline did not finish."""
    if baseline is None:
        return f"> {limit * 1000:.0f}", f"> {limit / max(ours, 1e-6):.0f}x"
    return f"{baseline * 1000:.1f}", f"{baseline / max(ours, 1e-6):.0f}x"


class _Printer:
    """Prints each line as soon as it is measured (a long run shows its progress)."""

    def append(self, line: str) -> None:
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline-max", type=int, default=10, help="largest size to run rdflib on")
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--baseline-limit", type=float, default=60.0,
                        help="seconds an rdflib query may run before it is stopped and reported as '> limit'")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size, args.runs, args.baseline_max, args.validate, args.baseline_limit)
        print(f"peak memory so far (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB\n",
              flush=True)


if __name__ == "__main__":
    main()
