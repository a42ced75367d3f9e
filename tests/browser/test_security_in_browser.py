"""What ``wijkleer serve`` keeps from a browser, seen from outside (the issue's security list):

- a server started with the defaults answers on 127.0.0.1 only, not on this machine's network address;
- every kind of SQLite file (``.sqlite``, ``.sqlite3``, ``-wal``, ``-shm``, ``-journal``) is refused like ``.db``
  (tests/browser/test_start.py covers ``.db``, ``.db-wal``, ``.toml`` and ``.ipynb`` on every route);
- an error in a widget callback after the page has loaded (a click, a changed value) sends no traceback, no
  exception text and no source line to the browser: not on the page, and not over the websocket either;
- a foreign ``Host`` (a DNS-rebound page) or ``Origin`` is refused on every route, the kernel websocket included;
- the token is on no command line (``ps``) and not in the kernels' environment; a weak one is refused;
- ``/``, ``/voila/tree`` and unknown addresses give wijkleer's own Dutch pages, with nothing from outside.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
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

    if route.startswith("voila/tree/"):  # every folder address is wijkleer's list of workbooks (no start page here)
        assert result.status == 200 and b"<h1>Werkboeken</h1>" in result.body, result.chain
    else:
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


# --------------------------------------------------------------------------- foreign names, tokens, own pages


def _request(server, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    """One raw request, headers exactly as given (Host included), no redirect followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.options.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"127.0.0.1:{server.options.port}", **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _kernel_of(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def _websocket_status(server, kernel_id: str, host: str, origin: str) -> int:
    """The status of a websocket upgrade to ``kernel_id``'s channels: 101 is an open kernel connection."""
    key = base64.b64encode(os.urandom(16)).decode()
    status, _headers, _body = _request(
        server,
        f"/api/kernels/{kernel_id}/channels?session_id=proef",
        {"Host": host, "Origin": origin, "Upgrade": "websocket", "Connection": "Upgrade",
         "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13"},
    )  # fmt: skip
    return status


FOREIGN_PATHS = ["/", "/voila/render/knoppen.ipynb", "/voila/static/voila.js", "/voila/files/logo.svg",
                 "/voila/api/contents", "/api/kernels/00000000-0000-0000-0000-000000000000"]  # fmt: skip


@pytest.mark.parametrize("path", FOREIGN_PATHS)
def test_a_foreign_host_is_refused_everywhere(secured, kernels, path):
    """What a DNS-rebound page sends: its own name in Host. Nothing answers, no kernel starts."""
    before = len(kernels(secured))
    port = secured.options.port
    for host in (f"evil.example:{port}", "evil.example", f"localhost.evil.example:{port}"):
        status, _headers, body = _request(secured, path, {"Host": host})
        assert status == 403, f"{path} with Host {host}: HTTP {status}"
        assert b"Geen toegang via dit adres" in body and b"<svg" not in body
    assert len(kernels(secured)) <= before, "a kernel started for a foreign Host"  # (an earlier page may stop)
    # the control: the same request under the server's own names gets through
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert _request(secured, "/voila/static/voila.js", {"Host": host})[0] == 200


def test_a_foreign_origin_is_refused(secured):
    port = secured.options.port
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null", "http://127.0.0.1:1"):
        status, _headers, _body = _request(secured, "/voila/static/voila.js", {"Origin": origin})
        assert status == 403, f"Origin {origin}: HTTP {status}"
    assert _request(secured, "/voila/static/voila.js", {"Origin": f"http://127.0.0.1:{port}"})[0] == 200


def test_the_kernel_websocket_refuses_foreign_hosts_and_origins(secured, page, open_voila):
    open_voila(secured.url("voila/render/knoppen.ipynb"))
    kernel = _kernel_of(page)
    port = secured.options.port
    own_host, own_origin = f"127.0.0.1:{port}", f"http://127.0.0.1:{port}"

    assert _websocket_status(secured, kernel, own_host, "http://evil.example") == 403
    assert _websocket_status(secured, kernel, f"evil.example:{port}", f"http://evil.example:{port}") == 403
    # the control: the server's own page may open it
    assert _websocket_status(secured, kernel, own_host, own_origin) == 101


def test_a_foreign_host_in_a_real_browser_gets_nothing(playwright_session, secured):
    """A browser that resolves evil.example to this machine (DNS rebinding) gets the refusal, no workbook."""
    import shutil

    from tests.support.pages import CHROMIUM_ARGS

    rebinding = playwright_session.chromium.launch(
        executable_path=shutil.which("chromium"),
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"],
    )
    try:
        opened = rebinding.new_page()
        response = opened.goto(f"http://evil.example:{secured.options.port}/voila/render/knoppen.ipynb")
        assert response is not None and response.status == 403
        expect(opened.get_by_role("heading", name="Geen toegang via dit adres")).to_be_visible()
        expect(opened.get_by_role("button", name="Klik hier")).to_have_count(0)
    finally:
        rebinding.close()


STRONG_TOKEN = "pV7-qL2xN9_wR4kZ8mT3yB6c"


@pytest.fixture(scope="module")
def with_token(tmp_path_factory, start_voila):
    folder = tmp_path_factory.mktemp("met-code") / "workbooks"
    folder.mkdir()
    (folder / "knoppen.ipynb").write_text(_notebook(CALLBACK_SOURCE), encoding="utf-8")
    return start_voila(workbooks=folder, name="met-code", token=STRONG_TOKEN)


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


def test_the_token_is_on_no_command_line_and_not_in_the_kernels(with_token, page, open_voila, kernels):
    assert STRONG_TOKEN not in _cmdline(with_token.process.pid)
    # without the token: no page, no kernel
    assert _request(with_token, "/voila/render/knoppen.ipynb")[0] in (302, 403)
    assert kernels(with_token) == []
    # with it: the page, at an address without the token (it would reach the kernel and the browser's history)
    open_voila(with_token.url(f"voila/render/knoppen.ipynb?x=1&token={STRONG_TOKEN}"))
    assert STRONG_TOKEN not in page.url and page.url.endswith("/voila/render/knoppen.ipynb?x=1")
    started = kernels(with_token)
    assert started
    for pid in started:
        assert STRONG_TOKEN not in _cmdline(pid)
        assert STRONG_TOKEN.encode() not in Path(f"/proc/{pid}/environ").read_bytes(), "a kernel inherited the token"


def test_a_weak_token_is_refused_in_dutch():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "wijkleer", "serve", "--db", os.environ["WIJKLEER_DB"], "--token", "a" * 16],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "te makkelijk te raden" in done.stderr and "--token " in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("path", ["/", "/voila", "/voila/tree", "/voila/tree/", "/voila/tree/sub/map"])
def test_the_root_and_the_folder_page_lead_to_the_start_page(voila_server, path):
    status, headers, _body = _request(voila_server, path)

    assert status == 302 and headers["Location"].endswith("/voila/render/start.ipynb")


def test_a_folder_without_start_page_gets_a_dutch_list_of_its_workbooks(secured, page, page_record):
    response = page.goto(secured.url("/"))

    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("link", name="knoppen")).to_have_attribute("href", "/voila/render/knoppen.ipynb")
    expect(page.get_by_text("geheim")).to_have_count(0)  # the SQLite files in the folder are not listed
    assert page_record.outside_requests == []


@pytest.mark.parametrize("path", ["bestaat-niet", "voila/bestaat/niet", "voila/render/bestaat-niet.ipynb"])
def test_a_missing_page_is_wijkleers_own(secured, page, page_record, path):
    response = page.goto(secured.url(path))

    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("heading", level=1, name="Deze pagina bestaat niet")).to_be_visible()
    expect(page.get_by_role("link", name="Naar de startpagina van wijkleer")).to_be_visible()
    assert page_record.outside_requests == [], "the 404 page asked another server for something"
