"""Loop metrics, the one place the loop's figures are computed: how fast policy acknowledges and answers what
practice signals, and whether the answer helped. One row per knelpunt (``facts``, ``for_store``: the history
summarised in the database, judged here), then figures per municipality, department, category or period
(``loop_metrics``). The Inbox, the logbook, the policy overview's snapshot and the exports all ask here. Days are
working days (weekends and Dutch public holidays not counted); the status facts themselves are ``wijkleer.loop``'s.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from wijkleer import loop, termijnen
from wijkleer.store import Store

GROUPS = ("gemeente", "afdeling", "categorie", "kwartaal")
# what a list of knelpunten with their loop figures shows (the policy overview's snapshot asks for its own columns)
COLUMNS = ("id", "titel", "gemeente", "team", "afdeling", "categorie", "status", "datum")


def late_open(finished: np.ndarray, closed: np.ndarray, due: np.ndarray, today: date) -> np.ndarray:
    """Still open and late for a step: not taken, the knelpunt not closed, and today past the due date. The one
    place this is decided (the lists, the overview's snapshot and the exports ask here)."""
    return ~finished & ~closed & (np.datetime64(today, "D") > due)


def judge(table: pd.DataFrame, today: date) -> pd.DataFrame:
    """Add deadlines and verdicts to a table with ``gemeente``, ``status`` and the first moments
    ``gesignaleerd``, ``ontvangen`` and ``teruggekoppeld``: per step the due date, working days taken,
    the verdict, and whether it is still open and late."""
    per_gemeente = {g: termijnen.terms(g) for g in pd.unique(table["gemeente"])}
    start = pd.to_datetime(table["gesignaleerd"], format="ISO8601").to_numpy(dtype="datetime64[D]")
    closed = table["status"].isin(loop.CLOSED).to_numpy()
    for step, done_column, term in (("ontvangst", "ontvangen", "ontvangst"), ("antwoord", "teruggekoppeld", "besluit")):
        days = table["gemeente"].map({g: terms[term] for g, terms in per_gemeente.items()}).to_numpy(dtype=int)
        done = pd.to_datetime(table[done_column], format="ISO8601").to_numpy(dtype="datetime64[D]")
        found = termijnen.judge_many(start, days, done, today, closed)
        finished = ~np.isnat(done)
        table[f"{step}_uiterlijk"] = found.due.astype("datetime64[ns]")
        table[f"{step}_dagen"] = np.where(finished, found.taken, np.nan)
        table[f"{step}_oordeel"] = found.state
        table[f"{step}_te_laat_open"] = late_open(finished, closed, found.due, today)
    return table


def facts(summary: pd.DataFrame, today: date) -> pd.DataFrame:
    """The loop figures of each knelpunt in ``summary`` (rows of ``Store.loop_summary``: the first moment of each
    step and whether it was ever confirmed or reopened): due dates, working days, verdicts, late and still open,
    answered, open. A knelpunt without a 'gesignaleerd' step counts from its date."""
    table = summary.assign(
        gesignaleerd=summary["gesignaleerd"].fillna(summary["datum"]),
        getoetst=summary["getoetst"].fillna(0).astype(bool),
        heropend=summary["heropend"].fillna(0).astype(bool),
        beantwoord=summary["teruggekoppeld"].notna(),
        open=summary["status"].isin(loop.OPEN),
    )
    return judge(table, today)


def for_store(store: Store, today: date | None = None, **filters) -> pd.DataFrame:
    """One row per knelpunt chosen by ``filters`` (as ``Store.list``) with its loop figures, indexed by id: the
    history summarised in the database, judged here."""
    parts: list[pd.DataFrame] = []
    store.loop_summary(COLUMNS, parts.append, **filters)
    summary = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*COLUMNS, *_STEPS])
    if summary.empty:
        return summary.set_index("id")
    table = facts(summary, today or date.today()).set_index("id")
    table["datum"] = pd.to_datetime(table["datum"]).dt.date
    for name in ("gesignaleerd", "ontvangen", "teruggekoppeld"):
        table[name] = pd.to_datetime(table[name], format="ISO8601").dt.normalize()
    table["kwartaal"] = pd.PeriodIndex(pd.to_datetime(table["datum"]), freq="Q").astype(str)
    return table


_STEPS = ("gesignaleerd", "ontvangen", "teruggekoppeld", "getoetst", "heropend")


def loop_metrics(table: pd.DataFrame, by: str | list[str] = "gemeente") -> pd.DataFrame:
    """Per group: count, median and p90 working days to acknowledgement and to answer, share answered,
    share of answers confirmed by practice, reopen rate, and overdue counts (still open and late)."""
    if table.empty:
        return pd.DataFrame()
    grouped = table.groupby(by, dropna=False)
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
