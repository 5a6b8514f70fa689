"""Ontology quality, checked in tests rather than by eye."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

from mgi_graph.sources import parse_file, source_files

MGI = Namespace("https://w3id.org/mgi-graph/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY = URIRef("https://w3id.org/mgi-graph/ontology")
BUILTIN = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")


@pytest.fixture(scope="module")
def ontology(settings) -> Graph:
    return Graph().parse(settings.ontology_dir / "mgi.ttl")


@pytest.fixture(scope="module")
def data(settings) -> Graph:
    graph = Graph()
    for source in source_files(settings):
        if source.path.is_relative_to(settings.data_dir):
            graph.parse(source.path)
    return graph


def own_terms(ontology: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(t for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef) and t.startswith(MGI))


def test_the_ontology_parses_through_the_build_parser(settings):
    assert parse_file(settings.ontology_dir / "mgi.ttl")


@pytest.mark.parametrize("predicate", [DCTERMS.title, DCTERMS.description])
def test_header_has_english_and_spanish(ontology, predicate):
    languages = {o.language for o in ontology.objects(ONTOLOGY, predicate) if isinstance(o, Literal)}
    assert {"en", "es"} <= languages


@pytest.mark.parametrize("predicate", [OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator,
                                       DCTERMS.created, DCTERMS.modified, VANN.preferredNamespacePrefix,
                                       VANN.preferredNamespaceUri, DCTERMS.source])
def test_header_metadata_present(ontology, predicate):
    assert ontology.value(ONTOLOGY, predicate) is not None, f"ontology header lacks {predicate}"


def test_licence_is_cc_by_4(ontology):
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty])
def test_every_term_is_labelled_in_english_and_spanish_and_defined(ontology, kind):
    for term in own_terms(ontology, kind):
        languages = {o.language for o in ontology.objects(term, RDFS.label)}
        assert {"en", "es"} <= languages, f"{term} needs rdfs:label @en and @es"
        assert any(o.language == "en" for o in ontology.objects(term, SKOS.definition)), f"{term} needs a definition"


def test_every_object_property_has_domain_and_range(ontology):
    for prop in own_terms(ontology, OWL.ObjectProperty):
        assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_no_orphan_classes(ontology):
    for cls in own_terms(ontology, OWL.Class):
        parents = set(ontology.objects(cls, RDFS.subClassOf)) | set(ontology.objects(cls, OWL.equivalentClass))
        assert parents, f"{cls} is an orphan: give it a super-class"


def test_no_two_classes_share_a_label(ontology):
    labels = Counter(str(o) for c in ontology.subjects(RDF.type, OWL.Class) for o in ontology.objects(c, RDFS.label))
    assert [label for label, n in labels.items() if n > 1] == []


def test_every_term_the_data_uses_is_declared(ontology, data):
    """Each predicate and class in data/ is defined by us or declared as a reused term."""
    declared = set(ontology.subjects(RDF.type, None))
    used = {p for p in data.predicates()} | {o for o in data.objects(None, RDF.type)}
    undeclared = sorted(t for t in used if not str(t).startswith(BUILTIN) and t not in declared)
    assert undeclared == [], f"declare these in ontology/mgi.ttl: {undeclared}"


def test_no_unused_terms(ontology, data):
    """Every class and property of ours is used by the data (or by the ontology's own axioms)."""
    used = set(data.predicates()) | set(data.objects(None, RDF.type))
    for a, b in ontology.subject_objects(OWL.inverseOf):  # a pair is used when either direction is
        if a in used or b in used:
            used |= {a, b}
    used |= set(ontology.objects(None, OWL.onProperty))
    used |= set(ontology.subjects(OWL.equivalentClass, None))  # defined classes: a reasoner infers them
    used |= set(ontology.objects(None, RDFS.subPropertyOf))
    # What the saved queries ask for counts too: docs/encoding.md gives encoders mgi:updates, which the
    # Guatemala profile has no use for ("updated in 2020; no new instrument named").
    for path in (Path(__file__).resolve().parents[1] / "queries").glob("*.rq"):
        used |= {MGI[name] for name in re.findall(r"\bmgi:(\w+)", path.read_text(encoding="utf-8"))}
    unused = [t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
              for t in own_terms(ontology, kind) if t not in used]
    subclassed = set(ontology.objects(None, RDFS.subClassOf))
    # mgi:synthetic marks generated profiles (`mgi-graph synth`); test_synth checks they carry it.
    unused = [t for t in unused if t not in subclassed and t != MGI.synthetic]
    assert unused == [], f"unused ontology terms: {unused}"


def test_ranges_use_only_owl2_datatypes(ontology):
    """A range outside OWL 2's datatype map (xsd:gYear, xsd:gYearMonth, xsd:date) makes reasoners refuse
    the file: HermiT stopped on mgi:year's xsd:gYear. The shapes check such values instead."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    owl2 = {xsd + name for name in ("string", "boolean", "decimal", "integer", "nonNegativeInteger",
                                    "positiveInteger", "double", "float", "dateTime", "dateTimeStamp",
                                    "anyURI", "normalizedString", "token", "language")}
    owl2.add("http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral")
    outside = [(p, r) for p, r in ontology.subject_objects(RDFS.range)
               if str(r).startswith(xsd) and str(r) not in owl2]
    assert outside == []


def test_no_property_shares_its_label_with_a_class(ontology):
    """A researcher reading labels must tell mgi:country from mgi:Country."""
    def labels(kind):
        return {str(label).lower(): term for term in own_terms(ontology, kind)
                for label in ontology.objects(term, RDFS.label)}
    classes = labels(OWL.Class)
    clashes = {label for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for label in labels(kind)
               if label in classes}
    assert clashes == set()
