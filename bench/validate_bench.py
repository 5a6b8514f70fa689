"""Time validating the Guatemala profile: the options mgi-graph uses vs pySHACL's defaults.

    .venv/bin/python bench/validate_bench.py [--runs N]

Prints the median of N runs of each, measured in the same run on the same data (the
profile files with the ontology and reference data), and checks that the reports agree
(same focus node, path, value, severity and shape for every result).
"""

from __future__ import annotations

import argparse
import statistics
import time

from mgi_graph.settings import Settings
from mgi_graph.sources import source_files
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
    args = parser.parse_args()
    settings = Settings()
    profile = sorted((settings.data_dir / "profiles" / "gtm-2022").glob("*.ttl"))
    quads = load_sources(source_files(settings))
    shapes = load_shapes(settings.shapes_dir)
    validate(profile, settings=settings)  # warm the caches (shapes, ontology and reference data)

    cases = [
        ("mgi-graph: validate(files), parse included", lambda: validate(profile, settings=settings)),
        ("mgi-graph engine (pySHACL core in place + SPARQL once on Oxigraph)",
         lambda: validate_quads(quads, shapes)),
        ("pySHACL defaults, all shapes (sh:sparql per focus node)",
         lambda: validate_quads(quads, shapes, engine="pyshacl")),
    ]
    rows = [(name, *median_time(args.runs, work)) for name, work in cases]
    print(f"Guatemala 2022 profile: {len(profile)} files, {len(quads)} triples with ontology and reference data; "
          f"median of {args.runs} runs")
    print()
    print(f"| {'what':70s} | {'median s':>8s} | {'results':>7s} |")
    print(f"|{'-' * 72}|{'-' * 9}:|{'-' * 8}:|")
    for name, seconds, report in rows:
        print(f"| {name:70s} | {seconds:8.3f} | {len(report.results):7d} |")
    fast, reference = {r.key() for r in rows[1][2].results}, {r.key() for r in rows[2][2].results}
    print()
    print(f"reports agree: {fast == reference} ({len(fast)} results; only in mgi-graph: {len(fast - reference)}, "
          f"only in pySHACL: {len(reference - fast)})")


if __name__ == "__main__":
    main()
