"""Export and import of knelpunten (CSV, Excel) with Dutch column headers.

Export writes the knelpunten and their status history (so the loop can be audited outside the tool).
Import checks every row (the same gate as the form, and a team and gemeente wijkleer knows), reports bad rows by
spreadsheet row number, and stores all good rows in one transaction: a run either stores every good row or nothing.
Text is stored as typed; the guards against formulas and unwritable characters belong to the export.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wijkleer import characters, logboek
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.store import Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd

KNELPUNT_COLUMNS = (
    "id",
    "titel",
    "omschrijving",
    "wetten",
    "categorie",
    "leefgebieden",
    "ernst",
    "aantal_casussen",
    "bron",
    "team",
    "wijk",
    "gemeente",
    "datum",
    "status",
    "besluit",
    "afdeling",
)
EVENT_COLUMNS = ("knelpunt_id", "volgnummer", "status", "besluit", "rol", "tekst", "samengevoegd_in", "tijdstip")
# every column a person fills in, except the optional leefgebieden; the rest the loop or the store sets
REQUIRED = tuple(c for c in KNELPUNT_COLUMNS if c not in ("id", "leefgebieden", "status", "besluit", "afdeling"))
# column -> taxonomy list whose labels are shown instead of codes
CODED = {
    "wetten": "wet",
    "categorie": "categorie",
    "leefgebieden": "leefgebied",
    "ernst": "ernst",
    "bron": "bron",
    "besluit": "besluit",
    "afdeling": "afdeling",
    "rol": "rol",
}
LISTS = ("wetten", "leefgebieden")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
IMPORT_NAMESPACE = uuid.UUID("6f1d6a52-4a8e-4d0e-9a5e-0c1f7f2b9a11")


def header(table: str, column: str) -> str:
    return t(f"kolom.{table}.{column}")


def safe_cell(value: object) -> object:
    """Text as a spreadsheet file may hold it: only characters every format carries (``characters.readable``: a
    database from before that rule still exports), and no formula (CSV/Excel injection): '=…' is shown, never run.
    This guard belongs to the export: the database keeps the text as typed."""
    if not isinstance(value, str):
        return value
    value = characters.readable(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    tax = taxonomy()
    for column, kind in CODED.items():
        if column not in frame:
            continue
        if column in LISTS:
            frame[column] = frame[column].map(lambda codes, k=kind: ", ".join(tax.label(k, c) for c in codes))
        else:
            frame[column] = frame[column].map(lambda code, k=kind: tax.label(k, code) if code else "")
    if "status" in frame:
        frame["status"] = frame["status"].map(lambda s: t(f"status.{s}"))
    return frame


def _for_people(
    frame: pd.DataFrame, table: str, columns: tuple[str, ...], guard: Callable[[str], object]
) -> pd.DataFrame:
    import pandas as pd

    frame = _labels(frame.loc[:, list(columns)].copy())
    for column in frame.columns:
        # object or pandas' string dtype: every text column, whatever pandas version made it
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(lambda value: guard(value) if isinstance(value, str) else value)
    return frame.rename(columns={c: header(table, c) for c in columns})


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """An Excel file whose every text cell is text (never a formula, also when it starts with '='), exactly as
    stored: unlike CSV, a cell here has a type, so no apostrophe is needed in front of it."""
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            for row in writer.sheets[name].iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"


def export(store: Store, out: Path, fmt: str = "csv") -> list[Path]:
    """Write knelpunten and their status history to ``out``; returns the files written."""
    if fmt not in ("csv", "xlsx"):
        raise WijkleerError(t("uitwisseling.formaat_onbekend", formaat=fmt), t("uitwisseling.formaat_hint"))
    out.mkdir(parents=True, exist_ok=True)
    knelpunten = store.frame(Knelpunt).sort_values(["datum", "id"])
    events = store.frame(StatusEvent).sort_values(["knelpunt_id", "volgnummer"])
    guard = characters.readable if fmt == "xlsx" else safe_cell
    sheets = {
        t("uitwisseling.blad_knelpunten"): _for_people(knelpunten, "knelpunt", KNELPUNT_COLUMNS, guard),
        t("uitwisseling.blad_geschiedenis"): _for_people(events, "status_event", EVENT_COLUMNS, guard),
    }
    if fmt == "xlsx":
        path = out / "wijkleer-export.xlsx"
        _write_xlsx(path, sheets)
        return [path]
    paths = []
    for name, frame in sheets.items():
        path = out / f"{name.lower()}.csv"
        # semicolons and a BOM: what Dutch Excel opens correctly with a double click
        frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        paths.append(path)
    return paths


@dataclass
class ImportResult:
    stored: int = 0
    already_present: int = 0
    errors: dict[int, dict[str, str]] = field(default_factory=dict)  # spreadsheet row -> field -> message


def _read(path: Path) -> pd.DataFrame:
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise WijkleerError(
            t("uitwisseling.bestand_onbekend", bestand=path.name), t("uitwisseling.bestand_onbekend_hint")
        )
    try:
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        return pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise WijkleerError(
            t("uitwisseling.bestand_onleesbaar", bestand=path.name), t("uitwisseling.bestand_onleesbaar_hint")
        ) from exc


def _columns(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    """file column -> field name, by Dutch header or field name (case-insensitive)."""
    known = {name: name for name in KNELPUNT_COLUMNS}
    known.update({header("knelpunt", name).casefold(): name for name in KNELPUNT_COLUMNS})
    mapping = {col: known[str(col).strip().casefold()] for col in frame.columns if str(col).strip().casefold() in known}
    missing = [header("knelpunt", name) for name in REQUIRED if name not in mapping.values()]
    if missing:
        raise WijkleerError(
            t("uitwisseling.kolommen_ontbreken", bestand=path.name, kolommen=", ".join(missing)),
            t("uitwisseling.kolommen_ontbreken_hint"),
        )
    return mapping


def _to_codes(data: dict[str, str]) -> dict[str, object]:
    tax = taxonomy()
    for column, kind in CODED.items():
        if column not in data:
            continue
        if column in LISTS:
            parts = [p.strip() for p in data[column].split(",") if p.strip()]
            data[column] = [tax.code_for(kind, p) or p for p in parts]
        else:
            data[column] = tax.code_for(kind, data[column]) or data[column]
    return data


def _row_object(raw: dict[str, str]) -> Knelpunt:
    data = {k: v.strip() for k, v in raw.items()}  # as typed: the formula guard is the export's (safe_cell)
    data = {k: v for k, v in data.items() if k in REQUIRED or (k in ("id", "leefgebieden") and v)}
    data = _to_codes(data)
    if "id" not in data:
        # no id in the file: derive one from the content, so importing the same file twice stores once
        data["id"] = str(uuid.uuid5(IMPORT_NAMESPACE, json.dumps(data, sort_keys=True, default=str)))
    return logboek.check(data)  # the same gate as the form: no personal data, valid values


def _place_errors(knelpunt: Knelpunt, teams: dict[str, Team], gemeenten: set[str]) -> dict[str, str]:
    """Why the row's team or gemeente is not one wijkleer knows (field -> message); empty when both are."""
    errors = {}
    team = teams.get(knelpunt.team)
    if knelpunt.gemeente not in gemeenten:
        errors["gemeente"] = t("uitwisseling.gemeente_onbekend", gemeente=knelpunt.gemeente)
    if team is None:
        errors["team"] = t("uitwisseling.team_onbekend", team=knelpunt.team)
    elif team.gemeente != knelpunt.gemeente:
        errors["team"] = t("uitwisseling.team_andere_gemeente", team=team.naam, gemeente=team.gemeente)
    return errors


def _new_team(knelpunt: Knelpunt) -> Team:
    return Team.make(naam=knelpunt.team, wijk=knelpunt.wijk, gemeente=knelpunt.gemeente, regio=knelpunt.gemeente)


def import_knelpunten(store: Store, path: Path, nieuwe_teams: bool = False) -> ImportResult:
    """Check every row and store the good ones in one transaction. A row's team and gemeente must exist in the
    database (a misspelled team would otherwise start a team of its own); with ``nieuwe_teams`` an unknown team is
    added, with its gemeente as region, but only when asked for explicitly."""
    frame = _read(path)
    mapping = _columns(frame, path)
    labels = {name: header("knelpunt", name) for name in KNELPUNT_COLUMNS}
    teams = {team.naam: team for team in store.list(Team)}
    gemeenten = {team.gemeente for team in teams.values()}
    result, good, added = ImportResult(), [], {}
    for index, row in enumerate(frame.rename(columns=mapping).to_dict("records")):
        try:
            knelpunt = _row_object({k: str(v) for k, v in row.items() if k in labels})
        except WijkleerError as exc:
            result.errors[index + 2] = {labels.get(k, k): v for k, v in exc.fields.items()}
            continue
        if nieuwe_teams and knelpunt.team not in teams:
            added[knelpunt.team] = teams[knelpunt.team] = _new_team(knelpunt)
            gemeenten.add(knelpunt.gemeente)
        place = _place_errors(knelpunt, teams, gemeenten)
        if place:
            result.errors[index + 2] = {labels[k]: v for k, v in place.items()}
        else:
            good.append(knelpunt)
    before = store.count(Knelpunt)
    store.add_many([*(team for team in added.values() if any(k.team == team.naam for k in good)), *good])
    result.stored = store.count(Knelpunt) - before
    result.already_present = len(good) - result.stored
    return result


__all__ = ["ImportResult", "export", "import_knelpunten", "safe_cell"]
