"""Conditional GETs: an ETag from the graph's version, the URL and Accept; a 304 without the work."""

from __future__ import annotations

import pytest

PAGES = ["/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "/queries/members.json", "/queries/members",
         "/id/org/gtm/igm", "/dashboard", "/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_read_gets_an_etag_and_the_same_request_with_it_gets_304(client, path):
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]


def test_a_304_runs_no_query(settings, store):
    from mgi_graph.store_cache import CachingStore
    from mgi_graph.web import create_app

    counting = CachingStore(store, max_entries=0)  # no cache: every query is counted as a miss
    client = create_app({"MGI_SETTINGS": settings, "MGI_STORE": counting, "TESTING": True}).test_client()
    tag = client.get("/queries/members.json").headers["ETag"]
    asked = counting.misses
    assert asked > 0
    assert client.get("/queries/members.json", headers={"If-None-Match": tag}).status_code == 304
    assert counting.misses == asked


def test_the_etag_differs_by_accept_and_by_url(client):
    query = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    json_tag = client.get(query, headers={"Accept": "application/sparql-results+json"}).headers["ETag"]
    xml_tag = client.get(query, headers={"Accept": "application/sparql-results+xml"}).headers["ETag"]
    assert json_tag != xml_tag != client.get("/queries/members.json").headers["ETag"]
    stale = client.get(query, headers={"Accept": "application/sparql-results+xml", "If-None-Match": json_tag})
    assert stale.status_code == 200


def test_a_new_graph_version_changes_the_etag(settings, store, client):
    from mgi_graph.store import EmbeddedStore
    from mgi_graph.web import create_app

    tag = client.get("/queries/members.json").headers["ETag"]
    other = EmbeddedStore(store=store._store, version="another", inferred_graph=store.inferred_graph)
    renewed = create_app({"MGI_SETTINGS": settings, "MGI_STORE": other, "TESTING": True}).test_client()
    response = renewed.get("/queries/members.json", headers={"If-None-Match": tag})
    assert response.status_code == 200 and response.headers["ETag"] != tag


def test_posts_and_errors_carry_no_etag(client):
    assert "ETag" not in client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}).headers
    assert "ETag" not in client.get("/sparql?query=SELEC").headers
