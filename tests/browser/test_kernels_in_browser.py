"""Kernels follow pages (``wijkleer.server``, ``wijkleer.kernels``), seen from a real browser:

- a page that is closed, or left for another address, frees its kernel within seconds (not after the cull);
- another browser cannot stop that page's kernel, even when it knows the kernel's id;
- over the cap a visitor gets wijkleer's Dutch "busy" page (503, nothing from outside) instead of a kernel, and
  gets a page again once someone closes theirs.

Kernels are counted as the server's live child processes.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from wijkleer.text import t

pytestmark = pytest.mark.browser

CAP = 2
FREED_WITHIN = 5.0  # seconds from leaving a page until its kernel process is gone
ONE_WIDGET = "import ipywidgets as widgets\nwidgets.Button(description='Klik hier')"


def _notebook(source: str) -> str:
    cells = [
        {"cell_type": "markdown", "id": "kop", "metadata": {}, "source": ["# Eén knop"]},
        {"cell_type": "code", "id": "app", "metadata": {}, "execution_count": None, "outputs": [], "source": [source]},
    ]
    metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                "language_info": {"name": "python"}}  # fmt: skip
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(scope="module")
def capped(tmp_path_factory, start_voila):
    folder = tmp_path_factory.mktemp("capped") / "workbooks"
    folder.mkdir()
    (folder / "knop.ipynb").write_text(_notebook(ONE_WIDGET), encoding="utf-8")
    return start_voila(workbooks=folder, name="capped", max_kernels=CAP)


@pytest.fixture
def wait_for_kernels(kernels):
    def wait(server, count: int, timeout: float = FREED_WITHIN) -> float:
        """Wait until ``server`` runs exactly ``count`` kernels; return the seconds that took."""
        start = time.monotonic()
        while len(kernels(server)) != count:
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{len(kernels(server))} kernels after {timeout:.0f} s, expected {count}")
            time.sleep(0.1)
        return time.monotonic() - start

    return wait


@pytest.fixture
def idle(capped, wait_for_kernels):
    """Each test starts with no kernel running (an earlier test's pages are left and their kernels gone)."""
    wait_for_kernels(capped, 0, timeout=30)
    return capped


def _kernel_id(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def test_closing_a_page_frees_its_kernel_within_seconds(idle, page, open_voila, wait_for_kernels):
    open_voila(idle.url("voila/render/knop.ipynb"))
    wait_for_kernels(idle, 1)

    page.close(run_before_unload=True)  # as a person closing the tab: the page's unload handlers run

    assert wait_for_kernels(idle, 0) < FREED_WITHIN
    assert "'_xsrf' argument missing" not in idle.log_tail(200)


def test_leaving_a_page_for_another_address_frees_its_kernel(idle, page, open_voila, wait_for_kernels, leave_page):
    open_voila(idle.url("voila/render/knop.ipynb"))
    wait_for_kernels(idle, 1)

    leave_page(page)

    assert wait_for_kernels(idle, 0) < FREED_WITHIN


def test_another_browser_cannot_stop_a_pages_kernel(idle, page, more_pages, open_voila, kernels, wait_for_kernels):
    open_voila(idle.url("voila/render/knop.ipynb"))
    theirs = _kernel_id(page)
    other = more_pages()  # another person, with a page (and so an XSRF cookie) of their own
    open_voila(idle.url("voila/render/knop.ipynb"), on=other)
    wait_for_kernels(idle, 2)

    status = other.evaluate(
        r"""async (kernel) => {
            const xsrf = (document.cookie.match(/\b_xsrf=([^;]*)/) || [])[1] || "";
            const form = new FormData();
            form.append("_xsrf", xsrf);  // its own valid token, as its own page's beacon would send
            const stop = await fetch(`/voila/api/shutdown/${kernel}`, {method: "POST", body: form});
            const remove = await fetch(`/api/kernels/${kernel}`, {method: "DELETE", headers: {"X-XSRFToken": xsrf}});
            return [stop.status, remove.status];
        }""",
        theirs,
    )

    assert status == [404, 404]
    time.sleep(1)
    assert len(kernels(idle)) == 2, "the other browser stopped a kernel that was not theirs"
    expect(page.get_by_role("button", name="Klik hier")).to_be_enabled()


def test_over_the_cap_a_visitor_gets_the_busy_page_until_a_page_closes(
    idle, page, more_pages, page_record, open_voila, kernels, wait_for_kernels
):
    pages = [page, *(more_pages() for _ in range(CAP - 1))]
    for opened in pages:
        open_voila(idle.url("voila/render/knop.ipynb"), on=opened)
    wait_for_kernels(idle, CAP)

    late = more_pages()
    response = late.goto(idle.url("voila/render/knop.ipynb"))

    assert response is not None and response.status == 503
    assert response.headers.get("retry-after") == "60"
    expect(late.get_by_role("heading", level=1, name=t("server.druk_titel"))).to_be_visible()
    expect(late.get_by_text("Probeer het over een minuut opnieuw")).to_be_visible()
    assert late.locator("html").get_attribute("lang") == "nl"
    assert page_record.outside_requests == []
    assert len(kernels(idle)) == CAP, "a kernel started for the visitor over the cap"

    pages[0].close(run_before_unload=True)
    wait_for_kernels(idle, CAP - 1)
    late.get_by_role("link", name=t("server.opnieuw")).click()  # the busy page's own "try again"

    expect(late.get_by_role("button", name="Klik hier")).to_be_visible(timeout=60_000)
    wait_for_kernels(idle, CAP)
