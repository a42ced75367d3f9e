"""Loop metrics: how fast policy acknowledges and answers what practice signals, and whether the answer
helped. One row per knelpunt (``loop_table``), then figures per municipality, department, category or
period (``loop_metrics``). Days are working days (weekends and Dutch public holidays not counted).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from wijkleer import termijnen
from wijkleer.loop import OPEN
from wijkleer.model import Knelpunt, StatusEvent
from wijkleer.store import Store

CLOSED = ("samengevoegd", "ingetrokken")
GROUPS = ("gemeente", "afdeling", "categorie", "kwartaal")


def _first(events: pd.DataFrame, status: str) -> pd.Series:
    chosen = events[events["status"] == status]
    return chosen.groupby("knelpunt_id")["tijdstip"].min().dt.normalize()


def loop_table(knelpunten: pd.DataFrame, events: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per knelpunt: when it was signalled, acknowledged, answered; deadlines and verdicts."""
    table = knelpunten.set_index("id")[["titel", "gemeente", "team", "afdeling", "categorie", "status", "datum"]].copy()
    if table.empty:
        return table
    events = events.assign(tijdstip=pd.to_datetime(events["tijdstip"]))
    table["gesignaleerd"] = _first(events, "gesignaleerd").reindex(table.index)
    table["ontvangen"] = _first(events, "ontvangen").reindex(table.index)
    table["teruggekoppeld"] = _first(events, "teruggekoppeld").reindex(table.index)
    table["getoetst"] = table.index.isin(events.loc[events["status"] == "getoetst", "knelpunt_id"])
    table["heropend"] = table.index.isin(events.loc[events["status"] == "heropend", "knelpunt_id"])
    table["kwartaal"] = pd.PeriodIndex(pd.to_datetime(table["datum"]), freq="Q").astype(str)
    return judge(table, today)


def judge(table: pd.DataFrame, today: date) -> pd.DataFrame:
    """Add deadlines and verdicts to a table with ``gemeente``, ``status`` and the first moments
    ``gesignaleerd``, ``ontvangen`` and ``teruggekoppeld``: per step the due date, working days taken,
    the verdict, and whether it is still open and late."""
    per_gemeente = {g: termijnen.terms(g) for g in pd.unique(table["gemeente"])}
    start = pd.to_datetime(table["gesignaleerd"], format="ISO8601").to_numpy(dtype="datetime64[D]")
    closed = table["status"].isin(CLOSED).to_numpy()
    for step, done_column, term in (("ontvangst", "ontvangen", "ontvangst"), ("antwoord", "teruggekoppeld", "besluit")):
        days = table["gemeente"].map({g: terms[term] for g, terms in per_gemeente.items()}).to_numpy(dtype=int)
        done = pd.to_datetime(table[done_column], format="ISO8601").to_numpy(dtype="datetime64[D]")
        found = termijnen.judge_many(start, days, done, today, closed)
        finished = ~np.isnat(done)
        table[f"{step}_uiterlijk"] = found.due.astype("datetime64[ns]")
        table[f"{step}_dagen"] = np.where(finished, found.taken, np.nan)
        table[f"{step}_oordeel"] = found.state
        table[f"{step}_te_laat_open"] = ~finished & ~closed & found.late
    return table


def for_store(store: Store, today: date | None = None, **filters) -> pd.DataFrame:
    knelpunten = store.frame(Knelpunt, **filters)
    events = store.frame(StatusEvent, knelpunt_id=list(knelpunten["id"])) if filters else store.frame(StatusEvent)
    return loop_table(knelpunten, events, today or date.today())


def loop_metrics(table: pd.DataFrame, by: str | list[str] = "gemeente") -> pd.DataFrame:
    """Per group: count, median and p90 working days to acknowledgement and to answer, share answered,
    share of answers confirmed by practice, reopen rate, and overdue counts (still open and late)."""
    if table.empty:
        return pd.DataFrame()
    grouped = table.assign(
        beantwoord=table["teruggekoppeld"].notna(),
        open=table["status"].isin(OPEN),
    ).groupby(by, dropna=False)
    result = pd.DataFrame(
        {
            "knelpunten": grouped.size(),
            "ontvangst_mediaan": grouped["ontvangst_dagen"].median(),
            "ontvangst_p90": grouped["ontvangst_dagen"].quantile(0.9),
            "antwoord_mediaan": grouped["antwoord_dagen"].median(),
            "antwoord_p90": grouped["antwoord_dagen"].quantile(0.9),
            "aandeel_beantwoord": grouped["beantwoord"].mean(),
            "beantwoord": grouped["beantwoord"].sum(),
            "getoetst": grouped["getoetst"].sum(),
            "heropend": grouped["heropend"].sum(),
            "te_laat_ontvangst": grouped["ontvangst_te_laat_open"].sum(),
            "te_laat_antwoord": grouped["antwoord_te_laat_open"].sum(),
            "open": grouped["open"].sum(),
        }
    )
    answered = result["beantwoord"].where(result["beantwoord"] > 0)
    result["aandeel_getoetst"] = result["getoetst"] / answered
    result["heropen_ratio"] = result["heropend"] / answered
    return result
