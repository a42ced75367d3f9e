"""Reaction terms: by when policy must acknowledge a knelpunt and answer it, in working days.

Working days skip weekends and Dutch public holidays (the ``holidays`` package, offline). Each
municipality has its terms (``[reactietermijn]`` in data/taxonomie.toml, with per-municipality blocks).
A step is on time, late, or three times late: it took (or is taking) at least three times its term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import holidays
import numpy as np

from wijkleer.taxonomy import taxonomy

OP_TIJD, OPEN, TE_LAAT, DRIE_KEER = "op_tijd", "open", "te_laat", "drie_keer_te_laat"


@cache
def _holidays(first: int, last: int) -> np.ndarray:
    days = holidays.country_holidays("NL", years=range(first, last + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def _calendar(start, end) -> np.ndarray:
    first = int(np.datetime_as_string(np.min(start), unit="Y")) - 1
    last = int(np.datetime_as_string(np.max(end), unit="Y")) + 2
    return _holidays(first, last)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (from a free day, the next working day is day 1)."""
    day = np.datetime64(start, "D")
    return np.busday_offset(day, days, roll="backward", holidays=_calendar(day, day + 2 * days + 30)).astype(date)


def working_days_between(start: date, end: date) -> int:
    """Working days from ``start`` up to ``end`` (the start day not counted, the end day counted)."""
    a, b = np.datetime64(start, "D") + 1, np.datetime64(end, "D") + 1
    return int(np.busday_count(a, b, holidays=_calendar(a, b))) if b > a else 0


def due_dates(start: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Vectorised ``add_working_days`` over arrays of datetime64[D] and ints."""
    if len(start) == 0:
        return start
    return np.busday_offset(start, days, roll="backward", holidays=_calendar(start, start + 2 * days.max() + 30))


def elapsed(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Vectorised ``working_days_between``; 0 where end is not after start."""
    if len(start) == 0:
        return np.zeros(0, dtype=int)
    a, b = start + 1, end + 1
    counts = np.busday_count(a, np.maximum(a, b), holidays=_calendar(a, np.maximum(a, b)))
    return counts.astype(int)


@dataclass(frozen=True)
class Term:
    """One step's deadline: due date, when it was done (or None), and the verdict."""

    due: date
    done: date | None
    state: str
    days: int  # working days taken so far (or until done)


def judge(start: date, term: int, done: date | None, today: date, closed: bool = False) -> Term:
    """On time, open (not yet due), late or three times late, for one step of one knelpunt."""
    due = add_working_days(start, term)
    taken = working_days_between(start, done or today)
    if done is None and (closed or today <= due):
        return Term(due, None, OPEN, taken)
    if done is not None and done <= due:
        return Term(due, done, OP_TIJD, taken)
    return Term(due, done, DRIE_KEER if taken >= 3 * term else TE_LAAT, taken)


def terms(gemeente: str) -> dict[str, int]:
    return taxonomy().terms(gemeente)
