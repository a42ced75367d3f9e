"""16 writer processes x 1,000 submits on one SQLite file: every row once, no lock error surfaced.

The realistic workload: one Voilà kernel per browser tab, each its own OS process with its own
Store, one transaction per submit. Every writer also sends some of its rows a second time (same
client-generated id, other text), which must leave the stored row as it was.
"""

from __future__ import annotations

import statistics
import time

import pytest
from sqlite_writer import title

from wijkleer.model import Knelpunt
from wijkleer.store import Store

pytestmark = pytest.mark.reliability

WRITERS = 16
SUBMITS = 1000  # new ids per writer
AGAIN_EVERY = 20  # after every 20th new id: a double click and a later re-send of an own id
EXISTING = 25  # rows in the file before the writers start
EVENTS = "SELECT id, knelpunt_id, volgnummer FROM status_event"


def test_many_writers_store_each_submit_once(tmp_path, spawn_writer, record_figures, make_knelpunt):
    db = tmp_path / "wijkleer.db"
    with Store(str(db)) as store:
        existing = {store.add(make_knelpunt(titel=f"Bestaand {n}")).id for n in range(EXISTING)}

    options = ("--count", str(SUBMITS), "--again-every", str(AGAIN_EVERY))
    spawned = time.monotonic()
    writers = [spawn_writer(db, f"w{n:02d}", *options) for n in range(WRITERS)]
    for writer in writers:
        writer.expect("ready")  # all stores open: now they start together
    startup = time.monotonic() - spawned
    for writer in writers:
        writer.go()
    for writer in writers:
        writer.expect("writing")
    # finish() fails on any exception in a writer (a surfaced "database is locked" included)
    summaries = [writer.finish(timeout=600) for writer in writers]

    acked: set[str] = set()
    for n, (writer, summary) in enumerate(zip(writers, summaries, strict=True)):
        acks = writer.acks()
        assert len(acks) == summary["submits"] == SUBMITS + 2 * (SUBMITS // AGAIN_EVERY)
        assert set(acks) == {f"w{n:02d}-{i:05d}" for i in range(SUBMITS)}
        acked |= set(acks)

    with Store(str(db)) as store, store.engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        rows = connection.exec_driver_sql("SELECT id, titel FROM knelpunt").all()
        events = connection.exec_driver_sql(EVENTS).all()
        counted = store.count(Knelpunt)

    ids = [row.id for row in rows]
    assert integrity == "ok"
    assert counted == len(ids) == WRITERS * SUBMITS + EXISTING
    assert len(set(ids)) == len(ids), "an id is stored twice"
    assert set(ids) == acked | existing
    # the second submits (other text) left every first row as it was
    assert [r for r in rows if r.id in acked and r.titel != title(r.id)] == []
    # each knelpunt was written with its first loop event in one transaction
    assert sorted(events) == sorted((f"{i}:1", i, 1) for i in ids)

    record_figures(_figures(summaries, startup, len(acked), len(ids), len(events), integrity))


def _figures(summaries, startup, distinct, rows, events, integrity) -> list[str]:
    """The figures to quote: throughput, latency, retries."""
    began = min(s["began"] for s in summaries)
    elapsed = max(s["ended"] for s in summaries) - began
    submits = sum(s["submits"] for s in summaries)
    rate, row_rate = submits / elapsed, distinct / elapsed
    latencies = [ms for s in summaries for ms in s["latencies_ms"]]
    retried = sum(s["store_warnings"] for s in summaries)
    return [
        f"writers: {WRITERS} processes, {SUBMITS} new ids each "
        f"+ {submits // WRITERS - SUBMITS} re-submits of own ids (double submits)",
        f"submits acknowledged: {submits} ({distinct} distinct ids), exceptions in writers: 0",
        f"rows: {rows} knelpunt (incl. {EXISTING} existing), {events} status_event; "
        f"duplicates: 0; integrity_check: {integrity}",
        f"elapsed: {elapsed:.1f} s, {rate:.0f} submits/s, {row_rate:.0f} new rows/s",
        f"store.add latency ms: median {statistics.median(latencies):.1f}, "
        f"p99 {statistics.quantiles(latencies, n=100)[98]:.1f}, max {max(latencies):.1f}",
        f"start of the {WRITERS} writers (import + open store) before that: {startup:.1f} s",
        f"lock conflicts retried inside the store (not surfaced): {retried}",
    ]
