"""A real waitress server on a free loopback port, queried as scripts and researchers do."""

from __future__ import annotations

import requests
from SPARQLWrapper import JSON, SPARQLWrapper

ID = "https://w3id.org/mgi-graph/id/"


def test_catalogue_and_query_page(live_server):
    response = requests.get(f"{live_server}/queries", timeout=10)
    assert response.status_code == 200 and "text/html" in response.headers["Content-Type"]
    page = requests.get(f"{live_server}/queries/members", params={"body": ID + "org/int/rcm"}, timeout=10)
    assert page.status_code == 200 and "/id/country/mex" in page.text


def test_requests_json_and_csv(live_server):
    data = requests.get(f"{live_server}/queries/members.json", timeout=10).json()
    assert len(data["results"]["bindings"]) == 13
    csv_text = requests.get(f"{live_server}/queries/members", headers={"Accept": "text/csv"}, timeout=10)
    assert csv_text.headers["Content-Type"].startswith("text/csv")
    assert csv_text.text.splitlines()[0].startswith("member,label,role")


def test_bad_value_is_400_over_http(live_server):
    response = requests.get(f"{live_server}/queries/instruments-in-force.json", params={"year": "1 OR 1=1"},
                            timeout=10)
    assert response.status_code == 400 and response.json()["error"]["parameter"] == "year"


def test_sparqlwrapper_gives_the_same_answers_as_the_saved_query_urls(live_server, settings):
    """Every saved query without parameters, run through /sparql by SPARQLWrapper, answers as /queries/<name>.json."""
    from mgi_graph.queries import load_catalogue

    checked = 0
    for name, query in load_catalogue(settings).items():
        if query.parameters or query.kind != "SELECT":
            continue
        wrapper = SPARQLWrapper(f"{live_server}/sparql")
        # SPARQLWrapper guesses the query form from the text, comments included (a header saying
        # "created" reads as CREATE, an update); send the query without its #+ header.
        wrapper.setQuery("\n".join(line for line in query.text.splitlines() if not line.startswith("#")))
        wrapper.setReturnFormat(JSON)
        via_endpoint = wrapper.queryAndConvert()
        via_saved = requests.get(f"{live_server}/queries/{name}.json", timeout=10).json()
        assert via_endpoint["head"]["vars"] == via_saved["head"]["vars"], name
        assert via_endpoint["results"]["bindings"] == via_saved["results"]["bindings"], name
        checked += 1
    assert checked >= 10


def test_openapi_over_http(live_server):
    spec = requests.get(f"{live_server}/openapi.json", timeout=10).json()
    assert spec["servers"][0]["url"] == live_server
    assert "/queries/members" in spec["paths"]

