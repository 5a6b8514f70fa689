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


# What a new user meets when an option or a path is wrong: one line and the documented exit code.

def test_base_iri_must_be_an_absolute_iri_ending_in_a_slash(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "--base-iri", "notaniri", "build"])
    assert result.exit_code == 2
    assert "--base-iri" in result.output and "absolute http(s) IRI ending in / or #" in result.output
    assert "mgi.ttl" not in result.output  # the ontology file is not to blame


def test_build_warns_when_no_subject_uses_the_base_iri(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "--base-iri", "https://example.org/x/", "build"])
    assert result.exit_code == 0, result.output
    assert "warning: no subject in the graph starts with the base IRI https://example.org/x/" in result.output
    assert "warning" not in runner.invoke(main, ["--root", str(settings.root), "build"]).output


def test_export_into_a_missing_folder_says_so(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "export", "--out", "/nonexistent-dir/x.ttl"])
    assert result.exit_code == 2
    assert "error: /nonexistent-dir/x.ttl: cannot write: folder /nonexistent-dir does not exist" in result.output


def test_store_that_is_a_file_is_refused(runner, settings, tmp_path, monkeypatch):
    monkeypatch.setattr("signal.signal", lambda *_: None)  # serve's SIGTERM handler stays out of pytest
    not_a_folder = tmp_path / "index"
    not_a_folder.write_text("")
    for command in ("build", "serve"):
        result = runner.invoke(main, ["--root", str(settings.root), command, "--store", str(not_a_folder)])
        assert result.exit_code == 2, result.output
        assert f"error: {not_a_folder}: not a folder" in result.output


def test_build_on_a_remote_store_that_is_down_exits_3(runner, settings):
    from .servers import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = runner.invoke(main, ["--root", str(settings.root), "build", "--store", url])
    assert result.exit_code == 3
    assert result.output.startswith(f"error: the SPARQL endpoint {url} is unreachable")


def test_serve_checks_the_port_range_and_the_host_before_starting(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "serve", "--port", "99999"])
    assert result.exit_code == 2 and "99999 is not in the range 1<=x<=65535" in result.output
    result = runner.invoke(main, ["--root", str(settings.root), "serve", "--host", "999.1.1.1"])
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot listen on 999.1.1.1:8000: ")
    assert "serving on" not in result.output


def test_load_takes_one_target(runner, settings):
    result = runner.invoke(main, ["--root", str(settings.root), "load", "--endpoint", "http://127.0.0.1:1/update",
                                  "--graph-store", "http://127.0.0.1:1/store"])
    assert result.exit_code == 2
    assert "--endpoint and --graph-store" in result.output and "give one" in result.output
