"""SHACL Core constraints checked one predicate at a time on Oxigraph, for the shapes mgi-graph uses.

pySHACL checks every focus node against every shape in Python over an rdflib graph: on a
profile of 8,000 triples that was 0.3 s, plus 0.13 s to copy the data into rdflib. The
shapes in shapes/ use a small part of SHACL Core: targets by class, subjects-of and
objects-of, simple property paths, sh:minCount, sh:maxCount, sh:nodeKind, sh:class,
sh:datatype, sh:pattern (sh:flags), sh:languageIn, sh:hasValue, sh:node, sh:or, sh:property
(in nested shapes) and sh:qualifiedValueShape with sh:qualifiedMinCount/MaxCount. This module
compiles those shapes once (`compile_core`, cached with the shapes) and checks them reading
the triples of each predicate from Oxigraph once, as rdflib terms (`DataIndex`).

Every rule follows what pySHACL 0.40 does (the reference: engine="pyshacl" runs pySHACL on
everything, and tests/test_validate.py and bench/validate_bench.py compare the two, result
for result): value nodes and counts are sets of rdflib terms; sh:class accepts a value typed
with the class or a subclass (rdfs:subClassOf* in the data); sh:datatype rejects ill-typed
literals; sh:pattern reads a literal's lexical form, an IRI's text, never a blank node, and
honours the "i" and "m" flags only; a result carries the focus node, the shape's sh:path
(property shapes), the value (per-value rules; the focus node itself for node shapes), the
shape's severity and its one sh:message.

A shape this module does not know how to check exactly as pySHACL does (another constraint
component, a complex path, a shape without exactly one sh:message, recursion, ...) is not
compiled: `CoreShapes.rest` names it, and the caller gives it to pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Identifier, Node

from .terms import to_oxigraph, to_rdflib

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Predicates of a shape that pySHACL does not treat as constraints (annotations, targets, the path).
_NOT_CONSTRAINTS = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, SH.defaultValue,
                    SH.deactivated, SH.path, SH.flags, *_TARGETS}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}
_EMPTY: dict = {}


class Unsupported(Exception):
    """A shape uses something this module does not check (pySHACL does it instead)."""


@dataclass(eq=False)
class CoreShape:
    node: Node
    path: URIRef | None  # None: a node shape (its value node is the focus node)
    deactivated: bool
    checks: list[tuple] = field(default_factory=list)  # (kind, parameter, sh:sourceConstraintComponent)


@dataclass(eq=False)
class TargetedShape:
    shape: CoreShape
    classes: tuple[Node, ...]
    nodes: tuple[Node, ...]
    subjects_of: tuple[Node, ...]
    objects_of: tuple[Node, ...]
    severity: Node
    message: str


@dataclass(frozen=True)
class CoreShapes:
    shapes: tuple[TargetedShape, ...]  # the shapes with targets that this module checks
    rest: frozenset  # shapes with targets left to pySHACL


def compile_core(shapes: Graph) -> CoreShapes:
    """Compile every shape with targets that this module can check exactly as pySHACL does."""
    top = {s for p in _TARGETS for s in shapes.subjects(p, None)}
    # A shape that is also a class targets its instances (pySHACL's implicit class target): left to pySHACL.
    classes = {RDFS.Class, *shapes.transitive_subjects(RDFS.subClassOf, RDFS.Class)}
    top |= {s for c in classes for s in shapes.subjects(RDF.type, c)
            if any(str(p).startswith(str(SH)) for p in shapes.predicates(s, None))}
    if (None, SH.parameter, None) in shapes:  # custom constraint components: pySHACL's job
        return CoreShapes((), frozenset(top))
    compiled, rest, cache = [], set(), {}
    for node in sorted(top, key=str):
        try:
            compiled.append(_targeted(shapes, node, cache))
        except Unsupported:
            rest.add(node)
    return CoreShapes(tuple(compiled), frozenset(rest))


def _targeted(g: Graph, node: Node, cache: dict) -> TargetedShape:
    shape = _shape(g, node, cache, ())
    if any(check[0] == "property" for check in shape.checks):
        raise Unsupported(node)  # pySHACL reports the property shape's own results, not one of this shape
    severities, messages = list(g.objects(node, SH.severity)), list(g.objects(node, SH.message))
    if len(severities) > 1 or len(messages) != 1 or not isinstance(messages[0], Literal):
        raise Unsupported(node)
    message = str(messages[0].value)
    if not message or message != str(messages[0]):
        raise Unsupported(node)
    return TargetedShape(shape, tuple(g.objects(node, SH.targetClass)), tuple(g.objects(node, SH.targetNode)),
                         tuple(g.objects(node, SH.targetSubjectsOf)), tuple(g.objects(node, SH.targetObjectsOf)),
                         severities[0] if severities else SH.Violation, message)


def _shape(g: Graph, node: Node, cache: dict, stack: tuple) -> CoreShape:
    if node in stack:
        raise Unsupported(node)  # recursion: pySHACL has its own rules for it
    if node in cache:
        return cache[node]
    types = set(g.objects(node, RDF.type))
    paths = list(g.objects(node, SH.path))
    if not types <= _SHAPE_TYPES or len(types) > 1 or len(paths) > 1:
        raise Unsupported(node)  # an implicit class target, or a shape pySHACL refuses to load
    path = paths[0] if paths else None
    if (path is not None and not isinstance(path, URIRef)) or (SH.NodeShape in types and path is not None) \
            or (SH.PropertyShape in types and path is None):
        raise Unsupported(node)
    deactivated = list(g.objects(node, SH.deactivated))
    if len(deactivated) > 1 or (deactivated and not isinstance(deactivated[0], Literal)):
        raise Unsupported(node)
    shape = CoreShape(node, path, bool(deactivated and deactivated[0].value))
    inner = (*stack, node)
    for predicate in set(g.predicates(node, None)):
        if str(predicate).startswith(str(SH)) and predicate not in _NOT_CONSTRAINTS and predicate not in _COMPILERS:
            raise Unsupported(node)
    done = set()
    for predicate in sorted(set(g.predicates(node, None)), key=str):
        compiler = _COMPILERS.get(predicate)
        if compiler is not None and compiler not in done:
            done.add(compiler)
            shape.checks += compiler(g, shape, inner, cache)
    cache[node] = shape
    return shape


def _one(g: Graph, node: Node, predicate: URIRef) -> Node:
    values = list(g.objects(node, predicate))
    if len(values) != 1:
        raise Unsupported(node)
    return values[0]


def _count(g: Graph, shape: CoreShape, predicate: URIRef) -> int:
    value = _one(g, shape.node, predicate)
    if shape.path is None or not isinstance(value, Literal) or value.datatype != XSD.integer \
            or not isinstance(value.value, int) or value.value < 0:
        raise Unsupported(shape.node)
    return value.value


def _min_count(g, shape, stack, cache):
    return [("minCount", _count(g, shape, SH.minCount), SH.MinCountConstraintComponent)]


def _max_count(g, shape, stack, cache):
    return [("maxCount", _count(g, shape, SH.maxCount), SH.MaxCountConstraintComponent)]


def _node_kind(g, shape, stack, cache):
    kind = _one(g, shape.node, SH.nodeKind)
    return [("nodeKind", kind, SH.NodeKindConstraintComponent)]


def _class(g, shape, stack, cache):
    return [("class", c, SH.ClassConstraintComponent) for c in g.objects(shape.node, SH["class"])]


def _datatype(g, shape, stack, cache):
    return [("datatype", _one(g, shape.node, SH.datatype), SH.DatatypeConstraintComponent)]


def _pattern(g, shape, stack, cache):
    flags = list(g.objects(shape.node, SH.flags))
    if len(flags) > 1:
        raise Unsupported(shape.node)  # pySHACL takes "the first found": no telling which
    re_flags = 0
    if flags:
        if not isinstance(flags[0], Literal):
            raise Unsupported(shape.node)
        text = str(flags[0].value).lower()
        re_flags = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
    checks = []
    for pattern in g.objects(shape.node, SH.pattern):
        if not isinstance(pattern, Literal):
            raise Unsupported(shape.node)
        text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
        checks.append(("pattern", re.compile(text, re_flags), SH.PatternConstraintComponent))
    return checks


def _language_in(g, shape, stack, cache):
    languages = set()
    for language in g.items(_one(g, shape.node, SH.languageIn)):
        if not isinstance(language, Literal) or not isinstance(language.value, str):
            raise Unsupported(shape.node)
        languages.add(language.value.lower())
    return [("languageIn", frozenset(languages), SH.LanguageInConstraintComponent)]


def _has_value(g, shape, stack, cache):
    return [("hasValue", v, SH.HasValueConstraintComponent) for v in set(g.objects(shape.node, SH.hasValue))]


def _node(g, shape, stack, cache):
    checks = []
    for node in g.objects(shape.node, SH.node):
        other = _shape(g, node, cache, stack)
        if other.path is not None:
            raise Unsupported(shape.node)
        checks.append(("node", other, SH.NodeConstraintComponent))
    return checks


def _or(g, shape, stack, cache):
    checks = []
    for members in g.objects(shape.node, SH["or"]):
        nodes = set(g.items(members))
        if not nodes:
            raise Unsupported(shape.node)
        checks.append(("or", tuple(_shape(g, n, cache, stack) for n in sorted(nodes, key=str)),
                       SH.OrConstraintComponent))
    return checks


def _property(g, shape, stack, cache):
    others = []
    for node in g.objects(shape.node, SH.property):
        other = _shape(g, node, cache, stack)
        if other.path is None:
            raise Unsupported(shape.node)
        others.append(other)
    return [("property", tuple(others), SH.PropertyConstraintComponent)]


def _qualified(g, shape, stack, cache):
    if shape.path is None or (shape.node, SH.qualifiedValueShapesDisjoint, None) in g:
        raise Unsupported(shape.node)  # pySHACL ignores it on node shapes; siblings not done here
    counts = []
    for predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
        values = list(g.objects(shape.node, predicate))
        if len(values) > 1 or (values and not (isinstance(values[0], Literal) and isinstance(values[0].value, int))):
            raise Unsupported(shape.node)
        counts.append(values[0].value if values else None)
    others = tuple(_shape(g, n, cache, stack) for n in sorted(set(g.objects(shape.node, SH.qualifiedValueShape)),
                                                              key=str))
    if not others or counts == [None, None]:
        raise Unsupported(shape.node)
    return [("qualified", (others, counts[0], counts[1]), None)]


_COMPILERS = {
    SH.minCount: _min_count, SH.maxCount: _max_count, SH.nodeKind: _node_kind, SH["class"]: _class,
    SH.datatype: _datatype, SH.pattern: _pattern, SH.languageIn: _language_in, SH.hasValue: _has_value,
    SH.node: _node, SH["or"]: _or, SH.property: _property, SH.qualifiedValueShape: _qualified,
    SH.qualifiedMinCount: _qualified, SH.qualifiedMaxCount: _qualified,
}


# -- the data -------------------------------------------------------------------------------

class DataIndex:
    """The data graph as rdflib terms, read from Oxigraph one predicate at a time, each once.

    Also answers the few rdflib Graph reads the labels and the completeness score need
    (objects, subjects, value, `in`), so the data is never copied into an rdflib graph.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._terms: dict = {}
        self._by_subject: dict[Node, dict] = {}
        self._by_object: dict[Node, dict] = {}
        self._instances: dict[Node, dict] = {}

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = to_rdflib(term)
        return found

    def by_subject(self, predicate: Node) -> dict[Node, dict[Node, None]]:
        """subject -> its objects (a dict used as an ordered set) for one predicate."""
        found = self._by_subject.get(predicate)
        if found is None:
            found = self._by_subject[predicate] = {}
            if isinstance(predicate, URIRef):
                term = self.term
                for quad in self.store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None):
                    subject = term(quad.subject)
                    objects = found.get(subject)
                    if objects is None:
                        objects = found[subject] = {}
                    objects[term(quad.object)] = None
        return found

    def by_object(self, predicate: Node) -> dict[Node, dict[Node, None]]:
        found = self._by_object.get(predicate)
        if found is None:
            found = self._by_object[predicate] = {}
            for subject, objects in self.by_subject(predicate).items():
                for obj in objects:
                    found.setdefault(obj, {})[subject] = None
        return found

    def instances(self, cls: Node) -> dict[Node, None]:
        """The SHACL instances of a class: typed with it or with a subclass (rdfs:subClassOf*)."""
        found = self._instances.get(cls)
        if found is None:
            subclasses, seen, todo = self.by_object(RDFS.subClassOf), {cls}, [cls]
            while todo:
                for sub in subclasses.get(todo.pop(), _EMPTY):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            typed = self.by_object(RDF.type)
            found = self._instances[cls] = {s: None for c in seen for s in typed.get(c, _EMPTY)}
        return found

    # rdflib Graph-like reads
    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if predicate is None:
            for quad in self.store.quads_for_pattern(to_oxigraph(subject) if subject is not None else None, None, None):
                yield self.term(quad.object)
        elif subject is None:
            for objects in self.by_subject(predicate).values():
                yield from objects
        else:
            yield from self.by_subject(predicate).get(subject, _EMPTY)

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        if predicate is None:
            for quad in self.store.quads_for_pattern(None, None, to_oxigraph(obj) if obj is not None else None):
                yield self.term(quad.subject)
        elif obj is None:
            yield from self.by_subject(predicate)
        else:
            yield from self.by_object(predicate).get(obj, _EMPTY)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(iter(self.objects(subject, predicate)), None)

    def __contains__(self, triple: tuple) -> bool:
        subject, predicate, obj = triple
        objects = self.by_subject(predicate).get(subject, _EMPTY)
        return bool(objects) if obj is None else obj in objects


# -- checking -------------------------------------------------------------------------------

def check_core(shapes: CoreShapes, data: DataIndex) -> list[tuple]:
    """Every result, as (focus, shape, path, value, severity, message, component) - pySHACL's fields."""
    run = _Run(data)
    results = []
    for top in shapes.shapes:
        shape = top.shape
        if shape.deactivated or not shape.checks:
            continue
        for focus, failures in run.failures(shape, _focus_nodes(top, data)):
            results += [(focus, shape.node, shape.path, value, top.severity, top.message, component)
                        for value, component in failures]
    return results


def _focus_nodes(top: TargetedShape, data: DataIndex) -> dict[Node, None]:
    found: dict[Node, None] = dict.fromkeys(top.nodes)
    for cls in top.classes:
        found.update(data.instances(cls))
    for predicate in top.subjects_of:
        found.update(dict.fromkeys(data.by_subject(predicate)))
    for predicate in top.objects_of:
        found.update(dict.fromkeys(data.by_object(predicate)))
    return found


class _Run:
    """One validation: the data, each check made a function once, and nested conformance memoised."""

    def __init__(self, data: DataIndex) -> None:
        self.data = data
        self.memo: dict[tuple[Node, Node], bool] = {}
        self.functions: dict[int, object] = {}

    def failures(self, shape: CoreShape, focus_nodes: Iterable[Node]) -> Iterator[tuple[Node, list]]:
        values = self.data.by_subject(shape.path) if shape.path is not None else None
        checks = [self.function(check) for check in shape.checks]
        for focus in focus_nodes:
            value_nodes = values.get(focus, _EMPTY) if values is not None else {focus: None}
            failed = [f for check in checks for f in check(value_nodes)]
            if failed:
                yield focus, failed

    def conforms(self, shape: CoreShape, node: Node) -> bool:
        """Whether a node conforms to a nested shape (sh:node, sh:or, sh:property, qualified)."""
        key = (shape.node, node)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = shape.deactivated or next(self.failures(shape, (node,)), None) is None
        return found

    def function(self, check: tuple):
        """The check as a function of the value nodes of one focus node -> [(value or None, component)]."""
        found = self.functions.get(id(check))
        if found is None:
            found = self.functions[id(check)] = self._function(*check)
        return found

    def _function(self, kind: str, parameter, component: Node | None):
        failed = [(None, component)]
        if kind == "minCount":
            return lambda values: failed if parameter > 0 and len(values) < parameter else ()
        if kind == "maxCount":
            return lambda values: failed if len(values) > parameter else ()
        if kind == "hasValue":
            return lambda values: () if parameter in values else failed
        if kind == "qualified":
            return self._qualified(*parameter)
        test = self._value_test(kind, parameter)
        return lambda values: [(v, component) for v in values if not test(v)]

    def _qualified(self, others: tuple[CoreShape, ...], minimum: int | None, maximum: int | None):
        def check(values: dict) -> list:
            failed = []
            for other in others:
                count = sum(1 for v in values if self.conforms(other, v))
                if maximum is not None and count > maximum:
                    failed.append((None, _QUALIFIED_MAX))
                if minimum is not None and count < minimum:
                    failed.append((None, _QUALIFIED_MIN))
            return failed

        return check

    def _value_test(self, kind: str, parameter):
        if kind == "nodeKind":
            by_type = {BNode: parameter in _BLANK_KINDS, Literal: parameter in _LITERAL_KINDS,
                       URIRef: parameter in _IRI_KINDS}  # to_rdflib makes exactly these types
            return lambda v: by_type[type(v)] if type(v) in by_type else _node_kind_ok(v, parameter)
        if kind == "class":
            members = self.data.instances(parameter)
            return lambda v: not isinstance(v, Literal) and v in members
        if kind == "datatype":
            return lambda v: _datatype_ok(v, parameter)
        if kind == "pattern":
            return lambda v: not isinstance(v, BNode) and parameter.search(_string(v)) is not None
        if kind == "languageIn":
            return lambda v: _language_ok(v, parameter)
        if kind == "node":
            return lambda v: self.conforms(parameter, v)
        if kind == "or":
            return lambda v: any(self.conforms(member, v) for member in parameter)
        if kind == "property":
            return lambda v: all(self.conforms(other, v) for other in parameter)
        raise AssertionError(kind)


_BLANK_KINDS = frozenset((SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI))
_LITERAL_KINDS = frozenset((SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral))
_IRI_KINDS = frozenset((SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI))
_QUALIFIED_MIN, _QUALIFIED_MAX = SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent
_RDFS_LITERAL, _RDFS_DATATYPE, _XSD_STRING, _LANG_STRING = RDFS.Literal, RDFS.Datatype, XSD.string, RDF.langString
_PYTHON_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                 XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


def _node_kind_ok(v: Node, kind: Node) -> bool:
    # pySHACL's order of tests (a Literal is an Identifier too).
    if isinstance(v, BNode):
        return kind in _BLANK_KINDS
    if isinstance(v, Literal):
        return kind in _LITERAL_KINDS
    if isinstance(v, Identifier):
        return kind in _IRI_KINDS
    return False


def _datatype_ok(v: Node, rule: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        return getattr(v, "ill_typed", None) is not True and _actual_datatype(v, rule)
    if rule == _RDFS_LITERAL:
        return True
    if rule == _RDFS_DATATYPE and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == _XSD_STRING:
        return _actual_datatype(v, rule)
    if rule == _LANG_STRING and v.language:
        return _actual_datatype(v, rule)
    return False


def _actual_datatype(v: Literal, rule: Node) -> bool:
    kind = _PYTHON_TYPES.get(rule)
    return True if kind is None else isinstance(v.value, kind)


def _string(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, _LANG_STRING, _XSD_STRING):
        return str(v.value)
    return str(v)


def _language_ok(v: Node, languages: frozenset) -> bool:
    if not isinstance(v, Literal) or not v.language:
        return False
    language = str(v.language).lower()
    return "*" in languages or language in languages or language.split("-")[0] in languages


__all__ = ["CoreShapes", "DataIndex", "check_core", "compile_core"]
