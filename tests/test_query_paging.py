"""Paging of whole-graph listings (grlc's `#+ pagination: N`): the header, LIMIT/OFFSET placement,
pages that neither overlap nor skip, Link headers, the HTML pager, the CLI and /openapi.json."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Literal

from mgi_graph.binding import with_values
from mgi_graph.cli import main
from mgi_graph.errors import ParameterError, QuerySyntaxError
from mgi_graph.paging import unordered_variables, with_page
from mgi_graph.queries import bind, load_catalogue, query_kind, run, run_page
from mgi_graph.sparql_values import hoist_trailing_values
from mgi_graph.web import create_app

# Listings over the whole graph (or one broad slice of it) that grow with every profile added.
WHOLE_GRAPH_LISTINGS = {
    "chairs-and-presidencies", "findings-by-subarea", "instruments-by-type", "instruments-in-force",
    "instruments-since", "programmes-and-systems", "assessments", "changes-since-previous-assessment",
    "covid-19-responses", "findings-by-sdg-subcategory", "findings-potential-development", "institutional-changes",
    "instruments-by-dimension", "search-labels", "web-sources",
}
SMALL = 20  # the page size of the test copies below


@pytest.fixture(scope="module")
def catalogue(settings):
    return load_catalogue(settings)


@pytest.fixture()
def small_pages(project_copy, settings):
    """Settings for a copy of the project whose findings-by-subarea (53 rows on the Guatemala profile)
    and instruments-in-force (44 rows in 2022) have 20 rows a page."""
    for name in ("findings-by-subarea", "instruments-in-force"):
        path = project_copy / "queries" / f"{name}.rq"
        text = path.read_text(encoding="utf-8")
        assert "#+ pagination: 1000" in text
        path.write_text(text.replace("#+ pagination: 1000", f"#+ pagination: {SMALL}"), encoding="utf-8")
    return settings.with_changes(root=project_copy)


@pytest.fixture()
def small_client(small_pages, store):
    return create_app({"MGI_SETTINGS": small_pages, "MGI_STORE": store, "TESTING": True}).test_client()


def links(response) -> dict[str, str]:
    """The Link header as rel -> URL."""
    found = re.findall(r'<([^>]*)>;\s*rel="([^"]+)"', response.headers.get("Link", ""))
    return {rel: url for url, rel in found}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# -- the catalogue ----------------------------------------------------------------------------------

def test_whole_graph_listings_are_paginated(catalogue):
    assert {name for name, q in catalogue.items() if q.pagination} >= WHOLE_GRAPH_LISTINGS


def test_every_paginated_query_orders_its_rows_totally(catalogue):
    for name, query in catalogue.items():
        if query.pagination:
            assert unordered_variables(query.text) == [], f"{name}: add these to its ORDER BY"


def test_a_page_and_its_look_ahead_row_fit_under_the_row_cap(catalogue, settings):
    for name, query in catalogue.items():
        if query.pagination:
            assert query.pagination + 1 <= settings.max_rows, name


def test_paginated_queries_take_page_and_others_do_not(catalogue):
    page = catalogue["instruments-since"].parameter("page")
    assert (page.type, page.required, page.default, page.minimum) == ("integer", False, "1", 1)
    assert "page" not in {p.name for p in catalogue["instruments-since"].parameters}  # not a SPARQL variable
    with pytest.raises(ParameterError, match="no such parameter") as caught:
        bind(catalogue["members"], {"page": "2"})
    assert caught.value.name == "page"


def test_unordered_variables_finds_what_the_order_leaves_open():
    assert unordered_variables("SELECT ?a ?b ?_x_iri WHERE { ?a ?p ?b } ORDER BY ?a") == ["b"]
    assert unordered_variables("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a") == []
    grouped = "SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b ; ?q ?c } GROUP BY ?a ?c ORDER BY DESC(?n) ?a"
    assert unordered_variables(grouped) == ["c"]
    assert unordered_variables("SELECT * WHERE { ?a ?p ?b } ORDER BY ?a") == ["*"]
    assert unordered_variables("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") == ["*"]
    assert unordered_variables("SELECT ?a WHERE { ?a ?p ?b }") == ["*"]


@pytest.mark.parametrize("header,body,reason", [
    ("0", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "whole number"),
    ("many", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "whole number"),
    ("10", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "only a SELECT"),
    ("10", "SELECT ?s WHERE { ?s ?p ?o }", "needs an ORDER BY"),
    ("10", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5", "LIMIT or OFFSET"),
    ("10", "SELECT ?s WHERE { ?s ?p ?_page_integer } ORDER BY ?s", "named 'page'"),
])
def test_a_bad_pagination_header_names_the_file(tmp_path, settings, header, body, reason):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "paged.rq").write_text(f"#+ summary: x\n#+ pagination: {header}\n{body}\n")
    with pytest.raises(QuerySyntaxError, match=reason) as caught:
        load_catalogue(settings.with_changes(root=tmp_path))
    assert "paged.rq" in str(caught.value)


def test_an_inner_limit_does_not_stop_paging(tmp_path, settings):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "paged.rq").write_text(
        "#+ pagination: 2\nSELECT ?n WHERE { { SELECT ?n WHERE { VALUES ?n { 1 2 3 } } LIMIT 3 } } ORDER BY ?n\n")
    assert load_catalogue(settings.with_changes(root=tmp_path))["paged"].pagination == 2


# -- LIMIT and OFFSET in the query text -------------------------------------------------------------

def numbers(store, text, bindings=None) -> list[int]:
    return [int(row[0]) for row in store.query(text, bindings).rows]


def test_limit_offset_go_after_order_by_and_before_a_trailing_values(store):
    text = "SELECT ?n WHERE { } ORDER BY DESC(?n)\nVALUES ?n { 3 1 4 2 }"
    paged = with_page(text, 2, 1)
    assert paged.index("ORDER BY") < paged.index("LIMIT 2 OFFSET 1") < paged.index("VALUES")
    assert query_kind(paged) == "SELECT"  # rdflib parses it
    assert numbers(store, paged) == [3, 2]  # and Oxigraph answers it
    hoisted = hoist_trailing_values(paged)  # what a remote store sends to Virtuoso
    assert hoisted.rstrip().endswith("LIMIT 2 OFFSET 1") and numbers(store, hoisted) == [3, 2]


def test_limit_offset_after_a_trailing_comment_and_with_bound_values(store):
    text = "SELECT ?n ?_k WHERE { VALUES ?n { 1 2 3 4 } } ORDER BY ?n # the end, with a } in it"
    paged = with_page(text, 2, 2)
    bound = with_values(paged, {"_k": Literal(7)})  # the store puts the parameters first in the WHERE group
    assert bound.rstrip().endswith("LIMIT 2 OFFSET 2") and "VALUES (?_k)" in bound
    assert store.query(paged, {"_k": Literal(7)}).rows == [(Literal(3), Literal(7)), (Literal(4), Literal(7))]


def test_limit_offset_go_outside_a_subquery(store):
    text = "SELECT ?n WHERE { { SELECT ?n WHERE { VALUES ?n { 1 2 3 4 } } ORDER BY ?n LIMIT 3 } } ORDER BY DESC(?n)"
    assert numbers(store, with_page(text, 1, 1)) == [2]


def test_with_page_takes_only_ints():
    with pytest.raises(ValueError):
        with_page("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "2 } ; DROP ALL", 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        with_page("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 2, -1)


# -- pages ------------------------------------------------------------------------------------------

def test_pages_neither_overlap_nor_skip(store, small_pages):
    query = load_catalogue(small_pages)["findings-by-subarea"]
    whole = store.query(query.text, bind(query, {})).rows  # the query itself, without paging
    assert len(whole) == 53
    pages = [run_page(store, query, {"page": str(n)}) for n in (1, 2, 3, 4)]
    one, two, three, past = (list(result.rows) for result, _ in pages)
    assert len(one) == len(two) == SMALL and len(three) == 13 and past == []
    assert not set(one) & set(two) and len(set(one + two + three)) == 53
    assert one + two + three == whole
    assert [(p.number, p.count, p.has_next, p.first_row, p.last_row) for _, p in pages[:3]] == [
        (1, 20, True, 1, 20), (2, 20, True, 21, 40), (3, 13, False, 41, 53)]
    assert pages[3][1].count == 0 and not pages[3][1].has_next


def test_no_page_means_the_first(store, small_pages):
    query = load_catalogue(small_pages)["findings-by-subarea"]
    assert run(store, query, {}).rows == run(store, query, {"page": "1"}).rows == run(store, query, {"page": ""}).rows


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "2 } ; DROP ALL", "9" * 200, str(10**10)])
def test_a_bad_page_names_page(catalogue, value):
    with pytest.raises(ParameterError) as caught:
        bind(catalogue["instruments-since"], {"page": value})
    assert caught.value.name == "page"


def test_guatemala_fits_on_the_first_page(store, catalogue):
    for name, query in catalogue.items():
        if query.pagination and all(p.default or not p.required for p in query.parameters):
            _, page = run_page(store, query, {})
            assert page is not None and not page.has_next, name


# -- the web ----------------------------------------------------------------------------------------

def test_link_header_keeps_the_other_parameters(small_client):
    response = small_client.get("/queries/instruments-in-force.json?year=2022&page=2")
    assert response.status_code == 200
    found = links(response)
    assert set(found) == {"first", "prev", "next"}
    for rel, page in (("first", "1"), ("prev", "1"), ("next", "3")):
        assert urlsplit(found[rel]).path == "/queries/instruments-in-force.json"
        assert query_of(found[rel]) == {"year": ["2022"], "page": [page]}
    assert len(response.get_json(force=True)["results"]["bindings"]) == SMALL
    assert "Link" in response.headers["Access-Control-Expose-Headers"]


def test_no_next_on_the_last_page_and_no_prev_on_the_first(small_client):
    first = links(small_client.get("/queries/instruments-in-force.csv?year=2022"))
    assert set(first) == {"first", "next"} and query_of(first["next"])["page"] == ["2"]
    last = small_client.get("/queries/instruments-in-force.tsv?year=2022&page=3")
    assert set(links(last)) == {"first", "prev"}
    assert len(last.get_data(as_text=True).strip().splitlines()) == 1 + 44 - 2 * SMALL


def test_csv_pages_differ_and_join_up(small_client):
    def rows(page):
        text = small_client.get(f"/queries/findings-by-subarea.csv?page={page}").get_data(as_text=True)
        return [tuple(r.values()) for r in csv.DictReader(io.StringIO(text))]

    one, two, three = rows(1), rows(2), rows(3)
    assert len(one) == len(two) == SMALL and len(three) == 13
    assert len(set(one) | set(two) | set(three)) == 53


def test_the_html_page_has_previous_next_and_the_rows_shown(small_client):
    response = small_client.get("/queries/instruments-in-force?year=2022&page=2")
    assert response.status_code == 200 and set(links(response)) == {"first", "prev", "next"}
    html = response.get_data(as_text=True)
    assert "rows 21–40" in html
    assert '<a href="/queries/instruments-in-force?year=2022&amp;page=1" rel="prev">← Previous</a>' in html
    assert '<a href="/queries/instruments-in-force?year=2022&amp;page=3" rel="next">Next →</a>' in html
    assert 'href="/queries/instruments-in-force.csv?year=2022&amp;page=2"' in html  # the twins keep the page
    last = small_client.get("/queries/instruments-in-force?year=2022&page=3").get_data(as_text=True)
    assert "rows 41–44" in last and 'rel="next"' not in last


def test_the_real_html_page_shows_its_rows(client):
    html = client.get("/queries/findings-by-subarea").get_data(as_text=True)
    assert "rows 1–53" in html and "1000 rows a page" in html and 'rel="next"' not in html


@pytest.mark.parametrize("value", ["0", "abc", "-3"])
def test_a_bad_page_is_400_naming_page(client, value):
    response = client.get(f"/queries/findings-by-subarea.json?page={value}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "page"
    page = client.get(f"/queries/findings-by-subarea?page={value}")
    assert page.status_code == 400 and "<strong>page</strong>" in page.get_data(as_text=True)


def test_a_query_without_pagination_refuses_page(client):
    response = client.get("/queries/members.json?page=2")
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == "page"
    assert "Link" not in client.get("/queries/members.json").headers


def test_openapi_describes_page(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    op = paths["/queries/instruments-in-force"]["get"]
    page = next(p for p in op["parameters"] if p["name"] == "page")
    assert page["in"] == "query" and not page["required"]
    assert page["schema"] == {"type": "integer", "minimum": 1, "default": 1}
    assert "Link" in op["responses"]["200"]["headers"]
    members = paths["/queries/members"]["get"]
    assert "page" not in {p["name"] for p in members["parameters"]}
    assert "headers" not in members["responses"]["200"]


# -- the command line -------------------------------------------------------------------------------

def invoke(runner, settings, *args):
    return runner.invoke(main, ["--root", str(settings.root), *args])


def test_cli_pages_and_says_more_follow_on_stderr(runner, small_pages):
    first = invoke(runner, small_pages, "query", "findings-by-subarea", "--format", "csv")
    second = invoke(runner, small_pages, "query", "findings-by-subarea", "-p", "page=2", "--format", "csv")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    one = list(csv.DictReader(io.StringIO(first.stdout)))  # stdout is only the CSV
    two = list(csv.DictReader(io.StringIO(second.stdout)))
    assert len(one) == len(two) == SMALL
    assert not {tuple(r.values()) for r in one} & {tuple(r.values()) for r in two}
    assert "more rows follow: --param page=3" in second.stderr and "rows 21-40" in second.stderr
    last = invoke(runner, small_pages, "query", "findings-by-subarea", "-p", "page=3", "--format", "csv")
    assert last.exit_code == 0 and last.stderr == "" and len(list(csv.DictReader(io.StringIO(last.stdout)))) == 13


def test_cli_bad_page_exits_2_naming_it(runner, settings):
    result = invoke(runner, settings, "query", "findings-by-subarea", "-p", "page=0")
    assert result.exit_code == 2 and "'page'" in result.output
    refused = invoke(runner, settings, "query", "members", "-p", "page=2")
    assert refused.exit_code == 2 and "'page'" in refused.output


def test_cli_lists_page_for_paginated_queries(runner, settings):
    listing = invoke(runner, settings, "queries").output
    line = next(row for row in listing.splitlines() if row.startswith("findings-by-subarea "))
    assert "page=integer?" in line and "(1000 rows a page)" in line
    members = next(row for row in listing.splitlines() if row.startswith("members "))
    assert "page" not in members
