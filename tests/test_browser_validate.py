"""/validate in a real browser: upload a broken profile and read the message naming the problem."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_uploading_a_broken_profile_shows_the_file_and_line(page, live_server, tmp_path):
    broken = tmp_path / "broken-profile.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unclosed .\n')
    page.goto(f"{live_server}/validate")
    page.set_input_files("#profile", str(broken))
    page.click("main button[type=submit]")
    message = page.locator("#validation-error")
    message.wait_for()
    assert "broken-profile.ttl:3" in message.inner_text()


def test_the_files_of_a_profile_are_chosen_together(page, live_server, settings):
    files = sorted(str(p) for p in (settings.data_dir / "profiles" / "gtm-2022").glob("*.ttl"))
    page.goto(f"{live_server}/validate")
    page.set_input_files("#profile", files)
    page.click("main button[type=submit]")
    page.locator("#verdict").wait_for()
    assert page.locator("#verdict").inner_text().strip() == "Conforms"
    assert f"{len(files)} files together" in page.locator("#checked").inner_text()


def test_pasted_text_and_format_stay_after_an_error(page, live_server):
    text = '\n@prefix ex: <http://example.org/> .\nex:a ex:b "unclosed .\n'  # a leading newline kept too
    page.goto(f"{live_server}/validate")
    page.fill("#text", text)
    page.select_option("#format", "ttl")
    page.click("main button[type=submit]")
    page.locator("#validation-error[role=alert]").wait_for()
    assert page.input_value("#text") == text
    assert page.input_value("#format") == "ttl"
