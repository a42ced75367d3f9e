"""The policy overview's figures: knelpunten held column-wise in memory, counted per dimension in a few
milliseconds even at national scale (a million knelpunten), and handed out only as protected tables.

``Gegevens.load`` reads the knelpunten once — the loop history aggregated in SQL, on SQLite and PostgreSQL
alike — and keeps one small integer code per dimension. A filter gives the positions it selects; a count is
a ``numpy.bincount`` of the codes at those positions. Every table a policy view shows or exports comes from the
functions at the bottom, which pass each count through disclosure control (``wijkleer.privacy.disclosure``)
and label it in Dutch: raw counts never leave this module toward a view.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from wijkleer import metrics
from wijkleer import themas as theme_finder
from wijkleer.loop import OPEN
from wijkleer.model import Beoordeling, Knelpunt, Kring, Team, Verwachting
from wijkleer.privacy import disclosure, scan
from wijkleer.rapport import Tabel
from wijkleer.store import Between, Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

# dimension -> taxonomy list whose labels are shown (None: the value is its own label)
SINGLE = {
    "categorie": "categorie",
    "ernst": "ernst",
    "bron": "bron",
    "afdeling": "afdeling",
    "gemeente": None,
    "team": None,
    "wijk": None,
    "status": None,
}
# dimensions where one knelpunt can count under several values (stored as a JSON list)
MULTI = {"wet": ("wetten", "wet"), "leefgebied": ("leefgebieden", "leefgebied")}
COLUMNS = ("id", *SINGLE, "wetten", "leefgebieden", "datum", "aantal_casussen")
GEEN = "-"  # the code of an empty value (a knelpunt not yet sent to a department)
EPOCH = np.datetime64("1970-01-01", "D")


def quarter_label(year: int, quarter: int) -> str:
    return t("overzicht.kwartaal", jaar=year, kwartaal=quarter)


@dataclass(frozen=True)
class Filter:
    """What a policy officer selected. None means everything; ``van``/``tot`` are quarter numbers
    (``year * 4 + quarter - 1``) so a period is always whole quarters (no differencing by single days)."""

    regio: str | None = None
    gemeente: str | None = None
    categorie: str | None = None
    van: int | None = None
    tot: int | None = None


@dataclass
class _Codes:
    """Values seen so far -> small integer codes, shared over the chunks of one load."""

    values: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def encode(self, column: pd.Series) -> np.ndarray:
        categorical = pd.Categorical(column.fillna(GEEN).astype(str))
        lookup = np.array([self.code(value) for value in categorical.categories], dtype=np.int32)
        return lookup[categorical.codes] if len(lookup) else np.zeros(len(column), dtype=np.int32)

    def code(self, value: str) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


class Gegevens:
    """Every knelpunt of a store as arrays: one code per single-valued dimension, a bit mask per
    multi-valued one, the quarter, the number of cases, and the loop's verdicts (working days to
    acknowledgement and answer, answered, confirmed, late and still open)."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self.codes: dict[str, np.ndarray] = {}
        self.levels: dict[str, list[str]] = {}
        self.bits: dict[str, np.ndarray] = {}  # multi-valued: a code per distinct list of values
        self.combinations: dict[str, np.ndarray] = {}  # that list as a bit mask over ``bit_levels``
        self.bit_levels: dict[str, list[str]] = {}
        self.numbers: dict[str, np.ndarray] = {}
        self.regio_of: dict[str, str] = {}
        self._selected: tuple[Filter, slice | np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.numbers.get("kwartaal", ()))

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, store: Store, today: date | None = None) -> Gegevens:
        data = cls(today)
        teams = store.frame(Team)
        data.regio_of = dict(zip(teams["gemeente"], teams["regio"], strict=True)) if not teams.empty else {}
        single = {name: _Codes() for name in SINGLE}
        multi = {name: _Codes() for name in MULTI}
        parts: list[dict[str, np.ndarray]] = []
        store.loop_summary(COLUMNS, lambda chunk: parts.append(data._encode(chunk, single, multi)))
        for name in (*SINGLE, *MULTI, *NUMBERS):
            arrays = [part[name] for part in parts]
            target = data.bits if name in MULTI else data.codes if name in SINGLE else data.numbers
            target[name] = np.concatenate(arrays) if arrays else np.zeros(0, dtype=NUMBERS.get(name, np.int32))
        data.levels = {name: codes.values for name, codes in single.items()}
        for name, combinations in multi.items():  # each stored list, as a bit mask over the values seen
            values = _Codes()
            masks = [sum(1 << values.code(v) for v in json.loads(text)) for text in combinations.values]
            data.combinations[name] = np.array(masks or [0], dtype=np.int64)
            data.bit_levels[name] = values.values
        data.codes["regio"] = data._regio_codes()
        _give_back_memory()
        return data

    def _encode(self, chunk: pd.DataFrame, single: dict[str, _Codes], multi: dict[str, _Codes]) -> dict:
        # a wijk name (Centrum, Dorp) recurs in many municipalities: a wijk is counted with its municipality
        chunk = chunk.assign(wijk=chunk["wijk"] + " (" + chunk["gemeente"] + ")")
        arrays = {name: single[name].encode(chunk[name]) for name in SINGLE}
        for name, (column, _kind) in MULTI.items():
            arrays[name] = multi[name].encode(chunk[column])  # a code per distinct list; its values follow
        day = pd.to_datetime(chunk["datum"])
        arrays["kwartaal"] = (day.dt.year * 4 + day.dt.quarter - 1).to_numpy(dtype=np.int32)
        arrays["casussen"] = chunk["aantal_casussen"].to_numpy(dtype=np.int32)
        arrays["sleutel"] = record_keys(chunk["id"])
        loop = metrics.judge(chunk.assign(gesignaleerd=chunk["gesignaleerd"].fillna(chunk["datum"])), self.today)
        for name in ("ontvangst_dagen", "antwoord_dagen"):
            arrays[name] = loop[name].fillna(-1).to_numpy(dtype=np.int16)  # working days; -1: step not taken
        flags = {
            "ontvangen": chunk["ontvangen"].notna().to_numpy(),
            "beantwoord": chunk["teruggekoppeld"].notna().to_numpy(),
            "getoetst": chunk["getoetst"].fillna(0).to_numpy(dtype=bool),
            "open": chunk["status"].isin(OPEN).to_numpy(),
            "te_laat_ontvangst": loop["ontvangst_te_laat_open"].to_numpy(dtype=bool),
            "te_laat_antwoord": loop["antwoord_te_laat_open"].to_numpy(dtype=bool),
        }
        arrays["vlaggen"] = sum(flags[name].astype(np.uint8) << bit for bit, name in enumerate(FLAGS)).astype(np.uint8)
        return arrays

    def _regio_codes(self) -> np.ndarray:
        regions = sorted(set(self.regio_of.values()))
        self.levels["regio"] = regions
        lookup = np.array([regions.index(self.regio_of[g]) if g in self.regio_of else -1
                           for g in self.levels["gemeente"]] or [0], dtype=np.int32)  # fmt: skip
        return lookup[self.codes["gemeente"]] if len(self) else np.zeros(0, dtype=np.int32)

    # -- selecting and counting ------------------------------------------------------------------
    def select(self, selection: Filter) -> slice | np.ndarray:
        """The positions of the knelpunten in ``selection`` (everything: a slice, no copy). The last answer is
        kept: one filter change asks for it once per table."""
        if self._selected is not None and self._selected[0] == selection:
            return self._selected[1]
        chosen = None
        for name in ("regio", "gemeente", "categorie"):
            value = getattr(selection, name)
            if value is not None:
                code = self.levels[name].index(value) if value in self.levels[name] else -2
                chosen = _and(chosen, self.codes[name] == code)
        if selection.van is not None:
            chosen = _and(chosen, self.numbers["kwartaal"] >= selection.van)
        if selection.tot is not None:
            chosen = _and(chosen, self.numbers["kwartaal"] <= selection.tot)
        positions = slice(None) if chosen is None else np.flatnonzero(chosen)
        self._selected = (selection, positions)
        return positions

    def size(self, chosen: slice | np.ndarray) -> int:
        return len(self) if isinstance(chosen, slice) else len(chosen)

    def count(self, chosen: slice | np.ndarray, dimension: str, keys: bool = False) -> pd.Series:
        """Knelpunten per value of ``dimension`` among the chosen ones (multi-valued: a knelpunt counts under
        each of its values); with ``keys``, the sum of their record keys instead. Index: the stored codes, in
        first-seen order; zeros kept."""
        weights = self.numbers["sleutel"][chosen] if keys else None
        if dimension in MULTI:
            values = self.bit_levels[dimension]
            masks = self.combinations[dimension]
            per_list = np.bincount(self.bits[dimension][chosen], weights=weights, minlength=len(masks))
            counts = [int(per_list[(masks >> i) & 1 == 1].sum()) for i in range(len(values))]
            return pd.Series(counts, index=values, dtype=np.int64)
        codes, labels = self._axis(chosen, dimension)
        return pd.Series(np.bincount(codes, weights=weights, minlength=len(labels)).astype(np.int64), index=labels)

    def count2(self, chosen: slice | np.ndarray, rows: str, columns: str, keys: bool = False) -> pd.DataFrame:
        """Knelpunten (or, with ``keys``, their record keys summed) per pair of values of two single-valued
        dimensions (or ``kwartaal``)."""
        row_codes, row_labels = self._axis(chosen, rows)
        column_codes, column_labels = self._axis(chosen, columns)
        width = len(column_labels)
        weights = self.numbers["sleutel"][chosen] if keys else None
        flat = np.bincount(row_codes * width + column_codes, weights=weights, minlength=len(row_labels) * width)
        return pd.DataFrame(flat.astype(np.int64).reshape(len(row_labels), width), index=row_labels,
                            columns=column_labels)  # fmt: skip

    def _axis(self, chosen: slice | np.ndarray, dimension: str) -> tuple[np.ndarray, list]:
        if dimension == "kwartaal":
            quarters = self.numbers["kwartaal"][chosen]
            first = int(quarters.min()) if len(quarters) else 0
            last = int(quarters.max()) if len(quarters) else -1
            return (quarters - first).astype(np.intp), list(range(first, last + 1))
        return self.codes[dimension][chosen].astype(np.intp), self.levels[dimension]

    def quarters(self) -> list[int]:
        quarters = self.numbers.get("kwartaal", np.zeros(0, dtype=np.int32))
        return list(range(int(quarters.min()), int(quarters.max()) + 1)) if len(quarters) else []

    def loop(self, chosen: slice | np.ndarray, by: str) -> pd.DataFrame:
        """Per value of ``by``: knelpunten, acknowledged, answered, confirmed by practice, open, late and still
        open (acknowledgement, answer), and the median working days to acknowledgement and to answer."""
        codes = self.codes[by][chosen].astype(np.intp)
        size = len(self.levels[by])
        # one count per group and combination of flags, then the flags summed per group
        cells = codes * 64 + self.numbers["vlaggen"][chosen]
        combos = np.bincount(cells, minlength=size * 64).reshape(size, 64)
        keyed = np.bincount(cells, weights=self.numbers["sleutel"][chosen], minlength=size * 64).reshape(size, 64)
        bits = (np.arange(64)[:, None] >> np.arange(len(FLAGS))) & 1
        result = pd.DataFrame(combos @ bits, index=self.levels[by], columns=list(FLAGS))
        result.insert(0, "knelpunten", combos.sum(axis=1))
        key_sums = (keyed @ bits).astype(np.int64)
        for bit, name in enumerate(FLAGS):
            result[f"{name}_sleutel"] = key_sums[:, bit]
        result["knelpunten_sleutel"] = keyed.sum(axis=1).astype(np.int64)
        for name in ("ontvangst_dagen", "antwoord_dagen"):
            result[name] = _medians(codes, self.numbers[name][chosen], size)
        return result


def record_keys(ids: pd.Series) -> np.ndarray:
    """Each record's fixed random key 0–255 for the cell-key method (``wijkleer.privacy.disclosure.perturb``),
    from its id: the same knelpunt (or rating) has the same key in every kernel and every run."""
    return (pd.util.hash_pandas_object(pd.Series(ids, dtype=object), index=False).to_numpy() % 256).astype(np.uint8)


def _give_back_memory() -> None:
    """Return the loading's freed memory to the system (glibc keeps it otherwise: ~50–90 MB per dashboard tab at
    national scale). Elsewhere a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _and(chosen: np.ndarray | None, condition: np.ndarray) -> np.ndarray:
    return condition if chosen is None else chosen & condition


# bit flags per knelpunt (one uint8): the loop's facts the overview counts
FLAGS = ("ontvangen", "beantwoord", "getoetst", "open", "te_laat_ontvangst", "te_laat_antwoord")
NUMBERS = {"kwartaal": np.int32, "casussen": np.int32, "ontvangst_dagen": np.int16, "antwoord_dagen": np.int16,
           "vlaggen": np.uint8, "sleutel": np.uint8}  # fmt: skip


def _medians(codes: np.ndarray, days: np.ndarray, size: int) -> np.ndarray:
    """The median of ``days`` (whole working days; -1 = not yet) per code, from one histogram: no sorting."""
    taken = days >= 0
    codes, days = codes[taken], days[taken].astype(np.intp)
    width = int(days.max()) + 1 if len(days) else 1
    cumulative = np.bincount(codes * width + days, minlength=size * width).reshape(size, width).cumsum(axis=1)
    result = np.full(size, np.nan)
    for group in np.flatnonzero(cumulative[:, -1]):
        n = cumulative[group, -1]
        low = np.searchsorted(cumulative[group], (n - 1) // 2, side="right")
        high = np.searchsorted(cumulative[group], n // 2, side="right")
        result[group] = (low + high) / 2
    return result


# -- protected, labelled tables: the only figures a policy view or export receives -------------------
def label(dimension: str, value: object) -> str:
    """The Dutch label of a stored value of ``dimension``."""
    if dimension == "kwartaal":
        return quarter_label(int(value) // 4, int(value) % 4 + 1)
    if value == GEEN:
        return t("overzicht.geen.afdeling") if dimension == "afdeling" else t("overzicht.geen.waarde")
    kind = SINGLE.get(dimension) or MULTI.get(dimension, (None, None))[1]
    if kind:
        return taxonomy().label(kind, str(value))
    if dimension == "status":
        return t(f"status.{value}")
    return str(value)


def _labelled(frame: pd.DataFrame | pd.Series, rows: str, columns: str | None = None):
    frame = frame.rename(index=lambda v: label(rows, v))
    if columns is not None:
        frame = frame.rename(columns=lambda v: label(columns, v))
    return frame


def _named(frame: pd.DataFrame, first: str) -> pd.DataFrame:
    frame.index.name = first
    return frame


@dataclass(frozen=True)
class Kop:
    """The headline of a selection: knelpunten and cases (None when the selection is under k)."""

    knelpunten: int | None
    casussen: int | None


def kop(data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Kop:
    """The selection's size, with the same cell-key noise as every table, and its cases rounded to tens; None
    (nothing shown) under k."""
    chosen = data.select(selection)
    total = data.size(chosen)
    if total < rule.k:
        return Kop(None, None)
    key = int(data.numbers["sleutel"][chosen].sum(dtype=np.int64))
    shown = int(disclosure.perturb(np.array([total]), np.array([key]), rule)[0])
    cases = int(data.numbers["casussen"][chosen].sum(dtype=np.int64))
    return Kop(shown, int(round(cases, -1)))


def per_dimensie(data: Gegevens, selection: Filter, dimension: str, rule: disclosure.Rule) -> Tabel:
    """Knelpunten per value of one dimension, largest first, with their total; small cells hidden."""
    chosen = data.select(selection)
    counts = data.count(chosen, dimension)
    keys = data.count(chosen, dimension, keys=True)[counts > 0]
    counts = counts[counts > 0].rename(t("overzicht.kolom.knelpunten"))
    if counts.empty:  # nothing signalled in this selection: only the total, zero
        shown = pd.DataFrame({counts.name: pd.array([0], dtype="Int64")}, index=[t("overzicht.totaal")])
    elif dimension == TREND_BY:
        # the trend table publishes these totals as its bottom row: one suppression pattern for both, or the
        # two tables together would give back what each hides
        trend_counts, trend_keys = _trend_counts(data, selection)
        linked = disclosure.protect(trend_counts, rule, trend_keys)
        bottom = linked.with_margins(t("overzicht.totaal")).iloc[-1]
        if t("overzicht.totaal") not in bottom.index:  # one category: its total is the grand total
            bottom[t("overzicht.totaal")] = bottom.iloc[0]
        shown = bottom.rename(counts.name).to_frame()
    else:
        shown = disclosure.protect(counts, rule, keys).with_margins(t("overzicht.totaal"))
    body, total = shown.iloc[:-1], shown.iloc[-1:]
    body = _labelled(body.sort_values(by=body.columns[0], ascending=False, kind="stable"), dimension)
    hidden = body.iloc[:, 0].isna()
    if hidden.any():  # which values are small is itself telling: they share one row, unnamed
        rest = pd.DataFrame({body.columns[0]: pd.array([pd.NA], dtype="Int64")}, index=[t("overzicht.overige")])
        body = pd.concat([body[~hidden], rest])
    frame = _named(pd.concat([body, total]), t(f"overzicht.dimensie.{dimension}"))
    note = t("overzicht.toelichting.meervoudig") if dimension in MULTI else ""
    return Tabel(t("overzicht.tabel.per", dimensie=t(f"overzicht.dimensie.{dimension}").lower()), frame, note)


TREND_BY = "categorie"  # the trend's columns


def _trend_counts(data: Gegevens, selection: Filter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and record keys per quarter and category: every quarter of the range (a quiet one is a zero), the
    categories that occur."""
    chosen = data.select(selection)
    counts = data.count2(chosen, "kwartaal", TREND_BY)
    used = counts.sum() > 0
    return counts.loc[:, used], data.count2(chosen, "kwartaal", TREND_BY, keys=True).loc[:, used]


def trend(data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Tabel:
    """Knelpunten per quarter and category (rows: quarters), with totals; small cells hidden."""
    by = TREND_BY
    counts, keys = _trend_counts(data, selection)
    if counts.empty:  # nothing signalled in this selection: an empty table, not a table of zeros
        frame = pd.DataFrame(columns=pd.Index([t("overzicht.totaal")]), dtype="Int64")
    else:
        frame = disclosure.protect(counts, rule, keys).with_margins(t("overzicht.totaal"))
    labels = {c: label(by, c) for c in counts.columns}
    frame = frame.rename(index=lambda v: v if v == t("overzicht.totaal") else label("kwartaal", v), columns=labels)
    return Tabel(t("overzicht.tabel.trend", dimensie=t(f"overzicht.dimensie.{by}").lower()),
                 _named(frame, t("overzicht.dimensie.kwartaal")))  # fmt: skip


def lus(data: Gegevens, selection: Filter, rule: disclosure.Rule, by: str = "afdeling") -> Tabel:
    """How the loop works per ``by``: knelpunten, median working days to acknowledgement and to answer,
    share answered, share confirmed by practice, late and still open. Counts pass disclosure control
    column by column; a median or share needs at least ``rule.min_denominator`` knelpunten under it."""
    raw = data.loop(data.select(selection), by)
    raw = raw[raw["knelpunten"] > 0]
    if raw.empty:
        raw = raw.reindex([GEEN], fill_value=0)  # nothing signalled: one empty row (0 knelpunten, no figures)
    column = {name: t(f"overzicht.kolom.{name}") for name in LOOP_COLUMNS}
    counts = {name: disclosure.protect(raw[name], rule, raw[f"{name}_sleutel"]).shown().iloc[:, 0]
              for name in ("knelpunten", "te_laat_ontvangst", "te_laat_antwoord")}  # fmt: skip
    enough = raw["knelpunten"].where(counts["knelpunten"].notna(), 0)
    frame = pd.DataFrame(
        {
            column["knelpunten"]: counts["knelpunten"],
            column["ontvangst_dagen"]: raw["ontvangst_dagen"].where(raw["ontvangen"] >= rule.min_denominator),
            column["antwoord_dagen"]: raw["antwoord_dagen"].where(raw["beantwoord"] >= rule.min_denominator),
            column["aandeel_beantwoord"]: disclosure.share(raw["beantwoord"], enough, rule).round(2),
            column["aandeel_getoetst"]: disclosure.share(raw["getoetst"], raw["beantwoord"], rule).round(2),
            column["te_laat_ontvangst"]: counts["te_laat_ontvangst"],
            column["te_laat_antwoord"]: counts["te_laat_antwoord"],
        }
    )
    frame = frame.sort_values(column["te_laat_antwoord"], ascending=False, na_position="last", kind="stable")
    frame = _named(_labelled(frame, by), t(f"overzicht.dimensie.{by}"))
    return Tabel(t("overzicht.tabel.lus", dimensie=t(f"overzicht.dimensie.{by}").lower()), frame,
                 t("overzicht.toelichting.lus", k=rule.k))  # fmt: skip


LOOP_COLUMNS = ("knelpunten", "ontvangst_dagen", "antwoord_dagen", "aandeel_beantwoord", "aandeel_getoetst",
                "te_laat_ontvangst", "te_laat_antwoord")  # fmt: skip


THEME_SAMPLE = 5_000  # themes are found among the most recent knelpunten of the selection


def _gemeenten(data: Gegevens, selection: Filter) -> list[str] | str | None:
    if selection.gemeente:
        return selection.gemeente
    if selection.regio:
        return [g for g, regio in data.regio_of.items() if regio == selection.regio]
    return None


def _days(selection: Filter) -> Between | None:
    if selection.van is None and selection.tot is None:
        return None
    first = pd.Period(year=selection.van // 4, quarter=selection.van % 4 + 1, freq="Q") if selection.van else None
    last = pd.Period(year=selection.tot // 4, quarter=selection.tot % 4 + 1, freq="Q") if selection.tot else None
    return Between(first.start_time.date() if first else None, last.end_time.date() if last else None)


def themas(store: Store, data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Tabel:
    """The recurring themes among the most recent knelpunten of the selection, largest first. A theme is
    shown only when at least k knelpunten carry it; its title only when it passes the privacy gate."""
    filters = {"gemeente": _gemeenten(data, selection), "categorie": selection.categorie, "datum": _days(selection)}
    filters = {name: value for name, value in filters.items() if value is not None}
    recent = store.list(Knelpunt, order_by="datum", descending=True, limit=THEME_SAMPLE, **filters)
    frame = pd.DataFrame([k.model_dump() for k in recent])
    found = [theme for theme in theme_finder.themes(frame, open_statuses=OPEN) if theme.knelpunten >= rule.k]
    column = {name: t(f"overzicht.kolom.{name}") for name in ("categorie", "knelpunten", "teams", "gemeenten",
              "open", "laatste")}  # fmt: skip
    rows, titles = [], []
    if found:
        by_id = frame.set_index("id")
        keys = pd.Series(record_keys(by_id.index), index=by_id.index, dtype=np.int64)
    for number, theme in enumerate(found, start=1):
        members = by_id.loc[theme.ids]
        still_open = members["status"].isin(OPEN)
        counts = np.array([theme.knelpunten, int(still_open.sum())])
        shown = disclosure.perturb(counts, np.array([keys[theme.ids].sum(), keys[members.index[still_open]].sum()]),
                                   rule)  # fmt: skip
        last = pd.Timestamp(theme.laatste)
        titles.append(theme.titel if not scan(theme.titel) else t("overzicht.titel_afgeschermd", nummer=number))
        rows.append(
            {
                column["categorie"]: label("categorie", members["categorie"].iloc[0]),
                column["knelpunten"]: int(shown[0]),
                column["teams"]: theme.teams,
                column["gemeenten"]: theme.gemeenten,
                column["open"]: int(shown[1]) if counts[1] >= rule.k or counts[1] == 0 else pd.NA,
                column["laatste"]: label("kwartaal", last.year * 4 + last.quarter - 1),
            }
        )
    table = pd.DataFrame(rows, index=pd.Index(titles), columns=list(column.values()))
    return Tabel(t("overzicht.tabel.themas"), _named(table, t("overzicht.kolom.thema")),
                 t("overzicht.toelichting.themas", steekproef=min(len(frame), THEME_SAMPLE), k=rule.k))  # fmt: skip


def verwachtingen(store: Store, data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Tabel:
    """Expectations across kringen, per stakeholder whose expectation it is: ratings, kringen, mean importance
    and feasibility and the gap between them. A stakeholder is shown only when at least k different people
    rated (a rating without a person counts as one person); the category filter does not apply here."""
    kringen = store.frame(Kring)
    places = _gemeenten(data, selection)
    if places is not None:
        kringen = kringen[kringen["gemeente"].isin([places] if isinstance(places, str) else places)]
    expectations = store.frame(Verwachting)
    expectations = expectations[expectations["kring_id"].isin(kringen["id"])].set_index("id")
    ratings = store.frame(Beoordeling)
    ratings = ratings[ratings["verwachting_id"].isin(expectations.index)]
    period = _days(selection)
    if period is not None:
        day = pd.to_datetime(ratings["aangemaakt"]).dt.date
        ratings = ratings[(day >= (period.low or date.min)) & (day <= (period.high or date.max))]
    ratings = ratings.join(expectations[["kring_id", "belanghebbende"]], on="verwachting_id")
    ratings = ratings.assign(wie=ratings["deelnemer_id"].fillna(ratings["id"]), sleutel=record_keys(ratings["id"]))
    grouped = ratings.groupby("belanghebbende")
    column = {name: t(f"overzicht.kolom.{name}") for name in ("beoordelingen", "kringen", "belang",
              "haalbaarheid", "kloof")}  # fmt: skip
    keys = grouped["sleutel"].sum().astype(np.int64)
    counts = disclosure.protect(grouped.size().rename(column["beoordelingen"]), rule, keys).shown().iloc[:, 0]
    counts = counts.where(grouped["wie"].nunique() >= rule.k)  # enough ratings, but from enough people too
    means = grouped[["belang", "haalbaarheid"]].mean().where(counts.notna(), axis=0)
    frame = pd.DataFrame(
        {
            column["beoordelingen"]: counts,
            column["kringen"]: grouped["kring_id"].nunique().where(counts.notna()).astype("Int64"),
            column["belang"]: means["belang"].round(1),
            column["haalbaarheid"]: means["haalbaarheid"].round(1),
            column["kloof"]: (means["belang"] - means["haalbaarheid"]).round(1),
        }
    ).sort_values(column["kloof"], ascending=False, na_position="last", kind="stable")
    frame = _named(frame.rename(index=lambda code: taxonomy().label("belanghebbende", code)),
                   t("overzicht.kolom.belanghebbende"))  # fmt: skip
    note = t("overzicht.toelichting.verwachtingen", k=rule.k)
    return Tabel(t("overzicht.tabel.verwachtingen"), frame, note)
