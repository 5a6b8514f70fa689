"""Measure the extractor against a hand-encoded profile: precision and recall per category.

    python scripts/eval_extraction.py [REPORT.txt] [--profile data/profiles/gtm-2022] [--country gtm --year 2022]
                                      [--verbose]

With --verbose, lists the extracted institutions and instruments that match no hand-encoded
one (false positives) and the hand-encoded ones no extracted node matches (misses).

Institutions and instruments match by normalised label, acronym, identifier or IRI; findings
by section + paragraph order + outcome; sources by URL.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import RDF, RDFS, SKOS

from mgi_graph.extract import extract
from mgi_graph.extract.names import normal

MGI = Namespace("https://w3id.org/mgi-graph/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ROOT = Path(__file__).resolve().parents[1]


def keys(graph: Graph, node) -> set[str]:
    found = {str(node)}
    for prop in (SKOS.prefLabel, SKOS.altLabel, MGI.acronym, ELI.id_local, RDFS.label):
        found |= {normal(str(o)) for o in graph.objects(node, prop)}
    return found - {""}


def of_kind(graph: Graph, kind: str) -> list:
    nodes = {s for s in graph.subjects(RDF.type, None) if f"/id/{kind}/" in str(s)}
    if kind == "org":
        nodes = {s for s in nodes if "/membership/" not in str(s)}
    return sorted(nodes, key=str)


def match_entities(draft: Graph, gold: Graph, kind: str) -> tuple[int, int, tuple[int, int]]:
    predicted = [keys(draft, n) for n in of_kind(draft, kind)]
    expected = [keys(gold, n) for n in of_kind(gold, kind)]
    hit_p = sum(1 for p in predicted if any(p & e for e in expected))
    hit_e = sum(1 for e in expected if any(p & e for p in predicted))
    return len(predicted), len(expected), (hit_p, hit_e)


def unmatched(graph: Graph, other: Graph, kind: str) -> list[str]:
    """The nodes of `kind` in graph that match none in other, as 'IRI | labels'."""
    others = [keys(other, n) for n in of_kind(other, kind)]
    lines = []
    for node in of_kind(graph, kind):
        if not any(keys(graph, node) & o for o in others):
            labels = "; ".join(sorted(str(o) for o in graph.objects(node, SKOS.prefLabel)))
            lines.append(f"  {str(node).split('/id/', 1)[-1]} | {labels}")
    return lines


def details(draft: Graph, gold: Graph) -> None:
    for name, kind in (("institutions", "org"), ("instruments", "instrument")):
        for title, found in (("false positives", unmatched(draft, gold, kind)),
                             ("misses", unmatched(gold, draft, kind))):
            print(f"\n{name}: {title} ({len(found)})")
            print("\n".join(found))


def findings(graph: Graph) -> set[tuple[str, str]]:
    return {(str(f).rsplit("/", 1)[-1], str(graph.value(f, MGI.outcome)).rsplit("/", 1)[-1])
            for f in graph.subjects(RDF.type, MGI.Finding)}


def sources(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, MGI.WebSource)}


def row(name: str, n_pred: int, n_gold: int, hits: tuple[int, int]) -> str:
    precision = hits[0] / n_pred if n_pred else 0.0
    recall = hits[1] / n_gold if n_gold else 0.0
    return f"{name:13s} {precision:9.2f} {recall:7.2f} {n_pred:9d} {n_gold:6d} {hits[0]:7d} {hits[1]:7d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(ROOT.parent / "shared/source/mgi-guatemala-2022.txt"))
    parser.add_argument("--profile", default=str(ROOT / "data/profiles/gtm-2022"))
    parser.add_argument("--country", default="gtm")
    parser.add_argument("--year", default="2022")
    parser.add_argument("--verbose", action="store_true", help="list false positives and misses")
    args = parser.parse_args()
    draft = extract(Path(args.report).read_text(encoding="utf-8"), args.country, args.year)
    gold = Graph()
    for path in sorted(Path(args.profile).glob("*.ttl")):
        gold.parse(path, format="turtle")
    print(f"{'category':13s} {'precision':>9s} {'recall':>7s} {'extracted':>9s} {'hand':>6s} {'ok-ext':>7s} "
          f"{'ok-hand':>7s}")
    for name, kind in (("institutions", "org"), ("instruments", "instrument")):
        print(row(name, *match_entities(draft, gold, kind)))
    for name, pred, hand in (("findings", findings(draft), findings(gold)), ("sources", sources(draft), sources(gold))):
        both = len(pred & hand)
        print(row(name, len(pred), len(hand), (both, both)))
    if args.verbose:
        details(draft, gold)


if __name__ == "__main__":
    main()
