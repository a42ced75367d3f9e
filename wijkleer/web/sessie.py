"""The participant's session page, answered by the server itself (no kernel per visitor).

Routes (``routes()``; the launcher adds them to Voilà's server):

- ``GET /wijkleer/sessie?code=K7M2QX[&wie=…]``: the page (HTML; script and style from ``/wijkleer/static/``).
- ``POST /wijkleer/api/sessie/meedoen`` ``{code, naam, rol, wie?}``: join; answers the key of the personal link.
- ``GET /wijkleer/api/sessie/stand?code=…&wie=…[&versie=N]``: the session as this participant may see it; with
  ``versie`` the answer waits (at most ``WAIT_SECONDS``) until the session changed, so a page learns of a change
  within a fraction of a second without asking the database itself: one watcher per session does that for all.
- ``POST /wijkleer/api/sessie/<bijdrage|stip|klaar|actie|beoordelen>`` ``{code, wie, …}``: do that.

Every answer is JSON; a refusal is ``{"melding", "hint", "velden"}`` in Dutch, never a traceback. Who acts is the
participation whose personal-link key (``wie``) the request carries, read from the store on every request
(``verloop.terugkomen``): the server keeps nothing of a visitor between requests. A POST must be JSON from this
server's own pages (a foreign page cannot send that without the browser asking first).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from tornado import web

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelname
from wijkleer.sessies import verloop
from wijkleer.store import Store, open_store
from wijkleer.text import t
from wijkleer.web import stand

STATIC = Path(__file__).resolve().parent / "static"
WAIT_SECONDS = 20.0  # a waiting page is answered after this long at the latest ("nothing changed")
WATCH_SECONDS = 0.2  # how often the one watcher per session reads its change counter while pages wait
IDLE_SECONDS = 60.0  # a watcher with no page waiting stops after this long
MAX_BODY = 64 * 1024
WRONG_CODES = 20  # wrong join codes from one address within WRONG_WINDOW seconds before it must wait
WRONG_WINDOW = 300.0
WORKERS = 4
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
log = logging.getLogger(__name__)
R = TypeVar("R")


class Wachter:
    """One watcher per session for all waiting pages: it reads the session's change counter every
    ``WATCH_SECONDS`` while someone waits and wakes them all when it moved."""

    def __init__(self, read: Callable[[str], Any]) -> None:
        self.read = read  # sessie_id -> awaitable version
        self.versions: dict[str, int] = {}
        self.events: dict[str, asyncio.Event] = {}
        self.waiting: dict[str, int] = defaultdict(int)
        self.tasks: dict[str, asyncio.Task] = {}

    async def wait(self, sessie_id: str, seen: int, timeout: float = WAIT_SECONDS) -> int:
        """The session's version once it differs from ``seen``, or after ``timeout`` seconds."""
        if sessie_id not in self.tasks:
            self.versions[sessie_id] = await self.read(sessie_id)
            self.events[sessie_id] = asyncio.Event()
            self.tasks[sessie_id] = asyncio.get_running_loop().create_task(self._watch(sessie_id))
        deadline = time.monotonic() + timeout
        self.waiting[sessie_id] += 1
        try:
            while self.versions[sessie_id] == seen and (left := deadline - time.monotonic()) > 0:
                try:
                    await asyncio.wait_for(self.events[sessie_id].wait(), left)
                except TimeoutError:
                    break
            return self.versions[sessie_id]
        finally:
            self.waiting[sessie_id] -= 1

    async def _watch(self, sessie_id: str) -> None:
        idle_since = time.monotonic()
        try:
            while self.waiting[sessie_id] or time.monotonic() - idle_since < IDLE_SECONDS:
                if self.waiting[sessie_id]:
                    idle_since = time.monotonic()
                await asyncio.sleep(WATCH_SECONDS)
                try:
                    version = await self.read(sessie_id)
                except WijkleerError:  # the database is away for a moment: look again next round
                    continue
                if version != self.versions[sessie_id]:
                    self.versions[sessie_id] = version
                    event, self.events[sessie_id] = self.events[sessie_id], asyncio.Event()
                    event.set()
        finally:
            for table in (self.tasks, self.versions, self.events, self.waiting):
                table.pop(sessie_id, None)


class Dienst:
    """What the handlers share in the server process: the store, the threads that talk to it, the watcher and the
    count of wrong join codes per address."""

    def __init__(self, store: Store | None = None) -> None:
        self._store = store
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="wijkleer-web")
        self.wachter = Wachter(lambda sessie_id: self.run(lambda s: s.versie_van(sessie_id)))
        self.wrong: dict[str, deque[float]] = defaultdict(deque)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store()  # the server's own database ($WIJKLEER_DB), opened at the first visitor
        return self._store

    async def run(self, work: Callable[[Store], R]) -> R:
        """``work(store)`` in a worker thread: the database never holds up the server's event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, lambda: work(self.store))

    def too_many_wrong(self, address: str) -> bool:
        recent = self.wrong[address]
        while recent and recent[0] < time.monotonic() - WRONG_WINDOW:
            recent.popleft()
        return len(recent) >= WRONG_CODES


def page_html(static_url: str) -> str:
    """The page: the texts and roles for the script as data (never run), the script and style from this server."""
    data = json.dumps({"teksten": stand.teksten(), "rollen": stand.rollen()}, ensure_ascii=False)
    data = data.replace("<", "\\u003c")  # no '</script>' can end the data block early
    title = html.escape(t("web.titel"))
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f'<title>{title}</title><link rel="stylesheet" href="{html.escape(static_url("sessie.css"))}">'
        f'<script type="application/json" id="wijkleer-gegevens">{data}</script>'
        f'<script src="{html.escape(static_url("sessie.js"))}" defer></script></head>'
        f'<body><main id="wijkleer" aria-live="polite"><h1>{title}</h1>'
        f'<p class="laden">{html.escape(t("web.laden"))}</p>'
        f"<noscript><p>{html.escape(t('web.geen_javascript'))}</p></noscript></main></body></html>\n"
    )


class _Handler(web.RequestHandler):
    def initialize(self, dienst: Dienst, static_prefix: str = "/wijkleer/static/") -> None:
        self.dienst = dienst
        self.static_prefix = static_prefix

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")


class Pagina(_Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html(lambda name: self.static_prefix + name))


class _Api(_Handler):
    def check_xsrf_cookie(self) -> None:
        """Tornado's cookie check does not apply: ``prepare`` checks every POST instead."""

    def prepare(self) -> None:
        """Only JSON from a page of this server: a foreign page cannot POST JSON without the browser's preflight, and
        a browser names its page's origin, which must be this server."""
        if self.request.method != "POST":
            return
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        origin = self.request.headers.get("Origin")
        if kind != "application/json" or (origin and origin.split("://", 1)[-1] != self.request.host):
            raise web.HTTPError(403)

    def body(self) -> dict[str, Any]:
        if len(self.request.body) > MAX_BODY:
            raise web.HTTPError(413)
        try:
            found = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400) from None
        return found if isinstance(found, dict) else {}

    def answer(self, data: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def refuse(self, error: WijkleerError, status: int = 400) -> None:
        self.answer({"melding": error.message, "hint": error.hint, "velden": error.fields}, status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if kwargs.get("exc_info") and status_code >= 500:
            log.error("sessiepagina", exc_info=kwargs["exc_info"])
        self.answer({"melding": t("app.onverwacht"), "hint": t("app.onverwacht_hint"), "velden": {}}, status_code)

    async def deelname(self, code: str, wie: str) -> Deelname:
        found = await self.dienst.run(lambda store: verloop.terugkomen(store, code, wie))
        if found is None:
            self.refuse(WijkleerError(t("web.niet_meer_binnen"), t("web.niet_meer_binnen_hint")), 403)
            raise web.Finish()
        return found


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value[:200] if isinstance(value, str) else ""


class Meedoen(_Api):
    async def post(self) -> None:
        data, address = self.body(), self.request.remote_ip or ""
        if self.dienst.too_many_wrong(address):
            self.refuse(WijkleerError(t("web.te_veel_pogingen"), t("web.te_veel_pogingen_hint")), 429)
            return
        code, naam, rol, wie = (_text(data, name) for name in ("code", "naam", "rol", "wie"))
        try:
            deelname, sleutel = await self.dienst.run(lambda s: verloop.deelnemen(s, code, naam, rol, wie or None))
        except WijkleerError as error:
            if "code" in error.fields:
                self.dienst.wrong[address].append(time.monotonic())
            self.refuse(error)
            return
        self.answer({"wie": sleutel, "naam": deelname.naam})


class Stand(_Api):
    async def get(self) -> None:
        code, wie = self.get_query_argument("code", ""), self.get_query_argument("wie", "")
        deelname = await self.deelname(code, wie)
        seen = self.get_query_argument("versie", "")
        if seen.isdigit():
            version = await self.dienst.wachter.wait(deelname.sessie_id, int(seen))
            if version == int(seen):
                self.answer({"versie": version, "zelfde": True})
                return
        try:
            self.answer(await self.dienst.run(lambda store: stand.stand(store, deelname)))
        except WijkleerError as error:
            self.refuse(error, 503)


class Doen(_Api):
    async def post(self, action: str) -> None:
        data = self.body()
        deelname = await self.deelname(_text(data, "code"), _text(data, "wie"))
        work = stand.ACTIONS[action]
        try:
            message = await self.dienst.run(lambda store: work(store, deelname, data))
        except WijkleerError as error:
            self.refuse(error)
            return
        self.answer({"melding": message})


def routes(base_url: str = "/", dienst: Dienst | None = None) -> list[tuple[str, type, dict[str, Any]]]:
    """The tornado handlers of the kernel-free pages, under ``base_url``."""
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    shared = {"dienst": dienst or Dienst(), "static_prefix": f"{base}wijkleer/static/"}
    actions = "|".join(stand.ACTIONS)
    return [
        (f"{base}wijkleer/sessie", Pagina, shared),
        (f"{base}wijkleer/static/(sessie\\.(?:js|css))", web.StaticFileHandler, {"path": str(STATIC)}),
        (f"{base}wijkleer/api/sessie/meedoen", Meedoen, shared),
        (f"{base}wijkleer/api/sessie/stand", Stand, shared),
        (f"{base}wijkleer/api/sessie/({actions})", Doen, shared),
    ]


__all__ = ["Dienst", "Wachter", "page_html", "routes"]
