"""What every page shares (base.html, style.css): an icon that costs no request, a skip link, the
current page marked in the navigation, no page wider than a phone's screen."""

from __future__ import annotations

import re

import pytest

from .conftest import PROJECT


def test_base_page_has_icon_skip_link_and_current_nav(client):
    html = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert re.search(r'<link rel="icon" type="image/svg\+xml" href="data:image/svg\+xml,', html)
    first_link = re.search(r"<body>\s*<a [^>]*>([^<]*)</a>", html)
    assert first_link and first_link.group(1) == "Skip to content" and 'href="#content"' in first_link.group(0)
    assert '<main id="content"' in html
    assert '<a href="/sparql" aria-current="page">SPARQL</a>' in html
    assert html.count('aria-current="page"') == 1


def test_no_stylesheet_is_linked_from_inside_main(client):
    """views.css is linked in every page's head, so no template needs a <link> inside <main>. (The entity
    page's _network.html still links it there: that template is the entity pages' to change.)"""
    for path in ("/sparql", "/queries/members", "/dashboard"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        head, _, _ = html.partition("<main")
        assert "views.css" in head and "style.css" in head


@pytest.mark.browser
def test_narrow_screens_do_not_scroll_sideways(browser, live_server):
    """At 375 px, wide result tables scroll in their own box and long IRIs wrap: the page itself is no wider."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        query = "SELECT * WHERE { ?s ?p ?o FILTER(isIRI(?o) && STRLEN(STR(?o)) > 60) } LIMIT 20"
        for path in (f"/sparql?query={query}", "/queries/web-sources"):
            page.goto(live_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width)
            name = path.split("?")[0].strip("/").replace("/", "-")
            (PROJECT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(PROJECT / "test-artifacts" / f"narrow-{name}.png"))
    finally:
        context.close()
