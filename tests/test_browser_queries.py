"""The saved queries in a real browser: headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import pytest

from .conftest import PROJECT

ARTIFACTS = PROJECT / "test-artifacts"

pytestmark = pytest.mark.browser


def test_catalogue_form_run_and_follow_a_link(page, live_server):
    page.goto(f"{live_server}/queries")
    assert page.title().startswith("Saved queries")
    page.click("text=The members of a council, forum or mechanism")
    page.wait_for_url("**/queries/members")
    # Fill the form: pick the Regional Conference on Migration in the drop-down and run.
    page.select_option("#param-body", label="Regional Conference on Migration (RCM)")
    page.click("main button[type=submit]")
    page.wait_for_url("**/queries/members?body=*")
    rows = page.locator("table.results tbody tr")
    assert rows.count() >= 11
    assert "Mexico" in page.locator("table.results").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "queries-members-rcm.png"), full_page=True)
    # Follow a result link: it leads to the entity's own page under /id/.
    link = page.locator("table.results a", has_text="Mexico").first
    href = link.get_attribute("href")
    assert href == "/id/country/mex"
    link.click()
    page.wait_for_url("**/id/country/mex")


def test_bad_value_shows_which_parameter(page, live_server):
    response = page.goto(f"{live_server}/queries/instruments-in-force?year=soon")
    assert response.status == 400
    assert "not an integer" in page.locator(".error").inner_text()
