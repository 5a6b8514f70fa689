"""Terms keep their kind, language and datatype across the conversions and the worker pipe."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

from mgi_graph.terms import pack, to_rdflib, unpack

TERMS = [URIRef("https://w3id.org/mgi-graph/id/org/gtm/igm"), BNode("b0"), Literal("IGM"),
         Literal("Instituto Guatemalteco de Migración", lang="es"), Literal("2016", datatype=XSD.gYear),
         Literal("12", datatype=XSD.integer), None]


def test_packed_terms_come_back_equal_through_pickle():
    for term in TERMS:
        back = unpack(pickle.loads(pickle.dumps(pack(term))))
        assert back == term and type(back) is type(term)
        if isinstance(term, Literal):
            assert (back.language, back.datatype) == (term.language, term.datatype)


def test_cached_conversion_keeps_languages_and_datatypes_apart():
    english = to_rdflib(ox.Literal("Migration Code", language="en"))
    plain = to_rdflib(ox.Literal("Migration Code"))
    year = to_rdflib(ox.Literal("2016", datatype=ox.NamedNode(str(XSD.gYear))))
    number = to_rdflib(ox.Literal("2016", datatype=ox.NamedNode(str(XSD.integer))))
    assert english.language == "en" and plain.language is None and plain.datatype is None
    assert year.datatype == XSD.gYear and number.datatype == XSD.integer and year != number
