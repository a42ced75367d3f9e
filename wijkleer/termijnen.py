"""Reaction terms: by when policy must acknowledge a knelpunt and answer it, in working days.

Working days skip weekends and Dutch public holidays (the ``holidays`` package, offline). Each
municipality has its terms (``[reactietermijn]`` in data/taxonomie.toml, with per-municipality blocks).
A step is on time, late, or three times late: it took (or is taking) at least three times its term.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import version

import numpy as np

from wijkleer.paths import cached
from wijkleer.taxonomy import taxonomy

OP_TIJD, OPEN, TE_LAAT, DRIE_KEER = "op_tijd", "open", "te_laat", "drie_keer_te_laat"


CACHED_YEARS = (2010, 2045)  # the holiday calendar kept on disk: loading ``holidays`` costs a tab ~60 ms


def _from_package(first: int, last: int) -> list[str]:
    import holidays

    return sorted(str(day) for day in holidays.country_holidays("NL", years=range(first, last + 1)))


@cache
def _holidays(first: int, last: int) -> np.ndarray:
    low, high = CACHED_YEARS
    if low <= first and last <= high:
        try:
            path = cached(f"feestdagen-nl-{low}-{high}-{version('holidays')}.json",
                          lambda: json.dumps(_from_package(low, high)))  # fmt: skip
            days = [d for d in json.loads(path.read_text(encoding="utf-8")) if first <= int(d[:4]) <= last]
            return np.array(days, dtype="datetime64[D]")
        except (OSError, ValueError):
            pass  # no cache to be had: ask the package itself
    return np.array(_from_package(first, last), dtype="datetime64[D]")


def _calendar(start, end) -> np.ndarray:
    first = int(np.datetime_as_string(np.min(start), unit="Y")) - 1
    last = int(np.datetime_as_string(np.max(end), unit="Y")) + 2
    return _holidays(first, last)


def due_dates(start: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The date ``days`` working days after each ``start`` (datetime64[D]); from a free day, the next working
    day is day 1."""
    if len(start) == 0:
        return start
    return np.busday_offset(start, days, roll="backward", holidays=_calendar(start, start + 2 * days.max() + 30))


def elapsed(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Working days from each ``start`` up to ``end`` (start day not counted, end day counted); 0 where end
    is not after start."""
    if len(start) == 0:
        return np.zeros(0, dtype=int)
    a, b = start + 1, end + 1
    counts = np.busday_count(a, np.maximum(a, b), holidays=_calendar(a, np.maximum(a, b)))
    return counts.astype(int)


def _one(day: date) -> np.ndarray:
    return np.array([day], dtype="datetime64[D]")


def add_working_days(start: date, days: int) -> date:
    """``due_dates`` for one date."""
    return due_dates(_one(start), np.array([days]))[0].astype(date)


def working_days_between(start: date, end: date) -> int:
    """``elapsed`` for one pair of dates."""
    return int(elapsed(_one(start), _one(end))[0])


@dataclass(frozen=True)
class Verdicts:
    """Per knelpunt, for one step: due date, working days taken (until done, or until today), the
    verdict (OPEN, OP_TIJD, TE_LAAT, DRIE_KEER), and whether it is late."""

    due: np.ndarray
    taken: np.ndarray
    state: np.ndarray
    late: np.ndarray


def judge_many(start: np.ndarray, days: np.ndarray, done: np.ndarray, today: date, closed: np.ndarray) -> Verdicts:
    """On time, open (not yet due), late or three times late, for one step of many knelpunten.
    ``done`` is NaT where the step was not taken; a closed (merged, withdrawn) knelpunt is never late
    for a step it did not take."""
    now = np.datetime64(today, "D")
    due = due_dates(start, days)
    finished = ~np.isnat(done)
    taken = elapsed(start, np.where(finished, done, now))
    late = np.where(finished, done > due, ~closed & (now > due))
    state = np.where(late, np.where(taken >= 3 * days, DRIE_KEER, TE_LAAT), np.where(finished, OP_TIJD, OPEN))
    return Verdicts(due, taken, state, late)


@dataclass(frozen=True)
class Term:
    """One step's deadline: due date, when it was done (or None), and the verdict."""

    due: date
    done: date | None
    state: str
    days: int  # working days taken so far (or until done)


def judge(start: date, term: int, done: date | None, today: date, closed: bool = False) -> Term:
    """``judge_many`` for one knelpunt."""
    done_at = _one(done) if done else np.array(["NaT"], dtype="datetime64[D]")
    found = judge_many(_one(start), np.array([term]), done_at, today, np.array([closed]))
    return Term(found.due[0].astype(date), done, str(found.state[0]), int(found.taken[0]))


def terms(gemeente: str) -> dict[str, int]:
    return taxonomy().terms(gemeente)
