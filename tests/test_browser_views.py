"""The analysts' pages in headless Chromium against a real waitress server: search for an
acronym, open the entity, click a node of its picture, reach the linked instrument; and a
screenshot of the dashboard saved to test-artifacts/dashboard.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT / "test-artifacts"


@pytest.fixture()
def tab(browser):
    """A page of the shared headless Chromium (tests/conftest.py), noting console errors (CSP reports)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page, errors
    context.close()


def test_search_acronym_open_entity_click_node_reach_instrument(tab, live_server):
    page, errors = tab
    page.goto(live_server + "/")
    page.fill("header form.search input[name=q]", "IGM")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=IGM")
    page.click("ul.hits a[href='/id/org/gtm/igm']")
    page.wait_for_url("**/id/org/gtm/igm")
    assert "Guatemalan Migration Institute" in page.inner_text("h1")
    node = page.locator("figure.network svg a[href='/id/instrument/gtm/decree-no-44-2016']")
    assert node.count() == 1
    node.click()
    page.wait_for_url("**/id/instrument/gtm/decree-no-44-2016")
    assert "Migration Code" in page.inner_text("h1")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_path_finder_autocomplete(tab, live_server):
    page, errors = tab
    page.goto(live_server + "/paths")
    page.fill("#path-from", "conamig")
    page.wait_for_selector("#path-from-options option", state="attached")
    assert page.eval_on_selector("#path-from-options option", "o => o.value").endswith("/org/gtm/conamigua")
    page.fill("#path-from", "https://w3id.org/mgi-graph/id/org/gtm/conamigua")
    page.fill("#path-to", "migration code")
    page.click("form.paths-form button[type=submit]")
    page.wait_for_selector("ol.paths")
    assert "Council for Assistance and Protection" in page.inner_text("ol.paths")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_dashboard_screenshot(tab, live_server):
    page, errors = tab
    page.goto(live_server + "/dashboard")
    assert "not an official" in page.inner_text("main")
    assert page.locator("#chart-dimensions svg").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    target = Path(ARTIFACTS / "dashboard.png")
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    assert not [e for e in errors if "Content Security Policy" in e]
