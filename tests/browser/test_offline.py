"""Every workbook works on a closed network: opened in a browser that blocks every request outside this machine
(the ``page`` fixture), with each tab opened in turn, it draws all its charts, shows no error box, has no page
error or console error, and never asks anything of another host.

The pages are the start page and every workbook the catalogue lists (``wijkleer.workbooks.catalog.workbooks()``),
so a workbook added later is covered without touching this file. The demo database is the one the session made.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.kernel_watch import KernelWatch
from tests.support.pages import TABS_JS, pages

pytestmark = pytest.mark.browser
RENDER_TIMEOUT = 90.0
DRAW_TIMEOUT_MS = 30_000
# the workbooks known to draw charts on the demo data, and how many at least (once every tab was opened): if a
# chart stops appearing altogether (its widget never renders), the count of drawn charts alone would not notice
MIN_CHARTS = {"beleidsoverzicht.ipynb": 5, "verwachtingen.ipynb": 2}

# chart widgets (wijkleer.views.chart.Grafiek) on the page, and those Vega has drawn
_CHARTS_JS = """
() => {
  const figures = [...document.querySelectorAll("figure.wijkleer-grafiek")];
  const drawn = figures.filter((f) => f.querySelector("svg.marks .role-mark, canvas"));
  return { widgets: figures.length, drawn: drawn.length,
           missing: figures.filter((f) => !drawn.includes(f)).map((f) => f.getAttribute("aria-label")) };
}
"""
_CHARTS_DRAWN_JS = f"() => {{ const c = ({_CHARTS_JS})(); return c.widgets === c.drawn; }}"
_ERRORS_JS = """
() => [...document.querySelectorAll('.wijkleer-fout, [role="alert"], [data-mime-type*="stderr"], .jp-mod-error')]
  .filter((el) => el.textContent.trim())
  .map((el) => el.textContent.trim().slice(0, 200))
"""


def _wait_for_charts(page: Page, where: str) -> None:
    try:
        page.wait_for_function(_CHARTS_DRAWN_JS, timeout=DRAW_TIMEOUT_MS, polling=200)
    except PlaywrightTimeoutError:
        charts = page.evaluate(_CHARTS_JS)
        raise AssertionError(
            f"{where}: {charts['drawn']} van {charts['widgets']} grafieken getekend binnen "
            f"{DRAW_TIMEOUT_MS / 1000:.0f} s; niet getekend: {charts['missing']}"
        ) from None


@pytest.mark.parametrize("notebook", pages())
def test_workbook_works_offline(notebook, voila_server, page, page_record, open_voila):
    watch = KernelWatch(page)
    open_voila(voila_server.url(f"voila/render/{notebook}"), timeout=RENDER_TIMEOUT)
    watch.wait(start_grace=0)
    _wait_for_charts(page, notebook)
    for name in page.evaluate(TABS_JS)[1:]:  # tabs draw their charts when they are opened
        page.get_by_role("tab", name=name, exact=True).click()
        watch.wait()
        _wait_for_charts(page, f"{notebook}, tab '{name}'")
    page.wait_for_load_state("networkidle")

    charts = page.evaluate(_CHARTS_JS)
    print(f"offline {notebook}: {charts['drawn']} van {charts['widgets']} grafieken getekend")
    assert charts["widgets"] >= MIN_CHARTS.get(notebook, 0), f"{notebook}: te weinig grafieken: {charts}"
    assert page.evaluate(_ERRORS_JS) == [], f"{notebook}: foutmelding op de pagina"
    assert page_record.outside_requests == [], f"{notebook}: verzoeken buiten deze machine"
    assert page_record.page_errors == [], f"{notebook}: fouten in de pagina"
    assert page_record.console_errors == [], f"{notebook}: fouten in de console"
