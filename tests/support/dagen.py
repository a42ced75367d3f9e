"""Dates for tests, so that no test ages out: every date a test compares with "now" is derived from today (the
clock the code under test reads, also under libfaketime); the demo region ends on a fixed day so that its data is
the same on every day the suite runs, and nothing a test asserts depends on how long ago that day was.

Check it by running the suite with the clock moved: ``make test-klok`` (see the README)."""

from __future__ import annotations

from datetime import date, timedelta

DEMO_UNTIL = date(2026, 11, 20)  # the demo's --until: same seed and end day, same database


def days_ago(days: int) -> date:
    """A day ``days`` before today (today as the process sees it)."""
    return date.today() - timedelta(days=days)
