"""The analysts' pages through Flask's test client: pictures, paths, dashboard, compare, search,
and their JSON/CSV twins, asserting what the Guatemala 2022 profile really holds."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import URIRef

from mgi_graph.describe import describe
from mgi_graph.kinds import NodeInfo
from mgi_graph.network import Link, Neighbour, Neighbourhood, neighbourhood, to_svg
from mgi_graph.paths import shortest_paths
from mgi_graph.search import normalise

BASE = "https://w3id.org/mgi-graph/id/"
SVG = "{http://www.w3.org/2000/svg}"
IGM = BASE + "org/gtm/igm"
MIGRATION_CODE = BASE + "instrument/gtm/decree-no-44-2016"
CAP = BASE + "org/gtm/cap"
CONAMIGUA = BASE + "org/gtm/conamigua"


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# -- the neighbourhood picture ------------------------------------------------------------------

def test_igm_picture_shows_the_migration_code_and_cap(client):
    response = client.get("/network/org/gtm/igm.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)  # well-formed XML
    links = {a.get("href"): "".join(a.itertext()) for a in root.iter(SVG + "a")}
    assert "/id/instrument/gtm/decree-no-44-2016" in links
    assert "Migration Code" in links["/id/instrument/gtm/decree-no-44-2016"]
    assert "Council for Assistance and Protection" in links["/id/org/gtm/cap"]
    edge_titles = [t.text for g in root.iter(SVG + "g") if g.get("class") == "edge" for t in g.iter(SVG + "title")]
    assert any("created by Migration Code" in t for t in edge_titles)
    assert any("member of Council for Assistance and Protection" in t for t in edge_titles)
    assert any("chair of Central American Commission of Migration Directors" in t for t in edge_titles)
    assert any("Directorate-General of Migration replaced by Guatemalan Migration Institute" in t for t in edge_titles)
    assert b"Legend" in response.data


def test_picture_is_deterministic(client):
    assert client.get("/network/org/gtm/igm.svg").data == client.get("/network/org/gtm/igm.svg").data


def test_network_twins(client):
    data = client.get("/network/org/gtm/igm.json").get_json()
    assert data["centre"]["iri"] == IGM
    assert {"subject": IGM, "relation_label": "created by", "object": MIGRATION_CODE}.items() <= next(
        r for r in data["relations"] if r["object"] == MIGRATION_CODE and r["relation_label"] == "created by").items()
    rows = _csv(client.get("/network/org/gtm/igm.csv"))
    assert any(r["object"] == CAP and r["relation_label"] == "member of" for r in rows)
    assert any(r["subject"].endswith("igm/sub-directorate-for-immigration") and r["relation_label"] == "unit of"
               for r in rows)


def test_network_page_and_unknown_entity(client):
    page = client.get("/network/org/gtm/igm")
    assert page.status_code == 200
    assert b"<svg" in page.data and b"Migration Code" in page.data
    assert b'rel="alternate" type="application/json"' in page.data
    assert client.get("/network/org/gtm/no-such-body").status_code == 404


def test_entity_page_embeds_the_clickable_picture(client):
    page = client.get("/id/org/gtm/igm")
    assert page.status_code == 200
    assert b"<svg" in page.data
    assert b'href="/id/instrument/gtm/decree-no-44-2016"' in page.data


def test_svg_escapes_names():
    evil = NodeInfo(URIRef(BASE + "org/x"), '<script>alert("x")</script> & co', None, "Other", "other")
    centre = NodeInfo(URIRef(BASE + "org/y"), "Centre", None, "Other", "other")
    hood = Neighbourhood(centre, [Neighbour(evil, [Link("rel <b>", True, URIRef(BASE + "p"))])])
    picture = to_svg(hood, lambda iri: 'javascript:"x"' if iri.endswith("x") else None)
    assert "<script>" not in picture and "<b>" not in picture
    assert "&lt;script&gt;" in picture
    assert 'href="javascript:&quot;x&quot;"' in picture  # quoted safely (term_href never gives javascript:)
    ET.fromstring(picture)


class _RowCapped:
    """A store whose every query may return at most `cap` rows, like a query worker's row cap on a
    graph far larger than one profile."""

    def __init__(self, inner, cap: int = 60) -> None:
        self.inner, self.version, self.cap = inner, inner.version, cap

    def query(self, sparql, bindings=None, **options):
        return self.inner.query(sparql, bindings, **{**options, "max_rows": self.cap})


def test_a_picture_and_a_path_read_only_the_edges_they_reach(store):
    """The whole relation graph (557 edges here, 180,000 at 150 profiles) is never read at once."""
    capped = _RowCapped(store)
    hood = neighbourhood(capped, URIRef(IGM))
    assert URIRef(MIGRATION_CODE) in {n.node.iri for n in hood.neighbours}
    found = shortest_paths(capped, URIRef(CONAMIGUA), URIRef(MIGRATION_CODE))
    assert [[str(step.target.iri) for step in path] for path in found.paths][0] == [CAP, MIGRATION_CODE]


def test_the_edges_of_many_nodes_are_read_in_halves_under_a_row_cap(store):
    from mgi_graph.errors import ResultTooLargeError
    from mgi_graph.relations import RelationGraph, _edges_of

    nodes = [URIRef(BASE + n) for n in ("org/gtm/igm", "org/gtm/minex", "org/gtm/mintrab", "org/gtm/cap")]
    capped = _RowCapped(store, cap=30)  # each node's links fit in 30 rows, all of them together do not
    with pytest.raises(ResultTooLargeError):
        _edges_of(capped, nodes)
    assert RelationGraph(capped).load(nodes) == RelationGraph(store).load(nodes)


def test_an_entity_described_with_a_row_cap(store):
    description = describe(_RowCapped(store), IGM)
    assert description is not None and len(description.graph) > 0


# -- paths ----------------------------------------------------------------------------------------

def test_path_between_conamigua_and_the_migration_code(client):
    data = client.get("/paths.json", query_string={"from": CONAMIGUA, "to": MIGRATION_CODE}).get_json()
    assert data["length"] == 2
    first = data["paths"][0]
    assert [step["relation_label"] for step in first] == ["member of", "created by"]
    assert first[0]["to"] == CAP and first[1]["to"] == MIGRATION_CODE


def test_paths_page_resolves_names_and_labels_steps(client):
    page = client.get("/paths", query_string={"from": "conamigua", "to": "migration code"}).get_data(as_text=True)
    assert "Council for Assistance and Protection" in page
    assert "—member of→" in page and "—created by→" in page
    assert 'href="/paths.csv?' in page


def test_paths_csv_and_bad_input(client):
    rows = _csv(client.get("/paths.csv", query_string={"from": IGM, "to": CAP}))
    assert rows and rows[0]["relation_label"] == "member of"
    assert client.get("/paths.json", query_string={"from": IGM, "to": CAP, "depth": "0"}).status_code == 400
    assert client.get("/paths.json", query_string={"from": "zzzzqq", "to": CAP}).status_code == 400
    assert client.get("/paths").status_code == 200  # the empty form


def test_paths_through_findings_is_opt_in(client):
    svet, amn = BASE + "org/gtm/svet", BASE + "org/gtm/igm"
    plain = client.get("/paths.json", query_string={"from": svet, "to": amn}).get_json()
    through = client.get("/paths.json", query_string={"from": svet, "to": amn, "findings": "1"}).get_json()
    steps = [s["relation_label"] for p in plain["paths"] for s in p]
    assert "cites" not in steps
    assert through["through_findings"] is True


# -- dashboard ------------------------------------------------------------------------------------

EXPECTED = {"1": (7, 5), "2": (6, 1), "3": (4, 1), "4": (9, 5), "5": (9, 3), "6": (12, 2)}


def test_dashboard_counts_match_the_profile(client):
    data = client.get("/dashboard.json").get_json()
    assert data["total_findings"] == 64
    got = {d["notation"]: (d["well_developed"], d["potential"]) for d in data["dimensions"]}
    assert got == EXPECTED
    assert all(d["instruments_cited"] > 0 and d["institutions_cited"] > 0 for d in data["dimensions"])
    assert len(data["sdg_10_7_2"]) == 30
    assert "not an official SDG 10.7.2 score" in data["note"]


def test_dashboard_page_and_csv(client):
    page = client.get("/dashboard").get_data(as_text=True)
    assert "not an official" in page and page.count("<svg") == 2
    assert "Essential and emergency health care" in page
    rows = _csv(client.get("/dashboard.csv"))
    dims = {r["notation"]: (int(r["well_developed"]), int(r["potential"])) for r in rows
            if r["section"] == "migof-dimension"}
    assert dims == EXPECTED
    sdg = {r["notation"]: int(r["findings"]) for r in rows if r["section"] == "sdg-10-7-2-subcategory"}
    assert len(sdg) == 30 and sdg["1a"] == 3 and sdg["1c"] == 0


def test_dashboard_cited_counts_per_dimension(client):
    data = client.get("/dashboard.json").get_json()
    got = {d["notation"]: (d["instruments_cited"], d["institutions_cited"]) for d in data["dimensions"]}
    assert got == {"1": (14, 16), "2": (7, 23), "3": (3, 15), "4": (16, 22), "5": (10, 14), "6": (11, 32)}


def test_dashboard_of_a_large_graph_counts_evidence_and_links_to_it(client, monkeypatch):
    monkeypatch.setattr("mgi_graph.dashboard.MAX_LISTED", 10)
    data = client.get("/dashboard.json").get_json()
    first = next(r for r in data["sdg_10_7_2"] if r["notation"] == "1a")
    assert first["findings"] == 3 and "finding_iris" not in first
    page = client.get("/dashboard").get_data(as_text=True)
    assert "/queries/findings-by-sdg-subcategory?subcategory=https" in page and ">3 findings</a>" in page


# -- compare --------------------------------------------------------------------------------------

def test_compare_lists_the_20_updates_by_dimension(client):
    data = client.get("/compare/gtm.json").get_json()
    assert [a["year"] for a in data["assessments"] if a["kind"] == "national"] == ["2018", "2022"]
    assert len({u["update"] for u in data["updates"]}) == 20
    per_dimension: dict[str, int] = {}
    for u in {u["update"]: u for u in data["updates"]}.values():
        per_dimension[u["dimension"].rsplit("/", 1)[-1]] = per_dimension.get(u["dimension"].rsplit("/", 1)[-1], 0) + 1
    assert per_dimension == {"1": 2, "2": 3, "3": 5, "4": 4, "5": 3, "6": 3}
    replaced = [u for u in data["updates"] if u["change_kind_label"] == "replaced"]
    assert any(IGM in u["concerns"].split() for u in replaced)


def test_compare_page_csv_and_bad_codes(client):
    page = client.get("/compare/gtm").get_data(as_text=True)
    assert "2018 → 2022: 20 updates" in page
    assert "Guatemalan Migration Institute" in page
    assert len({r["update"] for r in _csv(client.get("/compare/gtm.csv"))}) == 20
    assert client.get("/compare/zzz").status_code == 404
    assert client.get("/compare/g1").status_code == 400
    assert b"/compare/gtm" in client.get("/compare").data


# -- search ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, iri", [
    ("conamigua", CONAMIGUA),
    ("Instituto Guatemalteco", IGM),
    ("migration code", MIGRATION_CODE),
    ("INSTITUTO GUATEMALTECO DE MIGRACION", IGM),  # no accent, upper case
    ("igm", IGM),
])
def test_search_finds_the_entity(client, query, iri):
    data = client.get("/search.json", query_string={"q": query}).get_json()
    found = [r["iri"] for g in data["groups"] for r in g["results"]]
    assert iri in found[:3]


def test_search_groups_by_kind_and_ranks_exact_first(client):
    data = client.get("/search.json", query_string={"q": "cap"}).get_json()
    first = data["groups"][0]
    assert first["kind"] == "Council or commission" and first["results"][0]["iri"] == CAP
    page = client.get("/search", query_string={"q": "conamigua"}).get_data(as_text=True)
    assert "<h2>Council or commission" in page and "/id/org/gtm/conamigua" in page
    rows = _csv(client.get("/search.csv", query_string={"q": "conamigua"}))
    assert rows[0]["iri"] == CONAMIGUA


def test_search_box_on_every_page(client):
    for url in ("/", "/dashboard", "/compare/gtm", "/paths"):
        assert b'action="/search"' in client.get(url).data


def test_search_escapes_the_query(client):
    page = client.get("/search", query_string={"q": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x</script>" not in page


def test_normalise():
    assert normalise("  Instituto  Guatemalteco de Migración ") == "instituto guatemalteco de migracion"
    assert normalise("K’ATUN") == normalise("k atun")


def test_home_counts_the_triples_its_turtle_link_holds_and_those_derived(client, store):
    from rdflib import Graph

    stated = len(Graph().parse(data=client.get("/graph.ttl").data, format="turtle"))
    page = client.get("/").get_data(as_text=True)
    derived = store.count() - stated
    assert f"{stated} triples stated in the sources" in page and f"and {derived} derived" in page
