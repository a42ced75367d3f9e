"""Start Voilà on the workbooks with safe defaults.

Binds 127.0.0.1 unless told otherwise; a non-local bind needs a token. No tracebacks or sources
reach the browser, database and notebook files are never served as files, idle kernels are culled.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from wijkleer.errors import WijkleerError
from wijkleer.paths import workbooks_dir
from wijkleer.text import t

START_PAGE = "voila/render/start.ipynb"
TEMPLATE = "wijkleer"  # lab without outside requests: wijkleer/share/voila/templates/wijkleer
SHARE_DIR = Path(__file__).resolve().parent / "share"
DENYLIST = [r".*\.(ipynb|py|db|db-wal|db-shm|sqlite|sqlite3|toml|log)", r".*-(wal|shm|journal)"]
ALLOWLIST = [r".*\.(png|jpg|jpeg|gif|svg)"]
CULL_IDLE_SECONDS = 15 * 60  # a closed tab's kernel is stopped after this long without activity
CULL_INTERVAL_SECONDS = 60
MIN_TOKEN_LENGTH = 16


@dataclass(frozen=True)
class ServeOptions:
    db_url: str
    ip: str = "127.0.0.1"
    port: int = 8866
    token: str | None = None
    workbooks: Path | None = None


def is_local(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def _check_access(options: ServeOptions) -> None:
    example = secrets.token_urlsafe(24)
    if options.token is not None and len(options.token) < MIN_TOKEN_LENGTH:
        raise WijkleerError(t("serve.token_te_kort"), t("serve.token_te_kort_hint", voorbeeld=example))
    if not is_local(options.ip) and not options.token:
        raise WijkleerError(t("serve.token_nodig", ip=options.ip), t("serve.token_nodig_hint", voorbeeld=example))


def url(options: ServeOptions) -> str:
    host = "127.0.0.1" if options.ip in ("0.0.0.0", "::") else options.ip
    host = f"[{host}]" if ":" in host else host
    query = f"?token={options.token}" if options.token else ""
    return f"http://{host}:{options.port}/{START_PAGE}{query}"


def command(options: ServeOptions) -> tuple[list[str], dict[str, str]]:
    """The Voilà command line and environment for ``options`` (checked first)."""
    _check_access(options)
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(options.workbooks or workbooks_dir()),
        "--no-browser",
        f"--port={options.port}",
        "--Voila.port_retries=0",
        f"--Voila.ip={options.ip}",
        "--show_tracebacks=False",
        "--strip_sources=True",
        f"--template={TEMPLATE}",
        "--VoilaExporter.language_code=nl",
        *(f"--VoilaConfiguration.file_allowlist={pattern}" for pattern in ALLOWLIST),
        *(f"--VoilaConfiguration.file_denylist={pattern}" for pattern in DENYLIST),
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        # Voilà's own first sentence on a failing cell is English; the instruction after it is ours
        f"--VoilaExecutor.cell_error_instruction={t('app.werkboek_kapot')}",
    ]
    if options.token:
        argv.append(f"--token={options.token}")
    jupyter_path = os.pathsep.join(p for p in (str(SHARE_DIR), os.environ.get("JUPYTER_PATH")) if p)
    folder = str(options.workbooks or workbooks_dir())
    # a standalone server has no hub identity: whoever started it (e.g. from a hub terminal) is not its visitors
    outside = {name: value for name, value in os.environ.items() if not name.startswith("JUPYTERHUB_")}
    env = dict(
        outside,
        WIJKLEER_DB=options.db_url,
        WIJKLEER_WORKBOOKS=folder,
        JUPYTER_PATH=jupyter_path,
        PYTHONUNBUFFERED="1",
    )
    return argv, env


def serve(options: ServeOptions) -> None:
    """Replace this process with Voilà (so Ctrl+C and service managers reach it directly)."""
    argv, env = command(options)
    from wijkleer.views.chart import make_bundle

    make_bundle()  # once, here: no browser tab's kernel starts a JavaScript engine to make it
    print(t("serve.database", database=options.db_url.split("@")[-1]), flush=True)
    print(t("serve.open_url", url=url(options)), flush=True)
    print(t("serve.stoppen"), flush=True)
    os.execve(argv[0], argv, env)
