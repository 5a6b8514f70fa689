"""Bounded execution: the wall-clock limit really stops the work, caps hold, the pool recovers."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph

from mgi_graph.bounded import BoundedStore, reload, run_bounded, worker_count
from mgi_graph.bounded_worker import DiskIndex, Snapshot
from mgi_graph.errors import (
    DataFileError,
    MgiGraphError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
)
from mgi_graph.settings import Settings
from mgi_graph.store import EmbeddedStore, build_store

LIMIT = 2.0
MGI_NS = "https://w3id.org/mgi-graph/ontology#"
PATHOLOGICAL = {
    "cross product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded path over everything": "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x>)* ?b . ?c ?d ?e }",
    "huge ORDER BY": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    "(a+)+ regex over a cross product":
        'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER regex(CONCAT(str(?c), str(?f)), "^(a+)+$") }',
    "deep nesting": "SELECT * WHERE " + "{ " * 60 + "?a ?b ?c . ?d ?e ?f" + " }" * 60 + " ORDER BY ?c ?f",
}


@pytest.fixture(scope="module")
def bounded(store):
    with BoundedStore(store, timeout=LIMIT, max_rows=10_000, max_output_bytes=2_000_000, workers=2,
                      memory_bytes=1_000_000_000) as pool:
        yield pool


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_query_stops_within_the_limit_and_the_next_one_works(bounded, name):
    started = time.monotonic()
    with pytest.raises((QueryTimeoutError, ResultTooLargeError)):
        bounded.query(PATHOLOGICAL[name])
    assert time.monotonic() - started < LIMIT + 1
    assert bounded.query("ASK { ?s ?p ?o }").boolean is True


def test_answers_match_the_embedded_store(bounded, store):
    query = "SELECT ?p ?o WHERE { <https://w3id.org/mgi-graph/id/org/gtm/igm> ?p ?o } ORDER BY ?p ?o"
    assert bounded.query(query).rows == store.query(query).rows
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/mgi-graph/id/org/gtm/igm> AS ?s) ?s ?p ?o }"
    assert len(bounded.query(construct).as_graph()) == len(store.query(construct).as_graph())
    assert bounded.count() == store.count() and bounded.graph_names() == store.graph_names()


def test_the_server_keeps_no_graph_of_its_own_and_removes_the_workers_snapshot(store):
    import pyoxigraph as ox

    pool = BoundedStore(store, timeout=5, max_rows=10, max_output_bytes=10**6, workers=1)
    folder = pool._snapshot.folder
    assert pool._inner is None  # count, names and exports come from the snapshot
    assert pool.count() == store.count() and pool.graph_names() == store.graph_names()
    exported, stored = (set(s.dump(ox.RdfFormat.N_QUADS).splitlines()) for s in (pool, store))
    assert len(exported) == len(stored)  # blank nodes get new labels when the snapshot is parsed
    assert {q for q in exported if b"_:" not in q} == {q for q in stored if b"_:" not in q}
    assert len(pool.to_rdflib()) == len(store.to_rdflib())
    pool.close()
    assert not Path(folder).exists()


def test_row_cap_and_output_cap_hold_inside_the_worker(store):
    with BoundedStore(store, timeout=5, max_rows=100, max_output_bytes=1_000_000, workers=1) as pool:
        with pytest.raises(ResultTooLargeError, match="100 rows"):
            pool.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 500")
        assert len(pool.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 100").rows) == 100
    with BoundedStore(store, timeout=5, max_rows=100, max_output_bytes=1_000, workers=1) as pool:
        with pytest.raises(ResultTooLargeError, match="1000 bytes"):
            pool.query("SELECT * WHERE { ?s ?p ?o } LIMIT 90")
        assert len(pool.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3").rows) == 3


def test_row_cap_and_output_cap_hold_for_a_graph_inside_the_worker(store):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT %d"
    with BoundedStore(store, timeout=5, max_rows=100, max_output_bytes=1_000_000, workers=1) as pool:
        with pytest.raises(ResultTooLargeError, match="100 triples"):
            pool.query(construct % 500)
        assert len(pool.query(construct % 100).as_graph()) == 100
    with BoundedStore(store, timeout=5, max_rows=100, max_output_bytes=1_000, workers=1) as pool:
        with pytest.raises(ResultTooLargeError, match="1000 bytes"):
            pool.query(construct % 90)
        assert len(pool.query(construct % 3).as_graph()) == 3


def test_the_output_cap_holds_for_a_select_the_engine_writes(store):
    from mgi_graph.store import solutions_json

    engine = store._store.query("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ResultTooLargeError, match="50000 bytes"):
        solutions_json(engine, max_rows=None, max_bytes=50_000)


def test_a_caller_cannot_raise_the_row_cap(store):
    with BoundedStore(store, timeout=5, max_rows=10, max_output_bytes=10**7, workers=1) as pool:
        with pytest.raises(ResultTooLargeError):
            pool.query("SELECT * WHERE { ?s ?p ?o } LIMIT 50", max_rows=1000)


def test_memory_cap_kills_the_worker_and_the_pool_recovers(store):
    with BoundedStore(store, timeout=20, max_rows=10**9, max_output_bytes=10**12, workers=1,
                      memory_bytes=300_000_000) as pool:
        with pytest.raises(QueryTimeoutError):
            pool.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1")
        assert pool.query("ASK { ?s ?p ?o }").boolean is True


def test_all_workers_busy_is_a_timeout_not_a_hang(store):
    with BoundedStore(store, timeout=1.0, max_rows=10, max_output_bytes=10**6, workers=1) as pool:
        import threading

        slow = threading.Thread(target=lambda: pytest.raises(QueryTimeoutError, pool.query,
                                                             PATHOLOGICAL["cross product"]))
        slow.start()
        time.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError):
            pool.query("ASK { ?s ?p ?o }")
        assert time.monotonic() - started < 2.0
        slow.join()


def _sleep_then(seconds: float, value: object) -> object:
    time.sleep(seconds)
    return value


def _fail() -> None:
    raise DataFileError("x.ttl", 3, "broken")


def _crash() -> None:
    raise ZeroDivisionError("boom")


def test_run_bounded_returns_kills_and_passes_errors_on():
    assert run_bounded(_sleep_then, (0, {"ok": 1}), timeout=10) == {"ok": 1}
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="1 s limit"):
        run_bounded(_sleep_then, (30, None), timeout=1)
    assert time.monotonic() - started < 2.5
    with pytest.raises(DataFileError) as caught:
        run_bounded(_fail, timeout=10)
    assert (caught.value.path, caught.value.line) == ("x.ttl", 3)
    with pytest.raises(MgiGraphError, match="ZeroDivisionError: boom"):
        run_bounded(_crash, timeout=10)


def test_reload_keeps_the_previous_graph_when_a_file_fails(project_copy):
    settings = Settings(root=project_copy)
    with BoundedStore.from_settings(settings.with_changes(query_workers=1)) as pool:
        before = (pool.version, pool.count())
        target = next((project_copy / "data" / "profiles").rglob("*.ttl"))
        original = target.read_bytes()
        target.write_bytes(original + b"\n<urn:a> <urn:b> .\n")
        with pytest.raises(DataFileError) as caught:
            reload(pool, settings)
        assert caught.value.line is not None and target.name in caught.value.path
        assert (pool.version, pool.count()) == before
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        target.write_bytes(original + b"\n<urn:a> <urn:b> <urn:c> .\n")
        reload(pool, settings)
        assert pool.count() == before[1] + 1 and pool.version != before[0]
        assert pool.query("ASK { <urn:a> <urn:b> <urn:c> }").boolean is True


def test_reload_of_an_embedded_store_is_all_or_nothing(project_copy):
    settings = Settings(root=project_copy)
    store = build_store(settings)
    before = store.count()
    (project_copy / "data" / "reference" / "zz-broken.ttl").write_text("<urn:a> <urn:b> \"open .\n")
    with pytest.raises(DataFileError):
        reload(store, settings)
    assert store.count() == before
    shutil.rmtree(project_copy / "data" / "reference")
    reload(store, settings)
    assert isinstance(store, EmbeddedStore) and store.count() < before


def test_a_snapshot_left_by_a_killed_server_is_removed_by_the_next(store, tmp_path, monkeypatch):
    import subprocess
    import tempfile

    from mgi_graph.bounded_worker import SNAPSHOT_OWNER, SNAPSHOT_PREFIX, Snapshot

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()  # its pid now belongs to no process
    orphan, living, unknown = (tmp_path / f"{SNAPSHOT_PREFIX}{name}" for name in ("orphan", "living", "unknown"))
    for folder, owner in ((orphan, gone.pid), (living, 1), (unknown, None)):
        folder.mkdir()
        (folder / "0.nt").write_text("")
        if owner is not None:
            (folder / SNAPSHOT_OWNER).write_text(str(owner))
    snapshot = Snapshot.of(store)
    try:
        assert not orphan.exists() and living.exists() and unknown.exists()
        assert Path(snapshot.folder).parent == tmp_path
    finally:
        snapshot.discard()


def _snapshot_of(triples: int) -> Snapshot:
    return Snapshot(folder="", graphs=(), version="v", triples=triples)


def test_two_workers_by_default_when_two_copies_of_the_graph_fit():
    assert worker_count(Settings(), _snapshot_of(15_000)) == 2


def test_one_worker_when_two_in_memory_copies_would_pass_the_memory_budget():
    settings = Settings()
    assert worker_count(settings, _snapshot_of(1_125_000)) == 1  # 150 profiles: about 0.9 GB each
    assert worker_count(settings.with_changes(serve_memory_bytes=4_000_000_000), _snapshot_of(1_125_000)) == 2
    assert worker_count(settings.with_changes(serve_memory_bytes=1), _snapshot_of(10)) == 1  # never none


def test_workers_on_the_disk_index_share_it_and_a_set_count_is_kept():
    assert worker_count(Settings(), DiskIndex("/nowhere", "v")) == 2
    assert worker_count(Settings(query_workers=3), _snapshot_of(10_000_000)) == 3


def test_the_pool_starts_as_many_workers_as_the_budget_allows(store):
    settings = Settings(serve_memory_bytes=1)
    with BoundedStore.from_settings(settings, store) as pool:
        assert pool.size == 1 and len(pool._all) == 1
        assert pool.query("ASK { ?s ?p ?o }").boolean is True


def test_a_worker_writes_the_whole_graph_for_the_server(bounded, store):
    import pyoxigraph as ox
    from rdflib.compare import isomorphic

    written = Graph().parse(data=bounded.dump(ox.RdfFormat.TURTLE, prefixes={"mgi": MGI_NS}), format="turtle")
    assert isomorphic(written, store.to_rdflib())
    assert b"@prefix mgi:" in bounded.dump(ox.RdfFormat.TURTLE, prefixes={"mgi": MGI_NS})


def test_a_batch_is_answered_in_order_and_stops_at_a_false_ask(bounded):
    listing = ("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Membership> } LIMIT 2", None, {})
    answers = bounded.query_batch([("ASK { ?s ?p ?o }", None, {}), listing])
    assert [a.kind for a in answers] == ["ASK", "SELECT"] and len(answers[1].rows) == 2
    assert len(bounded.query_batch([("ASK { <urn:nothing> ?p ?o }", None, {}), listing])) == 1


def test_enumerated_values_are_checked_in_the_same_round_trip(bounded, settings):
    from mgi_graph.errors import ParameterError
    from mgi_graph.queries import load_catalogue, run

    query = load_catalogue(settings)["instruments-by-type"]
    assert run(bounded, query, {}).rows  # the default document type
    with pytest.raises(ParameterError, match="not one of the values"):
        run(bounded, query, {"type": "https://w3id.org/mgi-graph/id/org/gtm/igm"})


def test_a_worker_select_is_served_as_the_engine_wrote_it_and_reads_as_the_same_terms(bounded, store):
    from mgi_graph.results import JsonRows, QueryResult, json_bytes

    query = "SELECT ?p ?o ?none WHERE { <https://w3id.org/mgi-graph/id/org/gtm/igm> ?p ?o } ORDER BY ?p ?o"
    answer = bounded.query(query)
    assert isinstance(answer.rows, JsonRows)  # Oxigraph's own JSON, kept for the JSON answer
    assert answer.rows == store.query(query).rows
    assert json_bytes(answer) == json_bytes(QueryResult("SELECT", variables=answer.variables, rows=list(answer.rows)))


def test_a_page_from_a_worker_answers_only_its_rows_in_json(bounded, settings, project_copy):
    import orjson

    from mgi_graph.queries import load_catalogue, run_page
    from mgi_graph.results import json_bytes

    path = project_copy / "queries" / "findings-by-subarea.rq"
    path.write_text(path.read_text(encoding="utf-8").replace("#+ pagination: 1000", "#+ pagination: 20"),
                    encoding="utf-8")
    query = load_catalogue(settings.with_changes(root=project_copy))["findings-by-subarea"]
    result, page = run_page(bounded, query, {"page": "2"})
    assert page.has_next and len(result.rows) == 20
    bindings = orjson.loads(json_bytes(result))["results"]["bindings"]
    assert len(bindings) == 20 and bindings[0]["subarea"]["value"] == str(result.rows[0][0])


def test_a_snapshot_lists_each_subjects_triples_together(store):
    snapshot = Snapshot.of(store)
    try:
        for _, path in snapshot.graphs:
            lines = Path(path).read_bytes().splitlines()
            assert lines == sorted(lines)
    finally:
        snapshot.discard()


def test_a_query_that_takes_the_parser_past_the_limit_is_stopped_and_the_other_worker_answers(bounded):
    long_list = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * 40_000) + ")) }"
    outcome: dict = {}

    def inspect() -> None:
        started = time.monotonic()
        try:
            bounded.inspect_query(long_list)
        except QueryTimeoutError:
            outcome["stopped after"] = time.monotonic() - started

    thread = threading.Thread(target=inspect)
    thread.start()
    time.sleep(0.3)
    assert bounded.query("ASK { ?s ?p ?o }").boolean is True  # the server's own parser is not held
    thread.join()
    assert outcome["stopped after"] < LIMIT + 1


def test_the_workers_check_a_query_as_the_policy_does(bounded):
    info = bounded.inspect_query("SELECT * FROM <https://w3id.org/mgi-graph/id/graph/ontology> WHERE { ?s ?p ?o }")
    assert info.kind == "SELECT" and info.from_graphs == ("https://w3id.org/mgi-graph/id/graph/ontology",)
    with pytest.raises(QueryRefusedError, match="SERVICE"):
        bounded.inspect_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QuerySyntaxError):
        bounded.inspect_query("SELEC * WHERE { ?s ?p ?o }")


def test_a_group_of_a_hundred_triple_patterns_is_a_query_not_an_error(bounded):
    patterns = " . ".join(f"?s <urn:p{i}> ?o{i}" for i in range(100))
    assert bounded.inspect_query(f"SELECT * WHERE {{ {patterns} }}").kind == "SELECT"


def test_the_endpoint_checks_a_query_in_a_worker_and_answers_503_at_the_limit(bounded, settings):
    from mgi_graph.web import create_app

    client = create_app({"MGI_SETTINGS": settings, "MGI_STORE": bounded, "TESTING": True}).test_client()
    long_list = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * 40_000) + ")) }"
    started = time.monotonic()
    response = client.post("/sparql", data={"query": long_list})
    assert response.status_code == 503 and time.monotonic() - started < LIMIT + 1


def test_queries_from_outside_leave_a_worker_for_the_pages(bounded, settings):
    from mgi_graph.web import create_app

    client = create_app({"MGI_SETTINGS": settings, "MGI_STORE": bounded, "TESTING": True}).test_client()
    timings: dict = {}

    def ask(name: str, query: str) -> None:
        started = time.monotonic()
        status = client.get("/sparql", query_string={"query": query}).status_code
        timings[name] = (status, time.monotonic() - started)

    slow = threading.Thread(target=ask, args=("slow", PATHOLOGICAL["cross product"]))
    slow.start()
    time.sleep(0.3)
    second = threading.Thread(target=ask, args=("second", "ASK { ?s ?p ?o }"))
    second.start()
    started = time.monotonic()
    assert client.get("/id/org/gtm/igm").status_code == 200
    assert time.monotonic() - started < 1  # the other worker was free for the page
    slow.join()
    second.join()
    assert timings["slow"][0] == 503
    assert timings["second"][0] == 200 and timings["second"][1] > 1  # it waited for the first to end
