"""The pages the per-workbook browser checks open, and what they look for on each."""

from wijkleer.workbooks.catalog import workbooks

# how every browser test starts chromium: headless in a container, nothing fetched on its own account
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# the visible tab titles of a page (a check opens each tab)
TABS_JS = """
() => [...document.querySelectorAll('[role="tab"]')]
  .filter((tab) => tab.checkVisibility())
  .map((tab) => tab.textContent.trim())
"""


def pages() -> list[str]:
    """The start page and every workbook in the catalogue (a new workbook is checked without a test change)."""
    return ["start.ipynb", *(w.file for w in workbooks())]


def open_session_console(page, kring: str, naam: str, code: str) -> None:
    """On 'Sessie begeleiden' (already open in ``page``): sign in as the kring's facilitator and open its first
    planned session; returns once the console shows the first phase."""
    from playwright.sync_api import expect

    page.get_by_label("Groep of leerkring").select_option(label=kring)
    page.get_by_label("Je naam of roepnaam").fill(naam)
    page.get_by_label("Je persoonlijke code").fill(code)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_label("Sessie", exact=True).select_option(index=1)
    page.get_by_role("button", name="Sessie openen").click()
    expect(page.get_by_text("Fase 1 van").first).to_be_visible(timeout=20_000)
