"""`mgi-graph queries`, `query` and `sparql`, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import time

from rdflib import Graph

from mgi_graph.cli import main


def invoke(runner, settings, *args):
    return runner.invoke(main, ["--root", str(settings.root), *args])


def test_queries_lists_names_and_summaries(runner, settings):
    result = invoke(runner, settings, "queries")
    assert result.exit_code == 0, result.output
    assert "members" in result.output and "The members of a council, forum or mechanism" in result.output


def test_query_table_shows_labels_beside_iris(runner, settings):
    result = invoke(runner, settings, "query", "members", "--param",
                    "body=https://w3id.org/mgi-graph/id/org/gtm/cap")
    assert result.exit_code == 0, result.output
    assert "Guatemalan Migration Institute <org/gtm/igm>" in result.output
    assert "(13 rows)" in result.output


def test_query_json_is_sparql_results(runner, settings):
    result = invoke(runner, settings, "query", "instruments-in-force", "-p", "year=2025", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "instrument" in data["head"]["vars"]
    values = {b["instrument"]["value"] for b in data["results"]["bindings"]}
    assert "https://w3id.org/mgi-graph/id/instrument/gtm/decree-no-44-2016" in values


def test_query_csv_and_tsv(runner, settings):
    out = invoke(runner, settings, "query", "findings-by-dimension-and-outcome", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(int(r["findings"]) for r in rows) == 64
    tsv = invoke(runner, settings, "query", "assessments", "--format", "tsv").output
    assert tsv.startswith("?assessment\t")


def test_construct_as_turtle(runner, settings):
    result = invoke(runner, settings, "query", "institution-neighbourhood", "--format", "ttl")
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.output, format="turtle")) > 20


def test_bad_parameter_exits_2_naming_it(runner, settings):
    result = invoke(runner, settings, "query", "instruments-in-force", "-p", "year=soon")
    assert result.exit_code == 2
    assert "'year'" in result.output and "not an integer" in result.output


def test_unknown_query_and_malformed_param(runner, settings):
    assert invoke(runner, settings, "query", "nope").exit_code == 2
    result = invoke(runner, settings, "query", "members", "-p", "body")
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_sparql_inline_and_from_file(runner, settings, tmp_path):
    result = invoke(runner, settings, "sparql", "ASK WHERE { ?s a <https://w3id.org/mgi-graph/ontology#Finding> }")
    assert result.exit_code == 0 and result.output.strip() == "yes"
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/mgi-graph/ontology#Finding> }")
    result = invoke(runner, settings, "sparql", f"@{path}", "--format", "csv")
    assert result.exit_code == 0 and result.output.splitlines()[1].strip() == "64"


def test_sparql_syntax_error_exits_2(runner, settings):
    result = invoke(runner, settings, "sparql", "SELECT WHERE {")
    assert result.exit_code == 2 and "error" in result.output


def test_sparql_service_is_refused_and_nothing_is_sent(runner, settings):
    from .safety_support import Listener

    with Listener() as listener:
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}sparql> {{ ?s ?p ?o }} }} LIMIT 1"
        result = invoke(runner, settings, "sparql", query)
        time.sleep(0.3)  # a connection, had one been made, is accepted by now
        assert listener.hits == 0
    assert result.exit_code == 2
    assert result.output == "error: SERVICE is not allowed: this endpoint makes no requests to other services\n"


def test_sparql_refuses_updates_and_foreign_graphs_as_the_endpoint_does(runner, settings):
    for update in ("INSERT DATA { <http://a> <http://b> <http://c> }", "DROP ALL", "LOAD <http://127.0.0.1:1/x>"):
        result = invoke(runner, settings, "sparql", update)
        assert result.exit_code == 2
        assert result.output.startswith("error: SPARQL Update is not accepted"), result.output
    result = invoke(runner, settings, "sparql", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert result.exit_code == 2 and "FROM / FROM NAMED may only name graphs" in result.output


def test_sparql_file_that_is_not_utf8(runner, settings, tmp_path):
    path = tmp_path / "q.rq"
    path.write_bytes("SELECT * WHERE { ?s ?p \"café\" }".encode("latin-1"))
    result = invoke(runner, settings, "sparql", f"@{path}")
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {path}: not UTF-8 text (byte 0xe9 at offset 27)")


def test_queries_shows_a_parameter_with_a_default_as_optional(runner, settings):
    result = invoke(runner, settings, "queries")
    assert "[institution=iri? (default https://w3id.org/mgi-graph/id/org/gtm/igm)]" in result.output


def test_an_empty_or_repeated_parameter_is_an_error(runner, settings):
    result = invoke(runner, settings, "query", "institution-links", "-p", "institution=")
    assert result.exit_code == 2 and "--param 'institution=': empty value" in result.output
    result = invoke(runner, settings, "query", "members", "-p", "body=https://w3id.org/mgi-graph/id/org/gtm/cap",
                    "-p", "body=https://w3id.org/mgi-graph/id/org/gtm/igm")
    assert result.exit_code == 2 and "--param body= given twice" in result.output


def test_format_mismatch_says_an_ask_query(runner, settings):
    result = invoke(runner, settings, "sparql", "ASK {}", "--format", "ttl")
    assert result.exit_code == 2
    assert result.output == "error: an ASK query gives a yes or no: use --format table, json, csv or tsv\n"


def test_a_bracketed_iri_from_a_table_can_be_pasted_back(runner):
    from mgi_graph.cli import main

    result = runner.invoke(main, ["query", "members", "--param", "body=<org/gtm/cap>"])
    assert result.exit_code == 0 and "Guatemalan Migration Institute" in result.output
