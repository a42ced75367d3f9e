"""The only figures a policy view or export receives: every count passes disclosure control
(``wijkleer.privacy.disclosure``: suppression plus cell-key noise) and is labelled in Dutch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from wijkleer import themas as theme_finder
from wijkleer.loop import OPEN
from wijkleer.model import Beoordeling, Knelpunt, Kring, Verwachting
from wijkleer.overzicht.gegevens import GEEN, MULTI, SINGLE, Filter, Gegevens, record_keys
from wijkleer.privacy import disclosure, scan
from wijkleer.rapport import Tabel
from wijkleer.store import Between, Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t


def quarter_label(year: int, quarter: int) -> str:
    return t("overzicht.kwartaal", jaar=year, kwartaal=quarter)


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


def _labelled(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The rows (stored values of ``dimension``) under their Dutch labels."""
    return frame.rename(index=lambda v: label(dimension, v))


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
    used = counts > 0
    counts = counts[used].rename(t("overzicht.kolom.knelpunten"))
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
        keys = data.count(chosen, dimension, keys=True)[used]
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
