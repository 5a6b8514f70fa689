"""SHACL validation of MGI profiles with our shapes only; the report model and completeness score.

`validate(files)` checks the given profile files together with the ontology and the
reference data; `validate()` checks the whole built graph. Shapes come from shapes/*.ttl
and nowhere else. Engine "fast" (the default) loads the data into Oxigraph only, checks
the SHACL Core shapes one predicate at a time (core_constraints.py; a shape it cannot check
exactly as pySHACL does goes to pySHACL) and runs the SHACL-SPARQL constraints once each
(sparql_constraints.py); engine "pyshacl" gives everything to pySHACL over an rdflib copy
of the data, the reference the fast engine is compared against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import Node

from .completeness import MGI, completeness_scores
from .core_constraints import CoreShapes, DataIndex, check_core, compile_core
from .errors import DataFileError
from .settings import Settings
from .sources import FORMATS, format_for, parse_file, source_files
from .sparql_constraints import SparqlConstraint, run_sparql_constraints, sparql_constraints
from .terms import to_rdflib
from .validate_input import InputFile, read_inputs
from .validate_report import ValidationReport, ValidationResult, distinct_results

SHAPES_FILES = ("core", "recommended", "completeness")
Engine = TypingLiteral["fast", "pyshacl"]
_DEFAULT = ox.DefaultGraph()


@dataclass(frozen=True)
class Shapes:
    graph: Graph  # every shape, as written
    core_only: Graph  # the same without sh:sparql constraints
    file_of: dict[Node, str]  # shape -> "core" | "recommended" | "completeness"
    core: CoreShapes = CoreShapes((), frozenset())  # the SHACL Core shapes the fast engine checks itself
    pyshacl_rest: Graph | None = None  # core_only targeting only the shapes `core` leaves to pySHACL; None: none
    sparql: tuple[SparqlConstraint, ...] = ()
    name_of: dict[Node, str] = field(default_factory=dict)  # shape -> sh:name
    message_of: dict[Node, str] = field(default_factory=dict)  # shape -> sh:message


def validate(files: Sequence[Path | str | InputFile] | None = None, *, settings: Settings | None = None,
             input_format: str | None = None, strict: bool = False, engine: Engine = "fast") -> ValidationReport:
    """Validate profile files (with the ontology and reference data), or the whole graph.

    Raises DataFileError (file, line, parser message) when an input cannot be read or is refused.
    """
    settings = settings or Settings()
    notices: list[str] = []
    store = ox.Store()
    if files is None:
        for path in (f.path for f in source_files(settings)):
            _load(store, path)
    else:
        inputs = [f if isinstance(f, InputFile) else InputFile.from_path(f, input_format, settings.max_upload_bytes)
                  for f in files]
        parsed = read_inputs(inputs, settings.max_upload_bytes)
        store.extend(_reference_quads(settings))
        store.extend(parsed.quads)  # in the default graph already
        if parsed.ignored_shape_triples:
            notices.append(f"ignored {parsed.ignored_shape_triples} triples that describe SHACL shapes: "
                           "only mgi-graph's own shapes are used")
        if parsed.ignored_imports:
            notices.append(f"ignored {parsed.ignored_imports} owl:imports: imports are never followed")
    return _validate_store(store, load_shapes(settings.shapes_dir), strict=strict, engine=engine,
                           notices=tuple(notices))


def validate_quads(quads: Iterable[ox.Quad], shapes: Shapes, *, strict: bool = False, engine: Engine = "fast",
                   notices: tuple[str, ...] = ()) -> ValidationReport:
    """Validate already-parsed, already-trusted quads (their graph names are ignored)."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in quads)
    return _validate_store(store, shapes, strict=strict, engine=engine, notices=notices)


def _validate_store(store: ox.Store, shapes: Shapes, *, strict: bool, engine: Engine,
                    notices: tuple[str, ...]) -> ValidationReport:
    """Validate the default graph of a store that no one else uses."""
    if engine == "pyshacl":
        import pyshacl  # imported here: it is slow to import and only validation needs it

        data: Graph | DataIndex = _to_rdflib(store)
        raw = list(_pyshacl_results(pyshacl.validate(data, shacl_graph=shapes.graph)[1]))
    else:
        data = DataIndex(store)
        raw = check_core(shapes.core, data)
        if shapes.pyshacl_rest is not None:  # shapes the set-based checks leave to pySHACL (none of ours)
            import pyshacl

            report_graph = pyshacl.validate(_to_rdflib(store), shacl_graph=shapes.pyshacl_rest, inference="none",
                                            inplace=True, advanced=False, meta_shacl=False)[1]
            raw += _pyshacl_results(report_graph)
        raw += [(r.focus, r.constraint.shape, r.path, r.value, r.constraint.severity,
                 r.constraint.message or "", SH.SPARQLConstraintComponent)
                for r in run_sparql_constraints(list(shapes.sparql), shapes.graph, store)]
    labels = _labels(data, {r[0] for r in raw} | set(data.objects(None, MGI.sectionOf)))
    results = tuple(sorted(distinct_results(_result(r, shapes, labels) for r in raw), key=_order))
    conforms = not any(r.severity == "Violation" or (strict and r.severity == "Warning") for r in results)
    return ValidationReport(conforms=conforms, strict=strict, results=results,
                            completeness=completeness_scores(data, shapes.graph, results, labels), notices=notices)


def load_shapes(shapes_dir: Path) -> Shapes:
    """The shapes of shapes_dir, parsed and compiled once per process while their files are unchanged."""
    return _load_shapes(str(shapes_dir), _fingerprint(shapes_dir / f"{name}.ttl" for name in SHAPES_FILES))


@lru_cache(maxsize=4)
def _load_shapes(shapes_dir: str, files: tuple[tuple[str, int, int], ...]) -> Shapes:
    graph = Graph()
    file_of: dict[Node, str] = {}
    for path, _, _ in files:
        part = Graph().parse(path, format="turtle")
        for shape in set(part.subjects(SH.name, None)) | set(part.subjects(SH.severity, None)):
            file_of[shape] = Path(path).stem
        graph += part
    core_only = Graph()
    core_only += graph
    for triple in list(core_only.triples((None, SH.sparql, None))):
        core_only.remove(triple)
    core = compile_core(core_only)
    rest = None
    if core.rest:  # pySHACL gets the shapes graph with the targets of every compiled shape removed
        rest = Graph()
        rest += core_only
        for top in core.shapes:
            for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
                rest.remove((top.shape.node, predicate, None))
    return Shapes(graph, core_only, file_of, core, rest, tuple(sparql_constraints(graph)),
                  {s: str(o) for s, o in graph.subject_objects(SH.name)},
                  {s: str(o) for s, o in graph.subject_objects(SH.message)})


def _fingerprint(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """What a cache of parsed files is keyed by: each file's path, modification time and size."""
    found = []
    for path in paths:
        stat = path.stat()
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _reference_quads(settings: Settings) -> tuple[ox.Quad, ...]:
    """The ontology and the reference data, in the default graph (parsed once while unchanged)."""
    paths = [p for folder in (settings.ontology_dir, settings.data_dir / "reference") if folder.is_dir()
             for p in sorted(folder.rglob("*")) if p.suffix.lower() in FORMATS and p.is_file()]
    return _parsed(_fingerprint(paths))


@lru_cache(maxsize=4)
def _parsed(files: tuple[tuple[str, int, int], ...]) -> tuple[ox.Quad, ...]:
    return tuple(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for path, _, _ in files
                 for q in parse_file(Path(path)))


def _load(store: ox.Store, path: Path) -> None:
    """One source file into the store's default graph, parsed by Oxigraph (fresh blank nodes per file)."""
    fmt = format_for(path)
    if fmt == ox.RdfFormat.JSON_LD:  # may hold named graphs: parse_file refuses them, as when building the store
        store.extend(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in parse_file(path))
        return
    try:
        store.load(path=path, format=fmt, to_graph=_DEFAULT)
    except (SyntaxError, ValueError, OSError) as exc:
        parse_file(path)  # raises the DataFileError naming the file and line
        raise DataFileError(path, None, str(exc)) from None


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
    return ValidationResult(
        focus_node=focus, label=labels.get(focus), path=path, value=value,
        severity=str(severity).rsplit("#", 1)[-1], message=message or shapes.message_of.get(shape, ""),
        shape=shape, shape_name=shapes.name_of.get(shape), shapes_file=shapes.file_of.get(shape),
        component=component)


_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}


def _order(r: ValidationResult) -> tuple:
    return (str(r.focus_node), _SEVERITY_RANK.get(r.severity, 3), str(r.shape), str(r.value))


def _labels(data: Graph | DataIndex, nodes: Iterable[Node]) -> dict[Node, str]:
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


def _label(data: Graph | DataIndex, node: Node) -> str | None:
    for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
        options = list(data.objects(node, prop))
        if options:
            rank = {"en": 0, None: 1, "es": 2}
            return str(min(options, key=lambda o: (rank.get(getattr(o, "language", None), 3), str(o))))
    acronym = data.value(node, MGI.acronym)
    return str(acronym) if acronym is not None else None


__all__ = ["validate", "validate_quads", "load_shapes", "Shapes", "ValidationReport", "ValidationResult",
           "InputFile"]
