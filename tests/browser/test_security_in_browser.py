"""What ``wijkleer serve`` keeps from a browser, seen from outside (the issue's security list):

- a server started with the defaults answers on 127.0.0.1 only, not on this machine's network address;
- every kind of SQLite file (``.sqlite``, ``.sqlite3``, ``-wal``, ``-shm``, ``-journal``) is refused like ``.db``
  (tests/browser/test_start.py covers ``.db``, ``.db-wal``, ``.toml`` and ``.ipynb`` on every route);
- an error in a widget callback after the page has loaded (a click, a changed value) sends no traceback, no
  exception text and no source line to the browser: not on the page, and not over the websocket either.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SECRET = "GEHEIM-sqlite-4b1d"
CALLBACK_SECRET = "KAPOT-IN-KLIK-77e2"
OBSERVER_SECRET = "KAPOT-IN-WAARDE-31c8"
LOG_SECRET = "LOGREGEL-GEHEIM-90aa"
LIBRARY_SECRET = "BIBLIOTHEEK-GEHEIM-6f21"
WARNING_SECRET = "WAARSCHUWING-GEHEIM-5d0f"
SQLITE_FILES = ["geheim.sqlite", "geheim.sqlite3", "geheim.sqlite-wal", "geheim.sqlite-shm", "geheim.sqlite-journal",
                "geheim.db-shm", "geheim.db-journal", "GEHEIM.SQLITE"]  # fmt: skip
CALLBACK_SOURCE = f"""import logging
import warnings

import ipywidgets as widgets

import wijkleer  # as every workbook does, through wijkleer.views or wijkleer.workbooks

def kapot(_knop):
    logging.getLogger("wijkleer.store").warning("databasefout: {LOG_SECRET}")
    logging.getLogger("asyncio").error("elders: {LIBRARY_SECRET}")  # any library's record, not only ours
    warnings.warn("{WARNING_SECRET}")
    raise ValueError("{CALLBACK_SECRET}")

def ook_kapot(_wijziging):
    raise KeyError("{OBSERVER_SECRET}")

knop = widgets.Button(description="Klik hier")
knop.on_click(kapot)
getal = widgets.IntText(description="Getal", value=1)
getal.observe(ook_kapot, names="value")
widgets.VBox([knop, getal])"""


def _notebook(source: str) -> str:
    cells = [
        {"cell_type": "markdown", "id": "kop", "metadata": {}, "source": ["# Knoppen"]},
        {"cell_type": "code", "id": "app", "metadata": {}, "execution_count": None, "outputs": [], "source": [source]},
    ]
    metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                "language_info": {"name": "python"}}  # fmt: skip
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(scope="module")
def secured(tmp_path_factory, start_voila):
    folder = tmp_path_factory.mktemp("secured") / "workbooks"
    folder.mkdir()
    for name in SQLITE_FILES:
        (folder / name).write_bytes(b"SQLite format 3\x00" + SECRET.encode())
    (folder / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")  # the control
    (folder / "knoppen.ipynb").write_text(_notebook(CALLBACK_SOURCE), encoding="utf-8")
    return start_voila(workbooks=folder, name="secured")


def _network_addresses() -> list[tuple[int, str]]:
    """This machine's addresses that are not loopback (where another computer would knock)."""
    found = set()
    for family, _type, _proto, _name, address in socket.getaddrinfo(socket.gethostname(), None):
        if family in (socket.AF_INET, socket.AF_INET6) and not address[0].startswith(("127.", "::1")):
            found.add((family, address[0]))
    for family, target in ((socket.AF_INET, "198.51.100.1"), (socket.AF_INET6, "2001:db8::1")):
        # the address a packet out would leave from (a UDP connect sends nothing; documentation addresses)
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))
            except OSError:
                continue
            own = probe.getsockname()[0]
            if not own.startswith(("127.", "::1")):
                found.add((family, own))
    return sorted(found)


def _refused(family: int, address: str, port: int) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(3)
        try:
            sock.connect((address, port))
        except (ConnectionRefusedError, TimeoutError, OSError):
            return True
        return False


def test_the_default_server_is_not_reachable_from_the_network(secured):
    port = secured.options.port
    assert secured.options.ip == "127.0.0.1"
    assert not _refused(socket.AF_INET, "127.0.0.1", port), "the control: the server does answer locally"
    addresses = _network_addresses()
    if not addresses:
        pytest.skip("deze machine heeft geen netwerkadres naast 127.0.0.1")
    for family, address in addresses:
        # the control: something listening on all addresses is reachable there, so a refusal below means something
        with socket.socket(family, socket.SOCK_STREAM) as listener:
            listener.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
            listener.listen(1)
            assert not _refused(family, address, listener.getsockname()[1]), f"{address} is not this machine's"
        assert _refused(family, address, port), f"Voilà answers on {address}:{port}"


@pytest.mark.parametrize("name", SQLITE_FILES)
@pytest.mark.parametrize("route", ["voila/files/{}", "voila/render/{}", "voila/tree/{}", "voila/api/contents/{}"])
def test_sqlite_files_are_never_served(secured, http_get, route, name):
    result = http_get(secured.url(route.format(name)))

    assert result.status in (403, 404), f"{route.format(name)}: HTTP {result.status} via {result.chain}"
    assert SECRET.encode() not in result.body


def test_the_control_file_is_served(secured, http_get):
    """The files route works for an allowlisted file: the refusals above are the denylist at work."""
    assert http_get(secured.url("voila/files/logo.svg")).status == 200


def test_errors_in_widget_callbacks_send_no_traceback(secured, page, open_voila):
    received: list[str] = []

    def watch(ws) -> None:
        ws.on("framereceived", lambda payload: received.append(payload if isinstance(payload, str) else
                                                               payload.decode("utf-8", errors="replace")))  # fmt: skip

    page.on("websocket", watch)
    open_voila(secured.url("voila/render/knoppen.ipynb"))
    page.get_by_role("button", name="Klik hier").click()
    page.get_by_label("Getal").fill("5")
    page.get_by_label("Getal").press("Tab")

    def seen() -> str:
        return secured.log_tail(400) + "\n".join(received)

    deadline = time.monotonic() + 15  # both callbacks have run once their errors show up, wherever that is
    while not (CALLBACK_SECRET in seen() and OBSERVER_SECRET in seen()) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)  # anything the kernel sent with them has arrived too
    everything = page.content() + "\n".join(received)

    assert received, "no websocket frames seen: the test saw nothing"
    secrets = [CALLBACK_SECRET, OBSERVER_SECRET, LOG_SECRET, LIBRARY_SECRET, WARNING_SECRET]
    for leaked in [*secrets, "Traceback", "raise ValueError", "def kapot", "ValueError", "KeyError", "site-packages",
                   str(ROOT)]:  # fmt: skip
        assert leaked not in everything, f"{leaked!r} reached the browser"
    expect(page.get_by_role("button", name="Klik hier")).to_be_enabled()
    # not lost either: the details are in the server's log, for whoever runs it
    log = secured.log_tail(400)
    for kept in secrets:
        assert kept in log, f"{kept!r} not in the server log"
