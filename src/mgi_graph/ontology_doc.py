"""Documentation of the ontology, generated from the ontology graph itself.

The result is plain data (no HTML): the web layer renders it with an autoescaped template.
Class expressions (unions, intersections, restrictions) become token lists of Ref and str."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from .describe import new_graph
from .settings import ONTOLOGY_IRI
from .sparql_files import internal_query
from .store import Store

NAMESPACE = ONTOLOGY_IRI + "#"
KINDS = ((OWL.Class, "Classes", "classes"), (OWL.ObjectProperty, "Object properties", "object-properties"),
         (OWL.DatatypeProperty, "Datatype properties", "datatype-properties"),
         (OWL.AnnotationProperty, "Annotation properties", "annotation-properties"))


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str
    anchor: str | None  # the term's anchor on the documentation page, when it is documented there


Expr = tuple[Ref | str, ...]


@dataclass(frozen=True)
class TermDoc:
    ref: Ref
    curie: str
    label_en: str | None
    label_es: str | None
    definition: str | None
    facts: tuple[tuple[str, tuple[Expr, ...]], ...]  # ("Sub-class of", (expression, ...))


@dataclass(frozen=True)
class DocSection:
    title: str
    anchor: str
    terms: tuple[TermDoc, ...]


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    title: str
    title_es: str | None
    description: str | None
    description_es: str | None
    metadata: tuple[tuple[str, Ref | str], ...]
    sections: tuple[DocSection, ...]

    def terms(self) -> list[TermDoc]:
        return [t for s in self.sections for t in s.terms]


def _lang(graph: Graph, node: Node, predicate: URIRef, lang: str) -> str | None:
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal) and (value.language or "") == lang:
            return str(value)
    return None


def _curie(graph: Graph, iri: URIRef) -> str:
    try:
        return graph.namespace_manager.curie(iri, generate=False)
    except (KeyError, ValueError):
        return str(iri)


class _Builder:
    def __init__(self, graph: Graph) -> None:
        self.graph = new_graph()
        self.graph.bind("mgi", NAMESPACE, replace=True)
        for triple in graph:
            self.graph.add(triple)
        self.documented = {s for kind, _, _ in KINDS for s in self.graph.subjects(RDF.type, kind)
                           if isinstance(s, URIRef)}

    def anchor(self, iri: URIRef) -> str | None:
        if iri not in self.documented:
            return None
        if str(iri).startswith(NAMESPACE):
            return str(iri)[len(NAMESPACE):]
        return "ext-" + _curie(self.graph, iri).replace(":", "-")

    def ref(self, iri: URIRef) -> Ref:
        label = _lang(self.graph, iri, RDFS.label, "en") or _curie(self.graph, iri)
        return Ref(str(iri), label, self.anchor(iri))

    def expr(self, node: Node, depth: int = 0) -> Expr:
        """A class expression as tokens: IRIs as Refs, the operators as words."""
        if isinstance(node, URIRef):
            return (self.ref(node),)
        if not isinstance(node, BNode) or depth > 8:
            return (str(node),)
        for operator, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
            members = self.graph.value(node, operator)
            if members is not None:
                tokens: list[Ref | str] = ["("]
                for index, member in enumerate(Collection(self.graph, members)):
                    tokens += ([word] if index else []) + list(self.expr(member, depth + 1))
                return tuple(tokens + [")"])
        prop = self.graph.value(node, OWL.onProperty)
        if prop is not None:
            for restriction, word in ((OWL.someValuesFrom, " some "), (OWL.allValuesFrom, " only "),
                                      (OWL.hasValue, " value ")):
                value = self.graph.value(node, restriction)
                if value is not None:
                    return (*self.expr(prop, depth + 1), word, *self.expr(value, depth + 1))
        complement = self.graph.value(node, OWL.complementOf)
        if complement is not None:
            return ("not ", *self.expr(complement, depth + 1))
        return ("an anonymous class",)

    def exprs(self, nodes) -> tuple[Expr, ...]:
        return tuple(self.expr(n) for n in sorted(set(nodes), key=lambda n: (isinstance(n, BNode), str(n))))

    def facts(self, iri: URIRef) -> tuple[tuple[str, tuple[Expr, ...]], ...]:
        g = self.graph
        rows = [
            ("Kind", self.exprs(g.objects(iri, RDF.type))),
            ("Sub-class of", self.exprs(g.objects(iri, RDFS.subClassOf))),
            ("Super-class of", self.exprs(s for s in g.subjects(RDFS.subClassOf, iri) if isinstance(s, URIRef))),
            ("Equivalent to", self.exprs(g.objects(iri, OWL.equivalentClass))),
            ("Disjoint with", self.exprs([*g.objects(iri, OWL.disjointWith), *g.subjects(OWL.disjointWith, iri)])),
            ("Sub-property of", self.exprs(g.objects(iri, RDFS.subPropertyOf))),
            ("Super-property of", self.exprs(g.subjects(RDFS.subPropertyOf, iri))),
            ("Domain", self.exprs(g.objects(iri, RDFS.domain))),
            ("Range", self.exprs(g.objects(iri, RDFS.range))),
            ("Inverse of", self.exprs([*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)])),
            ("Defined by", self.exprs(g.objects(iri, RDFS.isDefinedBy))),
        ]
        return tuple((name, values) for name, values in rows if values)

    def term(self, iri: URIRef) -> TermDoc:
        g = self.graph
        definition = _lang(g, iri, SKOS.definition, "en") or _lang(g, iri, RDFS.comment, "en")
        return TermDoc(self.ref(iri), _curie(g, iri), _lang(g, iri, RDFS.label, "en"),
                       _lang(g, iri, RDFS.label, "es"), definition, self.facts(iri))


def _sections(builder: _Builder) -> tuple[DocSection, ...]:
    sections, reused = [], []
    for kind, title, anchor in KINDS:
        terms = sorted((s for s in builder.graph.subjects(RDF.type, kind) if isinstance(s, URIRef)), key=str)
        own = [t for t in terms if str(t).startswith(NAMESPACE)]
        reused += [t for t in terms if not str(t).startswith(NAMESPACE) and t not in reused]
        sections.append(DocSection(title, anchor, tuple(builder.term(t) for t in own)))
    reused_terms = tuple(builder.term(t) for t in sorted(reused, key=lambda t: _curie(builder.graph, t)))
    sections.append(DocSection("Reused terms from other vocabularies", "reused", reused_terms))
    return tuple(s for s in sections if s.terms)


def ontology_doc(graph: Graph, iri: str = ONTOLOGY_IRI) -> OntologyDoc:
    """The documentation of the ontology held in graph (the ontology's own named graph)."""
    builder = _Builder(graph)
    g, node = builder.graph, URIRef(iri)
    metadata: list[tuple[str, Ref | str]] = [("IRI", iri), ("Namespace", NAMESPACE)]
    for label, predicate in (("Version IRI", OWL.versionIRI), ("Version", OWL.versionInfo),
                             ("Licence", DCTERMS.license), ("Creator", DCTERMS.creator),
                             ("Created", DCTERMS.created), ("Modified", DCTERMS.modified),
                             ("Source", DCTERMS.source), ("Comment", RDFS.comment)):
        for value in sorted(g.objects(node, predicate), key=str):
            metadata.append((label, Ref(str(value), str(value), None) if isinstance(value, URIRef) else str(value)))
    return OntologyDoc(iri, _lang(g, node, DCTERMS.title, "en") or iri, _lang(g, node, DCTERMS.title, "es"),
                       _lang(g, node, DCTERMS.description, "en"), _lang(g, node, DCTERMS.description, "es"),
                       tuple(metadata), _sections(builder))


def ontology_graph(store: Store, graph_name: str) -> Graph:
    """The triples of the ontology's own named graph, as rdflib (blank nodes kept consistent)."""
    graph = new_graph()
    graph.bind("mgi", NAMESPACE, replace=True)
    for _, s, p, o in store.query(internal_query("graph-triples"), {"graph": URIRef(graph_name)}).rows:
        graph.add((s, p, o))  # type: ignore[arg-type]
    return graph
