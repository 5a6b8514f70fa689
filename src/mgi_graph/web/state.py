"""What the app holds: its settings and its store, reached through current_app."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from ..bounded import serving_store
from ..export import ExportFiles
from ..labels import labels_for, short_iri
from ..settings import Settings
from ..store import Store


@dataclass
class AppState:
    settings: Settings
    store: Store
    exports: ExportFiles = field(default_factory=ExportFiles)  # the whole-graph downloads
    # How many /sparql queries may run at once: one query worker fewer than the pool has, so two
    # slow queries from outside cannot keep the pages and saved queries waiting (None: no limit,
    # when the store has no pool or a pool of one).
    sparql_lane: threading.BoundedSemaphore | None = None

    @classmethod
    def create(cls, settings: Settings, store: Store | None = None) -> AppState:
        store = store if store is not None else serving_store(settings)
        workers = getattr(store, "size", None)  # a BoundedStore's pool (through the cache)
        lane = threading.BoundedSemaphore(workers - 1) if isinstance(workers, int) and workers > 1 else None
        return cls(settings, store, sparql_lane=lane)

    def labels(self, nodes) -> dict:
        return labels_for(self.store, nodes)

    def short(self, iri: str) -> str:
        return short_iri(str(iri), self.settings.base_iri)


def state() -> AppState:
    return current_app.extensions["mgi"]
