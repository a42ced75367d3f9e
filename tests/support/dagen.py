"""Dates for tests, so that no test ages out: every date a test compares with "now" is derived from today (the
clock the code under test reads, also under libfaketime); the demo region ends on a fixed day so that its data is
the same on every day the suite runs, and nothing a test asserts depends on how long ago that day was.

Check it by running the suite with the clock moved: ``make test-klok`` (see the README)."""

from __future__ import annotations

import os
import threading
import time
from datetime import date, timedelta

DEMO_UNTIL = date(2026, 11, 20)  # the demo's --until: same seed and end day, same database


def days_ago(days: int) -> date:
    """A day ``days`` before today (today as the process sees it)."""
    return date.today() - timedelta(days=days)


def sleep_that_works_under_faketime() -> None:
    """Under libfaketime with the monotonic clock left real (``make test-klok``), Python's ``time.sleep`` fails with
    EINVAL (libfaketime rewrites the absolute deadline of ``clock_nanosleep``), while a timed wait on a lock works:
    sleep through that in this process (call it in a process a test starts, too), so the code under test is tested
    and not the clock library."""
    if os.environ.get("FAKETIME") and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC"):
        time.sleep = lambda seconds: threading.Event().wait(max(0.0, seconds))
