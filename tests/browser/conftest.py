"""Real-browser tests: Voilà started by wijkleer's own launcher, driven by headless chromium.

Run them with::

    .venv/bin/python -m pytest tests/browser -v

What these fixtures give a test:

- ``start_voila(workbooks=None, name=..., **options)`` (session): starts Voilà exactly as ``wijkleer serve``
  does (``wijkleer.serve.command``), on a free port on 127.0.0.1, against the demo database that
  tests/conftest.py makes (``$WIJKLEER_DB``); any other ``ServeOptions`` field as a keyword (``max_kernels=2``,
  ``token=...``). Returns a :class:`VoilaServer`. Servers stop at the
  end of the session; their logs are in ``test-artifacts/browser/voila-<name>.log``.
- ``voila_server`` (session): the server on the project's own ``workbooks/``.
- ``browser`` (session): Debian's chromium through playwright (playwright cannot download its own
  browser here).
- ``more_pages()`` (function): another such page in its own context (another person), for tests with
  several people at once.
- ``page`` (function): a fresh context and page, left for ``about:blank`` at the end (so its kernel stops).
  Every request to a host other than 127.0.0.1/localhost is aborted and recorded in
  ``page_record.outside_requests``; console errors and uncaught page errors are recorded too.
  On a failing test a screenshot lands in
  ``test-artifacts/browser/<test name>.png``.
- ``open_voila(url, widgets=True)``: navigate and wait until Voilà has executed the notebook and
  the widgets are on screen; returns the response HTML and the time-to-interactive.
- ``leave_page(page)``: leave a page for about:blank the way a person does (its unload handlers run).
- ``kernels(server)``: the pids of the kernels a server runs now (its live child processes).
- ``http_get(url)``: a raw GET (the path is sent as written, no ``..`` clean-up, no browser),
  following redirects on the same server; returns status, body and the redirect chain.

Needs no internet: everything runs on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.pages import CHROMIUM_ARGS
from wijkleer.serve import ServeOptions, command, url

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_ARTIFACTS = ARTIFACTS / "browser"
FIGURES = ARTIFACTS / "browser-figures.txt"

SERVER_START_TIMEOUT = 60.0  # seconds until Voilà answers HTTP
RENDER_TIMEOUT = 60.0  # seconds until a notebook has executed and its widgets are on screen
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# --------------------------------------------------------------------------- failure screenshots

PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so fixtures can see in teardown if the test failed."""
    report = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session", autouse=True)
def _no_stale_screenshots() -> None:
    """Failure screenshots of an earlier run would mislead: start each session without them."""
    for old in BROWSER_ARTIFACTS.glob("*.png"):
        old.unlink(missing_ok=True)


def _failed(node: pytest.Item) -> bool:
    reports = node.stash.get(PHASE_REPORTS, {})
    return any(r.failed for r in reports.values())


# --------------------------------------------------------------------------- Voilà server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kernel_pids(server: VoilaServer) -> list[int]:
    """The kernels ``server`` runs now (its live child processes)."""
    return [pid for pid in _children(server.process.pid) if _alive(pid)]


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc): the kernels Voilà started in their own sessions."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # the command name may contain spaces and parentheses: the ppid is after the last ')'
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@dataclass
class HttpResult:
    status: int  # of the last response, after following redirects on the same server
    body: bytes
    chain: list[str]  # every URL asked for, the first one included


def http_get_raw(target: str, timeout: float = 30.0, max_redirects: int = 5) -> HttpResult:
    """GET ``target`` with the path sent byte for byte as written (``..`` and ``%2e`` included).

    Redirects are followed on the same host and port only (Voilà redirects e.g. ``/voila/render/x.db``
    to ``/voila/files/x.db``); a redirect elsewhere is returned as it is.
    """
    chain = [target]
    while True:
        parts = urllib.parse.urlsplit(target)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            connection.request("GET", path or "/")
            response = connection.getresponse()
            status, body, location = response.status, response.read(), response.getheader("Location")
        finally:
            connection.close()
        if status not in (301, 302, 303, 307, 308) or not location or len(chain) > max_redirects:
            return HttpResult(status, body, chain)
        following = urllib.parse.urljoin(target, location)
        if urllib.parse.urlsplit(following).netloc != parts.netloc:
            return HttpResult(status, body, chain)
        target = following
        chain.append(target)


@dataclass
class VoilaServer:
    name: str
    options: ServeOptions
    process: subprocess.Popen
    log_path: Path
    base_url: str
    start_url: str

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(geen log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        kernels = _children(self.process.pid)
        # SIGTERM to the group: Voilà shuts its kernels down itself (they run in their own sessions)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        for pid in kernels:  # a kernel Voilà did not manage to stop: by its own pid, never by name
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _launch(name: str, db_url: str, workbooks: Path | None, **extra: object) -> VoilaServer:
    BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = BROWSER_ARTIFACTS / f"voila-{name}.log"
    for _attempt in range(3):  # a free port can be taken between choosing and binding it
        options = ServeOptions(db_url=db_url, port=free_port(), workbooks=workbooks, **extra)
        argv, env = command(options)
        with log_path.open("w", encoding="utf-8") as log:
            log.write(f"$ {' '.join(argv)}\n")
            log.flush()
            process = subprocess.Popen(
                argv,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=ROOT,
            )
        start = url(options)
        parts = urllib.parse.urlsplit(start)
        server = VoilaServer(
            name=name,
            options=options,
            process=process,
            log_path=log_path,
            base_url=f"{parts.scheme}://{parts.netloc}",
            start_url=start,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                # any HTTP answer will do; a static file starts no kernel
                http_get_raw(server.base_url + "/voila/static/voila.js", timeout=2)
                return server
            except OSError:
                time.sleep(0.25)
        else:
            tail = server.log_tail()
            server.stop()
            pytest.fail(f"Voilà ({name}) antwoordde niet binnen {SERVER_START_TIMEOUT:.0f} s.\n{tail}")
        if "already in use" not in server.log_tail():
            break
    pytest.fail(
        f"Voilà ({name}) stopte bij het starten (exit {process.returncode}), log: {log_path}\n{server.log_tail()}"
    )


@pytest.fixture(scope="session")
def demo_db() -> str:
    """The demo database tests/conftest.py made in pytest_configure (or the one the caller set)."""
    return os.environ["WIJKLEER_DB"]


@pytest.fixture(scope="session")
def start_voila(demo_db: str) -> Iterator[Callable[..., VoilaServer]]:
    """Start a Voilà server the way ``wijkleer serve`` does; all are stopped at session end."""
    servers: list[VoilaServer] = []

    def start(
        workbooks: Path | None = None, name: str = "workbooks", db_url: str | None = None, **extra: object
    ) -> VoilaServer:
        server = _launch(name, db_url or demo_db, workbooks, **extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def voila_server(start_voila: Callable[..., VoilaServer]) -> VoilaServer:
    """Voilà on the project's own workbooks/ folder."""
    return start_voila(name="workbooks")


@pytest.fixture(scope="session")
def http_get() -> Callable[..., HttpResult]:
    return http_get_raw


@pytest.fixture(scope="session")
def kernels() -> Callable[[VoilaServer], list[int]]:
    """``kernels(server)``: the process ids of the kernels ``server`` runs now."""
    return kernel_pids


@pytest.fixture(scope="session")
def leave_page() -> Callable[[Page], None]:
    """``leave_page(page)``: go to about:blank as a person would (the page's unload beacon runs)."""
    return leave


# --------------------------------------------------------------------------- browser and page


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("chromium niet gevonden: installeer het Debian-pakket (apt-get install chromium)")
    browser = playwright_session.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class PageRecord:
    """What happened in the page that a test may want to assert is empty."""

    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def _is_local(target: str) -> bool:
    parts = urllib.parse.urlsplit(target)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-error", "devtools"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def page_record() -> PageRecord:
    return PageRecord()


def guarded_page(browser: Browser, page_record: PageRecord):
    """A new context and page in which every request outside localhost is aborted and recorded in
    ``page_record`` (with console and page errors). Returns (context, page); the caller closes the context."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})

    def record(target: str) -> None:
        if not _is_local(target):
            page_record.outside_requests.append(target)

    def guard(route, req) -> None:
        if _is_local(req.url):
            route.continue_()
        else:  # act like a closed municipal network: nothing leaves the machine (recorded below)
            route.abort("blockedbyclient")

    context.on("request", lambda req: record(req.url))  # fires for aborted requests too
    context.route("**/*", guard)
    opened = context.new_page()
    opened.on("websocket", lambda ws: record(ws.url))  # websockets bypass the router
    opened.on(
        "console",
        lambda msg: (
            page_record.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error"
            else None
        ),
    )
    opened.on("pageerror", lambda error: page_record.page_errors.append(str(error)))
    return context, opened


def _screenshot_if_failed(request: pytest.FixtureRequest, opened: Page, suffix: str = "") -> None:
    if _failed(request.node):
        BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name + suffix)
        with contextlib.suppress(PlaywrightError):
            opened.screenshot(path=str(BROWSER_ARTIFACTS / f"{safe}.png"), full_page=True)


def leave(opened: Page) -> None:
    """Leave the page for about:blank as a person would: its unload beacon frees its kernel at once (closing the
    context alone runs no unload handler, and kernels would pile up until the cull). The outside-request guard
    is lifted first: Playwright's request interception drops a beacon sent while a page unloads. Outside requests
    are still recorded (the context's request listener stays)."""
    if not opened.is_closed():
        with contextlib.suppress(PlaywrightError):
            opened.context.unroute("**/*")
            opened.goto("about:blank", timeout=5000)


@pytest.fixture
def page(browser: Browser, page_record: PageRecord, request: pytest.FixtureRequest) -> Iterator[Page]:
    context, opened = guarded_page(browser, page_record)
    yield opened
    _screenshot_if_failed(request, opened)
    leave(opened)
    context.close()


@pytest.fixture
def more_pages(browser: Browser, page_record: PageRecord, request: pytest.FixtureRequest) -> Iterator[Callable]:
    """``more_pages()`` opens another guarded page (its own context: another person at another computer),
    recorded in the same ``page_record``; all are closed after the test."""
    opened: list[tuple] = []

    def make() -> Page:
        context, new = guarded_page(browser, page_record)
        opened.append((context, new))
        return new

    yield make
    for number, (context, new) in enumerate(opened, start=2):
        _screenshot_if_failed(request, new, f"-{number}")
        leave(new)
        context.close()


# --------------------------------------------------------------------------- waiting for Voilà

# Voilà streams the executed notebook while a "loading" spinner shows, then voila.js removes the
# spinner (#loading), shows #rendered_cells and replaces every
# <script type="application/vnd.jupyter.widget-view+json"> by the live widget. Ready = all of that.
_STATE_JS = """
(widgets) => {
  const cells = document.getElementById("rendered_cells");
  const state = {
    readyState: document.readyState,
    spinner: !!document.getElementById("loading"),
    cells: !!cells && cells.style.display !== "none",
    pendingWidgets: document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]').length,
    widgets: document.querySelectorAll(".jp-OutputArea-output .jupyter-widgets").length,
  };
  state.ready = state.readyState === "complete" && !state.spinner && state.cells
    && state.pendingWidgets === 0 && (!widgets || state.widgets > 0);
  return state;
}
"""
_READY_JS = f"(widgets) => ({_STATE_JS})(widgets).ready ? performance.now() : false"


@dataclass
class Opened:
    html: str  # the HTML Voilà sent (after execution, before any JavaScript ran)
    tti_seconds: float  # navigation start to notebook executed and widgets on screen


def wait_for_voila(page: Page, widgets: bool = True, timeout: float = RENDER_TIMEOUT) -> float:
    """Wait until the Voilà page is fully rendered; return seconds since navigation start."""
    try:
        handle = page.wait_for_function(_READY_JS, arg=widgets, timeout=timeout * 1000, polling=100)
    except PlaywrightTimeoutError:
        state = page.evaluate(_STATE_JS, widgets)
        raise AssertionError(f"Voilà-pagina niet klaar binnen {timeout:.0f} s: {state} ({page.url})") from None
    return float(handle.json_value()) / 1000


@pytest.fixture
def open_voila(page: Page) -> Callable[..., Opened]:
    def open_(target: str, widgets: bool = True, timeout: float = RENDER_TIMEOUT, on: Page | None = None) -> Opened:
        """Open ``target`` in the test's page (or in ``on``, another page) and wait for Voilà."""
        shown = on or page
        response = shown.goto(target, wait_until="commit", timeout=timeout * 1000)
        assert response is not None, f"geen antwoord op {target}"
        assert response.status == 200, f"{target}: HTTP {response.status}"
        tti = wait_for_voila(shown, widgets=widgets, timeout=timeout)
        return Opened(html=response.text(), tti_seconds=tti)

    return open_
