"""wijkleer's own Voilà launcher: ``python -m wijkleer.server <folder> [Voilà options]`` (``wijkleer serve`` runs it).

What it adds to standalone Voilà:

- only wijkleer's own names reach it: a request whose ``Host`` (or ``Origin``) is not this server's is refused,
  the kernel websocket included (a DNS-rebound page cannot read widget state);
- the token comes from the environment (``WIJKLEER_TOKEN``), never from the command line, and kernels do not
  inherit it;
- a page that is left frees its kernel at once (its unload beacon passes the XSRF check, and may only stop a
  kernel of its own browser), and no more kernels start than ``PageKernelManager.max_kernels``: a visitor over
  the cap gets a Dutch "busy" page (503) instead;
- ``/``, ``/voila/tree`` and every error page are wijkleer's own: Dutch, no outside requests.

Extra routes go in :func:`extra_handlers` (they are matched before Voilà's own).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import tornado.ioloop
import tornado.web
from jinja2 import ChoiceLoader, FileSystemLoader
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from tornado.httputil import split_host_and_port
from traitlets import List, Unicode
from voila.app import Voila, _kernel_id_regex
from voila.tornado.handler import TornadoVoilaHandler

from wijkleer import pages, web
from wijkleer.kernels import KernelCapReached, PageKernelManager, browser_of
from wijkleer.serve import TOKEN_ENV, ServeOptions, url
from wijkleer.text import t

log = logging.getLogger("wijkleer.server")
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD = ("", "0.0.0.0", "::")
TEMPLATE_DIR = Path(__file__).resolve().parent / "share" / "voila" / "templates" / "wijkleer"

# --------------------------------------------------------------------------- which names may reach the server


def _name(host: str) -> str:
    """``Host`` header to a bare lower-case name: no port, no IPv6 brackets, no trailing dot."""
    name, _port = split_host_and_port(host.strip().lower())
    return name.removeprefix("[").removesuffix("]").rstrip(".")


def host_allowed(host: str, names: frozenset[str], any_address: bool) -> bool:
    """A loopback address, one of ``names``, or (bound to every address) any address literal. A DNS-rebinding
    page always arrives with its own *name*: an address literal is never one."""
    name = _name(host)
    if name in names or name in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or any_address


def origin_allowed(origin: str | None, host: str) -> bool:
    """No ``Origin`` (a plain navigation, a script) or exactly this request's own ``http(s)://Host``."""
    if origin is None:
        return True
    parts = urlsplit(origin.strip().lower())
    return parts.scheme in ("http", "https") and parts.netloc == host.strip().lower()


class RefusedHandler(tornado.web.RequestHandler):
    """Every request from a foreign name: 403 and a Dutch page, before any other handler sees it."""

    def prepare(self) -> None:
        log.warning(
            "refused: Host %r, Origin %r, %s", self.request.host, self.request.headers.get("Origin"), self.request.path
        )
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(pages.refused())


class GuardedApplication(tornado.web.Application):
    """Tornado's application with one gate in front of every route: the ``Host`` and ``Origin`` check."""

    def __init__(self, names: frozenset[str], any_address: bool, **settings: object) -> None:
        super().__init__(**settings)
        self.names, self.any_address = names, any_address

    def find_handler(self, request, **kwargs):  # type: ignore[no-untyped-def]
        host = request.host or ""
        if not (
            host_allowed(host, self.names, self.any_address) and origin_allowed(request.headers.get("Origin"), host)
        ):
            return self.get_handler_delegate(request, RefusedHandler)
        return super().find_handler(request, **kwargs)


# --------------------------------------------------------------------------- wijkleer's handlers


class StartHandler(JupyterHandler):
    """``/`` and ``/voila/tree/...``: to the start page, or (a folder without one) a list of its workbooks."""

    def initialize(self, root_dir: str) -> None:
        self.root_dir = Path(root_dir)

    @tornado.web.authenticated
    def get(self, _path: str | None = None) -> None:
        if (self.root_dir / "start.ipynb").is_file():
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(pages.start_url(self.base_url) + query)
            return
        names = sorted(p.name for p in self.root_dir.glob("*.ipynb") if not p.name.startswith("."))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(pages.workbooks(names, self.base_url))


class NotFoundHandler(tornado.web.RequestHandler):
    """Any address no route knows: wijkleer's 404 page, not tornado's English one (it tells nothing: no login)."""

    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(pages.not_found(self.settings.get("base_url", "/")))


class PageHandler(TornadoVoilaHandler):
    """Voilà's page, plus: the browser gets its XSRF cookie (its unload beacon needs it), and over the kernel cap
    the visitor gets the "busy" page instead of a kernel."""

    async def prepare(self):  # type: ignore[no-untyped-def]
        await super().prepare()
        if not self._finished:
            self.xsrf_token  # noqa: B018 -- reading it sets the _xsrf cookie the beacon sends back

    async def get(self, path: str | None = None) -> None:
        if "token" in self.request.query_arguments:
            # the login cookie is set by now: the token leaves the address, or Voilà would hand it to the kernel
            # (QUERY_STRING, VOILA_REQUEST_URL) and the browser would keep it in its history
            rest = [(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True) if k != "token"]
            self.redirect(self.request.path + (f"?{urlencode(rest)}" if rest else ""))
            return
        try:
            await super().get(path)
        except KernelCapReached:  # raised before anything was written: the whole answer can still change
            self.clear()
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(pages.busy(self.request.uri or pages.start_url(self.base_url)))


def _owned_by_requester(handler: APIHandler, kernel_id: str) -> bool:
    """Whether the requesting browser started ``kernel_id`` (its XSRF token was already checked by ``prepare``)."""
    manager = handler.kernel_manager
    if not isinstance(manager, PageKernelManager) or not manager.owned_by(kernel_id, browser_of(handler)):
        log.warning("shutdown refused for kernel %s: not this browser's", kernel_id)
        return False
    return True


class ShutdownHandler(APIHandler):
    """The page's unload beacon (``POST /voila/api/shutdown/<kernel>``): stops that page's kernel, no other."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if not _owned_by_requester(self, kernel_id):
            raise tornado.web.HTTPError(404)
        await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        self.set_status(204)
        self.finish()


class OwnedKernelHandler(KernelHandler):
    """Jupyter's ``/api/kernels/<id>`` (Voilà's page asks for its kernel's model), but a kernel is only deleted by
    the browser that started it."""

    @tornado.web.authenticated
    async def delete(self, kernel_id: str) -> None:
        if not _owned_by_requester(self, kernel_id):
            raise tornado.web.HTTPError(404)
        await super().delete(kernel_id)


def extra_handlers(app: Voila) -> list[tuple]:
    """wijkleer's routes, matched before Voilà's (the first match wins). Add new routes here."""
    base = app.server_url or app.base_url
    voila_config = {"voila_configuration": app.voila_configuration}
    page_config = {**voila_config, "template_paths": app.template_paths, "config": app.config}
    return [
        (base, StartHandler, {"root_dir": app.root_dir}),
        (url_path_join(base, r"/voila/?"), StartHandler, {"root_dir": app.root_dir}),
        (url_path_join(base, r"/voila/tree(/.*)?"), StartHandler, {"root_dir": app.root_dir}),
        (url_path_join(base, r"/voila/render/(.*)"), PageHandler, page_config),
        (url_path_join(base, rf"/voila/api/shutdown/{_kernel_id_regex}"), ShutdownHandler),
        (url_path_join(base, rf"/api/kernels/{_kernel_id_regex}"), OwnedKernelHandler),
        *web.routes(base),  # the participant's session page: no kernel per visitor
    ]


# --------------------------------------------------------------------------- the application


class WijkleerVoila(Voila):
    """Standalone Voilà with wijkleer's gate, handlers, kernel manager and pages."""

    public_names = List(Unicode(), config=True, help="Host names visitors use besides the bind address.")

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        token = os.environ.pop(TOKEN_ENV, "")  # popped: kernels start with this process's environment
        if token:
            self.token = token
        self.voila_configuration.multi_kernel_manager_class = PageKernelManager

    @property
    def display_url(self) -> str:  # Voilà's "running at" line: the start page, not the folder page
        return pages.start_url(self._url(self.ip or "127.0.0.1"))

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings["default_handler_class"] = NotFoundHandler
        # error pages: our 404.html and error.html, also for Jupyter's own handlers (its templates load a CDN)
        server_env = settings["jinja2_env"]
        server_env.loader = ChoiceLoader([FileSystemLoader(str(TEMPLATE_DIR)), server_env.loader])
        for env in (server_env, settings["voila_jinja2_env"]):
            env.globals["wijkleer_error_page"] = pages.template_error
        return settings

    def init_handlers(self) -> list:
        return extra_handlers(self) + super().init_handlers()

    def start(self) -> None:
        """Voilà's ``start`` with the guarded application."""
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        names = frozenset(_name(n) for n in (self.ip, *self.public_names) if n not in WILDCARD)
        self.app = GuardedApplication(names, self.ip in WILDCARD, **settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        tornado.ioloop.IOLoop.current().add_callback(self._announce)
        self.listen()

    def _announce(self) -> None:
        """Once listening: where to click, as the very last lines (Voilà's own log line comes before)."""
        options = ServeOptions(db_url="", ip=self.ip, port=self.port, token=self.token or None)
        limit = getattr(self.kernel_manager, "max_kernels", 0)
        if limit:
            print(t("serve.pagina_limiet", aantal=limit), flush=True)
        print(t("serve.stoppen"), flush=True)
        print(t("serve.open_url", url=url(options)), flush=True)


def main(argv: list[str] | None = None) -> None:
    WijkleerVoila.launch_instance(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
