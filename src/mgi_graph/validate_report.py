"""The validation report: typed values, and their text, JSON and Turtle forms.

The JSON form is a stable schema (docs/validation.md); the Turtle form is the standard
sh:ValidationReport. The text form is for a person: results grouped by focus node.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

SEVERITIES = ("Violation", "Warning", "Info")
JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ValidationResult:
    focus_node: Node
    label: str | None  # the focus node's name, for people
    path: Node | None
    value: Node | None
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    shape: Node  # the shape whose rule failed (sh:sourceShape)
    shape_name: str | None
    shapes_file: str | None  # "core", "recommended" or "completeness"
    component: Node | None = None  # sh:sourceConstraintComponent

    def key(self) -> tuple:
        """What identifies a result when two engines' reports are compared."""
        return (_term(self.focus_node), _term(self.path), _term(self.value), self.severity, _term(self.shape))

    def identity(self) -> tuple:
        """What makes a result distinct for a reader: the constraint component is not shown."""
        return (_term(self.focus_node), _term(self.path), _term(self.value), _term(self.shape), self.message)


def distinct_results(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """One result per identity(). A shape whose constraints fail together on one value, under the shape's
    one sh:message (DimensionScheme's sh:nodeKind and sh:node on a literal), would otherwise say the same
    thing twice, differing only in sh:sourceConstraintComponent. The first component by IRI is kept,
    so both engines keep the same one."""
    kept: dict[tuple, ValidationResult] = {}
    for result in sorted(results, key=lambda r: _term(r.component) or ""):
        kept.setdefault(result.identity(), result)
    return list(kept.values())


@dataclass(frozen=True)
class DimensionScore:
    dimension: str  # "D1" ... "D6"
    iri: str
    label: str
    met: int
    applicable: int
    missing: tuple[str, ...]

    @property
    def score(self) -> float:
        return self.met / self.applicable if self.applicable else 1.0


@dataclass(frozen=True)
class AssessmentCompleteness:
    assessment: str
    label: str | None
    dimensions: tuple[DimensionScore, ...]
    met: int  # over the dimensions and the assessment-wide checks
    applicable: int
    missing: tuple[str, ...]  # assessment-wide gaps (follow-up link, COVID-19 annex)

    @property
    def overall(self) -> float:
        return self.met / self.applicable if self.applicable else 1.0

    def gaps(self) -> list[str]:
        return [f"{d.dimension}: {m}" for d in self.dimensions for m in d.missing] + list(self.missing)


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    strict: bool
    results: tuple[ValidationResult, ...]
    completeness: tuple[AssessmentCompleteness, ...] = ()
    notices: tuple[str, ...] = field(default=())  # what was ignored in the input, and why

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.severity == s) for s in SEVERITIES}

    # -- JSON ----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "conforms": self.conforms,
            "strict": self.strict,
            "counts": self.counts,
            "results": [{
                "focus_node": _term(r.focus_node), "label": r.label, "path": _term(r.path),
                "value": _term(r.value), "severity": r.severity, "message": r.message,
                "shape": _term(r.shape), "shape_name": r.shape_name, "shapes_file": r.shapes_file,
            } for r in self.results],
            "completeness": [{
                "assessment": c.assessment, "label": c.label, "overall": round(c.overall, 4),
                "met": c.met, "applicable": c.applicable, "missing": list(c.missing),
                "dimensions": [{"dimension": d.dimension, "iri": d.iri, "label": d.label,
                                "score": round(d.score, 4), "met": d.met, "applicable": d.applicable,
                                "missing": list(d.missing)} for d in c.dimensions],
            } for c in self.completeness],
            "notices": list(self.notices),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    # -- Turtle: the standard SHACL validation report ----------------------------------
    def to_graph(self) -> Graph:
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms, datatype=XSD.boolean)))
        for r in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, r.focus_node))
            graph.add((node, SH.resultSeverity, SH[r.severity]))
            graph.add((node, SH.resultMessage, Literal(r.message)))
            graph.add((node, SH.sourceShape, r.shape))
            if isinstance(r.path, URIRef):  # complex paths are named by the shape itself
                graph.add((node, SH.resultPath, r.path))
            if r.value is not None:
                graph.add((node, SH.value, r.value))
            if r.component is not None:
                graph.add((node, SH.sourceConstraintComponent, r.component))
        return graph

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")

    # -- text ------------------------------------------------------------------------------
    def to_text(self, shorten=str) -> str:
        lines: list[str] = []
        groups = [list(g) for _, g in groupby(self.results, key=lambda r: r.focus_node)]
        groups.sort(key=lambda items: min(SEVERITIES.index(r.severity) for r in items))  # violations first
        for items in groups:
            focus = items[0].focus_node
            label = items[0].label
            lines.append(f"{shorten(_term(focus))}" + (f"  ({label})" if label else ""))
            for r in items:
                lines.append(f"  {r.severity.upper():9s} {r.message}")
                details = [f"shape {shorten(_term(r.shape))}"]
                if isinstance(r.path, URIRef):
                    details.append(f"path {shorten(str(r.path))}")
                if r.value is not None and r.value != r.focus_node:
                    details.append(f"value {shorten(_term(r.value))}")
                lines.append(f"            ({'; '.join(details)})")
        lines += _completeness_text(self.completeness, shorten)
        lines += [f"note: {n}" for n in self.notices]
        counts = self.counts
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"{counts['Violation']} violations, {counts['Warning']} warnings, {counts['Info']} infos: "
                     f"{verdict}{' (strict: warnings fail)' if self.strict else ''}")
        return "\n".join(lines) + "\n"


def _completeness_text(completeness: Iterable[AssessmentCompleteness], shorten) -> list[str]:
    lines = []
    for c in completeness:
        lines.append(f"completeness of {shorten(c.assessment)}: {c.overall:.0%} "
                     f"({c.met} of {c.applicable} checks met)")
        lines.append("  " + "  ".join(f"{d.dimension} {d.score:.0%}" for d in c.dimensions))
        lines += [f"  {gap}" for gap in c.gaps()]
    return lines


def _term(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
