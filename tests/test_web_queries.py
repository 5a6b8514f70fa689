"""The saved queries on the web, through Flask's test client."""

from __future__ import annotations

import csv
import io
import json
import re

from rdflib import Graph

ID = "https://w3id.org/mgi-graph/id/"


def test_catalogue_groups_by_tag(client):
    page = client.get("/queries")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="tag-institutions"' in html
    assert "The members of a council, forum or mechanism" in html
    assert 'href="/queries/members"' in html


def test_home_links_to_queries(client):
    assert 'href="/queries"' in client.get("/").get_data(as_text=True)


def test_query_page_has_form_results_text_and_twins(client):
    page = client.get("/queries/members?body=" + ID + "org/gtm/cap")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<select id="param-body" name="body"' in html
    assert f'<option value="{ID}org/gtm/cap" selected>Council for Assistance and Protection (CAP)</option>' in html
    assert '<a href="/id/org/gtm/igm">Guatemalan Migration Institute</a>' in html
    assert 'rel="alternate" type="application/sparql-results+json"' in html
    assert 'href="/queries/members.csv?body=' in html
    assert "org:organization ?_body_iri" in html  # the query text
    assert "13 rows" in html


def test_too_many_candidates_to_list_ask_for_an_iri(client, monkeypatch):
    monkeypatch.setattr("mgi_graph.web.queries.MAX_CANDIDATES", 3)
    page = client.get("/queries/members?body=" + ID + "org/gtm/cap")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "13 rows" in html
    assert '<select id="param-body"' not in html
    assert f'<input id="param-body" name="body" type="text" value="{ID}org/gtm/cap" required' in html
    assert "more than 3 to list: give an IRI" in html


def test_external_iris_link_out_and_others_do_not(client):
    html = client.get("/queries/web-sources").get_data(as_text=True)
    assert '<a href="https://empleodigno.gob.gt/noticia-5/">' in html
    assert "javascript:" not in html


def test_data_twins(client):
    data = client.get("/queries/members.json").get_json(force=True)
    members = {b["member"]["value"] for b in data["results"]["bindings"]}
    assert ID + "org/gtm/igm" in members and len(members) == 13
    response = client.get("/queries/members.csv")
    assert response.mimetype == "text/csv"
    assert len(list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))) == 13
    assert client.get("/queries/members.tsv").mimetype == "text/tab-separated-values"
    ttl = client.get("/queries/institution-neighbourhood.ttl")
    assert ttl.mimetype == "text/turtle" and len(Graph().parse(data=ttl.data, format="turtle")) > 20
    jsonld = client.get("/queries/institution-neighbourhood.jsonld")
    assert jsonld.mimetype == "application/ld+json" and len(Graph().parse(data=jsonld.data, format="json-ld")) > 20


def test_content_negotiation(client):
    assert client.get("/queries/members", headers={"Accept": "text/csv"}).mimetype == "text/csv"
    assert client.get("/queries/members", headers={"Accept": "application/sparql-results+json"}).mimetype \
        == "application/sparql-results+json"
    assert client.get("/queries/members", headers={"Accept": "text/html,*/*;q=0.8"}).mimetype == "text/html"
    assert client.get("/queries/institution-neighbourhood", headers={"Accept": "text/turtle"}).mimetype \
        == "text/turtle"
    ask = client.get("/queries/is-member", headers={"Accept": "application/sparql-results+json"})
    assert ask.get_json(force=True)["boolean"] is True


def test_bad_parameter_is_400_naming_it(client):
    response = client.get("/queries/instruments-in-force.json?year=soon")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "year"
    page = client.get("/queries/instruments-in-force?year=soon")
    assert page.status_code == 400
    assert "year" in page.get_data(as_text=True) and "not an integer" in page.get_data(as_text=True)
    unknown = client.get("/queries/members.json?colour=red")
    assert unknown.status_code == 400 and unknown.get_json()["error"]["parameter"] == "colour"
    enum = client.get("/queries/members.csv?body=" + ID + "org/gtm/igm")
    assert enum.status_code == 400 and "body" in enum.get_data(as_text=True)


def test_unknown_query_and_format_are_404(client):
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/no-such-query.json").status_code == 404
    assert client.get("/queries/members.ttl").status_code == 404


def test_values_are_escaped_in_the_page(client):
    nasty = '"><script>alert(1)</script>'
    page = client.get("/queries/search-labels", query_string={"text": nasty})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_injection_through_the_web_is_just_a_value(client):
    for value in ['migra" || true || "', "x\\u0022 } #", "} ; DROP ALL"]:
        data = client.get("/queries/search-labels.json", query_string={"text": value}).get_json(force=True)
        assert data["results"]["bindings"] == []


def test_openapi_describes_every_query(client, settings):
    from mgi_graph.queries import load_catalogue

    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {f"/queries/{name}" for name in load_catalogue(settings)}
    op = spec["paths"]["/queries/instruments-in-force"]["get"]
    year = op["parameters"][0]
    assert year["name"] == "year" and year["schema"]["type"] == "integer" and year["schema"]["default"] == 2022
    body = spec["paths"]["/queries/members"]["get"]["parameters"][0]
    assert body["schema"]["format"] == "uri" and ID + "org/gtm/cap" in body["schema"]["enum"]
    assert "text/csv" in op["responses"]["200"]["content"]
    assert re.match(r"^[a-z_0-9]+$", op["operationId"])


def test_catalogue_page_json_errors_are_json(client):
    response = client.get("/queries/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert json.loads(response.data)["error"]["type"] == "UnknownQueryError"


def test_accept_gives_the_format_asked_for_or_406(client):
    xml = client.get("/queries/members", headers={"Accept": "application/sparql-results+xml"})
    assert xml.mimetype == "application/sparql-results+xml" and b"<sparql" in xml.data
    refused = client.get("/queries/members", headers={"Accept": "text/turtle"})
    assert refused.status_code == 406 and "text/csv" in refused.get_data(as_text=True)
    nt = client.get("/queries/institution-neighbourhood", headers={"Accept": "application/n-triples"})
    assert nt.mimetype == "application/n-triples"


def test_a_graph_query_json_is_its_json_ld(client):
    response = client.get("/queries/institution-neighbourhood.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) > 20
    missing = client.get("/queries/institution-neighbourhood.csv")
    assert missing.status_code == 404 and missing.mimetype == "text/plain"
    assert ".ttl, .nt, .jsonld" in missing.get_data(as_text=True)


def test_empty_and_repeated_values(client):
    empty = client.get("/queries/search-labels.json?text=")
    assert empty.status_code == 400 and empty.get_json()["error"]["parameter"] == "text"
    blank_field = client.get("/queries/instruments-in-force?year=")  # the form, a field left blank
    assert blank_field.status_code == 200 and "A field left blank counts as not given" in blank_field.get_data(
        as_text=True)
    repeated = client.get(f"/queries/members.json?body={ID}org/gtm/cap&body={ID}org/int/rcm")
    assert repeated.status_code == 400 and repeated.get_json()["error"]["parameter"] == "body"
    assert client.get(f"/queries/members?body={ID}org/gtm/cap&body={ID}org/int/rcm").status_code == 400
