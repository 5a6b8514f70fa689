"""`mgi-graph serve` as users run it: a real process, waitress, worker pool and guard included."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from rdflib import Graph
from SPARQLWrapper import JSON, SPARQLWrapper

from .conftest import PROJECT

MGI_GRAPH = Path(sys.executable).with_name("mgi-graph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served():
    port = free_port()
    process = subprocess.Popen([str(MGI_GRAPH), "--root", str(PROJECT), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
        if process.poll() is not None:
            pytest.fail(f"serve exited early: {process.stdout.read()}")
    else:
        process.kill()
        pytest.fail("serve did not answer within 60 s")
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_home_and_whole_graph(served):
    assert "Migration governance" in requests.get(served + "/", timeout=10).text
    dump = requests.get(served + "/graph.ttl", timeout=10)
    assert dump.headers["Content-Type"].startswith("text/turtle")
    # Written by a query worker (the server holds no graph), then served from its file.
    assert len(Graph().parse(data=dump.text, format="turtle")) == len(Graph().parse(data=requests.get(
        served + "/graph.nt", timeout=10).text, format="nt")) > 5000
    assert requests.get(served + "/graph.ttl", timeout=10).content == dump.content


def test_sparqlwrapper_against_the_served_endpoint(served):
    client = SPARQLWrapper(served + "/sparql")
    client.setQuery("""SELECT ?label WHERE {
        <https://w3id.org/mgi-graph/id/org/gtm/conamigua> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }""")
    client.setReturnFormat(JSON)
    labels = {b["label"]["value"] for b in client.query().convert()["results"]["bindings"]}
    assert "Consejo Nacional de Atención al Migrante de Guatemala" in labels


def test_a_runaway_query_is_stopped_and_the_server_answers_the_next(served):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    response = requests.get(served + "/sparql", params={"query": runaway}, timeout=30)
    assert response.status_code == 503
    assert time.monotonic() - started < 10 + 1 + 2  # the default limit, plus one second, plus slack
    assert requests.get(served + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_a_broken_file_stops_start_up_with_file_and_line(project_copy):
    (project_copy / "data" / "reference" / "zz-broken.ttl").write_text("<http://a> <http://b> .\n")
    result = subprocess.run([str(MGI_GRAPH), "--root", str(project_copy), "serve", "--port", str(free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "zz-broken.ttl:1" in result.stderr


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def test_workers_option_and_the_snapshot_folder_goes_when_the_server_stops(tmp_path):
    import os

    port = free_port()
    command = [str(MGI_GRAPH), "--root", str(PROJECT), "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=2).ok
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        snapshots = list(tmp_path.glob("mgi-graph-snapshot-*"))
        assert len(snapshots) == 1 and any(snapshots[0].iterdir())
        # multiprocessing's resource tracker is a child too; the query workers run serve_queries
        workers = [pid for pid in _children(process.pid)
                   if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not list(tmp_path.glob("mgi-graph-snapshot-*"))


def test_a_port_in_use_is_one_line_and_exit_2_before_serving_on():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([str(MGI_GRAPH), "--root", str(PROJECT), "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"error: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "serving on" not in result.stderr and "Traceback" not in result.stderr
