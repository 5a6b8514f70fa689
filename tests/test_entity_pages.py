"""The entity pages as an analyst reads them, one test per finding of the review: no dead links,
incoming links read from the page's subject, memberships with names and roles, readable property
names, numbered sections, identifiers, linked home and dataset pages, Spanish names marked."""

from __future__ import annotations

import re

import pytest

NAMED_GRAPHS = ["/id/graph/inferred", "/id/graph/ontology", "/id/graph/reference", "/id/graph/profile/gtm-2022"]
ENTITIES = ["/id/org/gtm/igm", "/id/org/gtm/cap", "/id/instrument/gtm/decree-no-44-2016",
            "/id/section/gtm-2022/2.1", "/id/assessment/gtm-2022", "/id/membership/gtm/cap/gtm/igm"]


def _page(client, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize("path", NAMED_GRAPHS + ENTITIES)
def test_every_link_on_the_page_answers(client, path):
    page = _page(client, path)
    hrefs = {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"]*)"', page)}
    dead = [h for h in sorted(hrefs) if client.get(h.split("#")[0], follow_redirects=True).status_code != 200]
    assert dead == []


def test_named_graph_pages_offer_no_network_page(client):
    for path in NAMED_GRAPHS:
        assert "/network/graph/" not in _page(client, path)


def test_incoming_links_read_from_the_page_subject(client):
    incoming = _page(client, "/id/org/gtm/igm").split('id="incoming"')[1]
    replaces = _between(incoming, ">replaces</a>", "</tr>")
    assert 'href="/id/org/gtm/directorate-general-of-migration"' in replaces
    assert "replaced by" not in incoming and ">created</a>" not in incoming
    decree = _page(client, "/id/instrument/gtm/decree-no-44-2016")
    assert 'href="/id/org/gtm/igm"' in _between(decree, 'id="outgoing"', 'id="incoming"')  # created: IGM
    assert "created by" not in decree.split('id="incoming"')[1]  # ... not again as "created by"


def test_memberships_name_the_body_the_member_and_the_role(client):
    igm = _between(_page(client, "/id/org/gtm/igm"), 'id="memberships"', "</section>")
    member_of = _between(igm, "member of", "</tr>")
    assert 'href="/id/org/gtm/cap"' in member_of and "Council for Assistance and Protection" in member_of
    assert ">chair</a>" in member_of and "membership/gtm/cap/gtm/igm</" not in member_of
    cap = _between(_page(client, "/id/org/gtm/cap"), 'id="memberships"', "</section>")
    assert 'href="/id/org/gtm/igm"' in _between(cap, "members", "</tr>")
    membership = _page(client, "/id/membership/gtm/cap/gtm/igm")
    assert "<h1>IGM in CAP (member)</h1>" in membership
    assert "3 related entities" in membership


@pytest.mark.parametrize("path", ["/id/section/gtm-2022/2.1", "/id/assessment/gtm-2022", "/id/concept/migof/1",
                                  "/id/membership/gtm/cap/gtm/igm"])
def test_things_that_link_by_their_own_properties_have_a_neighbourhood(client, path):
    assert "0 related entities" not in _page(client, path)


def test_reused_properties_and_datatypes_are_readable(client):
    igm = _page(client, "/id/org/gtm/igm")
    for name in ("rdf:type", "skos:prefLabel", "prov:hadPrimarySource"):
        assert f">{name}</a>" in igm
    assert ">http://www.w3.org/1999/02/22-rdf-syntax-ns#type<" not in igm
    decree = _page(client, "/id/instrument/gtm/decree-no-44-2016")
    assert ">xsd:gYear</span>" in decree and ">http://www.w3.org/2001/XMLSchema#gYear<" not in decree


def test_a_finding_shows_its_text_at_the_top(client):
    page = _page(client, "/id/finding/gtm-2022/2.1-b")
    abstract = _between(page, '<div class="abstract">', "</div>")
    assert '<p lang="en">The Guatemalan Migration Institute, created by the Migration Code' in abstract
    assert page.index('class="abstract"') < page.index('class="facts"')


def test_sections_show_their_number(client):
    section = _page(client, "/id/section/gtm-2022/2.1")
    assert "<h1>2.1 Migration governance: Examples of well-developed areas</h1>" in section
    assert "<title>2.1 Migration governance" in section
    stated_in = _between(_page(client, "/id/org/gtm/igm"), 'id="outgoing"', 'id="incoming"')
    assert ">6.1 Migration governance: Examples of well-developed areas</a>" in stated_in
    assessment = _page(client, "/id/assessment/gtm-2022").split('id="incoming"')[1]
    assert ">3.2 Areas with potential for further development</a>" in assessment


def test_an_instrument_shows_and_is_found_by_its_identifier(client):
    facts = _between(_page(client, "/id/instrument/gtm/decree-no-44-2016"), 'class="facts"', "</table>")
    assert "<th>Identifier</th><td>Decree No. 44-2016</td>" in facts
    hits = client.get("/search.json?q=44-2016").get_json()["groups"][0]["results"]
    assert hits[0]["iri"].endswith("/instrument/gtm/decree-no-44-2016")


def test_dataset_and_home_link_their_items(client):
    dataset = _page(client, "/dataset")
    assert ">Migration Governance Indicators: Republic of Guatemala, Second Profile 2022</a>" in dataset
    home = _page(client, "/")
    for href in ("/id/assessment/gtm-2022", "/id/concept/migof/1", "/ontology#Finding",
                 "http://www.w3.org/ns/org#Membership"):
        assert f'href="{href}"' in home


def test_search_marks_spanish_names(client):
    page = _page(client, "/search?q=instituto")
    assert '<span class="muted" lang="es">· Instituto Guatemalteco de Migración</span>' in page


def test_an_entity_in_rdf_xml_by_suffix_and_by_accept(client):
    from rdflib import Graph

    by_suffix = client.get("/id/org/gtm/igm.rdf")
    assert by_suffix.status_code == 200 and by_suffix.mimetype == "application/rdf+xml"
    assert len(Graph().parse(data=by_suffix.data, format="xml")) > 10
    by_accept = client.get("/id/org/gtm/igm", headers={"Accept": "application/rdf+xml"})
    assert by_accept.mimetype == "application/rdf+xml"
    refused = client.get("/id/org/gtm/igm", headers={"Accept": "text/html;q=0, application/ld+json;q=0.1"})
    assert refused.mimetype == "application/ld+json"


def test_things_sharing_a_name_in_one_list_say_what_kind_they_are(client):
    page = _page(client, "/id/section/gtm-2022/4.1")
    assert 'Electronic apostille system</a> <span class="muted">(finding)</span>' in page
    assert 'Electronic apostille system</a> <span class="muted">(system)</span>' in page
    assert 'Guatemalan Migration Institute</a> <span class="muted">(org)' not in _page(client, "/id/org/gtm/cap")
