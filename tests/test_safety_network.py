"""No outbound request because of a query: the parsers read one text, and the workers that run
queries (and validations) cannot open a network socket at all."""

from __future__ import annotations

import socket
import threading

import pytest

from mgi_graph.bounded import BoundedStore, run_bounded
from mgi_graph.errors import MgiGraphError, QueryRefusedError, QuerySyntaxError
from mgi_graph.sparql_policy import expand_escapes, inspect_query


@pytest.fixture()
def listener():
    """A loopback socket standing in for a host the server must never reach; records each connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections: list = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connections.append(connection.recv(200))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", connections
    stop.set()
    thread.join()
    server.close()


def hidden_service(url: str) -> str:
    """A SERVICE clause hidden in a comment for a parser that expands \\u only inside strings."""
    return ('SELECT * WHERE { # \\u000A BIND("""\n'
            f'SERVICE <{url}> {{ ?s ?p ?o }} # """ AS ?x)\n}}')


def test_codepoint_escapes_are_expanded_once_anywhere_in_the_text():
    assert expand_escapes('SELECT ("\\u00e9cafe" AS ?x) {}') == 'SELECT ("écafe" AS ?x) {}'
    assert expand_escapes("ASK { <urn:\\U0001F600> ?p ?o }") == "ASK { <urn:\U0001F600> ?p ?o }"


def test_an_escape_that_spells_another_escape_is_refused():
    with pytest.raises(QueryRefusedError, match="another escape"):
        expand_escapes('SELECT ("\\u005Cu0041" AS ?x) {}')


def test_an_escape_of_a_surrogate_is_a_syntax_error():
    with pytest.raises(QuerySyntaxError, match="not a Unicode character"):
        expand_escapes('SELECT ("\\uD800" AS ?x) {}')


def test_the_checked_text_is_the_text_that_runs():
    info = inspect_query(hidden_service("http://127.0.0.1:9/x"))
    assert "\\u000A" not in info.text and info.kind == "SELECT"


def test_a_service_clause_hidden_by_an_escape_reaches_nobody(client, listener):
    url, connections = listener
    response = client.get("/sparql", query_string={"query": hidden_service(url)},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200  # both engines now read SERVICE as part of a string
    assert "SERVICE" in response.json["results"]["bindings"][0]["x"]["value"]
    assert connections == []


def test_a_query_worker_cannot_reach_the_network_even_past_the_policy(store, listener):
    url, connections = listener
    with BoundedStore(store, timeout=5, max_rows=10, max_output_bytes=10**6, workers=1) as pool:
        with pytest.raises(MgiGraphError, match="[Pp]ermission denied"):
            pool.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
    assert connections == []


def _open_a_socket(url: str) -> str:
    host, port = url.split("/")[2].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError as exc:
        return f"refused: {exc}"
    return "connected"


def test_a_bounded_function_cannot_open_a_network_socket(listener):
    url, connections = listener
    assert run_bounded(_open_a_socket, (url,), timeout=10).startswith("refused: [Errno 13]")
    assert connections == []
