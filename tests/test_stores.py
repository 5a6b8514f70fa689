"""Choosing a store, the on-disk index, the query cache and VALUES placement for remote stores."""

from __future__ import annotations

import os
import time

from rdflib import Graph, Literal, URIRef

from mgi_graph.binding import with_value_list, with_values
from mgi_graph.cli import main
from mgi_graph.disk_store import VERSION
from mgi_graph.remote_store import RemoteStore
from mgi_graph.sparql_values import hoist_trailing_values, query_form
from mgi_graph.store import EmbeddedStore, open_store
from mgi_graph.store_cache import CachingStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_open_store_chooses_by_setting(settings, tmp_path):
    assert isinstance(open_store(settings).inner, EmbeddedStore)
    assert isinstance(open_store(settings.with_changes(store="http://127.0.0.1:9/sparql")).inner, RemoteStore)
    on_disk = open_store(settings.with_changes(store=str(tmp_path / "index")))
    assert isinstance(on_disk.inner, EmbeddedStore) and (tmp_path / "index" / VERSION).is_file()


def test_disk_index_is_reopened_without_parsing(project_copy, settings, tmp_path, store):
    configured = settings.with_changes(root=project_copy, store=str(tmp_path / "index"))
    first = open_store(configured).inner
    assert first.count() == store.count()
    version = first.version
    del first
    calls = []
    started = time.monotonic()
    again = open_store(configured, progress=calls.append).inner
    assert time.monotonic() - started < 1 and calls == []  # nothing parsed
    assert again.version == version and again.count() == store.count()
    del again
    (project_copy / "data" / "profiles" / "gtm-2022" / "extra.ttl").write_text(
        "<https://w3id.org/mgi-graph/id/x> <https://w3id.org/mgi-graph/id/y> 1 .\n")
    rebuilt = open_store(configured, progress=calls.append).inner
    assert calls and rebuilt.version != version and rebuilt.count() == store.count() + 1


def test_build_store_option(runner, project_copy, tmp_path):
    result = runner.invoke(main, ["--root", str(project_copy), "build", "--store", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "i" / VERSION).is_file()


def test_cache_serves_repeats_and_follows_the_version(store):
    cached = CachingStore(store, max_entries=4)
    first = cached.query(COUNT)
    assert cached.query(COUNT) is first and cached.hits == 1
    assert cached.query(COUNT, {"x": Literal(1)}) is not first  # other bindings, other entry
    version = store.version
    try:
        store.version = "changed"
        assert cached.query(COUNT) is not first
    finally:
        store.version = version


def test_cache_is_bounded(store):
    cached = CachingStore(store, max_entries=3)
    for limit in range(10):
        cached.query(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit}")
    assert len(cached._entries) == 3
    tiny = CachingStore(store, max_bytes=100)
    tiny.query("SELECT * WHERE { ?s ?p ?o } LIMIT 50")
    assert tiny._bytes <= 100


def test_cache_off_asks_the_store_every_time(store):
    uncached = CachingStore(store, max_entries=0)
    first = uncached.query(COUNT)
    again = uncached.query(COUNT)
    assert again is not first and again.rows == first.rows
    assert (uncached.hits, uncached.misses, len(uncached._entries)) == (0, 2, 0)


def test_a_value_list_goes_first_in_the_where_group():
    out = with_value_list("SELECT ?t WHERE { ?t a ?c } ORDER BY ?t", "t", [URIRef("http://e/1"), URIRef("http://e/2")])
    assert out == "SELECT ?t WHERE {\n  VALUES ?t { <http://e/1> <http://e/2> }\n ?t a ?c } ORDER BY ?t"


def test_values_go_first_in_the_where_group():
    query = "PREFIX x: <http://e/where#> # WHERE {\nSELECT (COUNT(?a) AS ?n) WHERE { ?a x:p ?_v } GROUP BY ?a"
    out = with_values(query, {"_v": URIRef("http://e/1")})
    assert "WHERE {\n  VALUES (?_v) { (<http://e/1>) }\n ?a" in out
    assert out.startswith("PREFIX x: <http://e/where#> # WHERE {\n")
    assert with_values("ASK { ?a ?b ?_c }", {"_c": Literal('a"b')}).startswith('ASK {\n  VALUES (?_c) { ("a\\"b") }')


def test_trailing_values_hoisted_and_query_form():
    out = hoist_trailing_values("SELECT ?a WHERE { ?a ?b ?c }\nVALUES ?a { <http://e/1> }\n")
    assert out.startswith("SELECT ?a WHERE {\n  VALUES ?a { <http://e/1> }")
    assert query_form("PREFIX mgi: <http://e/#>\nSELECT ?x WHERE { ?x mgi:created ?y }") == "SELECT"
    assert query_form("# SELECT\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_a_download_is_written_once_per_version_and_format(store):
    from mgi_graph.export import ExportFiles

    files = ExportFiles()
    first = files.path(store, "ttl")
    assert first is not None and files.path(store, "ttl") == first
    assert len(Graph().parse(first, format="turtle")) > 5000
    version = store.version
    try:
        store.version = "changed"
        second = files.path(store, "ttl")
    finally:
        store.version = version
    assert second != first and os.path.exists(second) and not os.path.exists(first)
    remote = RemoteStore("http://127.0.0.1:9/sparql", graph_prefix="urn:g/", timeout=1)
    assert files.path(remote, "ttl") is None  # a remote store cannot write one itself: rdflib does


def test_each_new_version_of_a_download_keeps_its_own_file(store):
    from mgi_graph.export import ExportFiles

    files = ExportFiles()
    version = store.version
    paths = []
    try:
        for number in range(3):  # the third once reused the second's name, then removed it as stale
            store.version = f"v{number}"
            paths.append(files.path(store, "nt"))
    finally:
        store.version = version
    assert len(set(paths)) == 3 and os.path.exists(paths[-1])
    assert not any(os.path.exists(path) for path in paths[:-1])
