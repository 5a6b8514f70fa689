"""Settings: built by the CLI or handed to create_app(); never read at import time."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/mgi-graph/id/"
ONTOLOGY_IRI = "https://w3id.org/mgi-graph/ontology"


def default_root() -> Path:
    """The project folder that holds ontology/, data/, shapes/ and queries/."""
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=default_root)
    base_iri: str = DEFAULT_BASE_IRI
    # None: the embedded store in memory; a folder: the embedded store kept on disk;
    # an http(s) URL: a remote SPARQL 1.1 endpoint.
    store: str | None = None
    query_timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # rows a SELECT may return
    max_output_bytes: int = 20_000_000  # bytes a response may carry
    max_upload_bytes: int = 5_000_000  # bytes an uploaded profile may have
    remote_timeout: float = 10.0  # seconds to wait for a remote store
    remote_version_ttl: float = 30.0  # seconds a remote store's graph version is trusted before re-asking
    cache_entries: int = 512  # query results kept by the cache (keyed by query, bindings, graph version)
    cache_bytes: int = 64_000_000  # rough bytes the cached results may take
    # Worker processes that run queries under the time limit (bounded.py). None: two, or as many
    # as fit serve_memory_bytes when each holds its own copy of the graph in memory (at least one).
    query_workers: int | None = None
    serve_memory_bytes: int = 1_000_000_000  # what the in-memory query workers and the server may take together
    worker_memory_bytes: int = 1_000_000_000  # address space a query worker may use; 0: no cap
    max_query_bytes: int = 100_000  # bytes a SPARQL query text may have
    validate_timeout: float = 30.0  # seconds a web validation (/validate) may run, process start included

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]
