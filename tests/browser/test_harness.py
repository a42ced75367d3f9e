"""The harness itself: the guards that test_start.py relies on really catch what they claim to."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_outside_requests_are_blocked_and_recorded(voila_server, page, page_record):
    page.goto(voila_server.url("voila/static/voila.js"))  # any page on the local server
    outcome = page.evaluate(
        """() => fetch("https://cdn.jsdelivr.net/npm/font-awesome/css/font-awesome.min.css")
                   .then(() => "geladen", () => "geblokkeerd")"""
    )

    assert outcome == "geblokkeerd"
    assert page_record.outside_requests == ["https://cdn.jsdelivr.net/npm/font-awesome/css/font-awesome.min.css"]


def test_console_and_page_errors_are_recorded(voila_server, page, page_record):
    page.goto(voila_server.url("voila/static/voila.js"))
    page.evaluate(
        """() => { console.error("proef-fout"); setTimeout(() => { throw new Error("proef-uitzondering"); }); }"""
    )
    page.wait_for_timeout(200)

    assert any("proef-fout" in line for line in page_record.console_errors)
    assert any("proef-uitzondering" in line for line in page_record.page_errors)
