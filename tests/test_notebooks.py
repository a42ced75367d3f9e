"""Notebooks are thin and clean: committed without outputs, with the metadata the start page reads.
(nbval runs every notebook as part of the suite; this checks what nbval does not.)"""

import json
from pathlib import Path

import pytest

from wijkleer.workbooks.catalog import workbooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("workbooks/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")])


def test_there_are_notebooks():
    assert ROOT / "workbooks" / "start.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs_or_widget_state(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "run nbstripout / clear outputs"
    assert "widgets" not in notebook["metadata"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", sorted(ROOT.glob("workbooks/*.ipynb")), ids=lambda p: p.name)
def test_workbooks_are_thin_and_described(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    meta = notebook["metadata"]["wijkleer"]
    assert meta.get("start") or meta["titel"]
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert len(code.splitlines()) <= 10, "logic belongs in the wijkleer package, not in the notebook"
    assert "import wijkleer" in code or "from wijkleer" in code


def test_start_page_lists_every_other_workbook():
    listed = {w.file for w in workbooks(ROOT / "workbooks")}
    others = {p.name for p in (ROOT / "workbooks").glob("*.ipynb")} - {"start.ipynb"}
    assert listed == others


@pytest.mark.parametrize("path", sorted(ROOT.glob("workbooks/*.ipynb")), ids=lambda p: p.name)
def test_each_workbook_shows_a_widget(path, monkeypatch):
    """nbval (lax) only checks that a notebook runs; this checks that its last line shows the app."""
    import ipywidgets as widgets

    monkeypatch.setenv("QUERY_STRING", "")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    *body, last = code.strip().splitlines()
    namespace: dict = {}
    exec("\n".join(body), namespace)  # the notebook's own imports
    shown = eval(last, namespace)
    assert isinstance(shown, widgets.Widget) and 'role="alert"' not in getattr(shown, "value", "")
