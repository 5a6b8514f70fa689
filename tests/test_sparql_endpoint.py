"""/sparql as researchers and their tools meet it (Flask test client)."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef

SELECT_IGM = """SELECT ?label WHERE {
  <https://w3id.org/mgi-graph/id/org/gtm/igm> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
} ORDER BY ?label"""


def test_get_select_returns_sparql_json(client):
    response = client.get("/sparql", query_string={"query": SELECT_IGM},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    labels = [b["label"]["value"] for b in response.get_json()["results"]["bindings"]]
    assert "Guatemalan Migration Institute" in labels
    assert "Instituto Guatemalteco de Migración" in labels


def test_post_form_and_direct_post_agree(client):
    form = client.post("/sparql", data={"query": SELECT_IGM}, headers={"Accept": "application/sparql-results+json"})
    direct = client.post("/sparql", data=SELECT_IGM.encode(), content_type="application/sparql-query",
                         headers={"Accept": "application/sparql-results+json"})
    assert form.get_json() == direct.get_json()


def test_tsv_follows_the_results_format(client):
    response = client.get("/sparql", query_string={"query": SELECT_IGM},
                          headers={"Accept": "text/tab-separated-values"})
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "?label"
    assert '"Instituto Guatemalteco de Migración"@es' in lines


def test_csv_and_xml_by_format_parameter(client):
    csv = client.get("/sparql", query_string={"query": SELECT_IGM, "format": "csv"})
    assert csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).startswith("label\r\n")
    xml = client.get("/sparql", query_string={"query": SELECT_IGM, "format": "xml"})
    assert xml.mimetype == "application/sparql-results+xml"
    assert b'xml:lang="es"' in xml.data


def test_construct_in_turtle_and_jsonld(client):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/mgi-graph/id/org/gtm/igm> AS ?s) ?s ?p ?o }"
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
        assert response.mimetype == accept
        assert len(Graph().parse(data=response.data, format=fmt)) > 3


def test_syntax_error_is_400_with_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "syntax error" in response.get_data(as_text=True)
    assert "line:1" in response.get_data(as_text=True)


def test_updates_are_refused_by_every_method(client):
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 403
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    assert client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update").status_code == 403
    smuggled = client.post("/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert smuggled.status_code == 400
    assert "read-only" in smuggled.get_data(as_text=True)


def test_service_is_refused_before_evaluation(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "SERVICE is not allowed" in response.get_data(as_text=True)


def test_from_a_graph_we_do_not_hold_is_refused(client):
    response = client.get("/sparql", query_string={"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "FROM" in response.get_data(as_text=True)


def test_from_one_of_our_graphs_narrows_the_default_graph(client, settings):
    graph = settings.base_iri + "graph/ontology"
    query = f"ASK FROM <{graph}> {{ <https://w3id.org/mgi-graph/id/org/gtm/igm> ?p ?o }}"
    response = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert response.get_json()["boolean"] is False


def test_cors_headers_and_preflight(client):
    response = client.options("/sparql", headers={"Origin": "https://yasgui.example",
                                                   "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    get = client.get("/sparql", query_string={"query": "ASK {}"})
    assert get.headers["Access-Control-Allow-Origin"] == "*"


def test_bare_get_is_a_service_description(client, settings):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, None, URIRef(sd + "SPARQL11Query")) in graph
    assert settings.base_iri + "graph/profile/gtm-2022" in response.get_data(as_text=True)


def test_browsers_get_a_query_page_and_html_results(client):
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html"
    assert b"<textarea" in page.data
    assert b"Examples: the saved queries" in page.data
    assert b"The members of a council, forum or mechanism" not in page.data  # needs a parameter: not an example
    assert b"Chairs, presidencies and other roles beyond plain membership" in page.data
    results = client.get("/sparql", query_string={"query": SELECT_IGM},
                         headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert b"Guatemalan Migration Institute" in results.data


def test_row_cap_gives_413(app, store, settings):
    from mgi_graph.web import create_app

    capped = create_app({"MGI_SETTINGS": settings.with_changes(max_rows=5), "MGI_STORE": store, "TESTING": True})
    response = capped.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 413
    assert "more than 5 rows" in response.get_data(as_text=True)


def test_ask_answers_in_json(client):
    query = "ASK { <https://w3id.org/mgi-graph/id/org/gtm/igm> a ?type }"
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert json.loads(response.data) == {"head": {}, "boolean": True}
