"""Facts a user would ask the Guatemala 2022 profile, answered through SPARQL."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

ID = "https://w3id.org/mgi-graph/id/"
MGI = "https://w3id.org/mgi-graph/ontology#"
PREFIXES = """PREFIX mgi: <https://w3id.org/mgi-graph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def ask(store, query: str, **bindings):
    return store.query(PREFIXES + query, bindings).rows


def iris(rows) -> set[str]:
    return {str(row[0]).removeprefix(ID) for row in rows}


def test_members_of_the_council_for_assistance_and_protection(store):
    rows = ask(store, "SELECT ?member WHERE { ?m org:organization ?cap ; org:member ?member }",
               cap=URIRef(ID + "org/gtm/cap"))
    assert iris(rows) == {
        "org/gtm/mspas", "org/gtm/mineduc", "org/gtm/mintrab", "org/gtm/ministry-of-the-interior",
        "org/gtm/minex", "org/gtm/ministry-of-economy", "org/gtm/ministry-of-social-development",
        "org/gtm/office-of-the-attorney-general",
        "org/gtm/under-secretariat-for-the-protection-and-care-of-children-and-adolescents",
        "org/gtm/social-welfare-secretariat-in-the-office-of-the-president",
        "org/gtm/office-of-the-human-rights-procurator", "org/gtm/conamigua", "org/gtm/igm",
    }


def test_the_directorate_general_of_migration_was_replaced_by_igm_in_august_2020(store):
    rows = ask(store, """SELECT ?new ?date WHERE {
        ?change a org:ChangeEvent ; org:originalOrganization ?old ; org:resultingOrganization ?new ;
                dcterms:date ?date }""", old=URIRef(ID + "org/gtm/directorate-general-of-migration"))
    assert [(str(new), str(date)) for new, date in rows] == [(ID + "org/gtm/igm", "2020-08")]
    replaced = ask(store, "SELECT ?new WHERE { ?old mgi:replacedBy ?new }",
                   old=URIRef(ID + "org/gtm/directorate-general-of-migration"))
    assert iris(replaced) == {"org/gtm/igm"}


def test_who_issued_decree_10_2022(store):
    rows = ask(store, "SELECT ?body ?label WHERE { ?i eli:id_local ?id ; mgi:issuedBy ?body . "
                      "?body skos:prefLabel ?label FILTER(lang(?label) = 'en') }",
               id=Literal("Decree No. 10-2022"))
    assert [(str(b).removeprefix(ID), str(label)) for b, label in rows] == [
        ("org/gtm/congress-of-the-republic-of-guatemala", "Congress of the Republic of Guatemala")]


def test_government_agreement_50_2022_has_no_issuer_or_year_the_report_does_not_give(store):
    # 4.1 says MINTRAB "has published" it and the key findings "the country issued" it: no issuer.
    rows = ask(store, "SELECT ?p ?o WHERE { ?i eli:id_local ?id ; ?p ?o }",
               id=Literal("Government Agreement No. 50-2022"))
    predicates = {str(p) for p, _ in rows}
    assert MGI + "issuedBy" not in predicates and MGI + "year" not in predicates
    notes = " ".join(str(o) for p, o in rows if str(p).endswith("editorialNote"))
    assert "does not say who issued it" in notes and "no year of adoption" in notes


@pytest.mark.parametrize("dimension,well_developed,potential", [
    (1, 7, 5), (2, 6, 1), (3, 4, 1), (4, 9, 5), (5, 9, 3), (6, 12, 2)])
def test_findings_per_dimension_and_outcome(store, dimension, well_developed, potential):
    rows = ask(store, """SELECT ?outcome (COUNT(?f) AS ?n) WHERE {
        ?f a mgi:Finding ; mgi:dimension ?d ; mgi:outcome ?outcome } GROUP BY ?outcome""",
               d=URIRef(f"{ID}concept/migof/{dimension}"))
    counts = {str(o).rsplit("/", 1)[-1]: int(n) for o, n in rows}
    assert counts == {"well-developed": well_developed, "potential-development": potential}


def test_what_the_migrants_policy_is_aligned_with(store):
    rows = ask(store, "SELECT ?x WHERE { ?policy mgi:alignedWith ?x }", policy=URIRef(
        ID + "instrument/gtm/public-policy-on-protection-and-assistance-to-migrants-2019-2032"))
    assert iris(rows) == {"instrument/int/global-compact-for-safe-orderly-and-regular-migration",
                          "instrument/gtm/guatemalan-katun-national-development-plan-2032"}


def test_the_2022_profile_follows_up_the_2018_one_and_has_local_siblings(store):
    previous = ask(store, "SELECT ?p WHERE { ?a mgi:previousAssessment ?p }", a=URIRef(ID + "assessment/gtm-2022"))
    assert iris(previous) == {"assessment/gtm-2018"}
    rows = ask(store, "SELECT ?a WHERE { ?a a mgi:LocalAssessment ; mgi:country ?c }", c=URIRef(ID + "country/gtm"))
    assert iris(rows) == {"assessment/gtm-san-marcos-2021", "assessment/gtm-tacana-2021"}


def test_every_dimension_has_updates_since_2018(store):
    rows = ask(store, "SELECT DISTINCT ?d WHERE { ?u a mgi:Update ; mgi:dimension ?d }")
    assert iris(rows) == {f"concept/migof/{n}" for n in range(1, 7)}


FACT_BEARING = ["mgi:Finding", "mgi:CovidResponse", "mgi:Update", "mgi:Instrument", "mgi:LegalInstrument",
                "mgi:PolicyInstrument", "mgi:Agreement", "mgi:PublicBody", "mgi:CollegialBody",
                "org:OrganizationalUnit", "mgi:Forum", "mgi:Mechanism", "mgi:Programme", "mgi:Campaign",
                "mgi:InformationSystem", "mgi:StatisticalSource", "mgi:Facility", "mgi:Event",
                "mgi:InternationalOrganisation", "mgi:CivilSocietyOrganisation", "mgi:PrivateSectorOrganisation",
                "mgi:ForeignGovernmentBody", "org:FormalOrganization", "org:Membership", "org:ChangeEvent",
                "mgi:WebSource"]


@pytest.mark.parametrize("cls", FACT_BEARING)
def test_every_fact_bearing_node_has_a_label_a_section_and_an_assessment(store, cls):
    rows = ask(store, f"""SELECT ?node WHERE {{
        ?node a {cls} .
        FILTER NOT EXISTS {{ ?node mgi:statedIn/mgi:sectionOf ?assessment }}
    }}""")
    assert rows == [], f"{cls} without a section of an assessment: {iris(rows)}"
    if cls not in ("org:Membership", "org:ChangeEvent", "mgi:WebSource"):
        rows = ask(store, f"SELECT ?node WHERE {{ ?node a {cls} FILTER NOT EXISTS {{ ?node skos:prefLabel ?l }} }}")
        assert rows == [], f"{cls} without a label: {iris(rows)}"


def test_every_body_has_an_english_name(store):
    rows = ask(store, """SELECT ?body WHERE {
        ?body a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* org:Organization
        FILTER(isIRI(?body) && STRSTARTS(STR(?body), STR(?base)))
        FILTER NOT EXISTS { ?body skos:prefLabel ?l FILTER(lang(?l) = "en") } }""", base=Literal(ID))
    assert rows == []


def test_spanish_names_and_acronyms_as_the_report_gives_them(store):
    igm = URIRef(ID + "org/gtm/igm")
    rows = ask(store, "SELECT ?l WHERE { ?x skos:prefLabel ?l }", x=igm)
    labels = {(str(label), label.language) for (label,) in rows}
    assert labels == {("Guatemalan Migration Institute", "en"), ("Instituto Guatemalteco de Migración", "es")}
    assert [str(a) for (a,) in ask(store, "SELECT ?a WHERE { ?x mgi:acronym ?a }", x=igm)] == ["IGM"]
