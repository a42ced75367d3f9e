"""The only figures a policy view or export receives: every count passes disclosure control
(``wijkleer.privacy.disclosure``: suppression plus cell-key noise) and is labelled in Dutch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from wijkleer import identiteit
from wijkleer import themas as theme_finder
from wijkleer.loop import OPEN
from wijkleer.model import Beoordeling, Deelnemer, Knelpunt, Kring, Verwachting
from wijkleer.overzicht.gegevens import GEEN, MULTI, SINGLE, Filter, Gegevens, record_keys
from wijkleer.overzicht.samenhang import TOTAAL, Blokken, Periode, blokken, periode
from wijkleer.privacy import disclosure, scan
from wijkleer.rapport import Tabel
from wijkleer.store import Between, Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t


def quarter_label(year: int, quarter: int) -> str:
    return t("overzicht.kwartaal", jaar=year, kwartaal=quarter)


def periode_label(block: Periode) -> str:
    """A period block in Dutch: 'Alle kwartalen', '2025' or '2025-K3'."""
    if block.soort == "jaar":
        return t("overzicht.periode_jaar", jaar=block.waarde)
    if block.soort == "kwartaal":
        return label("kwartaal", block.waarde)
    return t("overzicht.periode_alles")


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
    """The selection's size as the linked tables of its place publish it (the same value and the same suppression
    as the cell that holds these knelpunten in every other table), and its cases rounded to tens; None (nothing
    shown) when that cell is hidden."""
    shown = _linked(data, selection, rule).cel(periode(selection), selection.categorie)
    if shown is None or shown == 0:
        return Kop(None, None) if shown is None else Kop(0, 0)
    cases = int(data.numbers["casussen"][data.select(selection)].sum(dtype=np.int64))
    return Kop(shown, int(round(cases, -1)))


def _linked(data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Blokken:
    periode(selection)  # refuses a period that is no block before anything is counted
    return blokken(data, selection, rule)


def per_dimensie(data: Gegevens, selection: Filter, dimension: str, rule: disclosure.Rule) -> Tabel:
    """Knelpunten per value of one dimension, largest first, with their total; small cells hidden."""
    column = t("overzicht.kolom.knelpunten")
    shown = _een_dimensie(data, selection, dimension, rule).rename(column).to_frame()
    if len(shown) == 1:  # nothing signalled in this selection: only the total, zero
        shown = pd.DataFrame({column: pd.array([0], dtype="Int64")}, index=[t("overzicht.totaal")])
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


def _een_dimensie(data: Gegevens, selection: Filter, dimension: str, rule: disclosure.Rule) -> pd.Series:
    """Published knelpunten per stored value of ``dimension`` that occurs in the selection, with the total last
    (label ``overzicht.totaal``); ``pd.NA`` where hidden. The one source of these counts for every table that shows
    them (the table per dimension, the loop table's first column).

    Per category: the linked tables' row. Per municipality: a municipality's cell is the headline of that
    municipality, so whatever its own linked tables hide stays hidden here. The total is the selection's headline.
    """
    linked = _linked(data, selection, rule)
    span = periode(selection)
    total = linked.cel(span, selection.categorie)
    label_total = t("overzicht.totaal")
    if dimension == TREND_BY:
        row = linked.rij(span)
        if selection.categorie is not None:
            row = row[row.index == selection.categorie]
        row = row[_occurs(data, selection, dimension, row.index)]
        return pd.concat([row, pd.Series([total], index=[label_total], dtype="Int64")])
    chosen = data.select(selection)
    counts = data.count(chosen, dimension)
    used = counts > 0
    counts, keys = counts[used], data.count(chosen, dimension, keys=True)[used]
    if counts.empty:
        return pd.Series([total], index=[label_total], dtype="Int64")
    forced = np.zeros((len(counts) + 1, 2), dtype=bool)
    forced[-1, :] = total is None
    if dimension == "gemeente":
        for row, gemeente in enumerate(counts.index):
            narrower = Filter(gemeente=gemeente, categorie=selection.categorie, van=selection.van, tot=selection.tot)
            forced[row, :] = blokken(data, narrower, rule).cel(span, selection.categorie) is None
    grid, hidden = disclosure.protect(counts, rule, keys, forced).grids()
    values = pd.Series(grid[:, 0], index=[*counts.index, label_total]).astype("Int64")
    values = values.mask(pd.Series(hidden[:, 0], index=values.index))
    if dimension not in MULTI:  # the headline's cell (a multi-valued total counts mentions, not knelpunten)
        values.iloc[-1] = pd.NA if total is None else total
    return values


def _occurs(data: Gegevens, selection: Filter, dimension: str, values: pd.Index) -> np.ndarray:
    counts = data.count(data.select(selection), dimension).reindex(values, fill_value=0)
    return (counts > 0).to_numpy()


def trend(data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Tabel:
    """Knelpunten per quarter and category (rows: quarters), with totals; small cells hidden. The cells, margins
    and their suppression are those of the place's linked tables (``wijkleer.overzicht.samenhang``)."""
    by = TREND_BY
    grid = _linked(data, selection, rule).trend(periode(selection))
    total = t("overzicht.totaal")
    if grid.empty or data.size(data.select(selection)) == 0:  # nothing signalled: an empty table
        frame = pd.DataFrame(columns=pd.Index([total]), dtype="Int64")
    else:
        grid = grid.rename(index={TOTAAL: total}, columns={TOTAAL: total})
        if selection.categorie is not None:
            grid = grid[[selection.categorie]] if selection.categorie in grid.columns else grid[[]]
        elif len(grid.columns) == 2:  # one category: its total column would repeat it
            grid = grid.iloc[:, :1]
        frame = grid.astype("Int64")
    labels = {c: label(by, c) for c in frame.columns if c != total}
    frame = frame.rename(index=lambda v: v if v == total else label("kwartaal", v), columns=labels)
    return Tabel(t("overzicht.tabel.trend", dimensie=t(f"overzicht.dimensie.{by}").lower()),
                 _named(frame, t("overzicht.dimensie.kwartaal")))  # fmt: skip


def lus(data: Gegevens, selection: Filter, rule: disclosure.Rule, by: str = "afdeling") -> Tabel:
    """How the loop works per ``by``: knelpunten, median working days to acknowledgement and to answer,
    share answered, share confirmed by practice, late and still open.

    Every figure comes from protected counts: the counts carry the cell-key noise and are hidden under k (the first
    column is the same as in the table per ``by``); a share is one published count divided by another (never a
    true count next to a noisy one, which would give the true count back), in whole percentages; a median only
    where the count it is taken over is published, in whole working days."""
    raw = data.loop(data.select(selection), by)
    raw = raw[raw["knelpunten"] > 0]
    if raw.empty:
        raw = raw.reindex([GEEN], fill_value=0)  # nothing signalled: one empty row (0 knelpunten, no figures)
    column = {name: t(f"overzicht.kolom.{name}") for name in LOOP_COLUMNS}
    counts = {name: _protected_column(raw, name, rule) for name in ("ontvangen", "beantwoord", "getoetst",
              "te_laat_ontvangst", "te_laat_antwoord")}  # fmt: skip
    first = _een_dimensie(data, selection, by, rule).iloc[:-1]
    counts["knelpunten"] = first.reindex(raw.index) if len(first) else pd.Series(pd.NA, index=raw.index, dtype="Int64")
    frame = pd.DataFrame(
        {
            column["knelpunten"]: counts["knelpunten"],
            column["ontvangst_dagen"]: _whole(raw["ontvangst_dagen"].where(counts["ontvangen"].notna()
                                                                           & (counts["ontvangen"] > 0))),
            column["antwoord_dagen"]: _whole(raw["antwoord_dagen"].where(counts["beantwoord"].notna()
                                                                         & (counts["beantwoord"] > 0))),
            column["aandeel_beantwoord"]: disclosure.share(counts["beantwoord"], counts["knelpunten"], rule).round(2),
            column["aandeel_getoetst"]: disclosure.share(counts["getoetst"], counts["beantwoord"], rule).round(2),
            column["te_laat_ontvangst"]: counts["te_laat_ontvangst"],
            column["te_laat_antwoord"]: counts["te_laat_antwoord"],
        }
    )  # fmt: skip
    frame = frame.sort_values(column["te_laat_antwoord"], ascending=False, na_position="last", kind="stable")
    frame = _named(_labelled(frame, by), t(f"overzicht.dimensie.{by}"))
    return Tabel(t("overzicht.tabel.lus", dimensie=t(f"overzicht.dimensie.{by}").lower()), frame,
                 t("overzicht.toelichting.lus", k=rule.k))  # fmt: skip


def _protected_column(raw: pd.DataFrame, name: str, rule: disclosure.Rule) -> pd.Series:
    """One count column of the loop table as published: cell-key noise, small cells and one more hidden."""
    return disclosure.protect(raw[name], rule, raw[f"{name}_sleutel"]).shown().iloc[:, 0]


def _whole(days: pd.Series) -> pd.Series:
    """Medians in whole working days (half days rounded up)."""
    return np.floor(days + 0.5)


LOOP_COLUMNS = ("knelpunten", "ontvangst_dagen", "antwoord_dagen", "aandeel_beantwoord", "aandeel_getoetst",
                "te_laat_ontvangst", "te_laat_antwoord")  # fmt: skip


THEME_SAMPLE = 5_000  # themes are found among the most recent knelpunten of the selection


def _enrolled(store: Store) -> list[str]:
    people = store.list(Deelnemer)
    return [person.id for person in people if identiteit.ingeschreven(person)]


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
    and feasibility and the gap between them. Only ratings of enrolled people count (``identiteit.ingeschreven``:
    names anyone can make, session guests included, would lift a group over k and give one real rating back); a
    stakeholder is shown only when at least k of them rated. The category filter does not apply here."""
    periode(selection)
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
    ratings = ratings[ratings["deelnemer_id"].isin(_enrolled(store))]  # only people a facilitator enrolled count
    ratings = ratings.assign(sleutel=record_keys(ratings["id"]))
    grouped = ratings.groupby("belanghebbende")
    column = {name: t(f"overzicht.kolom.{name}") for name in ("beoordelingen", "kringen", "belang",
              "haalbaarheid", "kloof")}  # fmt: skip
    keys = grouped["sleutel"].sum().astype(np.int64)
    counts = disclosure.protect(grouped.size().rename(column["beoordelingen"]), rule, keys).shown().iloc[:, 0]
    counts = counts.where(grouped["deelnemer_id"].nunique() >= rule.k)  # enough ratings from enough people
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
