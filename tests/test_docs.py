"""Documentation that cannot drift: every command and every top-level page is in the README."""

from __future__ import annotations

import pytest

from mgi_graph.cli import main

from .conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name):
    assert f"`mgi-graph {name}" in README, f"document `mgi-graph {name}` in README.md's command table"


def test_readme_starts_with_the_two_commands():
    quick_start = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in quick_start] == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", ["/sparql", "/validate", "/queries", "/ontology", "/dataset", "/search",
                                  "/dashboard", "/paths", "/compare", "/downloads", "/openapi.json"])
def test_every_top_level_page_is_in_the_readme(app, rule):
    assert rule in {r.rule for r in app.url_map.iter_rules()}
    assert f"`{rule}" in README
