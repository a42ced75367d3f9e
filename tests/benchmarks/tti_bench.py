"""Benchmark for opening a workbook: time to interactive in headless chromium and resident memory of its kernel,
each against a one-widget notebook on the same Voilà server in the same run (issue #9, part 1 and 2).

Run: ``.venv/bin/python tests/benchmarks/tti_bench.py [--rounds 3] [--exercises] [--only NAME …]``. Makes a
temporary folder with copies of ``workbooks/*.ipynb`` (with ``--exercises`` also ``exercises/*.ipynb``), a generated
``een_widget.ipynb`` (one button) and a demo database (``wijkleer demo --until 2026-11-20``), starts one Voilà
server on it the way ``wijkleer serve`` does (``wijkleer.serve.command``) and opens every page ``--rounds`` times,
after one warm-up visit each, the workbooks and the baseline interleaved in every round. Time to interactive:
from navigation start (``page.goto``) until the Voilà spinner is gone, every widget placeholder is replaced and
the first visible, enabled ``button``/``select``/``input`` in the output is on screen (a page without those, like
start.ipynb: its first link; without widgets at all: the spinner gone). Kernel memory: RSS of the kernel process
the page started, read when it is interactive; the kernel is then stopped via ``DELETE /api/kernels/<id>``.
Targets: TTI ratio ≤ 1.5 and kernel RSS ≤ 180 MB per tab (``!`` in the table marks a miss). Last line:
``ratio <worst workbook TTI median / baseline TTI median>``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.dagen import DEMO_UNTIL  # noqa: E402

UNTIL = DEMO_UNTIL
BASELINE = "een_widget"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
CONTROLS = ".jp-OutputArea-output button, .jp-OutputArea-output select, .jp-OutputArea-output input"
LINKS = ".jp-OutputArea-output a[href]"  # a page of links only (start.ipynb)
TIMEOUT_S = 120
TARGET_RATIO, TARGET_RSS_MB = 1.5, 180
# performance.now() (ms since navigation start) at the first animation frame where the page is interactive
INTERACTIVE_JS = """
(controls) => {
  const cells = document.getElementById("rendered_cells");
  if (document.readyState !== "complete" || document.getElementById("loading") || !cells
      || cells.style.display === "none"
      || document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]')) return false;
  if (!controls) return {ms: performance.now(), control: "(geen; spinner weg)"};
  for (const el of document.querySelectorAll(controls)) {
    if (el.disabled || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const text = el.tagName === "SELECT" ? el.selectedOptions[0]?.text : el.textContent || el.value || el.type;
    const label = (text || "").trim().slice(0, 24);
    return {ms: performance.now(), control: `${el.tagName.toLowerCase()} "${label}"`};
  }
  return false;
}
"""


def prepare(folder: Path, exercises: bool, only: list[str] | None = None) -> list[str]:
    """Copies of the notebooks plus the one-widget baseline; returns the page names (baseline first)."""
    sources = sorted((ROOT / "workbooks").glob("*.ipynb"))
    if exercises:
        sources += sorted((ROOT / "exercises").glob("*.ipynb"))
    names = [BASELINE]
    for source in sources:
        name = source.stem if source.parent.name == "workbooks" else f"oefening_{source.stem}"
        if only and name not in only:
            continue
        shutil.copy(source, folder / f"{name}.ipynb")
        names.append(name)
    cell = {"cell_type": "code", "execution_count": None, "id": "een-widget", "metadata": {}, "outputs": [],
            "source": 'import ipywidgets as widgets\nwidgets.Button(description="Klaar")'}  # fmt: skip
    kernel = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook = {"cells": [cell], "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
    (folder / f"{BASELINE}.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return names


def make_database(path: Path) -> None:
    from wijkleer.demo import Plan, generate
    from wijkleer.store import Store

    with Store(str(path)) as store:
        generate(store, Plan(until=UNTIL))


def start_server(folder: Path, db: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    from wijkleer.serve import ServeOptions, command
    from wijkleer.views.chart import make_bundle

    make_bundle()  # as ``wijkleer serve`` does: no kernel makes the Vega bundle
    for _attempt in range(3):  # a free port can be taken between choosing and binding it
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        argv, env = command(ServeOptions(db_url=str(db), port=port, workbooks=folder))
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True, cwd=ROOT)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(f"{base}/voila/static/voila.js", timeout=2).close()
                return process, base
            except OSError:
                time.sleep(0.25)
        stop_server(process)
    raise SystemExit(f"Voilà antwoordde niet; log: {log_path}\n{log_path.read_text()[-2000:]}")


def kernels(server_pid: int) -> dict:
    import psutil

    found = {}
    for child in psutil.Process(server_pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any("ipykernel_launcher" in part for part in child.cmdline()):
                found[child.pid] = child
    return found


def shut_down(base: str, process) -> bool:
    """Stop the page's kernel through the Jupyter REST API; True when the server did."""
    line = process.cmdline()  # ... ipykernel_launcher -f /tmp/voila_…/kernel-<id>.json
    ident = Path(line[line.index("-f") + 1]).stem.removeprefix("kernel-")
    xsrf = os.urandom(16).hex()  # tornado's double-submit check: the same token as cookie and header
    headers = {"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf}
    request = urllib.request.Request(f"{base}/api/kernels/{ident}", headers=headers, method="DELETE")
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except OSError:  # HTTPError included
        return False
    with contextlib.suppress(Exception):
        process.wait(timeout=10)
    return True


def visit(browser, base: str, name: str, server_pid: int, selector: str | None) -> dict:
    """Open one page in a fresh context: time to interactive (ms), its kernel's RSS (MB), the control found.

    ``selector`` ``"?"`` (warm-up) learns which control to wait for: a button/select/input, else a link, else none.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
    # like a closed municipal network: nothing but this server (requests elsewhere aborted)
    context.route("**/*", lambda route, req: route.continue_() if req.url.startswith((base, "data:", "blob:"))
                  else route.abort("blockedbyclient"))  # fmt: skip
    page = context.new_page()
    before = set(kernels(server_pid))
    try:
        response = page.goto(f"{base}/voila/render/{name}.ipynb", wait_until="commit", timeout=TIMEOUT_S * 1000)
        if response is None or response.status != 200:
            raise SystemExit(f"{name}: HTTP {response and response.status}")
        wait = {"polling": "raf", "timeout": TIMEOUT_S * 1000}
        try:
            result = page.wait_for_function(INTERACTIVE_JS, arg=None if selector == "?" else selector, **wait)
        except PlaywrightTimeoutError:
            raise SystemExit(f"{name}: niet interactief binnen {TIMEOUT_S} s ({selector})") from None
        result = result.json_value()
        if selector == "?":  # which control this page offers (widgets render a moment after the spinner goes)
            result["selector"] = None
            for candidate, seconds in ((CONTROLS, 15), (LINKS, 2)):
                with contextlib.suppress(PlaywrightTimeoutError):
                    page.wait_for_function(INTERACTIVE_JS, arg=candidate, polling=100, timeout=seconds * 1000)
                    result["selector"] = candidate
                    break
        new = [p for pid, p in kernels(server_pid).items() if pid not in before]
        kernel = max(new, key=lambda p: p.create_time()) if new else None
        result["rss"] = kernel.memory_info().rss / 2**20 if kernel else float("nan")
        result["stopped"] = shut_down(base, kernel) if kernel else False
    finally:
        context.close()
    return result


def stop_server(process: subprocess.Popen) -> None:
    left = list(kernels(process.pid)) if process.poll() is None else []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # Voilà shuts its kernels down itself
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    time.sleep(1)
    for pid in left:  # a kernel Voilà did not stop: by its own pid, never by name
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times every page is opened (after one warm-up)")
    parser.add_argument("--exercises", action="store_true", help="also the notebooks in exercises/")
    parser.add_argument("--only", nargs="+", metavar="NAAM", help="only these pages, e.g. beleidsoverzicht")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, Voilà log)")
    args = parser.parse_args()

    import psutil
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="wijkleer-tti-"))
    (folder / "notebooks").mkdir()
    names = prepare(folder / "notebooks", args.exercises, args.only)
    if len(names) == 1:
        raise SystemExit(f"geen werkboek gevonden voor --only {' '.join(args.only)}")
    db = folder / "demo.db"
    started = time.perf_counter()
    make_database(db)
    print(f"demo-database gemaakt in {time.perf_counter() - started:.0f} s; map {folder}", flush=True)
    process, base = start_server(folder / "notebooks", db, folder / "voila.log")
    print(f"Voilà op {base} (pid {process.pid}), {len(names) - 1} werkboeken + {BASELINE}, {args.rounds} rondes")
    times: dict[str, list[float]] = {name: [] for name in names}
    rss: dict[str, list[float]] = {name: [] for name in names}
    found, selectors, stopped = {}, {}, True
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            for name in names:  # warm-up (disk cache, imports); also learns which control each page offers
                selectors[name] = visit(browser, base, name, process.pid, "?")["selector"]
            for round_ in range(args.rounds):
                shift = round_ % len(names)  # interleaved, the baseline in another place each round
                for name in names[shift:] + names[:shift]:
                    result = visit(browser, base, name, process.pid, selectors[name])
                    times[name].append(result["ms"])
                    rss[name].append(result["rss"])
                    found[name], stopped = result["control"], stopped and result["stopped"]
                print(f"ronde {round_ + 1} klaar", flush=True)
            browser.close()
        server = psutil.Process(process.pid)
        children = server.children(recursive=True)
        total = (server.memory_info().rss + sum(c.memory_info().rss for c in children)) / 2**20
    finally:
        stop_server(process)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in times.items()}
    base_ms = median[BASELINE]
    print(f"\n{'werkboek':<32} {'TTI mediaan':>12} {'ratio':>7} {'kernel RSS':>12}  eerste bedieningselement")
    for name in names:
        ratio, memory = median[name] / base_ms, statistics.median(rss[name])
        print(f"{name:<32} {median[name]:>9.0f} ms {ratio:>6.2f}{'!' if ratio > TARGET_RATIO else ' '} "
              f"{memory:>8.0f} MB{'!' if memory > TARGET_RSS_MB else ' '}  {found[name]}")  # fmt: skip
    print(f"\nbasis ({BASELINE}): TTI mediaan {base_ms:.0f} ms, kernel RSS {statistics.median(rss[BASELINE]):.0f} MB")
    print("kernels na elke pagina gestopt via DELETE /api/kernels/<id>" if stopped else
          "niet elke kernel via de REST-API gestopt: die ruimt de culling (15 min inactief) op")  # fmt: skip
    print(f"Voilà-server aan het eind (RSS, met overgebleven kernels: {len(children)}): {total:.0f} MB")
    print(f"doelen: TTI-ratio ≤ {TARGET_RATIO}, kernel RSS ≤ {TARGET_RSS_MB} MB per tabblad")
    worst = max(median[name] / base_ms for name in names if name != BASELINE)
    print(f"ratio {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
