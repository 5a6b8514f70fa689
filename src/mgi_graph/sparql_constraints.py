"""SHACL-SPARQL constraints run once over the whole data graph, instead of once per focus node.

pySHACL runs an sh:sparql constraint once per focus node (with $this pre-bound); on the
Guatemala profile that took most of the validation time. Each of our queries binds $this
in its own pattern, so running it once with $this free gives, for every focus node, the
rows the pre-bound run gives; keeping the rows whose $this is a target of the shape gives
the same results as pySHACL (bench/validate_bench.py and tests/test_validate.py compare them).
The queries run on Oxigraph, which answers them in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .terms import to_oxigraph, to_rdflib


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    constraint: Node
    query: str  # the sh:select text, with the PREFIX lines its sh:prefixes declare
    message: str | None
    severity: URIRef


@dataclass(frozen=True)
class SparqlResult:
    constraint: SparqlConstraint
    focus: Node
    value: Node
    path: Node | None


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    found = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if shapes.value(shape, SH.deactivated) == _TRUE or shapes.value(constraint, SH.deactivated) == _TRUE:
            continue
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for node in shapes.objects(constraint, SH.prefixes) for d in shapes.objects(node, SH.declare))
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        found.append(SparqlConstraint(
            shape=shape, constraint=constraint, query=prefixes + str(shapes.value(constraint, SH.select)),
            message=str(message) if message is not None else None,
            severity=shapes.value(shape, SH.severity) or SH.Violation))
    return sorted(found, key=lambda c: str(c.shape))


def run_sparql_constraints(constraints: list[SparqlConstraint], shapes: Graph, store: ox.Store) -> list[SparqlResult]:
    results = []
    for constraint in constraints:
        targets = focus_nodes(shapes, constraint.shape, store)
        if not targets:
            continue
        for row in store.query(constraint.query):  # type: ignore[union-attr]
            this = row["this"]
            if this not in targets:
                continue
            value, path = row["value"], row["path"]
            results.append(SparqlResult(constraint, to_rdflib(this), to_rdflib(value if value is not None else this),
                                        to_rdflib(path) if path is not None else None))
    return results


def focus_nodes(shapes: Graph, shape: Node, store: ox.Store) -> set:
    """The shape's targets in the data (sh:targetNode, targetClass, targetSubjectsOf, targetObjectsOf)."""
    found: set = {to_oxigraph(n) for n in shapes.objects(shape, SH.targetNode)}
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(shape)
    for cls in classes:
        for sub in _subclasses(store, ox.NamedNode(str(cls))):
            found.update(q.subject for q in store.quads_for_pattern(None, _RDF_TYPE, sub))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        found.update(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(prop)), None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        found.update(q.object for q in store.quads_for_pattern(None, ox.NamedNode(str(prop)), None))
    return found


def _subclasses(store: ox.Store, cls: ox.NamedNode) -> set:
    seen, todo = {cls}, [cls]
    while todo:
        for quad in store.quads_for_pattern(None, _SUBCLASS_OF, todo.pop()):
            if quad.subject not in seen:
                seen.add(quad.subject)
                todo.append(quad.subject)
    return seen


_TRUE = to_rdflib(ox.Literal(True))
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
