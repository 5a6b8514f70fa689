"""Ours against rdflib, each query timed side by side in one process (not in the test suite).

    .venv/bin/python bench/side_by_side.py --profiles 150 [--rounds 2] [query ...]
    .venv/bin/python bench/side_by_side.py --root DIR [query ...]

bench/bench.py times every engine first and rdflib minutes later, so a machine that speeds up
or slows down between the two moves the ratio. Here each rdflib run (median of 3) sits between
two timings of ours (median of as many runs as fit in half a second) on the same graph in the
same process, and the ratio is rdflib over the mean of the two. The rdflib graph is moved out
of the garbage collector's reach (gc.freeze) once parsed, so its millions of objects do not
slow the collections that timing ours triggers. Queries run with their default parameters, on
their first page; with no names given, every saved query that needs no argument.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import SAMPLE_SECONDS, first_page, make_root, timed  # noqa: E402

from mgi_graph.queries import bind, load_catalogue  # noqa: E402
from mgi_graph.settings import Settings  # noqa: E402
from mgi_graph.store import build_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--profiles", type=int, help="synthesize this many profiles (seed 1) plus Guatemala")
    where.add_argument("--root", type=Path, help="a project folder to read instead")
    parser.add_argument("--rounds", type=int, default=2, help="times each query is timed side by side")
    parser.add_argument("queries", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(root=args.root) if args.root else make_root(args.profiles, Path(tmp) / "root")
        compare(settings, args.queries, args.rounds)


def compare(settings: Settings, names: list[str], rounds: int) -> None:
    import pyoxigraph as ox
    import rdflib

    store = build_store(settings)
    catalogue = load_catalogue(settings)
    queries = [catalogue[name] for name in names] if names else [
        q for q in catalogue.values() if not any(p.required and not p.default for p in q.parameters)]
    started = time.perf_counter()
    # The graph the queries see: the set union of the named graphs with the inferred types.
    graph = rdflib.Graph().parse(data=store.dump(ox.RdfFormat.N_TRIPLES, derived=True), format="nt")
    print(f"{store.count()} triples; rdflib parsed them in {time.perf_counter() - started:.1f} s", flush=True)
    gc.collect()
    gc.freeze()
    print("| query | round | ours before ms | rdflib ms | ours after ms | rdflib / ours |")
    print("|---|---|---|---|---|---|")
    for query in queries:
        for number in range(1, rounds + 1):
            before, theirs, after = side_by_side(store, graph, first_page(query), bind(query, {}))
            print(f"| {query.name} | {number} | {before * 1000:.2f} | {theirs * 1000:.1f} | {after * 1000:.2f} | "
                  f"{theirs / ((before + after) / 2):.0f}x |", flush=True)


def side_by_side(store, graph, text: str, bindings: dict) -> tuple[float, float, float]:
    """Seconds: ours, then rdflib, then ours again."""
    def ours() -> object:
        return store.query(text, bindings)

    before = timed(ours, 5, SAMPLE_SECONDS)[0]
    theirs = timed(lambda: list(graph.query(text, initBindings=bindings)), 3)[0]
    return before, theirs, timed(ours, 5, SAMPLE_SECONDS)[0]

if __name__ == "__main__":
    main()
