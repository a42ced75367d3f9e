"""Any text: characters no export format can carry (XML 1.0 forbids C0 controls but tab and newline, the
noncharacters U+FFFE/U+FFFF, lone surrogates) are refused where text enters, with a Dutch message; and a database
written before that rule still exports: every file opens in its reader, the character shown as U+FFFD."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import text

from wijkleer import characters, rapport, reflectie
from wijkleer.errors import WijkleerError
from wijkleer.exchange import export
from wijkleer.model import Team, new_id
from wijkleer.sessies import samenvatting, verloop
from wijkleer.store import Kijker

UNWRITABLE = ["\ufffe", "\uffff", "\x0b", "\x1f", "\x7f", "\ud800", "\udfff", "\U0001ffff", "\ufdd0"]
# what an older database can hold (UTF-8 cannot encode a lone surrogate, so no database holds one)
STORED = "voor\ufffe midden\x0b na\U0010ffff eind\x1f"


@pytest.mark.parametrize("char", UNWRITABLE)
def test_text_with_a_character_no_export_can_carry_is_refused_in_dutch(make_knelpunt, char):
    with pytest.raises(WijkleerError) as caught:
        make_knelpunt(omschrijving=f"Wachtlijst{char} schuldhulp")
    assert set(caught.value.fields) == {"omschrijving"}
    assert "teken" in caught.value.fields["omschrijving"]
    assert not characters.unsafe("Tab\there, newline\nthere, é ✓ 😀 \ue000 (private use)")


def test_a_reflection_with_such_a_character_is_refused_and_nothing_stored(store):
    kring = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", "zonnebloem-7")
    with pytest.raises(WijkleerError) as caught:
        reflectie.opslaan(store, kring, new_id(), "alact", {"handelen": "Ik deed\ufffe iets"})
    assert set(caught.value.fields) == {"handelen"}
    assert reflectie.mijn(store, kring) == []


def _older(store, table: str, id: str, **values: str) -> None:
    """Write ``values`` into a row as a wijkleer from before the character rule could have."""
    setters = ", ".join(f"{column} = :{column}" for column in values)
    with store.engine.begin() as connection:
        connection.execute(text(f"UPDATE {table} SET {setters} WHERE id = :id"), {"id": id, **values})


def _clean(found: str) -> None:
    assert characters.REPLACEMENT in found, "the character is shown as U+FFFD"
    assert not characters.unsafe(found)


@pytest.fixture
def older(store, make_knelpunt):
    """A database holding such characters in a knelpunt, a session (title, entry, decision) and a reflection."""
    store.add(Team.make(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Zuid"))
    knelpunt = store.add(make_knelpunt(datum=date.today()))
    _older(store, "knelpunt", knelpunt.id, titel=STORED, omschrijving=STORED)
    kring = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", "zonnebloem-7")
    sessie = verloop.plannen(store, kring, "knelpuntenronde", "", date.today())
    sessie, zelf = verloop.openen(store, kring, sessie.id)
    anna = verloop.deelnemen(store, sessie.code, "Anna Uitvoering", "uitvoering")[0]
    verloop.indienen(store, anna, "Schuldhulp en Wmo hebben elk een eigen intake", new_id())
    verloop.besluit_vastleggen(store, kring, zelf, "Dubbele intake gaat naar de wethouder", new_id())
    _older(store, "sessie", sessie.id, titel=STORED)
    for bijdrage in store.bijdragen(sessie.id, Kijker("begeleider")):
        _older(store, "bijdrage", bijdrage.id, tekst=STORED)
    saved = reflectie.opslaan(store, kring, new_id(), "alact", {"handelen": "Ik deed iets"})
    _older(store, "reflectie", saved.id, stappen=json.dumps({"handelen": STORED}))
    return kring, sessie


def test_every_export_of_an_older_database_opens_in_its_reader(store, older, tmp_path):
    kring, sessie = older
    # knelpunten: CSV and Excel
    [knelpunten_csv, _history] = export(store, tmp_path / "csv")
    with knelpunten_csv.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle, delimiter=";"))
    _clean(row["Titel"] + row["Omschrijving"])
    [xlsx] = export(store, tmp_path / "xlsx", "xlsx")
    sheet = openpyxl.load_workbook(xlsx)["Knelpunten"]
    _clean(" ".join(str(cell.value) for r in sheet.iter_rows() for cell in r))
    # the session summary and the portfolio: HTML and PDF
    page, pdf = samenvatting.bestanden(store, kring, sessie.id)
    _read_html(page)
    _read_pdf(pdf)
    _read_html(reflectie.portfolio_html(store, kring))
    _read_pdf(reflectie.portfolio_pdf(store, kring))


def test_dashboard_downloads_carry_any_label(tmp_path):
    """The overview's tables and charts take their labels from the database (teams, gemeenten): Excel, CSV and
    SVG files still open when a label holds such a character."""
    frame = pd.DataFrame({"Aantal": [12, 15]}, index=pd.Index([STORED, "Wijkteam Zuid"], name="Team"))
    tabel = rapport.Tabel(naam=f"Per team {STORED}", frame=frame, toelichting=STORED)
    workbook = openpyxl.load_workbook(io.BytesIO(rapport.excel([tabel], [("Team", STORED)], STORED)))
    _clean(" ".join(str(c.value) for ws in workbook.worksheets for r in ws.iter_rows() for c in r if c.value))
    _clean(rapport.csv(tabel).decode("utf-8-sig"))

    class Spec:
        def to_dict(self):
            return {
                "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
                "title": STORED,
                "data": {"values": [{"team": STORED, "aantal": 12}]},
                "mark": "bar",
                "encoding": {
                    "x": {"field": "aantal", "type": "quantitative"},
                    "y": {"field": "team", "type": "nominal"},
                },
            }

    svg = rapport.grafiek_svg(Spec()).decode("utf-8")
    ET.fromstring(svg)
    _clean(svg)


def _read_html(page: str) -> None:
    page.encode("utf-8")  # a lone surrogate could not even be written to the file

    class Strict(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text: list[str] = []

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    parser = Strict()
    parser.feed(page)
    parser.close()
    _clean("".join(parser.text))


def _read_pdf(data: bytes) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "".join(p.extract_text() for p in reader.pages).strip()
    assert not characters.unsafe(str(reader.metadata.title or ""))
