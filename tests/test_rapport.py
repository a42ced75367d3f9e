"""Downloads of the policy overview: the workbook explains itself (filters, suppression, legend) and keeps
numbers as numbers, suppressed cells as the marker and formulas as text; the CSV suits Dutch Excel; charts
render offline; file names are plain ASCII; the download link carries the bytes it was given."""

import base64
import csv
import html
import io
import re
import subprocess
import sys
from datetime import date, datetime

import altair as alt
import openpyxl
import pandas as pd
import pytest

from wijkleer.rapport import MARKER, Tabel, bestandsnaam, excel, grafiek_png, grafiek_svg
from wijkleer.rapport import csv as rapport_csv
from wijkleer.text import t
from wijkleer.views.common import download_link

ONDERDRUKKING = "Aantallen onder de 5 zijn afgeschermd."


def _knelpunten() -> Tabel:
    frame = pd.DataFrame(
        {
            "Aantal": pd.array([12, pd.NA, 7], dtype="Int64"),
            "Gemiddelde ernst": [2.5, 3.25, None],
            "Aandeel (%)": [0.125, pd.NA, 0.5],
            "Opmerking": ["=cmd|' /C calc'!A0", "gewoon", "-1"],
        },
        index=pd.Index(["Wonen", "Inkomen", "Zorg"], name="Categorie"),
    )
    return Tabel("Knelpunten per categorie", frame, "Alleen knelpunten uit de gekozen periode.")


def _workbook(tabellen, filters=(("Team", "Noord"), ("Periode", "2026"))):
    return openpyxl.load_workbook(io.BytesIO(excel(list(tabellen), list(filters), ONDERDRUKKING)))


def _values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_first_sheet_explains_the_export():
    book = _workbook([_knelpunten()])
    assert book.sheetnames == ["Toelichting", "Knelpunten per categorie"]
    rows = _values(book["Toelichting"])
    assert rows[0][0] == t("rapport.titel")
    assert rows[2][0] == t("rapport.gemaakt_op")
    assert isinstance(rows[2][1], datetime)
    assert rows[2][1].date() == date.today()
    assert [t("rapport.filters"), None] in rows
    assert ["Team", "Noord"] in rows
    assert ["Periode", "2026"] in rows
    assert [t("rapport.afscherming"), ONDERDRUKKING] in rows
    assert [t("rapport.legenda"), t("rapport.legenda_tekst", marker=MARKER)] in rows
    assert t("rapport.legenda_tekst", marker=MARKER).startswith("x = afgeschermd")


def test_without_filters_the_first_sheet_says_all_data_is_included():
    rows = _values(_workbook([_knelpunten()], filters=())["Toelichting"])
    assert [t("rapport.filters"), t("rapport.geen_filters")] in rows


def test_a_table_sheet_keeps_numbers_marks_suppressed_cells_and_neutralises_formulas():
    sheet = _workbook([_knelpunten()])["Knelpunten per categorie"]
    rows = _values(sheet)
    assert rows[0][0] == "Alleen knelpunten uit de gekozen periode."
    assert rows[1] == [None] * 5
    assert rows[2] == ["Categorie", "Aantal", "Gemiddelde ernst", "Aandeel (%)", "Opmerking"]
    assert rows[3] == ["Wonen", 12, 2.5, 0.125, "'=cmd|' /C calc'!A0"]
    assert rows[4] == ["Inkomen", MARKER, 3.25, MARKER, "gewoon"]
    assert rows[5] == ["Zorg", 7, MARKER, 0.5, "'-1"]
    assert sheet["D4"].number_format == "0%"
    assert sheet["C4"].number_format == "General"  # only '(%)' columns are shares
    assert sheet["B5"].data_type == "s"


def test_the_header_row_is_bold_and_frozen_with_fitted_widths():
    book = _workbook([_knelpunten(), Tabel("Zonder toelichting", pd.DataFrame({"Aantal": [1]}, index=["Noord"]))])
    sheet = book["Knelpunten per categorie"]
    assert all(cell.font.bold for cell in sheet[3])
    assert not sheet["A4"].font.bold
    assert sheet.freeze_panes == "B4"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["B"].width
    bare = book["Zonder toelichting"]
    assert bare["A1"].value is None  # an unnamed index gets an empty header, never 'index'
    assert bare["B1"].value == "Aantal"
    assert bare["B1"].font.bold
    assert bare.freeze_panes == "B2"


def test_sheet_names_are_valid_unique_and_short_enough():
    frame = pd.DataFrame({"Aantal": [1]}, index=pd.Index(["Noord"], name="Wijk"))
    names = [
        "Knelpunten per categorie en per wijk in de regio",  # 48 characters
        "Knelpunten per categorie en per wijk in de regio",
        "knelpunten per categorie en per wijk in de regio",  # Excel ignores case
        "Team: Noord [concept] 2025/2026?",
        "Knelpunten per kwartaal en categorie",
        "Knelpunten_per_kwartaal_en_categorie",
        "Toelichting",
        "",
        "'*'",
    ]
    book = _workbook([Tabel(name, frame) for name in names])
    assert book.sheetnames == [
        "Toelichting",
        "Knelpunten per categorie en per",
        "Knelpunten per categorie en (2)",
        "knelpunten per categorie en (3)",
        "Team Noord concept 2025-2026",
        "Knelpunten per kwartaal en",  # cut after a whole word
        "Knelpunten_per_kwartaal_en_cate",  # no space to cut at
        "Toelichting (2)",
        "Tabel",
        "Tabel (2)",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_filter_values_and_control_characters_cannot_break_the_workbook():
    book = _workbook([_knelpunten()], filters=[("Team", '=HYPERLINK("http://x")'), ("Wijk", "Noord\x07")])
    rows = _values(book["Toelichting"])
    assert ["Team", '\'=HYPERLINK("http://x")'] in rows
    assert ["Wijk", "Noord\ufffd"] in rows  # shown, not silently dropped (wijkleer.characters)


def test_a_share_given_as_a_percentage_is_refused():
    frame = pd.DataFrame({"Aandeel (%)": [12.5]}, index=pd.Index(["Wonen"], name="Categorie"))
    with pytest.raises(ValueError, match="fractions"):
        excel([Tabel("Aandelen", frame)], [], ONDERDRUKKING)


def test_csv_suits_dutch_excel():
    data = rapport_csv(_knelpunten())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [
        ["Categorie", "Aantal", "Gemiddelde ernst", "Aandeel (%)", "Opmerking"],
        ["Wonen", "12", "2,5", "13", "'=cmd|' /C calc'!A0"],  # 12.5 % rounds half up, as in Excel
        ["Inkomen", MARKER, "3,25", MARKER, "gewoon"],
        ["Zorg", "7", MARKER, "50", "'-1"],
    ]
    assert b"Alleen knelpunten" not in data  # the toelichting belongs to the workbook, not the data file


def _bar_chart():
    data = pd.DataFrame({"categorie": ["Wonen", "Zorg"], "aantal": [12, 7]})
    return alt.Chart(data).mark_bar().encode(x="categorie:N", y="aantal:Q")


def test_charts_render_to_svg_and_png():
    assert grafiek_svg(_bar_chart()).startswith(b"<svg")
    small, large = grafiek_png(_bar_chart(), scale=1.0), grafiek_png(_bar_chart())
    assert small.startswith(b"\x89PNG\r\n\x1a\n")
    assert large.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(large[16:20]) == 2 * int.from_bytes(small[16:20])  # IHDR width


def test_charts_never_fetch_outside_data():
    chart = alt.Chart("https://example.org/data.csv").mark_bar().encode(x="a:N", y="b:Q")
    with pytest.raises(ValueError, match="not allowed"):
        grafiek_svg(chart)


def test_the_module_imports_without_altair_pandas_openpyxl_or_vl_convert():
    heavy = ["altair", "pandas", "openpyxl", "vl_convert"]
    code = f"import sys, wijkleer.rapport; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("naam", "extensie", "verwacht"),
    [
        ("Knelpunten per categorie", "xlsx", "knelpunten-per-categorie-2026-11-28.xlsx"),
        ("Cliënten één à Straße", ".csv", "clienten-een-a-strasse-2026-11-28.csv"),
        ("  Wonen & zorg: 2025/2026 (%)!  ", "png", "wonen-zorg-2025-2026-2026-11-28.png"),
        ("", "svg", "wijkleer-2026-11-28.svg"),
        ("€ ✓ 😀", "xlsx", "wijkleer-2026-11-28.xlsx"),
    ],
)
def test_file_names_are_plain_ascii(naam, extensie, verwacht):
    assert bestandsnaam(naam, extensie, date(2026, 11, 28)) == verwacht


def test_file_names_are_short_and_dated_today_by_default():
    name = bestandsnaam("Heel " * 40, "xlsx")
    assert re.fullmatch(r"[a-z0-9-]+\.xlsx", name)
    assert name.endswith(f"-{date.today().isoformat()}.xlsx")
    assert len(name) <= 80 + len("-2026-11-28.xlsx")


def test_download_link_escapes_and_carries_the_bytes():
    data = b'\x00\xffbinair;"<>'
    link = download_link(data, 'a"<b>.xlsx', "text/csv", "Download <CSV>")
    assert link.startswith('<a class="wijkleer-download" download="a&quot;&lt;b&gt;.xlsx" ')
    assert link.endswith(">Download &lt;CSV&gt;</a>")
    href = html.unescape(re.search(r'href="([^"]*)"', link).group(1))
    prefix = "data:text/csv;base64,"
    assert href.startswith(prefix)
    assert base64.b64decode(href.removeprefix(prefix)) == data


def test_chart_files_are_made_in_a_process_of_their_own():
    """SVG and PNG for the downloads come from a child process: vl-convert's engine never stays in the tab's kernel;
    a chart that cannot be rendered there is one Dutch error."""
    code = (
        "import sys\nfrom wijkleer import charts, grafiekbestanden\nimport pandas as pd\n"
        "chart = charts.bars(pd.DataFrame({'aantal': [12, 7]}, index=['Wonen', 'Zorg']), 'Categorie', 'Aantal')\n"
        "(svg, png), = grafiekbestanden.maken([chart], scale=1.0)\n"
        "print(svg[:4], png[:4], 'vl_convert' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "b'<svg' b'\\x89PNG' False"
    from wijkleer import grafiekbestanden
    from wijkleer.errors import WijkleerError

    outside = alt.Chart("https://example.org/data.csv").mark_bar().encode(x="a:N", y="b:Q")
    with pytest.raises(WijkleerError, match="grafiekbestanden"):
        grafiekbestanden.maken([outside])
