"""What the app holds: its settings and its store, reached through current_app."""

from __future__ import annotations

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

    @classmethod
    def create(cls, settings: Settings, store: Store | None = None) -> AppState:
        return cls(settings, store if store is not None else serving_store(settings))

    def labels(self, nodes) -> dict:
        return labels_for(self.store, nodes)

    def short(self, iri: str) -> str:
        return short_iri(str(iri), self.settings.base_iri)


def state() -> AppState:
    return current_app.extensions["mgi"]
