"""Helpers for the safety tests: a loopback listener that records every connection, and a
store holding hostile labels."""

from __future__ import annotations

import socket
import threading

import pyoxigraph as ox

from mgi_graph.store import EmbeddedStore

EVIL = "https://w3id.org/mgi-graph/id/org/test/evil"
SCRIPT_LABEL = '<script>alert("x")</script>'
JS_IRI = "javascript:alert(1)"


class Listener:
    """A TCP server on a free loopback port; `hits` counts the connections it accepted."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def hostile_store(base: EmbeddedStore) -> EmbeddedStore:
    """A copy of `base` plus a thing whose label is a script and whose homepage is javascript:."""
    store = EmbeddedStore()
    quads = list(ox.parse(base.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    graph = ox.NamedNode("https://w3id.org/mgi-graph/id/graph/test")
    evil = ox.NamedNode(EVIL)
    quads += [
        ox.Quad(evil, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                ox.Literal(SCRIPT_LABEL, language="en"), graph),
        ox.Quad(evil, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("http://www.w3.org/ns/org#FormalOrganization"), graph),
        ox.Quad(evil, ox.NamedNode("http://xmlns.com/foaf/0.1/homepage"), ox.NamedNode(JS_IRI), graph),
    ]
    store.replace_all(quads, "hostile")
    return store
