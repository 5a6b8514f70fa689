"""Putting the graph into a SPARQL server (`mgi-graph load`; never done by the web app).

Each named graph is replaced whole: by the Graph Store HTTP Protocol (one PUT per graph), or by
SPARQL Update (DROP SILENT GRAPH, then INSERT in chunks). Chunks never split the triples of
one blank node, so a period stays one node on the server.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import URIRef

from .errors import StoreUnavailableError

AGENT = "mgi-graph (https://w3id.org/mgi-graph)"


def put_graph(graph_store: str, graph: str, ntriples: bytes, timeout: float) -> None:
    """Replace one graph through the Graph Store HTTP Protocol."""
    separator = "&" if "?" in graph_store else "?"
    request = urllib.request.Request(graph_store + separator + urlencode({"graph": graph}), data=ntriples,
                                     method="PUT", headers={"Content-Type": "application/n-triples",
                                                            "User-Agent": AGENT})
    _send(request, graph_store, timeout)


def update_graph(endpoint: str, graph: str, ntriples: bytes, timeout: float, chunk: int = 10_000) -> int:
    """Replace one graph through SPARQL Update; returns the number of requests sent."""
    name = URIRef(graph).n3()
    requests = 0
    for number, lines in enumerate(chunks(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), chunk)):
        drop = f"DROP SILENT GRAPH {name} ;\n" if number == 0 else ""
        # INSERT … WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA.
        _update(endpoint, f"{drop}INSERT {{ GRAPH {name} {{\n{chr(10).join(lines)}\n}} }} WHERE {{}}", timeout)
        requests += 1
    if requests == 0:
        _update(endpoint, f"DROP SILENT GRAPH {name}", timeout)
    return requests


def _update(endpoint: str, text: str, timeout: float) -> None:
    request = urllib.request.Request(endpoint, data=text.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/sparql-update", "User-Agent": AGENT})
    _send(request, endpoint, timeout)


def _send(request: urllib.request.Request, where: str, timeout: float) -> None:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise StoreUnavailableError(f"{where} answered HTTP {exc.code}: {detail}") from None
    except TimeoutError:
        raise StoreUnavailableError(f"{where} did not answer within {timeout:g} s", timeout=True) from None
    except (urllib.error.URLError, OSError) as exc:
        raise StoreUnavailableError(f"{where} is unreachable: {getattr(exc, 'reason', exc)}") from None


def chunks(triples: Iterable[ox.Triple | ox.Quad], size: int) -> Iterator[list[str]]:
    """N-Triples lines in chunks of about `size`; the triples of one blank node stay together."""
    groups: dict[object, list[str]] = {}
    roots = _BlankRoots()
    for triple in triples:
        line = f"{triple.subject} {triple.predicate} {triple.object} ."
        blanks = [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        key = roots.join(blanks) if blanks else object()
        groups.setdefault(key, []).append(line)
    merged: dict[object, list[str]] = {}
    for key, lines in groups.items():
        merged.setdefault(roots.find(key) if isinstance(key, str) else key, []).extend(lines)
    batch: list[str] = []
    for lines in merged.values():
        if batch and len(batch) + len(lines) > size:
            yield batch
            batch = []
        batch += lines
    if batch:
        yield batch


class _BlankRoots:
    """Union-find over blank-node ids: blank nodes linked by a triple share a root."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, blanks: list[ox.BlankNode]) -> str:
        first = self.find(blanks[0].value)
        for other in blanks[1:]:
            self.parent[self.find(other.value)] = first
        return first


def push_store(store, *, endpoint: str | None = None, graph_store: str | None = None, timeout: float = 60.0,
               chunk: int = 10_000, progress: Callable[[str], None] | None = None) -> int:
    """Replace every named graph of an embedded store on the server; returns the triples sent."""
    sent = 0
    for graph in store.graph_names():
        data = store.dump_graph(graph)
        if graph_store:
            put_graph(graph_store, graph, data, timeout)
        else:
            assert endpoint, "give an update endpoint or a graph store"
            update_graph(endpoint, graph, data, timeout, chunk)
        sent += data.count(b"\n")
        if progress is not None:
            progress(graph)
    return sent
