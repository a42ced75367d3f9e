"""The launcher's gate (``wijkleer.server``): which Host and Origin headers reach the server at all.
The same gate seen from outside, over real HTTP and websockets: tests/browser/test_security_in_browser.py."""

import pytest

from wijkleer import pages
from wijkleer.server import host_allowed, origin_allowed

NAMES = frozenset({"wijkleer.gemeente.nl"})


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8866", "localhost:8866", "LOCALHOST:8866", "localhost.:8866", "[::1]:8866", "127.0.0.2:8866",
             "wijkleer.gemeente.nl", "Wijkleer.Gemeente.NL:443"],
)  # fmt: skip
def test_local_and_configured_names_pass(host):
    assert host_allowed(host, NAMES, any_address=False)


@pytest.mark.parametrize(
    "host", ["evil.example:8866", "evil.example", "localhost.evil.example:8866", "127.0.0.1.nip.io:8866",
             "192.168.1.20:8866", "", "wijkleer.gemeente.nl.evil.example"],
)  # fmt: skip
def test_foreign_names_are_refused(host):
    assert not host_allowed(host, NAMES, any_address=False)


def test_bound_to_every_address_any_address_literal_passes_but_no_foreign_name():
    assert host_allowed("192.168.1.20:8866", NAMES, any_address=True)
    assert host_allowed("[2001:db8::1]:8866", NAMES, any_address=True)
    assert not host_allowed("evil.example:8866", NAMES, any_address=True)


def test_an_origin_must_be_this_very_server():
    assert origin_allowed(None, "127.0.0.1:8866")  # a plain navigation or a script sends none
    assert origin_allowed("http://127.0.0.1:8866", "127.0.0.1:8866")
    for foreign in ("http://evil.example", "http://evil.example:8866", "http://127.0.0.1:3000",
                    "http://localhost:8866", "null", "file://", "chrome-extension://abc"):  # fmt: skip
        assert not origin_allowed(foreign, "127.0.0.1:8866"), foreign


def test_own_pages_are_dutch_escaped_and_request_nothing_outside():
    for html in (pages.busy("/x?a=<b>"), pages.not_found(), pages.refused(), pages.error(500),
                 pages.workbooks(["<kapot>.ipynb"])):  # fmt: skip
        assert '<html lang="nl">' in html and "<b>" not in html and "<kapot>" not in html
        assert "http" not in html and "src=" not in html  # no script, font or style from anywhere
    assert "Probeer het over een minuut opnieuw" in pages.busy("/")
