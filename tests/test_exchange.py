"""Export and import: Dutch headers, a round trip that keeps every field, bad rows reported by row
number with good rows kept, a repeated import stored once, and no formula reaches a spreadsheet."""

import csv

import openpyxl
import pandas as pd
import pytest

from wijkleer import loop
from wijkleer.errors import WijkleerError
from wijkleer.exchange import REQUIRED, export, import_knelpunten, safe_cell
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.store import Store

FIELDS = [*REQUIRED, "leefgebieden"]


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_csv_export_has_dutch_headers_labels_and_the_history(store, make_knelpunt, tmp_path):
    knelpunt = store.add(make_knelpunt())
    store.append_event(StatusEvent.make(knelpunt_id=knelpunt.id, status="ontvangen", rol="beleid"), loop.check)
    files = export(store, tmp_path / "uit")
    assert [f.name for f in files] == ["knelpunten.csv", "statusgeschiedenis.csv"]
    assert files[0].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Dutch Excel opens it right
    [row] = _rows(files[0])
    assert row["Titel"] == "Huurtoeslag stopt bij samenwonen"
    assert row["Wetten en domeinen"] == "Participatiewet"
    assert row["Status"] == "Ontvangen"
    assert row["Datum"] == "2026-03-02"
    history = _rows(files[1])
    assert [(r["Stap"], r["Status"], r["Rol"]) for r in history] == [
        ("1", "Gesignaleerd", "Uitvoering"),
        ("2", "Ontvangen", "Beleid"),
    ]


def test_round_trip_through_csv_and_xlsx_keeps_every_field(make_knelpunt, tmp_path):
    originals = [
        make_knelpunt(),
        make_knelpunt(
            titel="Wachtlijst jeugd-ggz",
            wetten=["jeugd", "wmo"],
            leefgebieden=[],
            omschrijving='Regel één;\nregel twee met "quotes" en é.',
            aantal_casussen=12,
        ),
    ]
    with Store(str(tmp_path / "bron.db")) as source:
        source.add_many(originals)
        csv_files = export(source, tmp_path / "csv")
        [xlsx] = export(source, tmp_path / "xlsx", "xlsx")
    for name, file in (("csv", csv_files[0]), ("xlsx", xlsx)):
        with Store(str(tmp_path / f"doel-{name}.db")) as target:
            result = import_knelpunten(target, file, nieuwe_teams=True)
            assert (result.stored, result.already_present, result.errors) == (2, 0, {})
            for original in originals:
                copy = target.get(Knelpunt, original.id)
                assert {f: getattr(copy, f) for f in FIELDS} == {f: getattr(original, f) for f in FIELDS}
                assert [e.status for e in target.history(original.id)] == ["gesignaleerd"]


def _team(store, naam="WT Noord", gemeente="Dijkhoven"):
    store.add(Team.make(naam=naam, wijk="Noord", gemeente=gemeente, regio="Lingestroom"))


def test_bad_rows_are_reported_by_row_number_and_good_rows_kept(store, tmp_path):
    _team(store)
    path = tmp_path / "invoer.csv"
    path.write_text(
        "Titel;Omschrijving;Wetten en domeinen;Categorie;Ernst;Aantal casussen;Bron;Team;Wijk;Gemeente;Datum\n"
        "Vervoer;Taxi te laat;Wmo 2015;Wetten botsen;Hoog;3;Eén casus;WT Noord;Noord;Dijkhoven;2026-02-01\n"
        ";Geen titel;Wmo 2015;Wetten botsen;Hoog;3;Eén casus;WT Noord;Noord;Dijkhoven;2026-02-01\n"
        "Toekomst;Datum later;Wmo 2015;Wetten botsen;Extreem;nul;Eén casus;WT Noord;Noord;Dijkhoven;2099-01-01\n",
        encoding="utf-8",
    )
    result = import_knelpunten(store, path)
    assert result.stored == 1
    assert set(result.errors) == {3, 4}  # spreadsheet rows: the header is row 1
    assert set(result.errors[3]) == {"Titel"}
    assert set(result.errors[4]) == {"Ernst", "Aantal casussen", "Datum"}
    assert all(message for fields in result.errors.values() for message in fields.values())
    assert store.count(Knelpunt) == 1


def test_importing_the_same_file_twice_stores_once(store, make_knelpunt, tmp_path):
    frame = pd.DataFrame(
        [
            {
                "Titel": "Schuldhulp wacht op bewindvoering",
                "Omschrijving": "Drie maanden wachten.",
                "Wetten en domeinen": "Participatiewet",
                "Categorie": "Wetten botsen",
                "Ernst": "Normaal",
                "Aantal casussen": "2",
                "Bron": "Eén casus",
                "Team": "WT Zuid",
                "Wijk": "Zuid",
                "Gemeente": "Dijkhoven",
                "Datum": "2026-01-15",
            }
        ]
    )
    _team(store, "WT Zuid")
    path = tmp_path / "zonder-id.xlsx"
    frame.to_excel(path, index=False)
    first = import_knelpunten(store, path)
    second = import_knelpunten(store, path)
    if first.errors:
        pytest.fail(f"onverwachte fouten: {first.errors}")
    assert (first.stored, second.stored, second.already_present) == (1, 0, 1)
    assert store.count(Knelpunt) == 1


def test_missing_columns_and_unknown_formats_are_clear_errors(store, tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("Titel;Omschrijving\nA;B\n", encoding="utf-8")
    with pytest.raises(WijkleerError, match="ontbreken de kolommen: Wetten en domeinen, Categorie"):
        import_knelpunten(store, path)
    with pytest.raises(WijkleerError, match="geen bekend formaat"):
        import_knelpunten(store, tmp_path / "lijst.pdf")
    with pytest.raises(WijkleerError, match="kan niet gelezen worden"):
        import_knelpunten(store, tmp_path / "bestaat-niet.csv")
    with pytest.raises(WijkleerError, match="bestaat niet"):
        export(store, tmp_path, "pdf")


def test_no_formula_reaches_a_spreadsheet_and_text_is_imported_as_typed(make_knelpunt, tmp_path):
    knelpunt = make_knelpunt(titel='=HYPERLINK("http://x","klik")', omschrijving="+31 belde; -minder uren")
    with Store(str(tmp_path / "a.db")) as source:
        source.add(knelpunt)
        [csv_file, _] = export(source, tmp_path / "csv")
        [xlsx] = export(source, tmp_path / "xlsx", "xlsx")
    [row] = _rows(csv_file)
    assert row["Titel"].startswith("'=") and row["Omschrijving"].startswith("'+")  # CSV has no cell types
    sheet = openpyxl.load_workbook(xlsx)["Knelpunten"]
    cells = [cell for r in sheet.iter_rows() for cell in r]
    assert not any(cell.data_type == "f" for cell in cells)
    assert knelpunt.titel in [cell.value for cell in cells]  # a text cell: exact, no apostrophe needed
    for name, file, expected in (("xlsx", xlsx, knelpunt.titel), ("csv", csv_file, "'" + knelpunt.titel)):
        with Store(str(tmp_path / f"{name}.db")) as target:
            import_knelpunten(target, file, nieuwe_teams=True)
            assert target.get(Knelpunt, knelpunt.id).titel == expected  # stored as written in the file


def test_unknown_teams_and_gemeenten_are_refused_by_row_unless_asked_to_add_them(store, tmp_path):
    _team(store)
    _team(store, "WT Riet", "Rietmeer")
    path = tmp_path / "invoer.csv"
    head = "Titel;Omschrijving;Wetten en domeinen;Categorie;Ernst;Aantal casussen;Bron;Team;Wijk;Gemeente;Datum\n"
    row = "Vervoer {n};Taxi te laat;Wmo 2015;Wetten botsen;Hoog;3;Eén casus;{team};Noord;{gemeente};2026-02-01\n"
    path.write_text(
        head
        + row.format(n=1, team="WT Noord", gemeente="Dijkhoven")
        + row.format(n=2, team="WT Nord", gemeente="Dijkhoven")  # misspelled team
        + row.format(n=3, team="WT Noord", gemeente="Rietmeer")  # the team is Dijkhoven's
        + row.format(n=4, team="WT Oost", gemeente="Dijkhovn"),  # misspelled gemeente, unknown team
        encoding="utf-8",
    )
    result = import_knelpunten(store, path)
    assert result.stored == 1
    assert {row: set(fields) for row, fields in result.errors.items()} == {
        3: {"Team"},
        4: {"Team"},
        5: {"Team", "Gemeente"},
    }
    assert "WT Nord" in result.errors[3]["Team"] and "Dijkhoven" in result.errors[4]["Team"]
    assert store.count(Team) == 2
    added = import_knelpunten(store, path, nieuwe_teams=True)
    assert added.stored == 2 and set(added.errors) == {4} and added.already_present == 1  # a team keeps its gemeente
    assert {team.naam: team.gemeente for team in store.list(Team)} == {
        "WT Noord": "Dijkhoven",
        "WT Nord": "Dijkhoven",
        "WT Oost": "Dijkhovn",
        "WT Riet": "Rietmeer",
    }


def test_rows_with_personal_data_are_held_not_imported(store, tmp_path):
    _team(store, "WT")
    path = tmp_path / "invoer.csv"
    path.write_text(
        "Titel;Omschrijving;Wetten en domeinen;Categorie;Ernst;Aantal casussen;Bron;Team;Wijk;Gemeente;Datum\n"
        "Schuld;Meneer heeft BSN 111222333;Wmo 2015;Wetten botsen;Hoog;3;Leerkring;WT;Noord;Dijkhoven;2026-02-01\n"
        "Schuld;Wachttijd schuldhulp;Wmo 2015;Wetten botsen;Hoog;3;Leerkring;WT;Noord;Dijkhoven;2026-02-01\n",
        encoding="utf-8",
    )
    result = import_knelpunten(store, path)
    assert result.stored == 1
    assert list(result.errors) == [2] and "BSN" in result.errors[2]["Omschrijving"]
    assert "111222333" not in "".join(k.omschrijving for k in store.list(Knelpunt))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_texts_survive_export_and_import_unchanged(make_knelpunt, tmp_path, fmt):
    from tests.support.hostile import HOSTILE

    originals = [make_knelpunt(titel=h[:120], omschrijving=h) for h in HOSTILE]
    with Store(str(tmp_path / "bron.db")) as source:
        source.add_many(originals)
        [first, *_] = export(source, tmp_path / "uit", fmt)
    with Store(str(tmp_path / "doel.db")) as target:
        result = import_knelpunten(target, first, nieuwe_teams=True)
        assert result.errors == {} and result.stored == len(HOSTILE)
        for original in originals:
            copy = target.get(Knelpunt, original.id)
            # stored as the file holds it: an Excel text cell exactly, a CSV field with its formula guard
            expected = (original.titel, original.omschrijving)
            if fmt == "csv":
                expected = tuple(safe_cell(text) for text in expected)
            assert (copy.titel, copy.omschrijving) == expected
