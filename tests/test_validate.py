"""The validator: library, CLI exit codes and formats, mutations of the real profile, bad inputs."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

import mgi_graph
from mgi_graph.cli import main
from mgi_graph.errors import DataFileError
from mgi_graph.settings import Settings
from mgi_graph.sources import source_files
from mgi_graph.store import load_sources
from mgi_graph.validate import InputFile, load_shapes, validate, validate_quads

ID = "https://w3id.org/mgi-graph/id/"
MGI = "https://w3id.org/mgi-graph/ontology#"
MGSH = "https://w3id.org/mgi-graph/shapes#"
SKOS_NOTE = ox.NamedNode("http://www.w3.org/2004/02/skos/core#editorialNote")

# Data problems found by the shapes, reported to the data owners (see docs/validation.md).
@pytest.fixture(scope="module")
def profile(settings) -> list[ox.Quad]:
    return load_sources(source_files(settings))


@pytest.fixture(scope="module")
def shapes(settings):
    return load_shapes(settings.shapes_dir)


@pytest.fixture()
def profile_files(settings):
    return sorted(str(p) for p in (settings.data_dir / "profiles" / "gtm-2022").glob("*.ttl"))


def failures(report, files=("core", "completeness")) -> set[tuple[str, str]]:
    return {(str(r.focus_node).removeprefix(ID), str(r.shape).removeprefix(MGSH))
            for r in report.results if r.shapes_file in files and r.severity == "Violation"}


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


def mgi(term: str) -> ox.NamedNode:
    return ox.NamedNode(MGI + term)


# -- the real profile ------------------------------------------------------------------------

def test_guatemala_conforms_to_core_and_completeness(settings):
    assert failures(validate(settings=settings)) == set()


def test_guatemala_is_complete(settings):
    [gtm] = validate(settings=settings).completeness
    assert gtm.assessment == ID + "assessment/gtm-2022"
    assert gtm.overall == 1.0 and gtm.applicable == 20
    assert [d.dimension for d in gtm.dimensions] == ["D1", "D2", "D3", "D4", "D5", "D6"]


def test_patched_profile_conforms(profile, shapes):
    report = validate_quads(profile, shapes)
    assert report.conforms and report.counts["Violation"] == 0 and report.counts["Warning"] > 0
    assert not validate_quads(profile, shapes, strict=True).conforms


def test_library_is_exported():
    assert mgi_graph.validate is validate
    assert "validate" in mgi_graph.__all__


# -- mutations of the real profile that must fail ---------------------------------------------

def test_drop_every_finding_of_one_dimension(profile, shapes):
    d5 = {q.subject for q in profile if q.predicate == mgi("dimension") and q.object == iri("concept/migof/5")}
    findings = {q.subject for q in profile if q.subject in d5 and q.object == mgi("Finding")}
    report = validate_quads([q for q in profile if q.subject not in findings], shapes)
    assert failures(report) == {("assessment/gtm-2022", "D5WellDeveloped"),
                                ("assessment/gtm-2022", "D5PotentialDevelopment")}
    [gtm] = report.completeness
    assert "D5: no potential-development finding" in gtm.gaps()
    assert "D5: no well-developed finding" in gtm.gaps()
    d5_score = next(d for d in gtm.dimensions if d.dimension == "D5")
    assert (d5_score.met, d5_score.applicable) == (1, 3)  # the updates of D5 are still there
    assert gtm.met == 18 and not report.conforms


def test_drop_an_instruments_issuer(profile, shapes):
    decree = iri("instrument/gtm/decree-no-1-2016")
    report = validate_quads([q for q in profile if not (q.subject == decree and q.predicate == mgi("issuedBy"))],
                            shapes)
    assert failures(report) == {("instrument/gtm/decree-no-1-2016", "InstrumentIssuer")}


def test_policy_period_ending_before_it_starts(profile, shapes):
    policy = iri("instrument/gtm/public-policy-on-protection-and-assistance-to-migrants-2019-2032")
    [period] = [q.object for q in profile if q.subject == policy and q.predicate.value.endswith("/temporal")]
    end = ox.NamedNode("http://www.w3.org/ns/dcat#endDate")
    mutated = [q for q in profile if not (q.subject == period and q.predicate == end)]
    mutated.append(ox.Quad(period, end, ox.Literal("2010", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#gYear"))))
    report = validate_quads(mutated, shapes)
    [result] = [r for r in report.results if r.severity == "Violation"]
    assert str(result.shape) == MGSH + "PeriodOrder"
    assert result.label == "period of Public Policy on Protection and Assistance to Migrants 2019–2032"


def test_finding_outcome_from_the_wrong_scheme(profile, shapes):
    finding, outcome = iri("finding/gtm-2022/1.1-a"), mgi("outcome")
    mutated = [q for q in profile if not (q.subject == finding and q.predicate == outcome)]
    mutated.append(ox.Quad(finding, outcome, iri("concept/migof/1")))
    assert failures(validate_quads(mutated, shapes)) == {("finding/gtm-2022/1.1-a", "FindingOutcomeScheme")}


@pytest.mark.parametrize("dimension", range(1, 7))
def test_drop_updates_of_one_dimension(profile, shapes, dimension):
    updates = {q.subject for q in profile if q.object == mgi("Update")}
    of_dim = {q.subject for q in profile if q.subject in updates and q.predicate == mgi("dimension")
              and q.object == iri(f"concept/migof/{dimension}")}
    report = validate_quads([q for q in profile if q.subject not in of_dim], shapes)
    assert ("assessment/gtm-2022", f"D{dimension}Updates") in failures(report)
    assert f"D{dimension}: no summary of changes since the previous round" in report.completeness[0].gaps()


def test_follow_up_must_name_its_previous_round(profile, shapes):
    report = validate_quads([q for q in profile if q.predicate not in (mgi("previousAssessment"),)], shapes)
    assert failures(report) == {("assessment/gtm-2022", "FollowUpLinked")}
    assert report.completeness[0].applicable == 12 + 1 + 1  # no update checks without a previous round


def test_covid_annex_needs_a_response(profile, shapes):
    responses = {q.subject for q in profile if q.object == mgi("CovidResponse")}
    report = validate_quads([q for q in profile if q.subject not in responses], shapes)
    assert failures(report) == {("assessment/gtm-2022", "CovidAnnex")}
    assert "COVID-19 annex without any response" in report.completeness[0].gaps()


def test_fast_engine_agrees_with_pyshacl(profile, shapes):
    d3 = {q.subject for q in profile if q.predicate == mgi("dimension") and q.object == iri("concept/migof/3")}
    mutated = [q for q in profile if q.subject not in d3]  # findings, updates and sections of D3 gone
    fast = validate_quads(mutated, shapes)
    reference = validate_quads(mutated, shapes, engine="pyshacl")
    assert {r.key() for r in fast.results} == {r.key() for r in reference.results}
    assert len(fast.results) == len(reference.results) > 0


def test_fast_engine_agrees_with_pyshacl_on_broken_values(profile, shapes):
    # One mutated profile breaking every kind of SHACL Core check the fast engine does itself
    # (nodeKind, class, datatype, pattern, or, node, min/maxCount, qualifiedMinCount):
    # same results as pySHACL, message and constraint component included.
    xsd = "http://www.w3.org/2001/XMLSchema#"
    text, date = ox.Literal, (lambda v, t: ox.Literal(v, datatype=ox.NamedNode(xsd + t)))
    replace = {
        mgi("year"): [text("2016"), date("20x6", "gYear")],
        ox.NamedNode("http://www.w3.org/ns/dcat#endDate"): [text("soon"), date("2020-13-45", "date"),
                                                            date("2021-7", "gYearMonth")],
        ox.NamedNode("http://purl.org/dc/terms/date"): [text("August 2020")],
        ox.NamedNode("http://data.europa.eu/eli/ontology#date_document"): [date("2016", "gYear")],
        mgi("hasParty"): [iri("concept/doctype/law")],
        mgi("issuedBy"): [iri("concept/migof/1")],
        ox.NamedNode("http://www.w3.org/ns/org#member"): [text("a member")],
        mgi("changeKind"): [iri("concept/doctype/law")],
        mgi("outcome"): [iri("concept/migof/1"), text("well-developed")],
        mgi("cites"): [text("A body"), iri("org/gtm/nobody")],
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"): [iri("concept/migof/1")],
    }
    mutated, seen = [], dict.fromkeys(replace, 0)
    for q in sorted(profile, key=str):
        if q.predicate == SKOS_NOTE or (q.predicate in seen and seen[q.predicate] == -1):
            continue  # without editorial notes, some instruments have no year or issuer
        if q.predicate in replace and seen[q.predicate] < len(replace[q.predicate]):
            q = ox.Quad(q.subject, q.predicate, replace[q.predicate][seen[q.predicate]])
            seen[q.predicate] += 1
        mutated.append(q)
    mutated.append(ox.Quad(iri("finding/gtm-2022/1.1-a"), mgi("outcome"), iri("concept/outcome/potential-development")))

    def rows(report):
        return Counter((r.key(), r.component, r.label, r.message if r.component != SH.SPARQLConstraintComponent else "")
                       for r in report.results)

    fast, reference = validate_quads(mutated, shapes), validate_quads(mutated, shapes, engine="pyshacl")
    assert rows(fast) == rows(reference)
    assert fast.completeness == reference.completeness
    assert any("CitedThingDescribed" in str(r.key()) for r in fast.results)
    components = {r.component.removeprefix(str(SH)) for r in fast.results}
    assert {"NodeKindConstraintComponent", "ClassConstraintComponent", "DatatypeConstraintComponent",
            "PatternConstraintComponent", "OrConstraintComponent", "NodeConstraintComponent",
            "MinCountConstraintComponent", "MaxCountConstraintComponent",
            "QualifiedMinCountConstraintComponent"} <= components


# -- what is cached between validations ----------------------------------------------------------

def gtm_files(settings) -> list:
    return sorted((settings.data_dir / "profiles" / "gtm-2022").glob("*.ttl"))


def test_every_shape_is_checked_by_the_fast_engine_itself(shapes):
    assert shapes.core.rest == frozenset() and shapes.pyshacl_rest is None  # pySHACL is never needed
    assert len(shapes.core.shapes) > 30


def test_editing_a_shapes_file_is_seen_by_the_next_validation(project_copy):
    settings = Settings(root=project_copy)
    assert validate(gtm_files(settings), settings=settings).counts["Violation"] == 0
    recommended = settings.shapes_dir / "recommended.ttl"
    text = recommended.read_text()
    source = text.index("mgsh:FindingSource a")
    recommended.write_text(text[:source] + text[source:].replace("sh:Warning", "sh:Violation", 1))
    report = validate(gtm_files(settings), settings=settings)
    assert report.counts["Violation"] > 0
    assert {str(r.shape) for r in report.results if r.severity == "Violation"} == {MGSH + "FindingSource"}


def test_editing_reference_data_is_seen_by_the_next_validation(project_copy):
    settings = Settings(root=project_copy)
    assert validate(gtm_files(settings), settings=settings).counts["Violation"] == 0
    outcomes = settings.data_dir / "reference" / "outcomes.ttl"
    text = outcomes.read_text()
    concept = text.index("<https://w3id.org/mgi-graph/id/concept/outcome/well-developed>\n")
    outcomes.write_text(text[:concept] + text[concept:].replace(
        "skos:inScheme     <https://w3id.org/mgi-graph/id/concept/outcome> ;", "", 1))
    report = validate(gtm_files(settings), settings=settings)
    assert {str(r.shape) for r in report.results if r.severity == "Violation"} == {MGSH + "FindingOutcomeScheme"}


def test_a_shape_the_fast_engine_cannot_check_goes_to_pyshacl(project_copy):
    settings = Settings(root=project_copy)
    core = settings.shapes_dir / "core.ttl"
    core.write_text(core.read_text() + """
mgsh:AssessmentTitleIn a sh:PropertyShape ;  # sh:in is not one of the fast engine's checks
    sh:targetClass mgi:Assessment ; sh:path dcterms:title ; sh:in ( "none of these" ) ;
    sh:severity sh:Violation ; sh:name "Title from a list" ; sh:message "Not in the list." .
""")
    shapes = load_shapes(settings.shapes_dir)
    assert shapes.core.rest == {URIRef(MGSH + "AssessmentTitleIn")}
    violations = [r for r in validate(gtm_files(settings), settings=settings).results if r.severity == "Violation"]
    assert ID + "assessment/gtm-2022" in {str(r.focus_node) for r in violations}
    assert {(str(r.shape), r.message) for r in violations} == {(MGSH + "AssessmentTitleIn", "Not in the list.")}


# -- the command line --------------------------------------------------------------------------

def run(runner, settings, *args):
    return runner.invoke(main, ["--root", str(settings.root), "validate", *args])


def test_cli_exit_0_when_conforming(runner, settings, profile_files):
    result = run(runner, settings, *profile_files)
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output and "conforms" in result.output
    assert "completeness of assessment/gtm-2022: 100%" in result.output


def test_cli_strict_fails_on_warnings(runner, settings, profile_files):
    assert run(runner, settings, "--strict", *profile_files).exit_code == 1


def test_cli_exit_1_when_not_conforming(runner, settings, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{ID}finding/x/1> a <{MGI}Finding> .\n")
    result = run(runner, settings, str(bad))
    assert result.exit_code == 1
    assert "finding/x/1" in result.output and "VIOLATION" in result.output
    assert "This finding must have exactly one outcome" in result.output
    assert "shape mgsh:FindingOutcome" in result.output


def test_cli_pyshacl_engine_gives_the_same_report(runner, settings, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{ID}finding/x/1> a <{MGI}Finding> .\n")
    fast = json.loads(run(runner, settings, "--format", "json", str(bad)).output)
    reference = run(runner, settings, "--format", "json", "--engine", "pyshacl", str(bad))
    assert reference.exit_code == 1
    key = lambda r: (r["focus_node"], r["path"] or "", r["shape"], r["message"])  # noqa: E731
    assert sorted(map(key, json.loads(reference.output)["results"])) == sorted(map(key, fast["results"]))
    assert fast["results"]


def test_cli_json_schema(runner, settings, profile_files):
    result = run(runner, settings, "--format", "json", *profile_files)
    data = json.loads(result.output)
    assert set(data) == {"schema_version", "conforms", "strict", "counts", "results", "completeness", "notices"}
    assert data["conforms"] is True and set(data["counts"]) == {"Violation", "Warning", "Info"}
    assert set(data["results"][0]) == {"focus_node", "label", "path", "value", "severity", "message", "shape",
                                       "shape_name", "shapes_file"}
    [gtm] = data["completeness"]
    assert gtm["overall"] == 1.0 and len(gtm["dimensions"]) == 6
    assert set(gtm["dimensions"][0]) == {"dimension", "iri", "label", "score", "met", "applicable", "missing"}


def test_cli_ttl_is_a_shacl_report(runner, settings, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{ID}finding/x/1> a <{MGI}Finding> .\n")
    result = run(runner, settings, "--format", "ttl", str(bad))
    graph = Graph().parse(data=result.output, format="turtle")
    conforms = graph.query("ASK { ?r a sh:ValidationReport ; sh:conforms false ; sh:result ?x . "
                           "?x sh:focusNode ?f ; sh:sourceShape ?s ; sh:resultSeverity sh:Violation }",
                           initNs={"sh": "http://www.w3.org/ns/shacl#"})
    assert conforms.askAnswer


def test_cli_whole_graph(runner, settings):
    result = run(runner, settings, "--format", "json")
    assert result.exit_code in (0, 1)
    assert json.loads(result.output)["completeness"][0]["assessment"] == ID + "assessment/gtm-2022"


@pytest.mark.parametrize("fmt,suffix", [("nt", ".nt"), ("json-ld", ".jsonld"), ("xml", ".rdf")])
def test_cli_reads_every_format(runner, settings, tmp_path, fmt, suffix):
    graph = Graph().parse(settings.data_dir / "profiles" / "gtm-2022" / "d5-crises.ttl")
    path = tmp_path / f"d5{suffix}"
    path.write_text(graph.serialize(format=fmt))
    result = run(runner, settings, "--format", "json", str(path))
    assert result.exit_code == 1, result.output  # one dimension alone is not a complete profile
    assert json.loads(result.output)["counts"]["Violation"] > 0


def test_cli_input_format_option(runner, settings, tmp_path):
    path = tmp_path / "profile.txt"
    path.write_text(f"<{ID}finding/x/1> a <{MGI}Finding> .\n")
    assert run(runner, settings, str(path)).exit_code == 2  # unknown extension
    assert run(runner, settings, "--input-format", "ttl", str(path)).exit_code == 1


# -- bad input ---------------------------------------------------------------------------------

def test_unparseable_turtle(runner, settings, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n  ex:d .\n")
    result = run(runner, settings, str(path))
    assert result.exit_code == 2
    assert "broken.ttl:4" in result.stderr
    assert result.stdout == ""  # nothing else reported


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="http://example.org/a"><rdf:value>&lol9;</rdf:value></rdf:Description>
</rdf:RDF>
"""


def test_billion_laughs_is_refused_before_parsing(runner, settings, tmp_path):
    path = tmp_path / "lol.rdf"
    path.write_text(BILLION_LAUGHS)
    result = run(runner, settings, str(path))
    assert result.exit_code == 2
    assert "lol.rdf:2" in result.stderr and "DOCTYPE" in result.stderr
    assert result.stdout == ""


def test_doctype_hidden_in_utf16_is_refused(settings):
    data = BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    with pytest.raises(DataFileError, match="DOCTYPE"):
        validate([InputFile("lol.rdf", data)], settings=settings)


def test_remote_jsonld_context_is_refused(settings):
    data = json.dumps({"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a"}).encode()
    with pytest.raises(DataFileError, match="remote JSON-LD context"):
        validate([InputFile("remote.jsonld", data)], settings=settings)


def test_embedded_shapes_are_ignored(runner, settings, tmp_path):
    path = tmp_path / "sneaky.ttl"
    path.write_text(f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<{MGSH}FindingOutcome> sh:deactivated true .
<http://example.org/MyShape> a sh:NodeShape ; sh:targetNode <{ID}finding/x/1> ; sh:class <http://example.org/No> .
<http://example.org/doc> owl:imports <http://example.org/elsewhere.ttl> .
<{ID}finding/x/1> a <{MGI}Finding> .
""")
    result = run(runner, settings, "--format", "json", str(path))
    data = json.loads(result.output)
    shapes = {r["shape"] for r in data["results"]}
    assert MGSH + "FindingOutcome" in shapes  # our shape still applies
    assert "http://example.org/MyShape" not in shapes  # theirs never does
    assert any("ignored 4 triples that describe SHACL shapes" in n for n in data["notices"])
    assert any("owl:imports" in n for n in data["notices"])


def test_size_limit(settings, tmp_path):
    path = tmp_path / "big.ttl"
    path.write_text("# padding\n" * 50)
    with pytest.raises(DataFileError, match="the limit is"):
        validate([path], settings=settings.with_changes(max_upload_bytes=100))
