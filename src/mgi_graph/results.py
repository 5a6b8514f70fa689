"""A query's answer, independent of the store that produced it, and its serializations."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal as Kind

import orjson
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .terms import json_term, to_oxigraph, to_rdflib

SELECT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
RDFLIB_GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


@dataclass
class QueryResult:
    kind: Kind["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
    variables: list[str] = field(default_factory=list)
    rows: Sequence[tuple[Node | None, ...]] = field(default_factory=list)  # often LazyRows
    boolean: bool | None = None
    # A graph answer is an rdflib Graph, or Oxigraph's triples (ox.parse gives them as quads in the
    # default graph) from which as_graph() makes the Graph the first time it is asked for.
    graph: Graph | None = None
    triples: list[ox.Triple | ox.Quad] | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # for a graph answer's Turtle and RDF/XML

    @property
    def is_graph(self) -> bool:
        return self.kind in ("CONSTRUCT", "DESCRIBE")

    def as_graph(self) -> Graph:
        """A graph answer as an rdflib Graph, made from Oxigraph's triples the first time it is read
        (Turtle and N-Triples are written without it)."""
        if self.graph is None:
            assert self.triples is not None, "not a graph answer"
            graph = Graph()
            for triple in self.triples:
                graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            self.graph = graph
        return self.graph

    def as_dicts(self) -> list[dict[str, Node]]:
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]

    def serialize(self, fmt: str) -> bytes:
        """The result in one of SELECT_TYPES (SELECT/ASK) or GRAPH_TYPES (graphs) keys."""
        if self.is_graph:
            if self.triples is not None and fmt in ("ttl", "nt"):
                return oxigraph_graph_bytes(self.triples, {**rdflib_prefixes(), **self.prefixes}, fmt)
            graph = self.as_graph()
            for prefix, namespace in self.prefixes.items():
                graph.bind(prefix, namespace)
            return graph_bytes(graph, fmt)
        if fmt == "json":
            return json_bytes(self)
        writer = {"xml": to_xml, "csv": to_csv, "tsv": to_tsv}[fmt]
        return writer(self).encode("utf-8")


@cache
def rdflib_prefixes() -> dict[str, str]:
    """The prefixes rdflib binds in a new graph: Oxigraph writes a graph answer with the same."""
    return {str(prefix): str(namespace) for prefix, namespace in Graph().namespaces() if prefix}


def graph_bytes(graph: Graph, fmt: str) -> bytes:
    """A graph in one of GRAPH_TYPES' keys. Turtle and N-Triples are written by Oxigraph, several
    times faster than rdflib's writers (rdflib's Turtle writer cost more than most queries).
    rdflib writes JSON-LD and RDF/XML."""
    if fmt not in ("ttl", "nt"):
        return graph.serialize(format=RDFLIB_GRAPH_FORMATS[fmt], encoding="utf-8")
    try:
        triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    except (TypeError, ValueError):  # a term Oxigraph refuses (an odd blank node label): rdflib writes it
        return graph.serialize(format=RDFLIB_GRAPH_FORMATS[fmt], encoding="utf-8")
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    return oxigraph_graph_bytes(triples, prefixes, fmt)


def oxigraph_graph_bytes(triples: list[ox.Triple | ox.Quad], prefixes: dict[str, str], fmt: str) -> bytes:
    """Triples as Turtle ("ttl", with those of the prefixes it uses) or N-Triples ("nt"), written
    by Oxigraph. They go in sorted, so each subject's are written together."""
    ordered = sorted(triples, key=_triple_key)
    if fmt == "nt":
        return ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES)
    body = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return _drop_unused_prefixes(body, prefixes)


def _triple_key(triple: ox.Triple | ox.Quad) -> tuple[str, str, str]:
    return triple.subject.value, triple.predicate.value, triple.object.value


def _drop_unused_prefixes(turtle: bytes, prefixes: dict[str, str]) -> bytes:
    """Oxigraph declares every prefix it is given; keep those the body uses (a prefix name that
    only appears inside a literal keeps its harmless declaration)."""
    lines = turtle.split(b"\n")
    first_body = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    body = b"\n".join(lines[first_body:])
    kept = [line for line in lines[:first_body] if line.split(b" ", 2)[1] in body]
    return b"\n".join(kept + lines[first_body:])


def term_json(term: Node) -> dict[str, str]:
    kind = type(term)  # exact types first: this runs for every cell of a JSON answer
    if kind is URIRef:
        return {"type": "uri", "value": str(term)}
    if kind is Literal or isinstance(term, Literal):
        language = term.language  # type: ignore[attr-defined]
        if language:
            return {"type": "literal", "value": str(term), "xml:lang": language}
        datatype = term.datatype  # type: ignore[attr-defined]
        if datatype is not None:
            return {"type": "literal", "value": str(term), "datatype": str(datatype)}
        return {"type": "literal", "value": str(term)}
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    assert isinstance(term, BNode)
    return {"type": "bnode", "value": str(term)}


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    return json_bytes(result).decode("utf-8")


def json_bytes(result: QueryResult) -> bytes:
    """to_json as UTF-8 bytes, written by orjson: for an answer of a thousand rows, json.dumps cost
    more than moving the rows out of the query worker."""
    if result.kind == "ASK":
        return orjson.dumps({"head": {}, "boolean": bool(result.boolean)})
    names = result.variables
    if isinstance(result.rows, JsonRows):  # the engine's own bindings, not the rows encoded again
        return orjson.dumps({"head": {"vars": names}, "results": {"bindings": result.rows.bindings}})
    bindings = [{name: term_json(term) for name, term in zip(names, row, strict=True) if term is not None}
                for row in result.rows]
    return orjson.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})


def from_sparql_json(body: bytes) -> QueryResult:
    """A SELECT answer from SPARQL 1.1 JSON results as Oxigraph writes them (solutions_json): the
    bindings are kept for the JSON answer, and made rdflib terms only when the rows are read."""
    data = orjson.loads(body)
    variables = data["head"]["vars"]
    bindings = data["results"]["bindings"]
    return QueryResult("SELECT", variables=variables, rows=JsonRows(bindings, variables))


class LazyRows(Sequence):
    """Rows of rdflib terms, made from the engine's own form of the answer the first time one is
    read; counting and slicing them makes none. A JSON answer of a thousand rows is served without
    them, and a page makes only its own."""

    def __init__(self, items: list, variables: list[str]) -> None:
        self.items = items  # one per row, as the engine gave it
        self.variables = variables
        self._rows: list[tuple[Node | None, ...]] | None = None

    def _decode(self, item) -> tuple[Node | None, ...]:
        raise NotImplementedError

    def _decoded(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            self._rows = [self._decode(item) for item in self.items]
        return self._rows

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(self.items[index], self.variables)
        return self._decoded()[index]

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self._decoded())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._decoded())


class JsonRows(LazyRows):
    """Rows from SPARQL JSON bindings (a query worker's answer, written by Oxigraph)."""

    @property
    def bindings(self) -> list[dict]:
        return self.items  # as the engine wrote them: what a JSON answer sends

    def _decode(self, item: dict) -> tuple[Node | None, ...]:
        return tuple(json_term(item[name]) if name in item else None for name in self.variables)


class OxigraphRows(LazyRows):
    """Rows from Oxigraph's own solutions (an answer in this process): the query is evaluated in
    full, its terms become rdflib terms when read."""

    def _decode(self, item: ox.QuerySolution) -> tuple[Node | None, ...]:
        return tuple(map(to_rdflib, item))


def _xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f'<variable name="{_xml_escape(v)}"/>' for v in result.variables]
    out.append("</head>")
    if result.kind == "ASK":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.as_dicts():
            out.append("<result>")
            for name, term in row.items():
                out.append(f'<binding name="{_xml_escape(name)}">{_xml_term(term)}</binding>')
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f'<literal xml:lang="{_xml_escape(term.language)}">{_xml_escape(str(term))}</literal>'
    if term.datatype is not None:
        return f'<literal datatype="{_xml_escape(str(term.datatype))}">{_xml_escape(str(term))}</literal>'
    return f"<literal>{_xml_escape(str(term))}</literal>"


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends, quoted where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buffer.getvalue()


def tsv_term(term: Node | None) -> str:
    """One TSV cell: the term in Turtle/SPARQL syntax, as the TSV results format requires."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        # Section 4 of the TSV format: literals in SPARQL syntax; tabs and newlines escaped.
        lexical = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    return term.n3()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV Format (rdflib has no writer for it)."""
    if result.kind == "ASK":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"
