"""The start page's content, without a browser: links from notebook metadata, what the database holds (not where it is),
and a clear message (not a traceback) when the database cannot be opened."""

import json

from tests.support.widgets import html_of
from wijkleer.workbooks import start
from wijkleer.workbooks.catalog import workbooks


def _notebook(folder, name, meta):
    (folder / name).write_text(
        json.dumps({"cells": [], "metadata": {"wijkleer": meta}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8"
    )


def test_catalogue_reads_titles_and_order_from_metadata(tmp_path):
    _notebook(tmp_path, "start.ipynb", {"start": True, "titel": "Start"})
    _notebook(tmp_path, "b.ipynb", {"titel": "Knelpuntenlogboek", "volgorde": 1, "voor": "uitvoering"})
    _notebook(tmp_path, "a.ipynb", {"titel": "Dashboard <beleid>", "volgorde": 2})
    _notebook(tmp_path, "kladje.ipynb", {})
    found = workbooks(tmp_path)
    assert [w.file for w in found] == ["b.ipynb", "a.ipynb"]
    assert found[0].voor == "uitvoering"


def test_start_page_shows_what_the_database_holds_not_its_address_and_escapes_titles(monkeypatch, tmp_path):
    _notebook(tmp_path, "a.ipynb", {"titel": "Dashboard <beleid>"})
    monkeypatch.setattr(start, "workbooks", lambda: workbooks(tmp_path))
    page = html_of(start.app())
    assert "Dashboard &lt;beleid&gt;" in page and "<beleid>" not in page
    assert "Schemaversie" not in page and "sqlite:" not in page and "Database:" not in page  # for the beheerder
    assert "300 knelpunten" in page  # the suite's demo database (tests/conftest.py)


def test_an_unusable_database_is_a_message_on_the_page(monkeypatch, tmp_path):
    monkeypatch.setenv("WIJKLEER_DB", str(tmp_path / "nergens" / "x.db"))
    page = html_of(start.app())
    assert 'role="alert"' in page and "bestaat niet" in page and "Traceback" not in page
