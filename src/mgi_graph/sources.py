"""The files the graph is built from, the named graph each goes to, and how each is parsed.

Parsing goes through Oxigraph's parsers: they are fast and report line and column, which
we pass on so a broken file is named with the place of the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import DataFileError
from .settings import Settings

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
FORMAT_NAMES = {"turtle": ".ttl", "ttl": ".ttl", "nt": ".nt", "ntriples": ".nt", "jsonld": ".jsonld",
                "json-ld": ".jsonld", "xml": ".rdf", "rdfxml": ".rdf", "rdf": ".rdf"}
_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    graph: str  # the named graph the file's triples go to

    @property
    def format(self) -> ox.RdfFormat:
        return format_for(self.path)


def format_for(path: Path, declared: str | None = None) -> ox.RdfFormat:
    suffix = FORMAT_NAMES.get(declared.lower(), "") if declared else path.suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise DataFileError(path, None, f"unknown RDF format {declared or path.suffix!r}; "
                                        f"use one of {', '.join(sorted(FORMATS))}") from None


def graph_iri(settings: Settings, *parts: str) -> str:
    return settings.base_iri + "graph/" + "/".join(parts)


def source_files(settings: Settings) -> list[SourceFile]:
    """Every file of the graph: the ontology, the reference data, then each profile folder."""
    files = [SourceFile(p, graph_iri(settings, "ontology")) for p in _rdf_files(settings.ontology_dir)]
    files += [SourceFile(p, graph_iri(settings, "reference")) for p in _rdf_files(settings.data_dir / "reference")]
    profiles = settings.data_dir / "profiles"
    if profiles.is_dir():
        for folder in sorted(p for p in profiles.iterdir() if p.is_dir()):
            files += [SourceFile(p, graph_iri(settings, "profile", folder.name)) for p in _rdf_files(folder)]
    return files


def _rdf_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())


def parse_file(path: Path, graph: str | None = None, *, declared_format: str | None = None,
               base_iri: str | None = None) -> list[ox.Quad]:
    """All the quads of one file, or a DataFileError naming the file, line and problem."""
    fmt = format_for(path, declared_format)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, None, exc.strerror or str(exc)) from exc
    return parse_bytes(data, fmt, name=str(path), graph=graph, base_iri=base_iri)


def parse_bytes(data: bytes, fmt: ox.RdfFormat, *, name: str, graph: str | None = None,
                base_iri: str | None = None) -> list[ox.Quad]:
    to_graph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        # Fresh blank-node ids per file, so two files' _:b0 never merge.
        parsed = ox.parse(data, format=fmt, base_iri=base_iri, rename_blank_nodes=True,
                          without_named_graphs=True)
        return [ox.Quad(q.subject, q.predicate, q.object, to_graph) for q in parsed]
    except (SyntaxError, ValueError, OSError) as exc:
        raise _data_error(name, exc) from None


def load_into(store: ox.Store, source: SourceFile, base_iri: str | None = None) -> None:
    """Parse one file straight into an Oxigraph store (no Python objects per triple: the fast path
    for large graphs). Oxigraph gives each load fresh blank-node ids, as parse_bytes does."""
    if source.format == ox.RdfFormat.TRIG or source.format == ox.RdfFormat.N_QUADS:
        raise DataFileError(source.path, None, "datasets (TriG, N-Quads) are not source files")
    try:
        store.load(path=source.path, format=source.format, to_graph=ox.NamedNode(source.graph),
                   base_iri=base_iri)
    except (SyntaxError, ValueError, OSError) as exc:
        raise _data_error(str(source.path), exc) from None


def _data_error(name: str, exc: Exception) -> DataFileError:
    message = str(exc)
    if isinstance(exc, SyntaxError):
        match = _LINE.search(message)
        if match:
            return DataFileError(name, int(match.group(1)), message.split(" (", 1)[0])
    return DataFileError(name, None, message)
