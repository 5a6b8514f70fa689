"""The extractor on small synthetic reports: layout, entities, offsets, CLI, ingest, and the no-names rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, SKOS

from mgi_graph.cli import main
from mgi_graph.extract import extract, to_turtle

MGI = Namespace("https://w3id.org/mgi-graph/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
ID = "https://w3id.org/mgi-graph/id/"
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "source" / "mgi-guatemala-2022.txt"

REPORT = """\
INTRODUCTION

This report presents the profile of the Republic of Ruritania.

ADHERENCE TO INTERNATIONAL STANDARDS AND
FULFILMENT OF MIGRANTS' RIGHTS

1.1. Migration governance: Examples of well-developed areas

Under Decree No. 12-2020 (Migration Law, 2020), the Ministry of Health (Ministerio de Salud, MINSA) must
care for all migrants.1 The Office of Migration Affairs in the Ministry of Health keeps records.

MINSA publishes the National Health Plan 2020–2024 (2020) every year, and the Migration Law is applied
across the country by the
3 More information is available at www.example.org/health.

https://www.example.org/health
 KEY FINDINGS
 Ministry of the Interior.

1.2. Areas with potential for further development

There is no policy against xenophobia. MINSA does not record migration status.

Decree No. 12-2020 does not cover students.
"""
# The footnote number is 1 in the text; make the footnote match it.
REPORT = REPORT.replace("3 More information", "1 More information")


@pytest.fixture(scope="module")
def draft() -> Graph:
    return extract(REPORT, "RUR", "2021")


def _quotes(graph: Graph, node) -> list[tuple[int, int, str]]:
    found = []
    for quote in graph.objects(node, PROV.wasQuotedFrom):
        start = end = exact = None
        for selector in graph.objects(quote, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                start, end = int(graph.value(selector, OA.start)), int(graph.value(selector, OA.end))
            else:
                exact = str(graph.value(selector, OA.exact))
        found.append((start, end, exact))
    return found


def test_sections_and_findings_with_outcomes(draft):
    findings = {str(f)[len(ID):]: str(draft.value(f, MGI.outcome)).rsplit("/", 1)[-1]
                for f in draft.subjects(RDF.type, MGI.Finding)}
    assert findings == {"finding/rur-2021/1.1-a": "well-developed", "finding/rur-2021/1.1-b": "well-developed",
                        "finding/rur-2021/1.2-a": "potential-development",
                        "finding/rur-2021/1.2-b": "potential-development"}
    sections = {str(s)[len(ID):] for s in draft.subjects(RDF.type, MGI.ReportSection)}
    assert sections == {"section/rur-2021/introduction", "section/rur-2021/1.1", "section/rur-2021/1.2"}


def test_paragraph_across_a_page_break_is_one_finding_without_noise(draft):
    finding = URIRef(ID + "finding/rur-2021/1.1-b")
    quotes = _quotes(draft, finding)
    assert len(quotes) == 2  # one span per page
    text = " ".join(exact for _, _, exact in quotes)
    assert "KEY FINDINGS" not in text and "More information" not in text
    assert text.endswith("Ministry of the Interior.")


def test_every_quote_is_the_input_span(draft):
    quotes = [q for node in set(draft.subjects(PROV.wasQuotedFrom, None)) for q in _quotes(draft, node)]
    assert quotes
    for start, end, exact in quotes:
        assert REPORT[start:end] == exact


def test_institution_with_spanish_name_and_acronym_deduplicated(draft):
    minsa = URIRef(ID + "org/rur/minsa")
    assert (minsa, RDF.type, MGI.PublicBody) in draft
    assert (minsa, SKOS.prefLabel, Literal("Ministry of Health", lang="en")) in draft
    assert (minsa, SKOS.prefLabel, Literal("Ministerio de Salud", lang="es")) in draft
    assert (minsa, MGI.acronym, Literal("MINSA")) in draft
    bodies = [s for s in draft.subjects(SKOS.prefLabel, Literal("Ministry of Health", lang="en"))]
    assert bodies == [minsa]
    for letter in ("1.1-a", "1.1-b", "1.2-a"):
        assert (URIRef(ID + f"finding/rur-2021/{letter}"), MGI.cites, minsa) in draft


def test_unit_in_a_body(draft):
    unit = URIRef(ID + "org/rur/minsa/office-of-migration-affairs")
    assert (unit, RDF.type, ORG.OrganizationalUnit) in draft
    assert (unit, ORG.unitOf, URIRef(ID + "org/rur/minsa")) in draft


def test_numbered_instrument_with_title_year_and_alias(draft):
    decree = URIRef(ID + "instrument/rur/decree-no-12-2020")
    assert (decree, SKOS.prefLabel, Literal("Migration Law", lang="en")) in draft
    assert (decree, MGI.year, Literal("2020", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))) in draft
    assert str(draft.value(decree, URIRef("http://data.europa.eu/eli/ontology#id_local"))) == "Decree No. 12-2020"
    # "the Migration Law" in 1.1-b and the number again in 1.2-b are the same instrument
    assert (URIRef(ID + "finding/rur-2021/1.1-b"), MGI.cites, decree) in draft
    assert (URIRef(ID + "finding/rur-2021/1.2-b"), MGI.cites, decree) in draft
    plan = URIRef(ID + "instrument/rur/national-health-plan-2020-2024")
    assert (plan, RDF.type, MGI.PolicyInstrument) in draft


def test_footnote_url_supports_its_finding(draft):
    url = URIRef("https://www.example.org/health")
    assert (url, RDF.type, MGI.WebSource) in draft
    assert (URIRef(ID + "finding/rur-2021/1.1-a"), PROV.hadPrimarySource, url) in draft


def test_every_node_is_marked_draft(draft):
    status = URIRef("http://purl.org/ontology/bibo/status/draft")
    typed = {s for s in draft.subjects(RDF.type, None) if isinstance(s, URIRef)}
    assert typed and all((s, URIRef("http://purl.org/ontology/bibo/status"), status) in draft for s in typed)


def test_deterministic():
    assert to_turtle(extract(REPORT, "RUR", "2021")) == to_turtle(extract(REPORT, "RUR", "2021"))


def test_local_assessment_iri():
    graph = extract(REPORT, "rur", "2021", local="Port Town")
    assert (URIRef(ID + "assessment/rur-port-town-2021"), RDF.type, MGI.LocalAssessment) in graph


def test_cli_extract(runner, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "draft.ttl"
    result = runner.invoke(main, ["extract", str(report), "--country", "RUR", "--year", "2021", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (URIRef(ID + "org/rur/minsa"), RDF.type, MGI.PublicBody) in Graph().parse(out)
    bad = runner.invoke(main, ["extract", str(report), "--country", "R", "--year", "21", "--out", str(out)])
    assert bad.exit_code == 2


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_ingest_refuses_a_non_conforming_draft_and_changes_nothing(runner, project_copy, tmp_path):
    draft = tmp_path / "draft.ttl"
    graph = extract(REPORT, "RUR", "2021")
    graph.remove((None, MGI.outcome, None))  # a core violation
    draft.write_text(to_turtle(graph), encoding="utf-8")
    before = _snapshot(project_copy / "data")
    result = runner.invoke(main, ["--root", str(project_copy), "ingest", str(draft)])
    assert result.exit_code == 1
    assert "does not conform" in result.output
    assert _snapshot(project_copy / "data") == before


def _full_report() -> str:
    parts = []
    for dim in range(1, 7):
        parts.append(f"{dim}.1. Migration governance: Examples of well-developed areas\n\n"
                     f"The Ministry of Affairs {dim} (MA{dim}) runs the Plan {dim} Strategy (2020).\n")
        parts.append(f"{dim}.2. Areas with potential for further development\n\n"
                     f"The Ministry of Affairs {dim} has no data.\n")
    return "\n".join(parts)


def test_ingest_adds_a_conforming_draft(runner, project_copy, tmp_path):
    draft = tmp_path / "draft.ttl"
    draft.write_text(to_turtle(extract(_full_report(), "RUR", "2021")), encoding="utf-8")
    result = runner.invoke(main, ["--root", str(project_copy), "ingest", str(draft)])
    assert result.exit_code == 0, result.output
    folder = project_copy / "data" / "profiles" / "rur-2021"
    assert (folder / "profile.ttl").read_bytes() == draft.read_bytes()
    assert "Finding" in result.output
    again = runner.invoke(main, ["--root", str(project_copy), "ingest", str(draft)])
    assert again.exit_code == 1 and "already exists" in again.output + str(again.stderr_bytes or b"")


GUATEMALAN_NAMES = ["Guatemala", "MINEX", "IGM", "CONAMIGUA", "SVET", "Migration Code", "44-2016", "CONRED",
                    "MINTRAB", "K’atun", "Katun", "gtm"]


def test_extraction_code_names_no_guatemalan_entity():
    package = Path(__file__).resolve().parents[1] / "src" / "mgi_graph"
    files = sorted((package / "extract").glob("*.py")) + [package / "cli_extract.py"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name in GUATEMALAN_NAMES:
            assert not re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.IGNORECASE), (path.name, name)


@pytest.mark.skipif(not SOURCE.exists(), reason="the Guatemala source text is not beside the project")
def test_real_report_draft_conforms_to_core_shapes(tmp_path):
    from mgi_graph.validate import validate

    draft = tmp_path / "draft.ttl"
    draft.write_text(to_turtle(extract(SOURCE.read_text(encoding="utf-8"), "GTM", "2022")), encoding="utf-8")
    report = validate([draft])
    core = [r for r in report.results if r.shapes_file == "core" and r.severity == "Violation"]
    assert core == []


# -- name patterns, one synthetic snippet each ---------------------------------------------
def _names(paragraph: str) -> dict[str, object]:
    from mgi_graph.extract.entities import find_candidates
    from mgi_graph.extract.text import read_layout

    report = f"1.1. Migration governance: Examples of well-developed areas\n\n{paragraph}\n"
    return {c.name: c for c in find_candidates(read_layout(report).sections)}


def test_running_header_ends_the_footnotes_of_the_last_page():
    from mgi_graph.extract.text import read_layout

    report = ("1.1. Migration governance: Examples of well-developed areas\n\nThe Plan runs.1\n\n"
              "1 See www.example.org.\n\nREPUBLIC OF RURITANIA | PROFILE 2021\n\n"
              "The National Care Plan (2020) helps.\n")
    paragraphs = read_layout(report).sections[0].paragraphs
    assert [p.text for p in paragraphs][-1] == "The National Care Plan (2020) helps."


def test_owner_acronym_makes_a_unit():
    found = _names("The Ministry of Care (MC) runs it. MC’s Directorate for Records keeps lists.")
    assert found["Directorate for Records"].parent is found["Ministry of Care"]


def test_year_or_period_before_a_title():
    found = _names("The 2020–2030 National Plan for Care, approved in 2020, and the 2040 Agenda for Peace apply.")
    assert found["2020–2030 National Plan for Care"].period == ("2020", "2030")
    assert "2040 Agenda for Peace" in found


def test_agreement_keeps_its_parties_and_purpose():
    found = _names("They signed the Memorandum of Understanding between the Ministry of Care of Ruritania, "
                   "the National Council for Aid and the Office of Records for the protection of victims. It works.")
    name = ("Memorandum of Understanding between the Ministry of Care of Ruritania, the National Council for Aid "
            "and the Office of Records for the protection of victims")
    assert found[name].kind == "instrument"
    assert {"Ministry of Care of Ruritania", "National Council for Aid", "Office of Records"} <= set(found)


def test_two_document_words_share_their_modifiers():
    found = _names("The 2040 National Care Plan and Policy apply.")
    assert {"2040 National Care Plan", "2040 National Care Policy"} <= set(found)


def test_a_presided_framework_is_a_forum():
    found = _names("Ruritania held the pro tempore presidency of the Regional Care Framework (RCF) in 2021.")
    assert found["Regional Care Framework"].kind == "org"
    assert found["Regional Care Framework"].cls == "Forum"


def test_quoted_and_introduced_titles():
    found = _names("The Ministry of Care has contingency plans for the “Care of nationals in emergencies”. "
                   "As part of the plan called Los Cuidamos (“We care for them”), it calls. "
                   "It published the strategy on the Seasonal Work Programme.")
    assert found["Care of nationals in emergencies"].doctype == "plan"
    assert found["We care for them"].spanish == "Los Cuidamos"
    assert found["strategy on the Seasonal Work Programme"].kind == "instrument"


def test_unit_of_the_body_it_belongs_to():
    found = _names("It is run by the Labour Mobility Department of the Directorate-General of Work.")
    unit = found["Labour Mobility Department"]
    assert unit.parent is found["Directorate-General of Work"]


def test_shared_complement_is_one_name():
    found = _names("The Women’s Commissions within the System of Urban and Rural Care Councils meet.")
    assert "System of Urban and Rural Care Councils" in found and "System of Urban" not in found


def test_connectors_by_concerning_and_a_date():
    found = _names("It adopted the Protocol on the Care of Nationals Returned by Air, which helps. They signed "
                   "the Agreement concerning Seasonal Worker Programmes. It applies the Vienna Convention of "
                   "5 October 1961 Abolishing Fees for Documents.")
    assert {"Protocol on the Care of Nationals Returned by Air", "Agreement concerning Seasonal Worker Programmes",
            "Vienna Convention of 5 October 1961 Abolishing Fees for Documents"} <= set(found)


def test_known_acronym_before_a_bare_head():
    found = _names("The International Organization for Care (IOC) works. It was welcomed by the IOC Council.")
    assert "IOC Council" in found


@pytest.mark.parametrize("data", [REPORT.replace("Ruritania", "Ruritaña").encode("latin-1", "replace"),
                                  b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n"])
def test_cli_extract_says_the_file_is_not_utf8(runner, tmp_path, data):
    report = tmp_path / "report.txt"
    report.write_bytes(data)
    out = tmp_path / "draft.ttl"
    result = runner.invoke(main, ["extract", str(report), "--country", "RUR", "--year", "2021", "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {report}: not UTF-8 text (byte 0x")
    assert "at offset" in result.output and "iconv" in result.output
    assert not out.exists()


def test_cli_extract_without_report_headings_writes_nothing(runner, tmp_path):
    out = tmp_path / "draft.ttl"
    readme = Path(__file__).resolve().parents[1] / "README.md"
    result = runner.invoke(main, ["extract", str(readme), "--country", "GTM", "--year", "2022", "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {readme}: no findings: none of the MGI report's headings")
    assert not out.exists()


def test_cli_extract_into_a_missing_folder(runner, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(report), "--country", "RUR", "--year", "2021",
                                  "--out", "/nonexistent-dir/d.ttl"])
    assert result.exit_code == 2
    assert "error: /nonexistent-dir/d.ttl: cannot write: folder /nonexistent-dir does not exist" in result.output


def test_ingest_shows_names_as_validate_does(runner, project_copy, tmp_path):
    draft = tmp_path / "draft.ttl"
    draft.write_text(to_turtle(extract(REPORT, "RUR", "2021")), encoding="utf-8")
    ingested = runner.invoke(main, ["--root", str(project_copy), "ingest", str(draft)])
    validated = runner.invoke(main, ["--root", str(project_copy), "validate", str(draft)])
    assert ingested.exit_code == validated.exit_code == 1
    assert "completeness of assessment/rur-2021:" in ingested.output
    assert ID not in ingested.output.split("error:")[0]  # every IRI of ours short, as validate prints it
