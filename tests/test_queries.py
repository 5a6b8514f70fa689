"""The saved-query catalogue: its rules, and what each query answers on the Guatemala 2022 profile."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import XSD, Literal, URIRef

from mgi_graph.errors import ParameterError, UnknownQueryError
from mgi_graph.queries import bind, candidates, convert, get_query, load_catalogue, query_kind, run
from mgi_graph.settings import Settings

ID = "https://w3id.org/mgi-graph/id/"


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


@pytest.fixture(scope="module")
def catalogue(settings):
    return load_catalogue(settings)


def answer(store, catalogue, name, **values):
    return run(store, catalogue[name], {k: str(v) for k, v in values.items()})


def column(result, variable):
    return [row[result.variables.index(variable)] for row in result.rows]


# -- catalogue rules ------------------------------------------------------------------------------

def test_at_least_25_queries(catalogue):
    assert len(catalogue) >= 25


def test_every_query_has_summary_description_and_tags(catalogue):
    for name, query in catalogue.items():
        assert query.summary, f"{name} has no #+ summary"
        assert query.description, f"{name} has no #+ description"
        assert query.tags, f"{name} has no #+ tags"


def test_every_query_parses_in_both_parsers(catalogue, store):
    for query in catalogue.values():
        assert query_kind(query.text) == query.kind
        # Oxigraph parses it too: running with the defaults must not raise a syntax error.
        run(store, query, {})


def test_select_queries_are_ordered_and_echo_their_parameters(catalogue):
    # ORDER BY keeps answers stable; projecting the parameters shows what a result was asked with.
    for name, query in catalogue.items():
        if query.kind != "SELECT":
            continue
        body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
        head = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.S | re.I).group(1)
        for param in query.parameters:
            assert f"?{param.variable}" in head, f"{name}: ?{param.variable} is not projected"
        assert "ORDER BY" in query.text.upper(), f"{name} has no ORDER BY"


def test_every_query_with_parameters_has_an_explicit_where(catalogue):
    # The store binds values in a VALUES block at the start of the outermost WHERE group.
    for name, query in catalogue.items():
        if query.parameters:
            assert re.search(r"\bWHERE\s*\{", query.text, re.I), name


def test_header_keys_name_real_parameters(catalogue, store):
    for name, query in catalogue.items():
        names = {p.name for p in query.parameters}
        assert set(query.defaults) <= names, name
        assert set(query.enumerate) <= names, name
        for param in query.parameters:
            assert re.fullmatch(r"__?[a-z]+_[A-Za-z_]+", param.variable), (name, param.variable)
            if param.enumerate:
                assert candidates(store, param), f"{name}: enumerated {param.name} has no candidates"


def test_candidates_past_the_limit_are_not_listed(catalogue, store):
    body = catalogue["members"].parameter("body")
    listed = candidates(store, body)
    assert listed is not None and len(listed) > 3
    assert candidates(store, body, limit=len(listed)) == listed
    assert candidates(store, body, limit=len(listed) - 1) is None


def test_a_query_without_a_summary_is_caught(tmp_path, settings):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "bare.rq").write_text("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    bare = load_catalogue(settings.with_changes(root=tmp_path))["bare"]
    assert bare.summary == "" and bare.description == ""


def test_a_query_that_does_not_parse_is_named(tmp_path, settings):
    from mgi_graph.errors import QuerySyntaxError

    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "broken.rq").write_text("#+ summary: x\nSELECT ?s WHERE { ?s ?p }\n")
    with pytest.raises(QuerySyntaxError, match="broken.rq"):
        load_catalogue(settings.with_changes(root=tmp_path))


def test_parameters_follow_grlc_naming(catalogue):
    members = catalogue["members"].parameter("body")
    assert (members.type, members.required, members.variable) == ("iri", True, "_body_iri")
    optional = catalogue["bilateral-agreements"].parameter("country")
    assert (optional.type, optional.required) == ("iri", False)
    assert catalogue["instruments-in-force"].parameter("year").type == "integer"
    assert catalogue["instruments-since"].parameter("since").type == "gYear"


def test_unknown_query(settings):
    with pytest.raises(UnknownQueryError):
        get_query(settings, "no-such-query")


@pytest.mark.parametrize("name", ["../queries/members", "members.rq", "Members", "members\n", ""])
def test_a_query_name_is_never_a_path(settings, name):
    with pytest.raises(UnknownQueryError):
        get_query(settings, name)


def test_get_query_sees_a_changed_file(project_copy):
    settings = Settings(root=project_copy)
    path = settings.queries_dir / "members.rq"
    before = get_query(settings, "members")
    path.write_text(path.read_text(encoding="utf-8").replace("#+ summary:", "#+ summary: Changed."), encoding="utf-8")
    assert get_query(settings, "members").summary != before.summary


# -- converting values ----------------------------------------------------------------------------

@pytest.mark.parametrize("name,value,reason", [
    ("members", "not an iri", "not an absolute"),
    ("members", "javascript:alert(1)", "not an absolute"),
    ("members", "https://x.org/a> ?p ?o } #", "not an absolute"),
    ("instruments-in-force", "2022.5", "not an integer"),
    ("instruments-in-force", "twenty", "not an integer"),
    ("instruments-since", "22", "not a year"),
    ("instruments-since", "20180", "not a year"),
    ("instruments-since", "-2018", "not a year"),
])
def test_bad_values_name_the_parameter(catalogue, name, value, reason):
    query = catalogue[name]
    param = query.parameters[0]
    with pytest.raises(ParameterError, match=reason) as caught:
        bind(query, {param.name: value})
    assert caught.value.name == param.name
    assert repr(param.name) in str(caught.value)


def test_unknown_enumerated_value_is_refused(store, catalogue):
    with pytest.raises(ParameterError, match="not one of the values") as caught:
        answer(store, catalogue, "members", body=ID + "org/gtm/igm")
    assert caught.value.name == "body"


def test_missing_required_and_unknown_parameters(catalogue):
    query = catalogue["is-member"]
    with pytest.raises(ParameterError, match="no such parameter"):
        bind(query, {"colour": "red"})
    no_defaults = type(query.parameters[0])(variable="_x_iri", name="x", type="iri", required=True)
    assert no_defaults.default is None


def test_values_become_typed_terms(catalogue):
    assert convert(catalogue["instruments-in-force"].parameter("year"), "2019") == Literal(2019, datatype=XSD.integer)
    assert convert(catalogue["instruments-since"].parameter("since"), "2018") == Literal("2018", datatype=XSD.gYear)
    assert convert(catalogue["members"].parameter("body"), ID + "org/gtm/cap") == iri("org/gtm/cap")
    assert bind(catalogue["bilateral-agreements"], {}) == {}  # optional and absent: left unbound


# -- injection: values are bound as terms, never become query text --------------------------------

NASTY = [
    'migra" || true || "',
    "migra') } ; DROP ALL ; #",
    'x\\" } UNION { ?thing ?p ?match } #',
    "\\u0022) || true || (\\u0022",
    "> } SELECT * WHERE { ?s ?p ?o }",
    "}}}} INSERT DATA { <http://e/x> <http://e/y> <http://e/z> }",
    "FILTER(true) ORDER BY ?x LIMIT 1 OFFSET 0",
    "\\\\\\",
]


@pytest.mark.parametrize("value", NASTY)
def test_string_values_cannot_change_the_query(store, catalogue, value):
    before = store.count()
    result = answer(store, catalogue, "search-labels", text=value)
    assert result.rows == []  # no label contains these strings; an injected `|| true` would match everything
    assert store.count() == before


def test_bound_string_is_the_exact_value(store, catalogue):
    value = 'CONAMIGUA" } #'
    bindings = bind(catalogue["search-labels"], {"text": value})
    assert bindings == {"_text_string": Literal(value)}
    found = answer(store, catalogue, "search-labels", text="CONAMIGUA")
    assert iri("org/gtm/conamigua") in column(found, "thing")
    assert set(column(found, "_text_string")) == {Literal("CONAMIGUA")}


@pytest.mark.parametrize("value", [
    ID + "org/gtm/cap> . ?m ?p ?o } #",
    ID + 'org/gtm/cap"',
    ID + "org/gtm/cap\\u003E",
    ID + "org/gtm/{cap}",
])
def test_iri_values_cannot_change_the_query(catalogue, value):
    with pytest.raises(ParameterError):
        bind(catalogue["institution-links"], {"institution": value})


def test_odd_but_valid_iri_is_just_an_iri(store, catalogue):
    result = answer(store, catalogue, "institution-links", institution=ID + "org/gtm/igm?select=*")
    assert result.rows == []


# -- what each saved query answers on the Guatemala 2022 profile ----------------------------------

CAP_MEMBERS = {"igm", "minex", "mspas", "mineduc", "mintrab", "ministry-of-the-interior", "ministry-of-economy",
               "ministry-of-social-development", "office-of-the-attorney-general", "conamigua",
               "under-secretariat-for-the-protection-and-care-of-children-and-adolescents",
               "social-welfare-secretariat-in-the-office-of-the-president", "office-of-the-human-rights-procurator"}
PPPAM = "instrument/gtm/public-policy-on-protection-and-assistance-to-migrants-2019-2032"
CONGRESS = "org/gtm/congress-of-the-republic-of-guatemala"


def check_members(store, catalogue):
    # 2.1: CAP comprises the Vice Ministers of seven ministries, six other offices and bodies.
    result = answer(store, catalogue, "members", body=ID + "org/gtm/cap")
    assert set(column(result, "member")) == {iri("org/gtm/" + m) for m in CAP_MEMBERS}
    assert set(column(result, "role")) == {iri("concept/role/member")}
    conare = answer(store, catalogue, "members", body=ID + "org/gtm/conare")
    assert {iri("org/gtm/minex"), iri("org/gtm/igm")} <= set(column(conare, "member"))


def check_instrument_details(store, catalogue):
    # 2.1: the Policy is aligned with the Global Compact and the K'atun Plan 2032.
    result = answer(store, catalogue, "instrument-details", instrument=ID + PPPAM)
    aligned = {row[1] for row in result.rows if str(row[0]) == "aligned with"}
    assert aligned == {iri("instrument/int/global-compact-for-safe-orderly-and-regular-migration"),
                       iri("instrument/gtm/guatemalan-katun-national-development-plan-2032")}
    ga_50 = ID + "instrument/gtm/government-agreement-no-50-2022"
    ga = answer(store, catalogue, "instrument-details", instrument=ga_50)
    assert (Literal("identifier"), Literal("Government Agreement No. 50-2022")) in {(r[0], r[1]) for r in ga.rows}
    assert Literal("issued by") not in {r[0] for r in ga.rows}  # the report does not say who issued it
    decree = answer(store, catalogue, "instrument-details", instrument=ID + "instrument/gtm/decree-no-10-2022")
    assert (Literal("issued by"), iri(CONGRESS)) in {(r[0], r[1]) for r in decree.rows}


def check_instruments_by_type(store, catalogue):
    result = answer(store, catalogue, "instruments-by-type", type=ID + "concept/doctype/government-agreement")
    assert iri("instrument/gtm/government-agreement-no-50-2022") in column(result, "instrument")
    decrees = answer(store, catalogue, "instruments-by-type")
    assert iri("instrument/gtm/decree-no-44-2016") in column(decrees, "instrument")
    rows = {row[0]: row for row in decrees.rows}
    assert rows[iri("instrument/gtm/decree-no-10-2022")][4] == iri(CONGRESS)


def check_findings_by_dimension_and_outcome(store, catalogue):
    result = answer(store, catalogue, "findings-by-dimension-and-outcome")
    counts = {(str(r[1]), str(r[2]).rsplit("/", 1)[1]): int(r[3]) for r in result.rows}
    assert counts[("1", "well-developed")] == 7 and counts[("1", "potential-development")] == 5
    assert counts[("6", "well-developed")] == 12 and counts[("3", "potential-development")] == 1
    assert sum(counts.values()) == 64


def check_findings_potential_development(store, catalogue):
    everything = answer(store, catalogue, "findings-potential-development")
    assert len(everything.rows) == 17
    assert all(str(f).split("/")[-1].split("-")[0].endswith(".2") for f in column(everything, "finding"))
    two = answer(store, catalogue, "findings-potential-development", dimension=ID + "concept/migof/2")
    assert column(two, "finding") == [iri("finding/gtm-2022/2.2-a")]


def check_changes_since_previous_assessment(store, catalogue):
    result = answer(store, catalogue, "changes-since-previous-assessment")
    assert set(column(result, "previous")) == {iri("assessment/gtm-2018")}
    assert len(result.rows) == 20
    kinds = Counter(str(k).rsplit("/", 1)[1] for k in column(result, "kind"))
    assert kinds["adopted"] == 9 and kinds["replaced"] == 1
    three = answer(store, catalogue, "changes-since-previous-assessment", dimension=ID + "concept/migof/3")
    assert len(three.rows) == 5


def check_instruments_in_force(store, catalogue):
    in_2022 = set(column(answer(store, catalogue, "instruments-in-force", year=2022), "instrument"))
    assert iri(PPPAM) in in_2022
    assert iri("instrument/gtm/guatemala-national-disaster-risk-management-plan-2018-2022") in in_2022
    in_2025 = set(column(answer(store, catalogue, "instruments-in-force", year=2025), "instrument"))
    assert iri("instrument/gtm/guatemala-national-disaster-risk-management-plan-2018-2022") not in in_2025
    assert iri("instrument/gtm/equal-opportunity-plan-2008-2023") not in in_2025
    assert iri("instrument/gtm/decree-no-44-2016") in in_2025
    in_2015 = set(column(answer(store, catalogue, "instruments-in-force", year=2015), "instrument"))
    assert iri("instrument/gtm/decree-no-44-2016") not in in_2015


def check_instruments_since(store, catalogue):
    since = set(column(answer(store, catalogue, "instruments-since", since=2018), "instrument"))
    assert iri("instrument/gtm/decree-no-10-2022") in since
    assert iri("instrument/gtm/decree-no-44-2016") not in since


def check_bilateral_agreements(store, catalogue):
    usa = answer(store, catalogue, "bilateral-agreements", country=ID + "country/usa")
    assert column(usa, "agreement") == [
        iri("instrument/int/agreement-concerning-temporary-agricultural-and-non-agricultural-worker-programmes")]
    mex = answer(store, catalogue, "bilateral-agreements", country=ID + "country/mex")
    assert [int(n) for n in column(mex, "parties")] == [2]
    everything = answer(store, catalogue, "bilateral-agreements")
    assert {iri("country/slv"), iri("country/hnd"), iri("country/nic"), iri("country/mex"), iri("country/usa")} \
        == set(column(everything, "country"))


def check_finding_sources(store, catalogue):
    result = answer(store, catalogue, "finding-sources", finding=ID + "finding/gtm-2022/1.1-a")
    sources = {(str(r[0]), r[1]) for r in result.rows}
    assert ("report section", iri("section/gtm-2022/1.1")) in sources
    igm_site = URIRef("https://igm.gob.gt/marco-legal-migratorio-guatemalteco/")
    assert ("web source of a cited entity", igm_site) in sources


def check_sdg_evidence(store, catalogue):
    result = answer(store, catalogue, "sdg-10-7-2-evidence")
    counts = {str(r[1]): int(r[3]) for r in result.rows}
    assert len(counts) == 30
    assert counts["1a"] == 3 and counts["1c"] == 0 and counts["6e"] == 3


def check_sdg_without_evidence(store, catalogue):
    result = answer(store, catalogue, "sdg-subcategories-without-evidence")
    assert {"1c", "1e", "6a", "6b"} <= {str(n) for n in column(result, "notation")}


def check_findings_by_sdg_subcategory(store, catalogue):
    result = answer(store, catalogue, "findings-by-sdg-subcategory", subcategory=ID + "concept/sdg-10-7-2/1a")
    assert set(column(result, "statement")) == {iri("finding/gtm-2022/1.1-a"), iri("finding/gtm-2022/1.1-b"),
                                                iri("finding/gtm-2022/1.2-e")}


def check_subareas_without_findings(store, catalogue):
    result = answer(store, catalogue, "subareas-without-findings")
    assert iri("concept/mgi/1/family-reunification") in column(result, "subarea")
    assert iri("concept/mgi/3/regional-cooperation") not in column(result, "subarea")


def check_institution_neighbourhood(store, catalogue):
    graph = answer(store, catalogue, "institution-neighbourhood", institution=ID + "org/gtm/cap").as_graph()
    org = "http://www.w3.org/ns/org#"
    assert (iri("membership/gtm/cap/gtm/igm"), URIRef(org + "member"), iri("org/gtm/igm")) in graph
    assert (iri("org/gtm/cap"), URIRef("https://w3id.org/mgi-graph/ontology#createdBy"),
            iri("instrument/gtm/decree-no-44-2016")) in graph


def check_institution_links(store, catalogue):
    result = answer(store, catalogue, "institution-links", institution=ID + "org/gtm/igm")
    links = {(str(r[0]), r[1]) for r in result.rows}
    assert ("member of", iri("org/gtm/cap")) in links
    assert ("created by", iri("instrument/gtm/decree-no-44-2016")) in links
    assert ("has unit", iri("org/gtm/igm/sub-directorate-for-immigration")) in links
    congress = answer(store, catalogue, "institution-links", institution=ID + CONGRESS)
    issues = {(str(r[0]), r[1]) for r in congress.rows}
    assert ("issues", iri("instrument/gtm/decree-no-10-2022")) in issues


def check_institutions_ranked(store, catalogue):
    result = answer(store, catalogue, "institutions-ranked")
    assert result.rows[0][0] == iri("org/gtm/minex")
    counts = [int(n) for n in column(result, "instruments")]
    assert counts == sorted(counts, reverse=True)


def check_chairs_and_presidencies(store, catalogue):
    rows = {(r[0], r[2], r[4]): r for r in answer(store, catalogue, "chairs-and-presidencies").rows}
    rcm = rows[(iri("org/int/rcm"), iri("country/gtm"), iri("concept/role/pro-tempore-presidency"))]
    assert str(rcm[5]) == "2019"
    coalition = iri("org/int/regional-coalition-against-trafficking-in-persons-and-smuggling-of-migrants")
    assert str(rows[(coalition, iri("org/gtm/svet"), iri("concept/role/chair"))][5]) == "2022"
    assert (iri("org/int/mirps"), iri("country/gtm"), iri("concept/role/pro-tempore-presidency")) in rows


def check_institutional_changes(store, catalogue):
    result = answer(store, catalogue, "institutional-changes")
    assert [(r[1], r[3], str(r[5])) for r in result.rows] == [
        (iri("org/gtm/directorate-general-of-migration"), iri("org/gtm/igm"), "2020-08")]


def check_assessments(store, catalogue):
    result = answer(store, catalogue, "assessments")
    rows = {r[0]: r for r in result.rows}
    assert rows[iri("assessment/gtm-2022")][5] == iri("assessment/gtm-2018")
    assert int(rows[iri("assessment/gtm-2022")][6]) == 20
    assert iri("assessment/gtm-tacana-2021") in rows


def check_section_contents(store, catalogue):
    result = answer(store, catalogue, "section-contents", section=ID + "section/gtm-2022/2.1")
    things = set(column(result, "thing"))
    assert {iri("org/gtm/cap"), iri("membership/gtm/cap/gtm/igm"), iri(PPPAM)} <= things


def check_covid_responses(store, catalogue):
    result = answer(store, catalogue, "covid-19-responses")
    assert len(result.rows) == 11
    first = result.rows[0]
    assert first[0] == iri("covid-response/gtm-2022/a") and int(first[3]) == 3


def check_programmes_and_systems(store, catalogue):
    result = answer(store, catalogue, "programmes-and-systems")
    links = {(r[0], str(r[3]), r[4]) for r in result.rows}
    assert (iri("system/gtm/register-of-recruiters-of-guatemalan-workers"), "created by",
            iri("instrument/gtm/government-agreement-no-50-2022")) in links
    implementers = {str(r[5]) for r in result.rows
                    if r[0] == iri("programme/gtm/temporary-work-programme") and str(r[3]) == "implemented by"}
    assert "Labour Mobility Department" in implementers


def check_instrument_network(store, catalogue):
    result = answer(store, catalogue, "instrument-network")
    assert (iri(PPPAM), URIRef("https://w3id.org/mgi-graph/ontology#alignedWith"),
            iri("instrument/int/global-compact-for-safe-orderly-and-regular-migration")) in {
        (r[0], r[2], r[3]) for r in result.rows}


def check_instrument_types(store, catalogue):
    counts = {r[0]: int(r[2]) for r in answer(store, catalogue, "instrument-types").rows}
    assert counts[iri("concept/doctype/decree")] == 4


def check_instruments_by_dimension(store, catalogue):
    result = answer(store, catalogue, "instruments-by-dimension", dimension=ID + "concept/migof/1")
    assert result.rows[0][0] == iri("instrument/gtm/decree-no-44-2016")
    six = answer(store, catalogue, "instruments-by-dimension", dimension=ID + "concept/migof/6")
    assert iri("instrument/gtm/law-against-sexual-violence-exploitation-and-trafficking-in-persons") \
        in column(six, "instrument")


def check_findings_citing(store, catalogue):
    result = answer(store, catalogue, "findings-citing", entity=ID + "org/gtm/igm")
    assert iri("finding/gtm-2022/3.1-a") in column(result, "statement")
    assert iri("update/gtm-2022/2-a") in column(result, "statement")


def check_findings_by_subarea(store, catalogue):
    result = answer(store, catalogue, "findings-by-subarea", subarea=ID + "concept/mgi/3/regional-cooperation")
    assert iri("finding/gtm-2022/3.1-a") in column(result, "finding")
    assert set(column(result, "subarea")) == {iri("concept/mgi/3/regional-cooperation")}


def check_search_labels(store, catalogue):
    result = answer(store, catalogue, "search-labels", text="conamigua")
    assert iri("org/gtm/conamigua") in column(result, "thing")


def check_is_member(store, catalogue):
    assert answer(store, catalogue, "is-member", organisation=ID + "org/gtm/cap", member=ID + "org/gtm/igm").boolean
    assert not answer(store, catalogue, "is-member", organisation=ID + "org/gtm/cap",
                      member=ID + "org/gtm/svet").boolean
    assert answer(store, catalogue, "is-member", organisation=ID + "org/int/rcm", member=ID + "country/mex").boolean


def check_web_sources(store, catalogue):
    result = answer(store, catalogue, "web-sources")
    assert len(result.rows) >= 25
    assert URIRef("https://empleodigno.gob.gt/noticia-5/") in column(result, "source")


def check_units_of_body(store, catalogue):
    result = answer(store, catalogue, "units-of-body", institution=ID + "org/gtm/mintrab")
    assert {str(label) for label in column(result, "label")} == {"Directorate-General of Employment",
                                                                 "Labour Mobility Department"}
    assert iri("org/gtm/mintrab/directorate-general-of-employment") in column(result, "unit")


CHECKS = {name[len("check_"):].replace("_", "-"): fn for name, fn in dict(globals()).items()
          if name.startswith("check_")}
CHECKS["sdg-10-7-2-evidence"] = CHECKS.pop("sdg-evidence")
CHECKS["sdg-subcategories-without-evidence"] = CHECKS.pop("sdg-without-evidence")
CHECKS["covid-19-responses"] = CHECKS.pop("covid-responses")


def test_every_query_has_a_check(catalogue):
    assert set(CHECKS) == set(catalogue)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_answers_what_the_report_says(store, catalogue, name):
    CHECKS[name](store, catalogue)


def test_candidates_show_the_acronym_beside_the_name(catalogue, store):
    listed = dict(candidates(store, catalogue["members"].parameter("body")))
    assert listed[URIRef("https://w3id.org/mgi-graph/id/org/gtm/cap")].endswith("(CAP)")


@pytest.mark.parametrize("value", ["<https://w3id.org/mgi-graph/id/org/gtm/cap>", "org/gtm/cap", "<org/gtm/cap>"])
def test_an_iri_may_be_given_as_the_outputs_print_it(catalogue, value):
    body = catalogue["members"].parameter("body")
    assert bind(catalogue["members"], {"body": value}, "https://w3id.org/mgi-graph/id/")[body.variable] == \
        URIRef("https://w3id.org/mgi-graph/id/org/gtm/cap")
