"""The W3C SPARQL 1.1 Protocol tests, replayed against /sparql.

The manifest (../shared/conformance/sparql11-protocol) describes each test as HTTP requests
and expected responses. This harness loads the test's graphs into a fresh store, replays
every request through Flask's test client and checks status, content type and results.

The update tests expect an update to succeed. This endpoint is read-only, so for those the
harness asserts the refusal instead (see NOT_APPLICABLE); they are listed, not skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from mgi_graph.settings import Settings
from mgi_graph.sources import parse_file
from mgi_graph.store import EmbeddedStore
from mgi_graph.web import create_app

SUITE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# Tests that expect SPARQL Update to succeed: not applicable to a read-only endpoint.
NOT_APPLICABLE = {
    "update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
    "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri",
}
READ_ONLY_REASON = "read-only endpoint: SPARQL Update is refused with 403 by design"

TABULAR = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


def load_manifest() -> tuple[Graph, list]:
    if not (SUITE / "manifest.ttl").exists():
        pytest.fail(f"the W3C protocol manifest is missing at {SUITE}")
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=SUITE.as_uri() + "/")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


GRAPH, ENTRIES = load_manifest()


def entry_name(entry) -> str:
    return str(entry).rsplit("#", 1)[-1]


def make_client(entry):
    quads = []
    for data in GRAPH.objects(entry, UT.graphData):
        path = Path(unquote(str(GRAPH.value(data, UT.graph)).removeprefix("file://")))
        quads += parse_file(path, str(GRAPH.value(data, RDFS.label)))
    quads += [ox.Quad(ox.NamedNode(g), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SD.Graph)), ox.NamedNode(g))
              for g in graphs_without_data(entry)]
    store = EmbeddedStore()
    store.replace_all(quads, "protocol-test")
    app = create_app({"MGI_SETTINGS": Settings(), "MGI_STORE": store, "TESTING": True})
    return app.test_client()


def graphs_without_data(entry) -> set[str]:
    """Graphs a test's requests name in default-graph-uri / named-graph-uri that the manifest gives no
    data for (data0.rdf). The suite expects the endpoint to fetch them from the web; this one never
    fetches and refuses graphs it does not hold (400), so the harness gives the store each of them,
    holding one triple that names it."""
    named = set()
    for request in requests_of(entry):
        params = parse_qs(urlsplit(str(GRAPH.value(request, HT.absolutePath))).query)
        named.update(params.get("default-graph-uri", []) + params.get("named-graph-uri", []))
    supplied = {str(GRAPH.value(data, RDFS.label)) for data in GRAPH.objects(entry, UT.graphData)}
    return named - supplied


def requests_of(entry) -> list:
    action = GRAPH.value(entry, MF.action)
    return list(Collection(GRAPH, GRAPH.value(action, HT.requests)))


def send(client, request):
    method = str(GRAPH.value(request, HT.methodName))
    path = str(GRAPH.value(request, HT.absolutePath))
    headers = {}
    header_list = GRAPH.value(request, HT.headers)
    if header_list is not None:
        for header in Collection(GRAPH, header_list):
            headers[str(GRAPH.value(header, HT.fieldName))] = str(GRAPH.value(header, HT.fieldValue))
    body = GRAPH.value(request, HT.body)
    data = None
    if body is not None:
        data = str(GRAPH.value(body, CNT.chars)).encode(str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8"))
    content_type = headers.pop("content-type", None)
    # Without a content-type header, send none at all (the test client would otherwise add one).
    environ = {} if content_type else {"CONTENT_TYPE": ""}
    return client.open(path, method=method, data=data, headers=headers, content_type=content_type,
                       environ_overrides=environ)


def expected_classes(response_node) -> set[str]:
    return {str(s).rsplit("#", 1)[-1] for s in GRAPH.objects(response_node, MF.expectedStatus)}


def check_response(name: str, request, response) -> None:
    expected = GRAPH.value(request, HT.resp)
    classes = expected_classes(expected)
    status_class = f"StatusCode{response.status_code // 100}xx"
    assert status_class in classes, f"{name}: got {response.status_code} ({response.get_data(as_text=True)[:200]})"
    fmt = GRAPH.value(expected, MF.expectedFormat)
    if fmt is not None:
        allowed = {"boolean": BOOLEAN, "tabular": TABULAR, "RDF": RDF_TYPES}[str(fmt)]
        assert response.mimetype in allowed, f"{name}: content type {response.mimetype}"
    boolean = GRAPH.value(expected, MF.expectedBoolean)
    if boolean is not None:
        assert response.mimetype == "application/sparql-results+json"
        assert json.loads(response.get_data())["boolean"] is boolean.toPython(), name


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_name)
def test_protocol(entry):
    name = entry_name(entry)
    client = make_client(entry)
    if name in NOT_APPLICABLE:
        response = send(client, requests_of(entry)[0])
        assert response.status_code == 403, f"{name}: {READ_ONLY_REASON}; got {response.status_code}"
        assert "read-only" in response.get_data(as_text=True)
        return
    for request in requests_of(entry):
        check_response(name, request, send(client, request))


def test_every_manifest_entry_is_run_or_listed_as_not_applicable():
    names = {entry_name(e) for e in ENTRIES}
    assert NOT_APPLICABLE <= names
    assert len(names) == 34


def test_protocol_data_loads_into_named_graphs():
    store = EmbeddedStore()
    store.replace_all(parse_file(SUITE / "data1.nt", "http://kasei.us/2009/09/sparql/data/data1.rdf"), "t")
    assert store.graph_names() == ["http://kasei.us/2009/09/sparql/data/data1.rdf"]
    assert isinstance(store._store, ox.Store)
