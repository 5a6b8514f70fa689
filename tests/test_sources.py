"""Every source file parses, and a broken one is named with its line."""

from __future__ import annotations

import pytest

from mgi_graph.errors import DataFileError
from mgi_graph.sources import parse_file, source_files
from mgi_graph.store import build_store


def test_every_source_file_parses(settings):
    files = source_files(settings)
    assert any(f.path.parent.name == "gtm-2022" for f in files)
    for source in files:
        assert parse_file(source.path, source.graph), f"{source.path} is empty"


def test_each_folder_goes_to_its_own_named_graph(store, settings):
    names = store.graph_names()
    assert settings.base_iri + "graph/ontology" in names
    assert settings.base_iri + "graph/reference" in names
    assert settings.base_iri + "graph/profile/gtm-2022" in names


def test_broken_turtle_names_file_and_line(project_copy, settings):
    bad = project_copy / "data" / "profiles" / "gtm-2022" / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unclosed .\n')
    with pytest.raises(DataFileError) as caught:
        build_store(settings.with_changes(root=project_copy))
    assert caught.value.path.endswith("broken.ttl")
    assert caught.value.line == 3


def test_blank_nodes_of_two_files_never_merge(tmp_path):
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text("_:b0 <http://example.org/p> 1 .\n")
    two.write_text("_:b0 <http://example.org/p> 2 .\n")
    subjects = {q.subject for q in parse_file(one) + parse_file(two)}
    assert len(subjects) == 2
