"""Load test: drive the running app on loopback with many threads for a bounded time.

    .venv/bin/python bench/load.py                      # starts waitress itself, 30 s, 32 threads
    .venv/bin/python bench/load.py --duration 5 --concurrency 8
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000   # an app already running

The mix: saved queries (JSON and HTML), entity pages, /sparql queries in several formats, the
home page. Prints latency percentiles, throughput, errors (any status >= 400 or failed request)
and the server's resident memory (with its query workers) after a warm-up and at the end.
Exits 1 when there was any error or the memory grew by more than --max-growth.
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SERVER = """
import sys, waitress
from mgi_graph.settings import Settings
from mgi_graph.web import create_app
settings = Settings(root=__import__("pathlib").Path(sys.argv[1]),
                    query_workers=int(sys.argv[4]) if sys.argv[4:] else None)
app = create_app({"MGI_SETTINGS": settings})
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=int(sys.argv[3]), ident="mgi-graph",
               _quiet=True)
"""
SPARQL = [
    ("SELECT ?s ?label WHERE { ?s a <http://www.w3.org/ns/org#FormalOrganization> ; "
     "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?s LIMIT 50",
     "application/sparql-results+json"),
    ("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)", "text/csv"),
    ("ASK { ?s ?p ?o }", "application/sparql-results+xml"),
    ("CONSTRUCT WHERE { <https://w3id.org/mgi-graph/id/org/gtm/igm> ?p ?o }", "text/turtle"),
]


def plan(base: str) -> list[tuple[str, dict, dict]]:
    """(path, params, headers) for every kind of request in the mix."""
    entities = _entity_paths(base)
    requests_ = [("/", {}, {"Accept": "text/html"})]
    requests_ += [("/sparql", {"query": q}, {"Accept": accept}) for q, accept in SPARQL]
    requests_ += [(f"/queries/{name}", {}, {"Accept": accept})
                  for name in ("assessments", "institutions-ranked", "instrument-types")
                  for accept in ("application/json", "text/html")]
    requests_ += [(path, {}, {"Accept": "text/html"}) for path in entities[:10]]
    requests_ += [(path, {}, {"Accept": "text/turtle"}) for path in entities[10:15]]
    return requests_


def _entity_paths(base: str) -> list[str]:
    query = ("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"https://w3id.org/mgi-graph/id/\") "
             "&& !CONTAINS(STR(?s), \"/graph/\")) } ORDER BY ?s LIMIT 15")
    answer = requests.get(base + "/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    answer.raise_for_status()
    iris = [b["s"]["value"] for b in answer.json()["results"]["bindings"]]
    return ["/id/" + iri.removeprefix("https://w3id.org/mgi-graph/id/") for iri in iris]


def drive(base: str, mix: list, duration: float, concurrency: int, max_requests: int) -> tuple[list[float], list]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + duration

    def worker(offset: int) -> None:
        session = requests.Session()
        for i in itertools.count(offset):
            if time.monotonic() > deadline or next(counter) >= max_requests:
                return
            path, params, headers = mix[i % len(mix)]
            started = time.perf_counter()
            try:
                response = session.get(base + path, params=params, headers=headers, timeout=30)
                failure = None
                if response.status_code >= 400:
                    failure = f"{response.status_code} {path}: {response.text[:120]!r}"
            except requests.RequestException as exc:
                failure = f"{type(exc).__name__} {path}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if failure:
                    errors.append(failure)

    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (the query workers), in KiB."""
    total = 0
    for proc in [pid, *_descendants(pid)]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def start_server(root: Path, threads: int, workers: int | None = None) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port), str(threads),
                                *([str(workers)] if workers else [])])
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/sparql", timeout=1).status_code < 500:
                return process, base
        except requests.RequestException:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app already running (default: start one on loopback)")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder for the started server")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load after the warm-up")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before memory is measured")
    parser.add_argument("--concurrency", type=int, default=32, help="client threads")
    parser.add_argument("--server-threads", type=int, default=8, help="waitress threads of the started server")
    parser.add_argument("--workers", type=int, default=None,
                        help="query workers of the started server (default: as mgi-graph serve chooses)")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many requests")
    parser.add_argument("--max-growth", type=float, default=0.5, help="allowed RSS growth after warm-up (0.5 = 50%%)")
    args = parser.parse_args(argv)

    process = None
    base = args.url
    if not base:
        process, base = start_server(args.root, args.server_threads, args.workers)
    try:
        mix = plan(base)
        drive(base, mix, args.warmup, args.concurrency, args.max_requests)
        before = rss_kib(process.pid) if process else 0
        latencies, errors = drive(base, mix, args.duration, args.concurrency, args.max_requests)
        after = rss_kib(process.pid) if process else 0
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    return report(latencies, errors, before, after, args)


def report(latencies: list[float], errors: list[str], before: int, after: int, args) -> int:
    ms = [x * 1000 for x in latencies]
    print(f"requests: {len(ms)} in {args.duration:g} s ({len(ms) / args.duration:.0f}/s), "
          f"concurrency {args.concurrency}, errors: {len(errors)}")
    if ms:
        print(f"latency ms: p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
              f"p99 {percentile(ms, 99):.1f}  max {max(ms):.1f}")
    for failure, count in sorted({e: errors.count(e) for e in errors}.items())[:10]:
        print(f"  {count} x {failure}")
    grew = bool(before) and after > before * (1 + args.max_growth)
    if before:
        print(f"server RSS (with workers): {before / 1024:.0f} MiB after warm-up, {after / 1024:.0f} MiB at the end"
              + ("  -- GREW TOO MUCH" if grew else ""))
    return 1 if errors or grew or not ms else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
