"""The public app under attack: limits through /sparql, no outbound request from any route,
read-only on every route and method, escaped output, security headers, bounded inputs."""

from __future__ import annotations

import time

import pytest

from mgi_graph.bounded import BoundedStore
from mgi_graph.web import create_app

from .safety_support import EVIL, JS_IRI, SCRIPT_LABEL, Listener, hostile_store
from .test_safety_bounded import LIMIT, PATHOLOGICAL

SKOS = "http://www.w3.org/2004/02/skos/core#"
SAMPLE_ARGS = {"path": ["org/gtm/igm"], "fmt": ["ttl", "json", "csv", "html"], "name": ["assessments"]}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def bounded_client(settings, store):
    with BoundedStore(store, timeout=LIMIT, max_rows=settings.max_rows, max_output_bytes=settings.max_output_bytes,
                      workers=2) as pool:
        app = create_app({"MGI_SETTINGS": settings.with_changes(query_timeout=LIMIT), "MGI_STORE": pool,
                          "TESTING": True})
        yield app.test_client()


@pytest.fixture(scope="module")
def hostile(settings, store):
    evil_store = hostile_store(store)
    app = create_app({"MGI_SETTINGS": settings.with_changes(max_upload_bytes=50_000, max_query_bytes=5_000),
                      "MGI_STORE": evil_store, "TESTING": True})
    return app, evil_store


def _urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for choice in range(4):
            values = {k: SAMPLE_ARGS.get(k, ["x"])[min(choice, len(SAMPLE_ARGS.get(k, ["x"])) - 1)]
                      for k in rule.arguments}
            try:
                urls.append(rule.build(values, append_unknown=False)[1])
                break
            except ValueError:  # a converter that takes other values (any(...))
                continue
    return sorted(set(urls))


# -- work is bounded -------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_queries_get_a_clear_status_within_the_limit(bounded_client, name):
    started = time.monotonic()
    response = bounded_client.get("/sparql", query_string={"query": PATHOLOGICAL[name]}, headers=JSON)
    assert response.status_code in (400, 413, 503, 504), response.data[:300]
    assert time.monotonic() - started < LIMIT + 1
    assert "Traceback" not in response.get_data(as_text=True)
    follow_up = bounded_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
    assert follow_up.status_code == 200 and follow_up.get_json()["boolean"] is True


def test_pages_keep_working_after_a_timeout(bounded_client):
    bounded_client.get("/sparql", query_string={"query": PATHOLOGICAL["cross product"]})
    for path in ("/", "/queries", "/id/org/gtm/igm"):
        assert bounded_client.get(path).status_code == 200, path


# -- no outbound request from any route --------------------------------------------------------
def test_no_route_reaches_the_listener(hostile):
    app, _ = hostile
    client = app.test_client()
    with Listener() as listener:
        url = listener.url
        queries = [
            f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{url}x> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{url}x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
            f"LOAD <{url}data.ttl>",
            f"ASK {{ ?s ?p ?o FILTER(?s = <{url}>) }}",
            f"DESCRIBE <{url}thing>",
        ]
        statuses = [client.get("/sparql", query_string={"query": q}, headers=JSON).status_code for q in queries]
        statuses.append(client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                                            "default-graph-uri": url + "g"}).status_code)
        statuses.append(client.get(f"/id/org/gtm/igm?x={url}").status_code)
        for path in _urls(app):
            statuses.append(client.get(path, query_string={"iri": url, "url": url, "dimension": url}).status_code)
        statuses += _validation_attempts(client, url)
        time.sleep(0.3)
        assert listener.hits == 0
    assert statuses[:5] == [400] * 5 and 500 not in statuses


def _validation_attempts(client, url: str) -> list[int]:
    """Uploads that would make a careless validator fetch: remote JSON-LD context, owl:imports."""
    import io

    jsonld = ('{"@context": "' + url + 'ctx.jsonld", "@id": "urn:a", "name": "x"}').encode()
    turtle = f"<urn:a> <http://www.w3.org/2002/07/owl#imports> <{url}onto.ttl> .".encode()
    statuses = []
    for name, data in (("p.jsonld", jsonld), ("p.ttl", turtle)):
        statuses.append(client.post("/validate", data={"profile": (io.BytesIO(data), name)},
                                    content_type="multipart/form-data").status_code)
    # The API path too: the body itself, by its media type.
    statuses.append(client.post("/validate", data=jsonld, content_type="application/ld+json").status_code)
    return statuses


# -- read-only ---------------------------------------------------------------------------------
def test_no_route_or_method_changes_the_graph(hostile):
    app, store = hostile
    client = app.test_client()
    before = (store.count(), store.version)
    for path in _urls(app):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            response = client.open(path, method=method, data={"update": "CLEAR ALL", "query": "CLEAR ALL"})
            assert response.status_code < 500, (method, path, response.status_code)
    for update in ("CLEAR ALL", "DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }"):
        for send in (lambda q: client.get("/sparql", query_string={"query": q}),
                     lambda q: client.get("/sparql", query_string={"update": q}),
                     lambda q: client.post("/sparql", data=q, content_type="application/sparql-update"),
                     lambda q: client.post("/sparql", data=q, content_type="application/sparql-query")):
            assert send(update).status_code in (400, 403)
    assert (store.count(), store.version) == before


# -- output is safe ----------------------------------------------------------------------------
def test_a_script_label_stays_text_and_javascript_is_never_a_link(hostile):
    app, _ = hostile
    client = app.test_client()
    query = (f"SELECT ?thing ?label ?home WHERE {{ BIND(<{EVIL}> AS ?thing) ?thing <{SKOS}prefLabel> ?label ; "
             "<http://xmlns.com/foaf/0.1/homepage> ?home }")
    pages = [client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/html"}),
             client.get("/id/org/test/evil", headers={"Accept": "text/html"})]
    for response in pages:
        if response.status_code == 404:
            continue
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert SCRIPT_LABEL not in html and "&lt;script&gt;" in html
        assert 'href="javascript:' not in html.lower() and "href='javascript:" not in html.lower()
        assert JS_IRI in html  # shown, as text


def test_html_pages_carry_security_headers(hostile):
    app, _ = hostile
    client = app.test_client()
    checked = 0
    for path in _urls(app) + ["/sparql"]:
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        if response.mimetype == "text/html":
            checked += 1
            policy = response.headers.get("Content-Security-Policy", "")
            assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, path
            script_src = policy.split("script-src")[1].split(";")[0]
            assert "'self'" in script_src and "'unsafe-inline'" not in script_src
    assert checked >= 5


# -- inputs are bounded ------------------------------------------------------------------------
def test_bodies_and_queries_past_their_limits_get_413(hostile):
    client = hostile[0].test_client()
    assert client.post("/sparql", data=b"#" * 60_000, content_type="application/sparql-query").status_code == 413
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 6_000
    assert client.get("/sparql", query_string={"query": long_query}).status_code == 413


@pytest.mark.parametrize("body, content_type", [
    (b"\xff\xfe\x00garbage", "application/sparql-query"),
    (b"query=%ff%fe", "application/x-www-form-urlencoded"),
    (b"SELECT * WHERE { ?s ?p ?o }", "application/sparql-query; charset=latin-1"),
    (b"{not json", "application/json"),
    (b"--x\r\nbroken multipart", "multipart/form-data; boundary=x"),
    (b"", "application/sparql-query"),
])
def test_malformed_bodies_get_a_4xx_naming_the_problem(hostile, body, content_type):
    response = hostile[0].test_client().post("/sparql", data=body, content_type=content_type)
    assert 400 <= response.status_code < 500
    text = response.get_data(as_text=True)
    assert text.strip() and "Traceback" not in text
