"""A policy officer in a real browser with the network blocked: filters, sees the numbers change, sees charts
drawn offline, downloads the Excel file — and no cell in it shows fewer than k knelpunten."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from wijkleer.privacy.disclosure import DEFAULT_K
from wijkleer.text import t

pytestmark = pytest.mark.browser
RENDER_TIMEOUT_MS = 90_000
COUNT_HEADERS = {t(f"overzicht.kolom.{name}") for name in ("knelpunten", "te_laat_ontvangst", "te_laat_antwoord",
                 "beoordelingen", "open")}  # fmt: skip


def _headline(page) -> str:
    return page.locator(".wijkleer-kop").inner_text()


def test_policy_officer_filters_reads_charts_and_downloads_a_protected_excel(
    voila_server, page, page_record, open_voila
):
    open_voila(voila_server.url("voila/render/beleidsoverzicht.ipynb"), timeout=RENDER_TIMEOUT_MS / 1000)
    expect(page.get_by_role("heading", name="Kort antwoord")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    everything = _headline(page)
    shown = int(everything.split(" knelpunten")[0].replace(".", ""))
    assert abs(shown - 300) <= 2  # the demo's 300, with the cell-key noise every published count carries
    expect(page.get_by_text("Meest gemeld:")).to_be_visible()
    chart = page.locator("figure.wijkleer-grafiek svg").first
    expect(chart).to_be_visible(timeout=30_000)  # drawn in the browser from the local bundle
    expect(page.locator("figure.wijkleer-grafiek").first).to_have_attribute("aria-label", "Knelpunten per categorie")

    page.get_by_label("Gemeente").select_option("Dijkhoven")
    expect(page.locator(".wijkleer-kop")).not_to_have_text(everything, timeout=20_000)
    assert "knelpunten" in _headline(page) or "afgeschermd" in _headline(page)

    page.get_by_role("tab", name="Terugkoppeling").click()
    expect(page.get_by_role("group", name="Terugkoppeling per afdeling").locator("svg")).to_be_visible(timeout=30_000)

    page.get_by_role("tab", name="Downloaden").click()
    page.get_by_role("button", name="Maak downloadbestanden").click()
    link = page.get_by_role("link", name="Excel met alle tabellen")
    expect(link).to_be_visible(timeout=60_000)
    # the chart files come from a process of the kernel's own (wijkleer.grafiekbestanden), also in a real kernel
    with page.expect_download() as picture:
        page.locator("a.wijkleer-download[download$='.svg']").first.click()
    assert picture.value.path().read_bytes().startswith(b"<svg")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(
        "beleidsoverzicht-"
    ) and download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:  # saved without extension: openpyxl wants a stream then
        workbook = load_workbook(io.BytesIO(saved.read()))
    intro = [[c for c in row if c is not None] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert [t("overzicht.filter_gemeente"), "Dijkhoven"] in intro
    counted = 0
    for sheet in workbook.worksheets[1:]:
        rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
        header_at = next(i for i, row in enumerate(rows) if row[0] is not None and len([v for v in row if v]) > 1)
        header = rows[header_at]
        for row in rows[header_at + 1 :]:
            for name, value in zip(header, row, strict=False):
                if name in COUNT_HEADERS and isinstance(value, int | float):
                    counted += 1
                    assert not 0 < value < DEFAULT_K, f"{sheet.title}: {name} = {value}"
    assert counted > 10  # the check looked at real numbers
    assert page_record.outside_requests == [] and page_record.page_errors == []
