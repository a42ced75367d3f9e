"""Burst benchmark for the live room (issue #15): N participants open the session link, join and send an entry at
the same moment, as when the facilitator puts the code on the screen.

Run: ``.venv/bin/python tests/benchmarks/burst_bench.py [--deelnemers 30] [--voila]``. Makes a temporary database with
a kring and a planned knelpunten round, starts the server the way ``wijkleer serve`` does, signs the facilitator in
on the console (Voilà, ``begeleiden.ipynb``) and opens the session there. Then, in headless chromium (outside requests
blocked), one participant opens the session link alone (a cold open), and N participants in N browser contexts:

1. open the link at the same moment: time until the join form is usable (open-to-interactive);
2. join at the same moment (name, role, Meedoen): time until the writing form is there;
3. send an entry at the same moment: time until every entry is on the facilitator's board (checked every frame).

It prints p50/p95/max of each, the memory of the server and its kernels (RSS), and as its last line
``burst ratio R`` = p95 open-to-interactive under the burst / the cold open of the same page in the same run.
Targets on a 2-core machine: R ≤ 1.5, all entries on the board ≤ 1 s after sending, 31 pages ≤ 3 GB. The N browsers
run on the same machine as the server: the script also opens N empty ``data:`` pages at once (no server involved) and
prints that floor and the burst measured against it.
``--voila`` measures the Voilà participant page (``sessie.ipynb``, a kernel per page) instead of the page the server
answers itself (``/wijkleer/sessie``), for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from tti_bench import CHROMIUM_ARGS, kernels, start_server, stop_server  # noqa: E402

CODE = "kringcode-2026"
INSIDE: list[float] = []  # per opened page: seconds from its own navigation start until usable
TIMEOUT_MS = 300_000
ALL_ON_BOARD_JS = """(texts) => {
  const board = [...document.querySelectorAll('.wijkleer-bord')].map(b => b.innerText).join('\\n');
  return texts.every(text => board.includes(text));
}"""
VOILA_READY_JS = (
    "() => document.readyState === 'complete' && !document.getElementById('loading') && "
    "!document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]') && "
    "[...document.querySelectorAll('button')].some(b => b.innerText.includes('Meedoen'))"
)


def make_database(path: Path) -> None:
    from wijkleer.model import Team
    from wijkleer.sessies import verloop
    from wijkleer.store import Store

    with Store(str(path)) as store:
        begeleider = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", CODE)
        store.add(Team(naam="Wijkteam Centrum", wijk="Centrum", gemeente="Vlietdam", regio="Zuid"))
        verloop.plannen(store, begeleider, "knelpuntenronde", "Burst", date.today())


async def new_page(browser, base: str, phone: bool = True):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    # outside requests are blocked by the browser itself (a proxy that does not exist, bypassed for this machine):
    # intercepting every request in this script instead made 30 pages wait on the script, not on the server
    context = await browser.new_context(locale="nl-NL", viewport=size)
    return await context.new_page()


async def open_console(browser, base: str):
    console = await new_page(browser, base, phone=False)
    await console.goto(f"{base}/voila/render/begeleiden.ipynb", timeout=TIMEOUT_MS)
    await console.get_by_label("Groep of leerkring").select_option(label="Kring Vlietdam", timeout=TIMEOUT_MS)
    await console.get_by_label("Je naam of roepnaam").fill("Fenna Begeleider")
    await console.get_by_label("Je persoonlijke code").fill(CODE)
    await console.get_by_role("button", name="Aanmelden").click()
    await console.get_by_label("Sessie", exact=True).select_option(index=1, timeout=60_000)
    await console.get_by_role("button", name="Sessie openen").click()
    await console.get_by_text("Fase 1 van").first.wait_for(timeout=60_000)
    return console


async def open_link(page, url: str, voila: bool) -> float:
    started = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    if voila:
        await page.wait_for_function(VOILA_READY_JS, polling="raf", timeout=TIMEOUT_MS)
    else:
        await page.wait_for_selector("body[data-klaar=meedoen]", timeout=TIMEOUT_MS)
    took = time.perf_counter() - started
    # the page's own clock: from the start of its navigation until it was usable (what the browser itself took,
    # without waiting for the test machine's CPU to start the navigation at all)
    if not voila:
        navigation = await page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
        INSIDE.append(navigation["domContentLoadedEventEnd"] / 1000)
    return took


async def open_blank(page) -> float:
    """A page with nothing to load (a data: URL): what N pages opening at once cost this machine's browser alone,
    before any server is asked — the 2 cores run all N browsers and the server in this benchmark."""
    started = time.perf_counter()
    await page.goto("data:text/html,<body data-klaar=leeg><p>.</p></body>", timeout=TIMEOUT_MS)
    await page.wait_for_selector("body[data-klaar=leeg]", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


async def join(page, n: int, voila: bool) -> float:
    await page.get_by_label("Naam of schuilnaam").fill(f"Deelnemer {n + 1}")
    await page.get_by_label("Rol", exact=True).select_option(label="Uitvoering" if n % 2 else "Beleid")
    started = time.perf_counter()
    await page.get_by_role("button", name="Meedoen").click()
    await page.get_by_label("Jouw bijdrage", exact=True).wait_for(timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def quantiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def memory_mb(server_pid: int) -> tuple[float, int]:
    import psutil

    server = psutil.Process(server_pid)
    found = kernels(server_pid)
    return (server.memory_info().rss + sum(k.memory_info().rss for k in found.values())) / 2**20, len(found)


async def run(args: argparse.Namespace, base: str, server_pid: int, code_of, stored_at) -> dict:
    from playwright.async_api import async_playwright

    figures: dict = {}
    async with async_playwright() as playwright:
        blocked = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"]
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS + blocked
        )
        console = await open_console(browser, base)
        code = code_of()
        path = f"/voila/render/sessie.ipynb?code={code}" if args.voila else f"/wijkleer/sessie?code={code}"
        url = base + path
        cold = await new_page(browser, base)
        figures["koud"] = await open_link(cold, url, args.voila)
        await cold.context.close()
        await asyncio.sleep(2 if not args.voila else 10)  # a cold kernel's work has settled
        pages = [await new_page(browser, base) for _ in range(args.deelnemers)]
        figures["leeg"] = await asyncio.gather(*(open_blank(page) for page in pages))  # the harness's own floor
        figures["open"] = await asyncio.gather(*(open_link(page, url, args.voila) for page in pages))
        figures["meedoen"] = await asyncio.gather(*(join(page, n, args.voila) for n, page in enumerate(pages)))
        texts = [f"Bijdrage {n + 1}: wachtlijst schuldhulp loopt op" for n in range(len(pages))]
        for page, text in zip(pages, texts, strict=True):
            await page.get_by_label("Jouw bijdrage", exact=True).fill(text)
        started, sent_at = time.perf_counter(), datetime.now(UTC)
        await asyncio.gather(*(page.get_by_role("button", name="Insturen").click() for page in pages))
        await console.wait_for_function(ALL_ON_BOARD_JS, arg=texts, polling="raf", timeout=TIMEOUT_MS)
        figures["bord"] = time.perf_counter() - started
        figures["opgeslagen"] = (stored_at() - sent_at).total_seconds()
        figures["geheugen"], figures["kernels"] = memory_mb(server_pid)
        await browser.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deelnemers", type=int, default=30)
    parser.add_argument("--voila", action="store_true", help="de Voilà-pagina sessie.ipynb (een kernel per pagina)")
    args = parser.parse_args()

    from wijkleer.model import Sessie
    from wijkleer.store import Kijker, Store

    folder = Path(tempfile.mkdtemp(prefix="wijkleer-burst-bench-"))
    db = folder / "burst.db"
    make_database(db)
    process, base = start_server(ROOT / "workbooks", db, folder / "voila.log")

    def code_of() -> str:
        with Store(str(db)) as store:
            return store.list(Sessie)[0].code

    def stored_at() -> datetime:
        """When the last entry was stored (the server's clock is this machine's clock)."""
        with Store(str(db)) as store:
            latest = max(e.aangemaakt for e in store.bijdragen(store.list(Sessie)[0].id, Kijker("begeleider")))
        return latest if latest.tzinfo else latest.replace(tzinfo=UTC)

    try:
        figures = asyncio.run(run(args, base, process.pid, code_of, stored_at))
    finally:
        stop_server(process)
        shutil.rmtree(folder, ignore_errors=True)

    page = "sessie.ipynb (Voilà, een kernel per pagina)" if args.voila else "/wijkleer/sessie (zonder kernel)"
    n = args.deelnemers
    print(f"{n} deelnemers tegelijk op {page}")
    print(f"koud openen (één deelnemer alleen): {figures['koud']:.2f} s")
    for name, label in (("open", "openen tot bruikbaar"), ("meedoen", "meedoen")):
        p50, p95, top = quantiles(figures[name])
        print(f"{label}: p50 {p50:.2f} s, p95 {p95:.2f} s, max {top:.2f} s")
    print(
        f"alle {n} bijdragen op het bord van de begeleider: {figures['bord']:.2f} s na insturen (doel ≤ 1 s); "
        f"de laatste was {figures['opgeslagen']:.2f} s na insturen opgeslagen"
    )
    print(
        f"geheugen server en kernels ({n + 1} pagina's, {figures['kernels']} kernels): {figures['geheugen']:.0f} MB "
        f"(doel ≤ 3072 MB)"
    )
    if INSIDE:
        p50, p95, top = quantiles(INSIDE[1:])  # the first is the cold open
        print(
            f"openen volgens de pagina zelf (navigatie tot bruikbaar): p50 {p50:.2f} s, p95 {p95:.2f} s, "
            f"max {top:.2f} s; koud {INSIDE[0]:.2f} s"
        )
    blank = quantiles(figures["leeg"])
    print(
        f"een lege pagina (data:, geen server), {n} tegelijk in deze browser: p50 {blank[0]:.2f} s, "
        f"p95 {blank[1]:.2f} s: de ondergrens van deze meting op deze machine"
    )
    print(f"burst / lege pagina (p95 tegen p95 in dezelfde meting): {quantiles(figures['open'])[1] / blank[1]:.2f}")
    ratio = quantiles(figures["open"])[1] / figures["koud"]
    print(f"burst ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
