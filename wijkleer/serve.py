"""Start Voilà on the workbooks with safe defaults, through wijkleer's own launcher (``wijkleer.server``).

Binds 127.0.0.1 unless told otherwise; a non-local bind needs a strong token, which travels in the
environment (never on a command line, where ``ps`` shows it to every local user). No tracebacks or sources
reach the browser, database and notebook files are never served as files, idle kernels are culled, and
no more kernels run than the machine's memory holds.
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
MIN_TOKEN_VARIETY = 8  # different characters: "aaaaaaaaaaaaaaaa" is 16 long but guessed at once
LONGEST_TOKEN_RUN = 5  # in a row counting up, down or repeating: "abcde" may be in it, "abcdef" or "zzzzzz" not
TOKEN_ENV = "WIJKLEER_TOKEN"  # how the token reaches the launcher (and how a user may give it to `serve`)
MAX_KERNELS_ENV = "WIJKLEER_MAX_KERNELS"
KERNEL_MB = 100  # a page's kernel: ~40 MB with widgets, ~145 MB with pandas+altair (stack notes)
MEMORY_SHARE = 0.75  # of the memory available at start: the rest for the server, the database, the machine
MIN_KERNELS = 2


@dataclass(frozen=True)
class ServeOptions:
    db_url: str
    ip: str = "127.0.0.1"
    port: int = 8866
    token: str | None = None
    workbooks: Path | None = None
    max_kernels: int | None = None  # None: $WIJKLEER_MAX_KERNELS, or sized from the machine's memory
    public_names: tuple[str, ...] = ()  # host names visitors use besides the bind address (e.g. behind a proxy)


def is_local(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def _longest_run(token: str) -> int:
    """The most characters in a row that count up, down or repeat ("abcd", "4321", "zzzz")."""
    longest, run, last = 1, 1, None
    for before, after in zip(token, token[1:], strict=False):
        step = ord(after) - ord(before)
        if abs(step) > 1:
            run, last = 1, None
        elif step == last:
            run += 1
        else:
            run, last = 2, step
        longest = max(longest, run)
    return longest


def is_strong(token: str) -> bool:
    """Long enough, varied enough, and no long run of characters that count up, down or repeat."""
    return (
        len(token) >= MIN_TOKEN_LENGTH
        and len(set(token)) >= MIN_TOKEN_VARIETY
        and _longest_run(token) <= LONGEST_TOKEN_RUN
    )


def example_token() -> str:
    """A token to suggest: random, and strong by the rule above (a random one nearly always is)."""
    while not is_strong(example := secrets.token_urlsafe(24)):
        pass
    return example


def _check_access(options: ServeOptions) -> None:
    if options.token is not None and len(options.token) < MIN_TOKEN_LENGTH:
        raise WijkleerError(t("serve.token_te_kort"), t("serve.token_te_kort_hint", voorbeeld=example_token()))
    if options.token is not None and not is_strong(options.token):
        raise WijkleerError(t("serve.token_te_zwak"), t("serve.token_te_zwak_hint", voorbeeld=example_token()))
    if not is_local(options.ip) and not options.token:
        raise WijkleerError(
            t("serve.token_nodig", ip=options.ip), t("serve.token_nodig_hint", voorbeeld=example_token())
        )


def _available_mb() -> int:
    """Memory available now (Linux: MemAvailable), in MB; the total when that cannot be read."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)


def max_kernels(options: ServeOptions) -> int:
    """How many pages may have a kernel at once: asked for, or what the memory available now holds."""
    if options.max_kernels is not None:
        asked: int | str = options.max_kernels
    else:
        asked = os.environ.get(MAX_KERNELS_ENV, "").strip()
        if not asked:
            return max(MIN_KERNELS, int(_available_mb() * MEMORY_SHARE) // KERNEL_MB)
    try:
        number = int(asked)
    except ValueError:
        number = 0
    if number < 1:
        raise WijkleerError(t("serve.max_kernels_ongeldig", waarde=asked), t("serve.max_kernels_hint"))
    return number


def url(options: ServeOptions) -> str:
    host = "127.0.0.1" if options.ip in ("0.0.0.0", "::") else options.ip
    host = f"[{host}]" if ":" in host else host
    query = f"?token={options.token}" if options.token else ""
    return f"http://{host}:{options.port}/{START_PAGE}{query}"


def command(options: ServeOptions) -> tuple[list[str], dict[str, str]]:
    """The launcher's command line and environment for ``options`` (checked first). The token, if any, is in the
    environment only: a command line is readable by every user of the machine."""
    _check_access(options)
    argv = [
        sys.executable,
        "-m",
        "wijkleer.server",
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
        f"--PageKernelManager.max_kernels={max_kernels(options)}",
        *(f"--WijkleerVoila.public_names={name}" for name in options.public_names),
    ]
    jupyter_path = os.pathsep.join(p for p in (str(SHARE_DIR), os.environ.get("JUPYTER_PATH")) if p)
    folder = str(options.workbooks or workbooks_dir())
    # a standalone server has no hub identity: whoever started it (e.g. from a hub terminal) is not its visitors
    # and a token of the outside environment is not this server's: only options.token is
    outside = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("JUPYTERHUB_") and name not in (TOKEN_ENV, "JUPYTER_TOKEN")
    }
    env = dict(
        outside,
        WIJKLEER_DB=options.db_url,
        WIJKLEER_WORKBOOKS=folder,
        JUPYTER_PATH=jupyter_path,
        PYTHONUNBUFFERED="1",
    )
    if options.token:
        env[TOKEN_ENV] = options.token
    return argv, env


def serve(options: ServeOptions) -> None:
    """Replace this process with the launcher (so Ctrl+C and service managers reach it directly). The launcher
    prints the start page's address once it listens: the last line a newcomer sees is where to click."""
    argv, env = command(options)
    from wijkleer.views.chart import make_bundle

    make_bundle()  # once, here: no browser tab's kernel starts a JavaScript engine to make it
    print(t("serve.database", database=options.db_url.split("@")[-1]), flush=True)
    os.execve(argv[0], argv, env)
