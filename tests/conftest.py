"""Shared fixtures: the real project graph, built once, and an app around it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mgi_graph.settings import Settings
from mgi_graph.store import build_store
from mgi_graph.web import create_app

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=PROJECT)


@pytest.fixture(scope="session")
def store(settings):
    return build_store(settings)


@pytest.fixture(scope="session")
def graph(store):
    """The whole graph as rdflib, for tests that inspect triples directly."""
    return store.to_rdflib()


@pytest.fixture(scope="session")
def app(settings, store):
    return create_app({"MGI_SETTINGS": settings, "MGI_STORE": store, "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project's graph sources, for tests that break a file."""
    for name in ("ontology", "data", "shapes", "queries"):
        if (PROJECT / name).exists():
            shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


def require_tool(command: str, env_flag: str, install_hint: str) -> str:
    """The tool's path; skip (locally) or fail (in CI, where env_flag is set) when it is missing."""
    path = shutil.which(command)
    if path is None:
        skip_unless_required(f"{command} not found: {install_hint}", env_flag)
    return path


def skip_unless_required(message: str, env_flag: str) -> None:
    """Skip with the reason locally; fail in CI, where .ci/run sets env_flag because it provides the tool."""
    if os.environ.get(env_flag):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(app):
    """The app under a real waitress server on a free loopback port, in a thread; yields the base URL."""
    import threading

    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="mgi-graph-test")
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian's package, driven by Playwright (never a downloaded browser)."""
    require_tool(CHROMIUM, "MGI_REQUIRE_BROWSER", "apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
