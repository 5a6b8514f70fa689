"""Parameters reach SPARQL as typed terms in a VALUES block and cannot change the query."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from mgi_graph.binding import outer_where, with_values
from mgi_graph.errors import QuerySyntaxError

NASTY = ['" } ; DROP ALL #', "\\", '\\u0022 } UNION { ?s ?p ?o }', "> } SELECT", "'''", '"""', "line\nbreak",
         "SELECT * WHERE { ?s ?p ?o }", "é ü 中文"]


@pytest.mark.parametrize("value", NASTY)
def test_a_bound_string_comes_back_unchanged(store, value):
    rows = store.query("SELECT ?v WHERE { BIND(?x AS ?v) }", {"x": Literal(value)}).rows
    assert rows == [(Literal(value),)]


def test_a_bound_variable_need_not_be_projected(store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?m <http://www.w3.org/ns/org#organization> ?org }"
    bound = store.query(query, {"org": URIRef("https://w3id.org/mgi-graph/id/org/gtm/cap")}).rows[0][0]
    assert int(bound) == 13


def test_binding_reaches_inside_filter_not_exists(store):
    query = """SELECT ?body WHERE {
      VALUES ?body { <urn:a> <urn:b> }
      FILTER NOT EXISTS { VALUES ?body { <urn:a> } FILTER(?body = ?blocked) }
    }"""
    rows = store.query(query, {"blocked": URIRef("urn:a")}).rows
    assert rows == [(URIRef("urn:b"),)]


@pytest.mark.parametrize("iri", ["http://a> } <x", "http://a b", 'http://a"b', "http://a{b}"])
def test_malformed_iris_are_refused(iri):
    with pytest.raises(ValueError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef(iri)})


def test_bad_language_tag_is_refused():
    with pytest.raises(ValueError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"o": Literal("x", lang="en } x")})


def test_where_inside_strings_iris_and_comments_is_skipped():
    text = 'PREFIX w: <http://x/WHERE> # WHERE {\nSELECT ("WHERE {" AS ?a) WHERE { ?s ?p ?o }'
    assert text[outer_where(text):].strip() == "?s ?p ?o }"


def test_construct_without_where_cannot_take_parameters():
    # Its first brace is the template, not the pattern: there is no safe place for the values.
    with pytest.raises(QuerySyntaxError):
        with_values("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", {"s": URIRef("urn:a")})


def test_select_and_ask_without_where_bind_in_their_first_group():
    assert with_values("ASK { ?s ?p ?o }", {"s": URIRef("urn:a")}).startswith("ASK {\n  VALUES (?s) { (<urn:a>) }")
