"""A store answered by any SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB).

Through SPARQLWrapper, with a deadline on every request; parameters travel as a VALUES block
of typed terms (sparql_values); SELECT/ASK answers come back as SPARQL JSON, graphs as Turtle.
Anything that goes wrong on the way (refused, too slow, an HTTP error, an unreadable answer)
is a StoreUnavailableError, and the next request simply tries again.

The server's default graph must be the union of its named graphs (Virtuoso's default; start
Oxigraph with --union-default-graph; Fuseki with tdb:unionDefaultGraph).
"""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Mapping, Sequence
from http.client import HTTPException

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from .binding import with_values
from .errors import QuerySyntaxError, ResultTooLargeError, StoreUnavailableError
from .results import QueryResult
from .settings import Settings
from .sources import graph_iri
from .sparql_files import internal_query
from .sparql_values import hoist_trailing_values, query_form
from .store import limited
from .terms import json_term

AGENT = "mgi-graph (https://w3id.org/mgi-graph)"
_CHUNK = 1 << 16


class RemoteStore:
    """The Store protocol over HTTP. Holds no connection: each request stands alone."""

    def __init__(self, endpoint: str, *, graph_prefix: str, timeout: float = 10.0,
                 version_ttl: float = 30.0) -> None:
        self.endpoint = endpoint
        self.graph_prefix = graph_prefix
        self.timeout = timeout
        self.version_ttl = version_ttl
        self._known: tuple[float, str, list[str]] | None = None  # (checked at, version, graph names)

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        assert settings.store
        return cls(settings.store, graph_prefix=graph_iri(settings, ""), timeout=settings.remote_timeout,
                   version_ttl=settings.remote_version_ttl)

    # -- what the server holds -----------------------------------------------------------
    @property
    def version(self) -> str:
        return self._refresh()[1]

    def graph_names(self) -> list[str]:
        return list(self._refresh()[2])

    def count(self) -> int:
        result = self.query(internal_query("remote-count"), self._prefix_binding())
        return int(result.rows[0][0]) if result.rows and result.rows[0][0] is not None else 0

    def _refresh(self) -> tuple[float, str, list[str]]:
        """The graph version (the triple count) and graph names, asked again after version_ttl seconds."""
        known = self._known
        if known is None or time.monotonic() - known[0] > self.version_ttl:
            rows = self.query(internal_query("remote-graphs"), self._prefix_binding()).rows
            names = sorted(str(row[0]) for row in rows if row[0] is not None)
            known = (time.monotonic(), f"remote-{self.count()}-{len(names)}", names)
            self._known = known
        return known

    def _prefix_binding(self) -> dict[str, Node]:
        return {"_prefix": Literal(self.graph_prefix)}

    # -- queries ---------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, union_default: bool = True,
              base_iri: str | None = None, timeout: float | None = None) -> QueryResult:
        """Run a query on the endpoint. With union_default the server's own default graph is used
        (the union); default_graphs/named_graphs go as the protocol's dataset parameters."""
        try:
            text = with_values(hoist_trailing_values(sparql), bindings or {})
        except ValueError as exc:
            raise QuerySyntaxError(str(exc)) from None
        if base_iri:
            text = f"BASE {URIRef(base_iri).n3()}\n{text}"
        wrapper = self._wrapper(text, default_graphs or (), named_graphs or (), timeout or self.timeout)
        graph_kind = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_kind else JSON)
        body, media = self._send(wrapper, timeout or self.timeout)
        if graph_kind:
            return QueryResult(wrapper.queryType, triples=parse_graph(body, media, max_rows))  # type: ignore[arg-type]
        return parse_json(body, max_rows, ask=wrapper.queryType == "ASK")

    def to_rdflib(self) -> Graph:
        """Every triple of our graphs as one rdflib Graph; a dump may take ten times a query's time."""
        result = self.query(internal_query("remote-dump"), self._prefix_binding(), timeout=self.timeout * 10)
        return result.as_graph()

    def _wrapper(self, text: str, default_graphs: Sequence[str], named_graphs: Sequence[str],
                 timeout: float) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, agent=AGENT)
        wrapper.setMethod(POST)
        wrapper.timeout = timeout  # type: ignore[assignment]  # setTimeout() would round 0.5 down to "none"
        wrapper.setQuery(text)
        wrapper.queryType = query_form(text)
        for graph in default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in named_graphs:
            wrapper.addNamedGraph(graph)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, timeout: float) -> tuple[bytes, str]:
        """The answer's bytes and media type, read before the deadline, or a StoreUnavailableError."""
        deadline = time.monotonic() + timeout
        where = f"the SPARQL endpoint {self.endpoint}"
        try:
            response = wrapper.query().response
            media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            chunks = []
            while chunk := response.read(_CHUNK):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError
            return b"".join(chunks), media
        except QueryBadFormed as exc:
            raise QuerySyntaxError(f"{where} refused the query: {_short(exc)}") from None
        except TimeoutError:
            raise StoreUnavailableError(f"{where} did not answer within {timeout:g} s", timeout=True) from None
        except urllib.error.HTTPError as exc:
            raise StoreUnavailableError(f"{where} answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise StoreUnavailableError(f"{where} did not answer within {timeout:g} s", timeout=True) from None
            raise StoreUnavailableError(f"{where} is unreachable: {exc.reason}") from None
        except (SPARQLWrapperException, HTTPException, OSError, ValueError) as exc:
            raise StoreUnavailableError(f"{where} failed: {_short(exc)}") from None


def _short(exc: Exception, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "…"


def parse_json(body: bytes, max_rows: int | None, *, ask: bool = False) -> QueryResult:
    """SPARQL 1.1 JSON results as a QueryResult of rdflib terms. An ASK answer may also come as
    Virtuoso sends it: a result set of one row (`__ASK_RETVAL` 1) when true and none when false."""
    try:
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult("ASK", boolean=bool(data["boolean"]))
        if ask:
            rows = data["results"]["bindings"]
            return QueryResult("ASK", boolean=any(cell.get("value") not in ("0", "false")
                                                  for row in rows for cell in row.values()))
        variables = list(data["head"]["vars"])
        bindings = data["results"]["bindings"]
        if max_rows is not None and len(bindings) > max_rows:
            raise ResultTooLargeError(f"the result has more than {max_rows} rows; add a LIMIT")
        rows = [tuple(json_term(b[v]) if v in b else None for v in variables) for b in bindings]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreUnavailableError(f"the SPARQL endpoint sent an unreadable answer: {_short(exc)}") from None
    return QueryResult("SELECT", variables=variables, rows=rows)



_GRAPH_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                  "application/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                  "text/plain": ox.RdfFormat.N_TRIPLES, "text/rdf+n3": ox.RdfFormat.TURTLE}


def parse_graph(body: bytes, media: str, max_rows: int | None) -> list[ox.Quad]:
    """A Turtle or N-Triples answer's triples, parsed by Oxigraph (as quads in the default graph)."""
    try:
        return limited(ox.parse(body, format=_GRAPH_FORMATS.get(media, ox.RdfFormat.TURTLE)), max_rows, "triples")
    except (SyntaxError, ValueError) as exc:
        raise StoreUnavailableError(f"the SPARQL endpoint sent an unreadable graph: {_short(exc)}") from None
