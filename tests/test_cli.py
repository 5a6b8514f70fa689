"""The foundation commands, as a user runs them."""

from __future__ import annotations

import pytest
from rdflib import Graph

from mgi_graph.cli import main
from mgi_graph.sources import source_files

from .conftest import require_tool


def test_build_reports_counts(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "build"])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output
    assert "https://w3id.org/mgi-graph/ontology#Finding" in result.output
    assert "derived at build time" in result.output and "graph/inferred" in result.output


def test_build_fails_with_file_and_line(runner, project_copy):
    (project_copy / "data" / "reference" / "zz-broken.ttl").write_text("<http://a> <http://b> .\n")
    result = runner.invoke(main, ["--root", str(project_copy), "build"])
    assert result.exit_code == 2
    assert "zz-broken.ttl:1" in result.output


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_round_trips(runner, settings, store, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(main, ["--root", str(settings.root), "export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    stated = Graph()
    for source in source_files(settings):
        stated.parse(source.path)
    # What the sources state, not the derived type closure (the inferred graph).
    assert len(Graph().parse(out, format=rdflib_format)) == len(stated)


def test_export_to_stdout(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "export"])
    assert result.exit_code == 0
    assert "@prefix mgi: <https://w3id.org/mgi-graph/ontology#>" in result.output


@pytest.mark.reasoner
def test_reason_says_consistent(runner, settings):
    require_tool("java", "MGI_REQUIRE_JAVA", "apt-get install default-jre-headless (.ci/run does)")
    result = runner.invoke(main, ["--root", str(settings.root), "reason"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("consistent")
    follow_up = "https://w3id.org/mgi-graph/ontology#FollowUpAssessment"
    assert f"https://w3id.org/mgi-graph/id/assessment/gtm-2022  a  {follow_up}" in result.output
    # Nothing else is inferred: a surprise here (a programme inferred to be an assessment, say)
    # means a domain or range axiom and the data disagree.
    assert "consistent; 1 inferred class memberships" in result.output


@pytest.mark.reasoner
def test_reason_exits_1_when_inconsistent(runner, project_copy):
    require_tool("java", "MGI_REQUIRE_JAVA", "apt-get install default-jre-headless (.ci/run does)")
    # An instrument that is also an organisation breaks a disjointness axiom.
    (project_copy / "data" / "profiles" / "gtm-2022" / "zz-clash.ttl").write_text(
        "<https://w3id.org/mgi-graph/id/x> a <https://w3id.org/mgi-graph/ontology#Instrument> ,"
        " <https://w3id.org/mgi-graph/ontology#PublicBody> .\n")
    result = runner.invoke(main, ["--root", str(project_copy), "reason"])
    assert result.exit_code == 1
    assert "INCONSISTENT" in result.output


def test_reason_without_java_says_what_to_install(runner, settings, monkeypatch):
    monkeypatch.setattr("mgi_graph.reason.shutil.which", lambda name: None)
    result = runner.invoke(main, ["--root", str(settings.root), "reason"])
    assert result.exit_code == 3
    assert "default-jre-headless" in result.output
