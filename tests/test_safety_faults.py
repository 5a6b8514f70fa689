"""Faults: a remote store that is down, slow or talks garbage gives a clear 502/504 within its
timeout and the app recovers when it comes back; a broken data file stops start-up with file:line."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mgi_graph.errors import DataFileError
from mgi_graph.remote_store import RemoteStore
from mgi_graph.settings import Settings
from mgi_graph.store import build_store
from mgi_graph.web import create_app

TIMEOUT = 1.0
ASK = {"query": "ASK { ?s ?p ?o }"}
JSON = {"Accept": "application/sparql-results+json"}


class FakeStore(BaseHTTPRequestHandler):
    mode = "ok"

    def do_GET(self):  # noqa: N802 - the http.server API
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self):
        mode = type(self).mode
        if mode == "slow":
            time.sleep(TIMEOUT * 3)
        if mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        body = b"\x00garbage{{" if mode == "garbage" else json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def remote():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStore)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    FakeStore.mode = "ok"


def _client(url: str):
    settings = Settings(store=url, remote_timeout=TIMEOUT)
    store = RemoteStore(url, graph_prefix=settings.base_iri + "graph/", timeout=TIMEOUT)
    store._known = (time.monotonic() + 3600, "remote-test", [])  # skip the graph listing: the test is about queries
    return create_app({"MGI_SETTINGS": settings, "MGI_STORE": store, "TESTING": True}).test_client()


@pytest.mark.parametrize("mode, statuses", [("slow", {504}), ("garbage", {502}), ("error", {502})])
def test_a_misbehaving_store_gives_a_clear_status_within_its_timeout_then_recovers(remote, mode, statuses):
    client = _client(f"http://127.0.0.1:{remote.server_port}/sparql")
    FakeStore.mode = mode
    started = time.monotonic()
    response = client.get("/sparql", query_string=ASK, headers=JSON)
    assert response.status_code in statuses, response.get_data(as_text=True)
    assert time.monotonic() - started < TIMEOUT + 1
    assert "Traceback" not in response.get_data(as_text=True)
    FakeStore.mode = "ok"
    assert client.get("/sparql", query_string=ASK, headers=JSON).status_code == 200


def test_a_store_that_is_down_gives_502_and_recovery_follows(remote):
    port = remote.server_port
    client = _client(f"http://127.0.0.1:{port}/sparql")
    remote.shutdown()
    remote.server_close()
    started = time.monotonic()
    assert client.get("/sparql", query_string=ASK, headers=JSON).status_code in (502, 504)
    assert time.monotonic() - started < TIMEOUT + 1
    again = ThreadingHTTPServer(("127.0.0.1", port), FakeStore)
    threading.Thread(target=again.serve_forever, daemon=True).start()
    try:
        assert client.get("/sparql", query_string=ASK, headers=JSON).status_code == 200
    finally:
        again.shutdown()
        again.server_close()


def test_a_broken_file_stops_start_up_naming_file_and_line(project_copy):
    target = project_copy / "data" / "reference" / "zz-broken.ttl"
    target.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"open .\n")
    with pytest.raises(DataFileError) as caught:
        build_store(Settings(root=project_copy))
    assert caught.value.path.endswith("zz-broken.ttl") and caught.value.line == 2
    with pytest.raises(DataFileError):
        create_app({"MGI_SETTINGS": Settings(root=project_copy), "TESTING": True})
