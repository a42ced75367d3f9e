"""A writer killed with SIGKILL at random moments, over and over, on one SQLite file.

Afterwards the file must pass ``PRAGMA integrity_check``, every acknowledged submit must be in it,
no id twice, and no knelpunt without its first loop event (both are written in one transaction).
WAL with ``synchronous=NORMAL`` survives a killed process; only power loss could cost commits.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlite_writer import FIELDS, title

from wijkleer.model import Knelpunt
from wijkleer.store import Store

pytestmark = pytest.mark.reliability

KILLS = 100
DELAY = (0.02, 0.3)  # seconds between "writing" and SIGKILL
AHEAD = 3  # writers started ahead: a start (import + open) costs more than a life
EVENTS = "SELECT id, knelpunt_id, volgnummer FROM status_event"


def _attempt(life: int, unsure: list[str], again: list[str], n: int) -> str:
    """The id a writer of this life submits as its n-th submit (see sqlite_writer.py)."""
    first = [*unsure, *again]
    return first[n] if n < len(first) else f"life{life:03d}-{n - len(first):05d}"


@dataclass
class KillLog:
    acked: list[str] = field(default_factory=list)  # every acknowledged submit, in order
    cut_short: set[str] = field(default_factory=set)  # per life: the submit a kill interrupted
    committed_unacked: set[str] = field(default_factory=set)  # interrupted after the commit
    per_life: list[int] = field(default_factory=list)  # acknowledged submits per life
    startup_wait: float = 0.0  # time the loop waited for a started writer to be ready


def _kill_loop(db: Path, spawn_writer, observer: Store, rng: random.Random) -> KillLog:
    log = KillLog()
    unsure: list[str] = []
    again: list[str] = []
    # writers for the next lives start up (import, open their store) while the current one writes
    pending = deque(spawn_writer(db, f"life{life:03d}", "--fsync") for life in range(AHEAD))
    for life in range(KILLS):
        writer = pending.popleft()
        waited = time.monotonic()
        writer.expect("ready")
        log.startup_wait += time.monotonic() - waited
        writer.start(unsure, again)
        if life + AHEAD < KILLS:
            pending.append(spawn_writer(db, f"life{life + AHEAD:03d}", "--fsync"))
        time.sleep(rng.uniform(*DELAY))
        writer.kill()

        acks = writer.acks()
        assert acks == [_attempt(life, unsure, again, n) for n in range(len(acks))]
        log.acked += acks
        log.per_life.append(len(acks))
        busy = _attempt(life, unsure, again, len(acks))
        log.cut_short.add(busy)
        if busy not in log.acked and observer.count(Knelpunt, id=busy):
            log.committed_unacked.add(busy)
        # after the crash the user sends the interrupted form again, and an old one once more
        unsure, again = [busy], [rng.choice(log.acked)] if log.acked else []
    return log


def test_sigkill_loses_no_acknowledged_submit(tmp_path, spawn_writer, record_figures):
    db = tmp_path / "wijkleer.db"
    seed = random.randrange(2**32)
    began = time.monotonic()
    with Store(str(db)) as observer:  # creates the schema; looks at the file between kills
        log = _kill_loop(db, spawn_writer, observer, random.Random(seed))
    elapsed = time.monotonic() - began
    acked = log.acked

    with Store(str(db)) as store, store.engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        broken_references = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        rows = connection.exec_driver_sql("SELECT id, titel FROM knelpunt").all()
        events = connection.exec_driver_sql(EVENTS).all()

    ids = [row.id for row in rows]
    assert integrity == "ok"
    assert broken_references == []
    assert len(set(ids)) == len(ids), "an id is stored twice"
    assert set(acked) <= set(ids), f"acknowledged but lost: {sorted(set(acked) - set(ids))}"
    # a row nobody acknowledged can only be a submit that a kill cut short after its commit
    unacknowledged = set(ids) - set(acked)
    assert unacknowledged <= log.cut_short
    assert [r for r in rows if r.titel != title(r.id)] == []
    assert sorted(events) == sorted((f"{i}:1", i, 1) for i in ids)
    assert len(set(acked)) >= KILLS, "the writers hardly wrote: the kills proved little"

    # the file stays usable after all the crashes
    with Store(str(db)) as store:
        store.add(Knelpunt.make(titel="Na de crashes", **FIELDS))
        assert store.count(Knelpunt) == len(ids) + 1

    record_figures(
        [
            f"kills: {KILLS} x SIGKILL, {DELAY[0] * 1000:.0f}-{DELAY[1] * 1000:.0f} ms after "
            f"the writer began submitting (seed {seed}); writers fsync each ack",
            f"acknowledged submits: {len(acked)} ({len(set(acked))} distinct ids), "
            f"lost: 0; per life min/median/max {min(log.per_life)}/"
            f"{statistics.median(log.per_life):.0f}/{max(log.per_life)}, lives with none: "
            f"{log.per_life.count(0)}",
            f"kills between commit and ack: {len(log.committed_unacked)} (the form sent again "
            f"stored no second row); rows committed but never acknowledged at the end: "
            f"{len(unacknowledged)}",
            f"rows: {len(ids)} knelpunt, {len(events)} status_event, duplicates: 0",
            f"integrity_check: {integrity}; foreign_key_check: {len(broken_references)} problems",
            f"elapsed: {elapsed:.1f} s for the kill loop ({elapsed / KILLS:.2f} s per kill, "
            f"of which {log.startup_wait:.1f} s waiting for writers to start: import + open store)",
        ]
    )
