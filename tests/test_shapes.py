"""One small fixture per rule: a valid mini-profile, broken in exactly one way (pySHACL test/issues style).

Each case validates BASE (which breaks no core or recommended rule) with one change, and
asserts the focus node, the shape and the severity of what is reported.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from mgi_graph.validate import InputFile, validate

ID = "https://w3id.org/mgi-graph/id/"
MGSH = "https://w3id.org/mgi-graph/shapes#"
SHAPES = Path(__file__).resolve().parents[1] / "shapes"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "validation.md"

BASE = """
@prefix mgi:     <https://w3id.org/mgi-graph/ontology#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@base            <https://w3id.org/mgi-graph/id/> .

<assessment/t-2022> a mgi:NationalAssessment ; dcterms:title "Test profile"@en .
<section/t-2022/1.1> a mgi:ReportSection ;
    mgi:sectionOf <assessment/t-2022> .                                       #S-sectionOf
<finding/t-2022/1.1-a> a mgi:Finding ;
    skos:prefLabel "A finding"@en ;
    mgi:outcome <concept/outcome/well-developed> ;                            #F-outcome
    mgi:dimension <concept/migof/1> ;                                         #F-dimension
    mgi:subArea <concept/mgi/1/basic-services-and-social-security> ;          #F-subArea
    mgi:sdgSubCategory <concept/sdg-10-7-2/1a> ;                              #F-sdg
    prov:hadPrimarySource <http://example.org/source> ;                       #F-source
    mgi:cites <org/t/body> ;                                                  #F-cites
    mgi:statedIn <section/t-2022/1.1> .                                       #F-statedIn
<org/t/body> a mgi:PublicBody ;
    skos:prefLabel "A body"@en , "Un organismo"@es ;                          #B-label
    mgi:acronym "TB" ;                                                        #B-acronym
    mgi:country <country/gtm> .
<org/t/forum> a mgi:Forum ; skos:prefLabel "A forum"@en .
<instrument/t/law> a mgi:LegalInstrument ;
    skos:prefLabel "A law"@en , "Una ley"@es ;                                #I-label
    eli:type_document <concept/doctype/law> ;                                 #I-type
    mgi:year "2016"^^xsd:gYear ;                                              #I-year
    mgi:issuedBy <org/t/body> ;                                               #I-issuer
    mgi:statedIn <section/t-2022/1.1> .
<membership/t/forum/t/body> a org:Membership ;
    org:organization <org/t/forum> ;                                          #M-organization
    org:member <org/t/body> ;                                                 #M-member
    org:memberDuring <period/t/1> .
<period/t/1> a dcterms:PeriodOfTime ;
    dcat:startDate "2019"^^xsd:gYear ;                                        #P-start
    dcat:endDate "2020"^^xsd:gYear .                                          #P-end
"""

FINDING, BODY, LAW, PERIOD = "finding/t-2022/1.1-a", "org/t/body", "instrument/t/law", "period/t/1"
MEMBERSHIP, SECTION = "membership/t/forum/t/body", "section/t-2022/1.1"


def mini(replace: dict[str, str] | None = None, add: str = "") -> str:
    """BASE with the lines marked #KEY replaced (by "" to drop them), plus extra Turtle."""
    text = BASE
    for marker, line in (replace or {}).items():
        text, count = re.subn(rf"^.*#{marker}$", line, text, flags=re.MULTILINE)
        assert count == 1, marker
    return text + add


def results_of(turtle: str, files=("core", "recommended")) -> set[tuple[str, str, str]]:
    report = validate([InputFile("case.ttl", turtle.encode())])
    return {(str(r.focus_node).removeprefix(ID), str(r.shape).removeprefix(MGSH), r.severity)
            for r in report.results if r.shapes_file in files}


def test_base_breaks_no_rule():
    assert results_of(mini()) == set()


CORE_CASES = [
    # (id, replace, add, focus, shape)
    ("no outcome", {"F-outcome": ""}, "", FINDING, "FindingOutcome"),
    ("two outcomes", {}, f"<{ID}{FINDING}> <https://w3id.org/mgi-graph/ontology#outcome> "
                         f"<{ID}concept/outcome/potential-development> .", FINDING, "FindingOutcome"),
    ("outcome of the wrong scheme", {"F-outcome": "mgi:outcome <concept/migof/2> ;"}, "", FINDING,
     "FindingOutcomeScheme"),
    ("outcome as text", {"F-outcome": 'mgi:outcome "well-developed" ;'}, "", FINDING, "FindingOutcomeScheme"),
    ("no dimension", {"F-dimension": ""}, "", FINDING, "FindingDimension"),
    ("dimension of the wrong scheme", {"F-dimension": "mgi:dimension <concept/outcome/well-developed> ;"}, "",
     FINDING, "DimensionScheme"),
    ("cites nothing", {"F-cites": ""}, "", FINDING, "FindingCites"),
    ("cites a text", {"F-cites": 'mgi:cites "A body" ;'}, "", FINDING, "CitesIri"),
    ("cites what the graph does not describe", {"F-cites": "mgi:cites <org/t/nobody> ;"}, "", FINDING,
     "CitedThingDescribed"),
    ("body without an English name", {"B-label": 'skos:prefLabel "Un organismo"@es ;'}, "", BODY, "OrganizationName"),
    ("no provenance", {"F-statedIn": "."}, "", FINDING, "FindingProvenance"),
    ("provenance not a section", {"F-statedIn": "mgi:statedIn <section/t-2022/nowhere> ."}, "", FINDING,
     "StatedInSection"),
    ("section of no assessment", {"S-sectionOf": "."}, "", SECTION, "SectionOfAssessment"),
    ("source as text", {"F-source": 'prov:hadPrimarySource "http://example.org/source" ;'}, "", FINDING,
     "PrimarySourceIri"),
    ("covid response with an outcome", {}, """
        <covid-response/t/a> a mgi:CovidResponse ; mgi:dimension <concept/migof/1> ;
            mgi:outcome <concept/outcome/well-developed> ; mgi:statedIn <section/t-2022/1.1> .""",
     "covid-response/t/a", "CovidResponseNoOutcome"),
    ("update without kind of change", {}, """
        <update/t/1-a> a mgi:Update ; mgi:dimension <concept/migof/1> ; mgi:statedIn <section/t-2022/1.1> .""",
     "update/t/1-a", "UpdateChangeKind"),
    ("update with a kind of change of the wrong scheme", {}, """
        <update/t/1-a> a mgi:Update ; mgi:dimension <concept/migof/1> ; mgi:changeKind <concept/doctype/law> ;
            mgi:statedIn <section/t-2022/1.1> .""", "update/t/1-a", "UpdateChangeKind"),
    ("update without dimension", {}, """
        <update/t/1-a> a mgi:Update ; mgi:changeKind <concept/change/adopted> ;
            mgi:statedIn <section/t-2022/1.1> .""", "update/t/1-a", "UpdateDimension"),
    ("instrument without title", {"I-label": ""}, "", LAW, "InstrumentTitle"),
    ("instrument without document type", {"I-type": ""}, "", LAW, "InstrumentDocumentType"),
    ("document type of the wrong scheme", {"I-type": "eli:type_document <concept/migof/1> ;"}, "", LAW,
     "DocumentTypeScheme"),
    ("instrument without year", {"I-year": ""}, "", LAW, "InstrumentYear"),
    ("instrument without issuer", {"I-issuer": ""}, "", LAW, "InstrumentIssuer"),
    ("issuer not a body", {"I-issuer": "mgi:issuedBy <concept/migof/1> ;"}, "", LAW, "IssuerIsBody"),
    ("party neither body nor country", {}, """
        <instrument/t/agreement> a mgi:Agreement ; skos:prefLabel "An agreement"@en ;
            eli:type_document <concept/doctype/bilateral-agreement> ; mgi:year "2020"^^xsd:gYear ;
            mgi:hasParty <concept/doctype/law> .""", "instrument/t/agreement", "PartyIsBodyOrCountry"),
    ("year as plain text", {"I-year": 'mgi:year "2016" ;'}, "", LAW, "YearDatatype"),
    ("year ill-formed", {"I-year": 'mgi:year "20x6"^^xsd:gYear ;'}, "", LAW, "YearDatatype"),
    ("document date as a year", {}, f'<{ID}{LAW}> <http://data.europa.eu/eli/ontology#date_document> '
                                    f'"2016"^^<http://www.w3.org/2001/XMLSchema#gYear> .', LAW,
     "DocumentDateDatatype"),
    ("period start as text", {"P-start": 'dcat:startDate "2019" ;'}, "", PERIOD, "PeriodStartDatatype"),
    ("period end as text", {"P-end": 'dcat:endDate "soon" .'}, "", PERIOD, "PeriodEndDatatype"),
    ("period month ill-formed", {"P-end": 'dcat:endDate "2020-1"^^xsd:gYearMonth .'}, "", PERIOD,
     "PeriodEndDatatype"),
    ("period date ill-formed", {"P-end": 'dcat:endDate "2020-13-45"^^xsd:date .'}, "", PERIOD, "PeriodEndDatatype"),
    ("period ends before it starts", {"P-start": 'dcat:startDate "2021"^^xsd:gYear ;'}, "", PERIOD, "PeriodOrder"),
    ("period year after end date", {"P-start": 'dcat:startDate "2021"^^xsd:gYear ;',
                                    "P-end": 'dcat:endDate "2020-12-31"^^xsd:date .'}, "", PERIOD, "PeriodOrder"),
    ("change date as text", {}, '<https://w3id.org/mgi-graph/id/change/t/x> <http://purl.org/dc/terms/date> '
                                '"August 2020" .', "change/t/x", "ChangeDateDatatype"),
    ("label is a link", {}, f"<{ID}{BODY}> <http://www.w3.org/2004/02/skos/core#prefLabel> <http://example.org/x> .",
     BODY, "LabelIsText"),
    ("membership without member", {"M-member": ""}, "", MEMBERSHIP, "MembershipMember"),
    ("member neither body nor country", {"M-member": "org:member <concept/doctype/law> ;"}, "", MEMBERSHIP,
     "MembershipMember"),
    ("membership without organisation", {"M-organization": ""}, "", MEMBERSHIP, "MembershipOrganisation"),
]


@pytest.mark.parametrize("replace,add,focus,shape", [c[1:] for c in CORE_CASES], ids=[c[0] for c in CORE_CASES])
def test_core_rule(replace, add, focus, shape):
    assert results_of(mini(replace, add), files=("core",)) == {(focus, shape, "Violation")}


def test_acronym_shared_in_one_country_flags_both():
    other = """<org/t/other> a mgi:PublicBody ; skos:prefLabel "Other"@en , "Otro"@es ;
        mgi:acronym "TB" ; mgi:country <country/gtm> ."""
    assert results_of(mini(add=other)) == {(BODY, "AcronymUnique", "Violation"),
                                           ("org/t/other", "AcronymUnique", "Violation")}


def test_acronym_shared_across_countries_is_fine():
    other = """<org/t/other> a mgi:PublicBody ; skos:prefLabel "Other"@en , "Otro"@es ;
        mgi:acronym "TB" ; mgi:country <country/mex> ."""
    assert results_of(mini(add=other)) == set()


@pytest.mark.parametrize("period", [('"2020-06-01"^^xsd:date', '"2020"^^xsd:gYear'),
                                    ('"2020"^^xsd:gYear', '"2020"^^xsd:gYear'),
                                    ('"2021-07"^^xsd:gYearMonth', '"2021-12"^^xsd:gYearMonth')])
def test_period_order_accepts(period):
    start, end = period
    case = mini({"P-start": f"dcat:startDate {start} ;", "P-end": f"dcat:endDate {end} ."})
    assert results_of(case) == set()


@pytest.mark.parametrize("note", ["The report does not say who issued it.", "The report names no parties.",
                                  "Not yet adopted: under preparation."])
def test_issuer_rule_accepts_a_note(note):
    assert results_of(mini({"I-issuer": f'skos:editorialNote "{note}"@en ;'})) == set()


def test_agreement_with_parties_needs_no_issuer():
    case = mini({"I-issuer": "mgi:hasParty <org/t/body> , <country/gtm> ;"})
    assert results_of(case) == set()


@pytest.mark.parametrize("note", ["The report gives no year.", "It gives no title and no year apart from the id.",
                                  "The report does not say who issued it, nor when it was first adopted."])
def test_year_rule_accepts_a_note(note):
    assert results_of(mini({"I-year": f'skos:editorialNote "{note}"@en ;'})) == set()


def test_year_rule_accepts_a_date():
    assert results_of(mini({"I-year": 'eli:date_document "2016-03-01"^^xsd:date ;'})) == set()


RECOMMENDED_CASES = [
    ("no Spanish name", {"B-label": 'skos:prefLabel "A body"@en ;'}, "", BODY, "SpanishName"),
    ("no acronym", {"B-acronym": ""}, "", BODY, "BodyAcronym"),
    ("no source", {"F-source": ""}, "", FINDING, "FindingSource"),
    ("no sub-area", {"F-subArea": ""}, "", FINDING, "FindingSubArea"),
    ("sub-area not declared", {"F-subArea": "mgi:subArea <concept/mgi/1/nothing> ;"}, "", FINDING, "SubAreaClass"),
    ("no SDG link", {"F-sdg": ""}, "", FINDING, "FindingSdg"),
    ("SDG link not declared", {"F-sdg": "mgi:sdgSubCategory <concept/sdg-10-7-2/9z> ;"}, "", FINDING, "SdgClass"),
]


@pytest.mark.parametrize("replace,add,focus,shape", [c[1:] for c in RECOMMENDED_CASES],
                         ids=[c[0] for c in RECOMMENDED_CASES])
def test_recommended_rule(replace, add, focus, shape):
    assert results_of(mini(replace, add)) == {(focus, shape, "Warning")}


# -- every shape is documented ---------------------------------------------------------------

def _shapes() -> list[tuple[str, Graph, object]]:
    found = []
    for name in ("core", "recommended", "completeness"):
        graph = Graph().parse(SHAPES / f"{name}.ttl")
        targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.severity)
        named = {s for p in targets for s in graph.subjects(p, None)}
        named |= {s for s in graph.subjects(None, None) if str(s).startswith(MGSH)
                  and ((s, None, SH.NodeShape) in graph or (s, None, SH.PropertyShape) in graph)}
        found += [(name, graph, shape) for shape in sorted(named, key=str)]
    return found


@pytest.mark.parametrize("file,graph,shape", _shapes(), ids=lambda v: str(v).removeprefix(MGSH)
                         if not isinstance(v, Graph) else "")
def test_every_shape_has_name_description_message(file, graph, shape):
    for prop in (SH.name, SH.description, SH.message):
        assert graph.value(shape, prop) is not None, f"{shape} in shapes/{file}.ttl lacks {prop}"


def test_docs_list_every_shape_with_its_name():
    docs = DOCS.read_text()
    for file, graph, shape in _shapes():
        if str(shape).startswith(MGSH) and (shape, SH.severity, None) in graph:
            row = f"| `{str(shape).removeprefix(MGSH)}` | {file} | {graph.value(shape, SH.name)} |"
            assert row in docs, f"docs/validation.md lacks the row: {row}"
