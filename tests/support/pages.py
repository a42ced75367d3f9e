"""The pages the per-workbook browser checks open, and what they look for on each."""

from wijkleer.workbooks.catalog import workbooks

# the visible tab titles of a page (a check opens each tab)
TABS_JS = """
() => [...document.querySelectorAll('[role="tab"]')]
  .filter((tab) => tab.checkVisibility())
  .map((tab) => tab.textContent.trim())
"""


def pages() -> list[str]:
    """The start page and every workbook in the catalogue (a new workbook is checked without a test change)."""
    return ["start.ipynb", *(w.file for w in workbooks())]
