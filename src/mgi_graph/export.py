"""Whole-graph dumps in the formats researchers reuse."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import threading
import weakref

import pyoxigraph as ox

from .results import graph_bytes
from .store import Store

# Written by Oxigraph from the embedded store: at a million triples an rdflib graph took 40 s and
# 2.4 GB. Its JSON-LD is the expanded form (full IRIs, no @context).
OXIGRAPH_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
PREFIXES = {
    "mgi": "https://w3id.org/mgi-graph/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Prefixes the data files declare besides PREFIXES: for pages that name their terms.
DATA_PREFIXES = {"cv": "http://data.europa.eu/m8g/", "dcat": "http://www.w3.org/ns/dcat#",
                 "void": "http://rdfs.org/ns/void#", "foaf": "http://xmlns.com/foaf/0.1/"}


def export_graph(store: Store, fmt: str) -> bytes:
    """The union of every graph, as Turtle, N-Triples or JSON-LD."""
    dump = getattr(store, "dump", None)
    if fmt in OXIGRAPH_FORMATS and dump is not None:  # the embedded store writes these itself
        return dump(OXIGRAPH_FORMATS[fmt], prefixes=PREFIXES)
    graph = store.to_rdflib()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph_bytes(graph, fmt)


class ExportFiles:
    """The whole-graph downloads as files, written once per graph version and format (by the store
    itself, or a query worker) and then served as they are: the server holds no copy of the graph
    and a repeated download costs nothing. Kept in a temporary folder that records its owner, so a
    folder left by a server killed outright is removed by the next (bounded_worker)."""

    def __init__(self) -> None:
        self._folder: str | None = None
        self._files: dict[tuple[str, str], str] = {}
        self._numbers = itertools.count()  # never reused: a stale file is removed by its own name
        self._lock = threading.Lock()

    def path(self, store: Store, fmt: str) -> str | None:
        """The file for fmt of the store's current version; None when the store cannot write one
        itself (a remote store: the caller exports through rdflib)."""
        dump_to = getattr(store, "dump_to", None)
        if dump_to is None or fmt not in OXIGRAPH_FORMATS:
            return None
        key = (store.version, fmt)
        with self._lock:  # one writer at a time: a second request for the same file waits for it
            found = self._files.get(key)
            if found is not None and os.path.exists(found):
                return found
            folder = self._ensure_folder()
            path = os.path.join(folder, f"graph-{next(self._numbers)}.{fmt}")
            dump_to(path + ".part", OXIGRAPH_FORMATS[fmt], prefixes=PREFIXES)
            os.replace(path + ".part", path)
            for old_key in [k for k in self._files if k[0] != store.version]:
                with contextlib.suppress(OSError):  # already gone: nothing to free
                    os.remove(self._files.pop(old_key))
            self._files[key] = path
            return path

    def _ensure_folder(self) -> str:
        if self._folder is None:
            from .bounded_worker import owned_temp_folder

            self._folder = owned_temp_folder("exports-")
            weakref.finalize(self, shutil.rmtree, self._folder, True)
        return self._folder
