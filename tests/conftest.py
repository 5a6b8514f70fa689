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
        message = f"{command} not found: {install_hint}"
        if os.environ.get(env_flag):
            pytest.fail(message)
        pytest.skip(message)
    return path
