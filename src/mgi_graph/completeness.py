"""The completeness score: per MiGOF dimension and overall, from the completeness shapes' results.

For each assessment with report sections, every completeness shape that applies to it is one
check, met when the shape reports nothing for that assessment. A shape applies according
to its mgsh:applicability (shapes/completeness.ttl):
  always         - the 12 finding checks (a well-developed and a potential-development
                   finding in each dimension);
  follow-up      - the 6 update checks, when the assessment has mgi:previousAssessment;
  reports-updates - the follow-up link, when the assessment's sections state an mgi:Update;
  covid-annex    - the COVID-19 annex check, when the assessment has a section with
                   skos:notation "covid-19".
score(Dn) = checks of dimension n met / checks of dimension n that apply;
overall   = all checks met / all checks that apply (dimension and assessment-wide checks).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from .core_constraints import DataIndex
from .validate_report import AssessmentCompleteness, DimensionScore, ValidationResult

MGI = Namespace("https://w3id.org/mgi-graph/ontology#")
MGSH = Namespace("https://w3id.org/mgi-graph/shapes#")


def completeness_scores(data: Graph | DataIndex, shapes: Graph, results: Iterable[ValidationResult],
                        labels: dict[Node, str]) -> tuple[AssessmentCompleteness, ...]:
    """data: the data graph, as rdflib or as the fast engine's DataIndex (the same reads)."""
    checks = [s for s in shapes.subjects(MGSH.applicability, None)]
    failed = {(r.focus_node, r.shape) for r in results}
    updates = _instances(data, MGI.Update)
    scored = []
    for assessment in sorted(set(data.objects(None, MGI.sectionOf)), key=str):
        applies = _applicability(data, assessment, updates)
        per_dimension: dict[Node, list[tuple[bool, str]]] = {}
        general: list[tuple[bool, str]] = []
        for shape in checks:
            if not applies[str(shapes.value(shape, MGSH.applicability))]:
                continue
            outcome = ((assessment, shape) not in failed, str(shapes.value(shape, MGSH.gap)))
            dimension = shapes.value(shape, MGSH.dimension)
            (per_dimension.setdefault(dimension, []) if dimension is not None else general).append(outcome)
        dimensions = tuple(_dimension_score(data, d, outcomes) for d, outcomes in
                           sorted(per_dimension.items(), key=lambda item: str(item[0])))
        everything = [o for outcomes in per_dimension.values() for o in outcomes] + general
        scored.append(AssessmentCompleteness(
            assessment=str(assessment), label=labels.get(assessment), dimensions=dimensions,
            met=sum(ok for ok, _ in everything), applicable=len(everything),
            missing=tuple(gap for ok, gap in general if not ok)))
    return tuple(scored)


def _applicability(data: Graph | DataIndex, assessment: Node, updates: set) -> dict[str, bool]:
    sections = set(data.subjects(MGI.sectionOf, assessment))
    stated = {s for section in sections for s in data.subjects(MGI.statedIn, section)}
    return {
        "always": True,
        "follow-up": (assessment, MGI.previousAssessment, None) in data,
        "reports-updates": bool(stated & updates),
        "covid-annex": any((s, SKOS.notation, Literal("covid-19")) in data for s in sections),
    }


def _instances(data: Graph | DataIndex, cls: URIRef) -> set:
    classes, todo = {cls}, [cls]
    while todo:
        for sub in data.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in classes:
                classes.add(sub)
                todo.append(sub)
    return {s for c in classes for s in data.subjects(RDF.type, c)}


def _dimension_score(data: Graph | DataIndex, dimension: Node, outcomes: list[tuple[bool, str]]) -> DimensionScore:
    notation = data.value(dimension, SKOS.notation)
    label = data.value(dimension, SKOS.altLabel) or data.value(dimension, SKOS.prefLabel)
    return DimensionScore(
        dimension=f"D{notation}" if notation is not None else str(dimension), iri=str(dimension),
        label=str(label) if label is not None else str(dimension),
        met=sum(ok for ok, _ in outcomes), applicable=len(outcomes),
        missing=tuple(gap for ok, gap in outcomes if not ok))


__all__ = ["completeness_scores"]
