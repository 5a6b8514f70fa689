"""Terms keep their kind, language and datatype across the conversions and the worker pipe."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

from mgi_graph.bounded_worker import decode_result
from mgi_graph.terms import json_term, to_oxigraph, to_rdflib

TERMS = [URIRef("https://w3id.org/mgi-graph/id/org/gtm/igm"), BNode("b0"), Literal("IGM"),
         Literal("Instituto Guatemalteco de Migración", lang="es"), Literal("2016", datatype=XSD.gYear),
         Literal("12", datatype=XSD.integer), None]


def test_terms_of_a_graph_answer_sent_by_a_worker_come_back_as_the_same_rdflib_terms():
    subject = ox.NamedNode("https://w3id.org/mgi-graph/id/org/gtm/igm")
    predicate = ox.NamedNode("https://w3id.org/mgi-graph/ontology#example")
    sent = [term for term in TERMS if term is not None]
    body = ox.serialize([ox.Triple(subject, predicate, to_oxigraph(term)) for term in sent],
                        format=ox.RdfFormat.N_TRIPLES)
    received = list(decode_result(("CONSTRUCT", pickle.loads(pickle.dumps(body)))).as_graph().objects())
    assert sorted(received, key=repr) == sorted(sent, key=repr)
    for back in received:
        term = next(t for t in sent if t == back)
        assert type(back) is type(term)
        if isinstance(term, Literal):
            assert (back.language, back.datatype) == (term.language, term.datatype)


def test_cached_conversion_keeps_languages_and_datatypes_apart():
    english = to_rdflib(ox.Literal("Migration Code", language="en"))
    plain = to_rdflib(ox.Literal("Migration Code"))
    year = to_rdflib(ox.Literal("2016", datatype=ox.NamedNode(str(XSD.gYear))))
    number = to_rdflib(ox.Literal("2016", datatype=ox.NamedNode(str(XSD.integer))))
    assert english.language == "en" and plain.language is None and plain.datatype is None
    assert year.datatype == XSD.gYear and number.datatype == XSD.integer and year != number


def test_turtle_written_by_oxigraph_keeps_every_triple_and_declares_only_used_prefixes():
    from rdflib import Graph, Namespace

    from mgi_graph.results import graph_bytes

    mgi = Namespace("https://w3id.org/mgi-graph/ontology#")
    graph = Graph()
    graph.bind("mgi", mgi)
    graph.bind("unused", "https://example.org/unused#")
    igm = URIRef("https://w3id.org/mgi-graph/id/org/gtm/igm")
    for term in TERMS[:-1]:
        graph.add((igm, mgi.note, term))
    graph.add((BNode("b1"), mgi.partOf, igm))
    turtle = graph_bytes(graph, "ttl").decode("utf-8")
    assert "@prefix mgi:" in turtle and "unused" not in turtle
    assert Graph().parse(data=turtle, format="turtle").isomorphic(graph)
    assert Graph().parse(data=graph_bytes(graph, "nt"), format="nt").isomorphic(graph)


def test_terms_from_the_engines_json_results_are_the_same_rdflib_terms():
    from mgi_graph.results import from_sparql_json
    from mgi_graph.store import EmbeddedStore, solutions_json

    values = " ".join(f"({to_oxigraph(t)})" if t is not None else "(UNDEF)" for t in TERMS if not isinstance(t, BNode))
    text = f"SELECT ?t WHERE {{ VALUES (?t) {{ {values} }} }}"
    engine = EmbeddedStore()._store.query(text)
    read = from_sparql_json(solutions_json(engine, max_rows=None, max_bytes=None))
    expected = [(t,) for t in TERMS if not isinstance(t, BNode)]
    assert list(read.rows) == expected
    for (got,), (want,) in zip(read.rows, expected, strict=True):
        assert type(got) is type(want) and getattr(got, "language", None) == getattr(want, "language", None)
        assert getattr(got, "datatype", None) == getattr(want, "datatype", None)
    assert json_term({"type": "bnode", "value": "b0"}) == BNode("b0")


def test_a_servers_typed_literal_reads_as_a_literal_with_its_datatype():
    year = json_term({"type": "typed-literal", "value": "2016", "datatype": str(XSD.gYear)})
    assert year == Literal("2016", datatype=XSD.gYear) and year.datatype == XSD.gYear
    assert json_term({"type": "literal", "value": "IGM", "datatype": ""}) == Literal("IGM")
