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
