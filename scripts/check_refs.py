"""Parse ontology/ and data/ and list IRIs under the id/ base that are used but never typed.

A reviewer's aid while encoding: run it after every edit.
    .venv/bin/python scripts/check_refs.py
"""
import sys
from pathlib import Path

from rdflib import RDF, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/mgi-graph/id/"


def main() -> int:
    graph = Graph()
    for path in sorted(ROOT.glob("ontology/*.ttl")) + sorted(ROOT.glob("data/**/*.ttl")):
        try:
            graph.parse(path)
        except Exception as exc:  # report every broken file, keep going
            print(f"PARSE ERROR {path.relative_to(ROOT)}: {exc}")
    typed = set(graph.subjects(RDF.type, None))
    missing: dict[URIRef, set] = {}
    for s, _p, o in graph:
        for node in (s, o):
            if isinstance(node, URIRef) and str(node).startswith(BASE) and node not in typed:
                missing.setdefault(node, set()).add(str(s))
    for node in sorted(missing):
        example = sorted(missing[node])[0][len(BASE):]
        print(f"UNTYPED {node[len(BASE):]}  (used by {len(missing[node])}: e.g. {example})")
    print(f"{len(graph)} triples, {len(missing)} untyped IRIs")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
