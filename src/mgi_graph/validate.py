"""SHACL validation of MGI profiles with our shapes only; the report model and completeness score.

`validate(files)` checks the given profile files together with the ontology and the
reference data; `validate()` checks the whole built graph. Shapes come from shapes/*.ttl
and nowhere else. Engine "fast" (the default) gives SHACL Core to pySHACL (no inference,
the data graph used in place) and runs the SHACL-SPARQL constraints once each on Oxigraph
(sparql_constraints.py); engine "pyshacl" gives everything to pySHACL, the reference the
fast engine is compared against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import Node

from .completeness import MGI, completeness_scores
from .settings import Settings
from .sources import graph_iri, source_files
from .sparql_constraints import run_sparql_constraints, sparql_constraints
from .store import load_sources
from .terms import to_rdflib
from .validate_input import InputFile, read_inputs
from .validate_report import ValidationReport, ValidationResult

SHAPES_FILES = ("core", "recommended", "completeness")
Engine = TypingLiteral["fast", "pyshacl"]


@dataclass(frozen=True)
class Shapes:
    graph: Graph  # every shape, as written
    core_only: Graph  # the same without sh:sparql constraints (what the fast engine gives pySHACL)
    file_of: dict[Node, str]  # shape -> "core" | "recommended" | "completeness"


def validate(files: Sequence[Path | str | InputFile] | None = None, *, settings: Settings | None = None,
             input_format: str | None = None, strict: bool = False, engine: Engine = "fast") -> ValidationReport:
    """Validate profile files (with the ontology and reference data), or the whole graph.

    Raises DataFileError (file, line, parser message) when an input cannot be read or is refused.
    """
    settings = settings or Settings()
    notices: list[str] = []
    if files is None:
        quads = _sources(settings, everything=True)
    else:
        inputs = [f if isinstance(f, InputFile) else InputFile.from_path(f, input_format, settings.max_upload_bytes)
                  for f in files]
        parsed = read_inputs(inputs, settings.max_upload_bytes)
        quads = _sources(settings, everything=False) + parsed.quads
        if parsed.ignored_shape_triples:
            notices.append(f"ignored {parsed.ignored_shape_triples} triples that describe SHACL shapes: "
                           "only mgi-graph's own shapes are used")
        if parsed.ignored_imports:
            notices.append(f"ignored {parsed.ignored_imports} owl:imports: imports are never followed")
    return validate_quads(quads, load_shapes(settings.shapes_dir), strict=strict, engine=engine,
                          notices=tuple(notices))


def validate_quads(quads: Iterable[ox.Quad], shapes: Shapes, *, strict: bool = False, engine: Engine = "fast",
                   notices: tuple[str, ...] = ()) -> ValidationReport:
    """Validate already-parsed, already-trusted quads (their graph names are ignored)."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    data = _to_rdflib(store)
    import pyshacl  # imported here: it is slow to import and only validation needs it

    if engine == "pyshacl":
        report_graph = pyshacl.validate(data, shacl_graph=shapes.graph)[1]
        raw = list(_pyshacl_results(report_graph))
    else:
        report_graph = pyshacl.validate(data, shacl_graph=shapes.core_only, inference="none", inplace=True,
                                        advanced=False, meta_shacl=False)[1]
        raw = list(_pyshacl_results(report_graph))
        raw += [(r.focus, r.constraint.shape, r.path, r.value, r.constraint.severity,
                 r.constraint.message or "", SH.SPARQLConstraintComponent)
                for r in run_sparql_constraints(sparql_constraints(shapes.graph), shapes.graph, store)]
    labels = _labels(data, {r[0] for r in raw} | set(data.objects(None, MGI.sectionOf)))
    results = tuple(sorted((_result(r, shapes, labels) for r in raw), key=_order))
    conforms = not any(r.severity == "Violation" or (strict and r.severity == "Warning") for r in results)
    return ValidationReport(conforms=conforms, strict=strict, results=results,
                            completeness=completeness_scores(data, shapes.graph, results, labels), notices=notices)


def load_shapes(shapes_dir: Path) -> Shapes:
    files = tuple((name, (shapes_dir / f"{name}.ttl").stat().st_mtime_ns) for name in SHAPES_FILES)
    return _load_shapes(str(shapes_dir), files)


@lru_cache(maxsize=4)
def _load_shapes(shapes_dir: str, files: tuple[tuple[str, int], ...]) -> Shapes:
    graph = Graph()
    file_of: dict[Node, str] = {}
    for name, _ in files:
        part = Graph().parse(Path(shapes_dir) / f"{name}.ttl", format="turtle")
        for shape in set(part.subjects(SH.name, None)) | set(part.subjects(SH.severity, None)):
            file_of[shape] = name
        graph += part
    core_only = Graph()
    core_only += graph
    for triple in list(core_only.triples((None, SH.sparql, None))):
        core_only.remove(triple)
    return Shapes(graph, core_only, file_of)


def _sources(settings: Settings, *, everything: bool) -> list[ox.Quad]:
    files = source_files(settings)
    if not everything:
        keep = {graph_iri(settings, "ontology"), graph_iri(settings, "reference")}
        files = [f for f in files if f.graph in keep]
    return _parsed(tuple((f.path, f.graph, f.path.stat().st_mtime_ns) for f in files))


@lru_cache(maxsize=4)
def _parsed(files: tuple[tuple[Path, str, int], ...]) -> list[ox.Quad]:
    from .sources import SourceFile

    return load_sources([SourceFile(path, graph) for path, graph, _ in files])


def _to_rdflib(store: ox.Store) -> Graph:
    graph = Graph()
    cache: dict = {}

    def term(t):
        found = cache.get(t)
        if found is None:
            found = cache[t] = to_rdflib(t)
        return found

    for q in store:
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


def _pyshacl_results(report: Graph):
    # Only the report's own results: those nested under sh:detail explain a sh:node failure.
    for node in report.objects(None, SH.result):
        yield (report.value(node, SH.focusNode), report.value(node, SH.sourceShape), report.value(node, SH.resultPath),
               report.value(node, SH.value), report.value(node, SH.resultSeverity),
               str(report.value(node, SH.resultMessage) or ""), report.value(node, SH.sourceConstraintComponent))


def _result(raw: tuple, shapes: Shapes, labels: dict[Node, str]) -> ValidationResult:
    focus, shape, path, value, severity, message, component = raw
    name = shapes.graph.value(shape, SH.name)
    return ValidationResult(
        focus_node=focus, label=labels.get(focus), path=path, value=value,
        severity=str(severity).rsplit("#", 1)[-1], message=message or str(shapes.graph.value(shape, SH.message) or ""),
        shape=shape, shape_name=str(name) if name is not None else None, shapes_file=shapes.file_of.get(shape),
        component=component)


_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}


def _order(r: ValidationResult) -> tuple:
    return (str(r.focus_node), _SEVERITY_RANK.get(r.severity, 3), str(r.shape), str(r.value))


def _labels(data: Graph, nodes: Iterable[Node]) -> dict[Node, str]:
    """A name for each node: English, then untagged, then Spanish label; an acronym; a title."""
    found = {}
    for node in nodes:
        label = _label(data, node)
        if label is None and isinstance(node, BNode):  # a period: name it after what it is the period of
            owner = next(iter(data.subjects(None, node)), None)
            owner_label = _label(data, owner) if owner is not None else None
            label = f"period of {owner_label or owner}" if owner is not None else None
        if label is not None:
            found[node] = label
    return found


def _label(data: Graph, node: Node) -> str | None:
    for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
        options = list(data.objects(node, prop))
        if options:
            rank = {"en": 0, None: 1, "es": 2}
            return str(min(options, key=lambda o: (rank.get(getattr(o, "language", None), 3), str(o))))
    acronym = data.value(node, MGI.acronym)
    return str(acronym) if acronym is not None else None


__all__ = ["validate", "validate_quads", "load_shapes", "Shapes", "ValidationReport", "ValidationResult",
           "InputFile"]
