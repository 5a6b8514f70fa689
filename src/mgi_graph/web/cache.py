"""Things built once per app and per store version (ontology docs, dataset counts), lazily."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from .state import state

T = TypeVar("T")


def cached(key: str, build: Callable[[], T]) -> T:
    """build() the first time key is asked for, and again whenever the store's content changes."""
    cache: dict[str, tuple[str, object]] = current_app.extensions.setdefault("mgi-cache", {})
    version = state().store.version
    entry = cache.get(key)
    if entry is None or entry[0] != version:
        entry = (version, build())
        cache[key] = entry
    return entry[1]  # type: ignore[return-value]
