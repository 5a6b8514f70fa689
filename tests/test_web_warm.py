"""Warming the whole-graph pages as `serve` starts (web/warm.py)."""

from __future__ import annotations

import pytest

from mgi_graph.store import open_store
from mgi_graph.web import create_app
from mgi_graph.web.warm import WARM_PATHS, start_warm_up, warm_up


@pytest.fixture()
def cached_app(settings):
    """The app as serve builds it: the store behind the query cache."""
    return create_app({"MGI_SETTINGS": settings, "MGI_STORE": open_store(settings), "TESTING": True})


def test_warm_up_answers_every_page(cached_app):
    assert warm_up(cached_app) == {path: 200 for path in WARM_PATHS}


def test_after_warm_up_the_dashboard_asks_the_store_nothing_new(cached_app):
    store = cached_app.extensions["mgi"].store
    warm_up(cached_app)
    misses = store.misses
    assert cached_app.test_client().get("/dashboard").status_code == 200
    assert store.misses == misses and store.hits > 0


def test_warm_up_builds_the_dataset_description_for_the_current_version(cached_app):
    warm_up(cached_app, ["/dataset"])
    version, _facts = cached_app.extensions["mgi-cache"]["dataset-facts"]
    assert version == cached_app.extensions["mgi"].store.version


def test_the_background_warm_up_reports_failed_pages(cached_app):
    lines: list[str] = []
    start_warm_up(cached_app, lines.append, ["/dashboard", "/no-such-page"]).join(timeout=60)
    assert len(lines) == 1
    assert lines[0].startswith("warmed 2 pages in ") and lines[0].endswith("these failed: /no-such-page (404)")
