"""docs/queries.md is generated from the query headers and must not go stale."""

from __future__ import annotations

import importlib.util

from .conftest import PROJECT


def load_script():
    spec = importlib.util.spec_from_file_location("gen_query_docs", PROJECT / "scripts" / "gen_query_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_queries_md_is_up_to_date():
    expected = load_script().render(PROJECT)
    actual = (PROJECT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/queries.md is stale: run `python scripts/gen_query_docs.py`"


def test_readme_lists_the_query_commands():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    for command in ("mgi-graph query", "mgi-graph queries", "mgi-graph sparql", "/queries", "/openapi.json"):
        assert command in readme
