"""Downloads for the policy overview (Beleidsoverzicht): the tables a person filtered, as Excel or as CSV for
Dutch spreadsheet software, and the charts as SVG or PNG. Everything is made in memory and offline.

Tables arrive protected and labelled: small numbers are already suppressed as missing values. This module
only writes them down: a suppressed cell becomes ``MARKER`` and every text goes through ``safe_cell``.
"""

from __future__ import annotations

import csv as csvlib
import io
import numbers
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from wijkleer import characters
from wijkleer.exchange import safe_cell
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

MARKER = "x"  # how a suppressed cell is written
PERCENT_SUFFIX = "(%)"  # a column whose header ends with this holds shares as fractions 0–1
PERCENT_FORMAT = "0%"  # Excel shows 0.67 as 67 % …
PERCENT_DECIMALS = 0  # … and the CSV writes it as 67: keep the two at the same precision
DATE_FORMAT = "DD-MM-YYYY"
SHEET_NAME_MAX = 31
SHEET_SLASH = re.compile(r"[/\\]")
SHEET_INVALID = re.compile(r"[\[\]:*?]")
FILE_STEM_MAX = 80
WIDTH_MIN, WIDTH_MAX = 8, 60
LABEL_WIDTH, TEXT_WIDTH = 24, 90


@dataclass(frozen=True)
class Tabel:
    """One table of the overview, ready to hand out. ``frame`` is already protected and labelled: Dutch column
    headers, the row labels as its index (the index name heads the first column), a missing value for every
    suppressed cell. ``naam`` names the sheet and file; ``toelichting`` is one sentence shown above the table."""

    naam: str
    frame: pd.DataFrame
    toelichting: str = ""


class _Chart(Protocol):
    """What the chart exports need from a chart (a ``wijkleer.charts.Figuur`` or an Altair chart)."""

    def to_dict(self) -> dict[str, Any]: ...


def _text(value: object) -> str:
    """Text as a spreadsheet may hold it: no character XML cannot carry, no formula."""
    return safe_cell(str(value))


def _value(value: object) -> object:
    """A present cell as the exports write it: a Python number, or guarded text."""
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return _text(value)


def _cells(tabel: Tabel) -> tuple[list[str], list[list[object]], list[bool]]:
    """The header, the rows (row labels first; ``MARKER`` for every missing value) and, per column, whether it
    holds shares."""
    import pandas as pd

    frame = tabel.frame
    names = ["" if name is None else name for name in frame.index.names]
    header = [_text(name) for name in [*names, *frame.columns]]
    labels = frame.index if frame.index.nlevels > 1 else [(label,) for label in frame.index]
    rows = [
        [MARKER if pd.isna(value) else _value(value) for value in (*label, *values)]
        for label, values in zip(labels, frame.itertuples(index=False, name=None), strict=True)
    ]
    percent = [title.endswith(PERCENT_SUFFIX) for title in header]
    for row in rows:
        for title, is_share, value in zip(header, percent, row, strict=True):
            if is_share and not isinstance(value, str) and not 0 <= value <= 1:
                raise ValueError(f"{tabel.naam}: column {title!r} holds {value}; give shares as fractions 0–1")
    return header, rows, percent


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word where it has spaces."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" '")


def _sheet_name(naam: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\, no apostrophe at either end.
    Excel compares sheet names without case, so ``used`` holds casefolded names."""
    cleaned = SHEET_INVALID.sub("", SHEET_SLASH.sub("-", characters.readable(naam)))
    base = " ".join(cleaned.split()).strip(" '") or t("rapport.blad_tabel")
    name = _shorten(base, SHEET_NAME_MAX)
    number = 2
    while name.casefold() in used:
        suffix = f" ({number})"
        name = _shorten(base, SHEET_NAME_MAX - len(suffix)) + suffix
        number += 1
    used.add(name.casefold())
    return name


def _write_intro(sheet: Worksheet, filters: list[tuple[str, str]], onderdrukking: str) -> None:
    from openpyxl.styles import Alignment, Font

    def line(row: int, label: str, value: str | None = None, bold: bool = False) -> None:
        cell = sheet.cell(row, 1, _text(label))
        cell.font = Font(bold=bold)
        cell.alignment = Alignment(vertical="top")
        if value is not None:
            sheet.cell(row, 2, _text(value)).alignment = Alignment(vertical="top", wrap_text=True)

    sheet.cell(1, 1, _text(t("rapport.titel"))).font = Font(bold=True, size=14)
    line(3, t("rapport.gemaakt_op"), bold=True)
    made = sheet.cell(3, 2, date.today())
    made.number_format = DATE_FORMAT
    made.alignment = Alignment(horizontal="left", vertical="top")
    line(5, t("rapport.filters"), None if filters else t("rapport.geen_filters"), bold=True)
    for row, (label, value) in enumerate(filters, 6):
        line(row, label, value)
    row = 7 + len(filters)
    line(row, t("rapport.afscherming"), onderdrukking, bold=True)
    line(row + 1, t("rapport.legenda"), t("rapport.legenda_tekst", marker=MARKER), bold=True)
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    sheet.column_dimensions["B"].width = TEXT_WIDTH


def _shown(value: object, is_share: bool) -> int:
    """About how many characters Excel shows for a cell (to fit the column width)."""
    if is_share and not isinstance(value, str):
        return len(f"{value:.{PERCENT_DECIMALS}%}")
    return len(str(value))


def _write_table(sheet: Worksheet, tabel: Tabel) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, rows, percent = _cells(tabel)
    top = 1
    if tabel.toelichting:
        sheet.cell(1, 1, _text(tabel.toelichting)).font = Font(italic=True)
        top = 3
    bold = Font(bold=True)
    for column, title in enumerate(header, 1):
        sheet.cell(top, column, title).font = bold
    right = Alignment(horizontal="right")
    for row, values in enumerate(rows, top + 1):
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row, column, value)
            if value == MARKER:
                cell.alignment = right
            elif percent[column - 1] and not isinstance(value, str):
                cell.number_format = PERCENT_FORMAT
    sheet.freeze_panes = sheet.cell(top + 1, 2)
    for column, title in enumerate(header, 1):
        shown = [len(title), *(_shown(values[column - 1], percent[column - 1]) for values in rows)]
        sheet.column_dimensions[get_column_letter(column)].width = min(max(max(shown) + 2, WIDTH_MIN), WIDTH_MAX)


def excel(tabellen: list[Tabel], filters: list[tuple[str, str]], onderdrukking: str) -> bytes:
    """An .xlsx workbook: first the sheet 'Toelichting' (title, the date it was made, every filter as a
    label/value row, the suppression explanation ``onderdrukking`` and the legend for ``MARKER``), then one
    sheet per table, named after ``Tabel.naam`` made valid and unique for Excel (duplicates get ' (2)', …).

    A table sheet starts with the table's ``toelichting`` in italics when it has one (then a blank row), then
    the header row in bold; the header row and the row labels (first column) are frozen, and every column
    is as wide as its longest value (within limits). Suppressed cells (any missing value: ``pd.NA``, ``None``
    or NaN) hold ``MARKER`` as text; numbers stay numbers; all text goes through ``safe_cell``.

    Shares: a column whose header ends with '(%)' holds shares as fractions between 0 and 1 (0.67 means
    67 %). The cell keeps the exact fraction and gets the number format '0%', so Excel shows 67 % and
    calculates with 0.67. A value outside 0–1 in such a column raises ``ValueError`` (a percentage given as
    67 would otherwise show as 6700 %). Floats in other columns are written as they are, in Excel's
    default format; round them before making the ``Tabel``.
    """
    from openpyxl import Workbook

    book = Workbook()
    used: set[str] = set()
    intro = book.active
    intro.title = _sheet_name(t("rapport.blad_toelichting"), used)
    _write_intro(intro, filters, onderdrukking)
    for tabel in tabellen:
        _write_table(book.create_sheet(_sheet_name(tabel.naam, used)), tabel)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object, is_share: bool) -> str:
    if isinstance(value, str):
        return value
    if is_share:
        # half up from the shortest decimal form, as Excel rounds what it shows (0.125 -> 13, not 12)
        value = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-PERCENT_DECIMALS), ROUND_HALF_UP)
    return str(value).replace(".", ",")


def csv(tabel: Tabel) -> bytes:
    """One table as CSV for Dutch Excel: ';' between fields, decimal comma, UTF-8 with BOM, row labels in the
    first column, suppressed cells as ``MARKER``, text through ``safe_cell``. The ``toelichting`` is left out
    (a CSV holds only the table). A '(%)' column (see ``excel``) is written as percentages: 0.67 becomes 67,
    rounded as Excel shows it, so the header's '(%)' is true for the numbers below it."""
    header, rows, percent = _cells(tabel)
    buffer = io.StringIO()
    writer = csvlib.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(value, is_share) for value, is_share in zip(row, percent, strict=True)])
    return buffer.getvalue().encode("utf-8-sig")


def _readable(value: Any) -> Any:
    if isinstance(value, str):
        return characters.readable(value)
    if isinstance(value, dict):
        return {key: _readable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_readable(item) for item in value]
    return value


def _spec(chart: _Chart) -> dict[str, Any]:
    """The chart's specification with every text readable in an SVG (XML) file."""
    return _readable(chart.to_dict())


def grafiek_svg(chart: _Chart) -> bytes:
    """A chart as an SVG file, rendered by vl-convert; external data URLs are refused (offline)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_spec(chart), allowed_base_urls=[], format_locale="nl-NL").encode("utf-8")


def grafiek_png(chart: _Chart, scale: float = 2.0) -> bytes:
    """A chart as a PNG file, ``scale`` times its size in pixels (2: sharp in slides and print)."""
    import vl_convert

    return vl_convert.vegalite_to_png(_spec(chart), scale=scale, allowed_base_urls=[], format_locale="nl-NL")


def bestandsnaam(naam: str, extensie: str, dag: date | None = None) -> str:
    """A file name for a download: 'Knelpunten per categorie' -> 'knelpunten-per-categorie-2026-11-28.xlsx'.
    Lowercase ASCII (accents stripped, 'ß' -> 'ss'), only [a-z0-9-], at most 80 characters before the date;
    a name with nothing left becomes 'wijkleer'. ``extensie`` may have a leading dot; ``dag`` is today by default."""
    plain = unicodedata.normalize("NFKD", naam.casefold()).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", plain)[:FILE_STEM_MAX].strip("-") or "wijkleer"
    return f"{stem}-{(dag or date.today()).isoformat()}.{extensie.lstrip('.')}"
