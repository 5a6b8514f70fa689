"""Time validating one profile: mgi-graph's engine vs pySHACL's defaults, and check they agree.

    .venv/bin/python bench/validate_bench.py [--runs N] [--root DIR] [--profile NAME] [--whole]

--root is a project folder (default: this one), e.g. one with 150 synthetic profiles to see
that validating one profile does not grow with the others; --profile is the folder under
data/profiles to validate (default gtm-2022; "syn" takes the first syn-* folder). Prints the
first call in this process (it parses the shapes, the ontology and the reference data once)
and the median of N runs of each way, measured in the same run on the same data (the
profile's files with the ontology and reference data), and checks that the reports agree
(same focus node, path, value, severity and shape for every result). --whole also times
validating the whole graph of --root once.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from mgi_graph.settings import Settings
from mgi_graph.sources import FORMATS, graph_iri, source_files
from mgi_graph.store import load_sources
from mgi_graph.validate import load_shapes, validate, validate_quads


def median_time(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: this one)")
    parser.add_argument("--profile", default="gtm-2022", help='folder under data/profiles; "syn": the first syn-*')
    parser.add_argument("--whole", action="store_true", help="also time validating the whole graph once")
    args = parser.parse_args()
    settings = Settings(root=args.root) if args.root else Settings()
    profiles = settings.data_dir / "profiles"
    folder = min(profiles.glob("syn-*")) if args.profile == "syn" else profiles / args.profile
    profile = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in FORMATS)
    keep = {graph_iri(settings, "ontology"), graph_iri(settings, "reference"),
            graph_iri(settings, "profile", folder.name)}
    quads = load_sources([f for f in source_files(settings) if f.graph in keep])

    start = time.perf_counter()
    validate(profile, settings=settings)  # the caches: shapes, ontology and reference data
    first = time.perf_counter() - start
    shapes = load_shapes(settings.shapes_dir)
    cases = [
        ("mgi-graph: validate(files), parse included", lambda: validate(profile, settings=settings)),
        ("mgi-graph engine (set-based SHACL Core + SPARQL once, on Oxigraph)", lambda: validate_quads(quads, shapes)),
        ("pySHACL defaults, all shapes (sh:sparql per focus node)",
         lambda: validate_quads(quads, shapes, engine="pyshacl")),
    ]
    rows = [(name, *median_time(args.runs, work)) for name, work in cases]
    print(f"{folder.name} ({settings.root}, {sum(1 for p in profiles.iterdir() if p.is_dir())} profiles): "
          f"{len(profile)} files, {len(quads)} triples with ontology and reference data; median of {args.runs} runs")
    print()
    print(f"| {'what':70s} | {'median s':>8s} | {'results':>7s} |")
    print(f"|{'-' * 72}|{'-' * 9}:|{'-' * 8}:|")
    print(f"| {'mgi-graph: validate(files), first call in this process':70s} | {first:8.3f} | {'':7s} |")
    for name, seconds, report in rows:
        print(f"| {name:70s} | {seconds:8.3f} | {len(report.results):7d} |")
    fast, reference = {r.key() for r in rows[1][2].results}, {r.key() for r in rows[2][2].results}
    print()
    print(f"reports agree: {fast == reference} ({len(fast)} results; only in mgi-graph: {len(fast - reference)}, "
          f"only in pySHACL: {len(reference - fast)})")
    if args.whole:
        start = time.perf_counter()
        report = validate(settings=settings)
        print(f"whole graph, validate(): {time.perf_counter() - start:.1f} s, {len(report.results)} results")


if __name__ == "__main__":
    main()
