"""Benchmark for the Beleidsoverzicht at national scale: a new tab's first view and memory, and a filter change
that re-aggregates and re-renders the open tab (protected tables, Dutch labels, SVG charts) — against a bare pandas
groupby computing the same figures from the same data, measured in one run.

Run: ``.venv/bin/python tests/benchmarks/dashboard_bench.py [--db big.db | --url postgresql://…] [--size N]``.
Without an existing database it is made first (``wijkleer demo --size 1000000``; ~20 minutes on 2 cores). For
PostgreSQL, copy that SQLite file into a schema (``COPY`` per table) and pass its URL with
``?options=-csearch_path%3D<schema>``. The shared snapshot (``wijkleer.overzicht.momentopname``) is made first when
missing or stale (once per database; printed). Then a new tab's first view (store opened, snapshot opened, the
dashboard's first tab drawn; imports not counted, they are printed apart) is measured three times, each in a fresh
process, with that process's resident memory. ``--verversing`` also measures a refresh after one change (it adds
one step to one knelpunt of the database). Targets: first view ≤ 2 s, ≤ 180 MB per tab, a filter change < 300 ms
and ≤ 2× the bare groupby. Lines ``eerste weergave S s`` and ``tabblad RSS M MB``; last line
``ratio <dashboard median / bare groupby median>``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.dagen import DEMO_UNTIL  # noqa: E402

UNTIL = DEMO_UNTIL


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def memory_mb() -> dict[str, float]:
    """Resident memory (RSS; mapped snapshot pages count in it) and the proportional share (PSS: a page shared by
    n tabs counts 1/n) and the private part (USS): what ten tabs together really take."""
    import psutil

    full = psutil.Process().memory_full_info()
    return {name: getattr(full, name, 0) / 2**20 for name in ("rss", "pss", "uss")}


def first_view(url: str) -> None:
    """In a fresh process: what a new Beleidsoverzicht tab does before its first view; prints one JSON line."""
    started = time.perf_counter()
    from wijkleer.privacy import disclosure
    from wijkleer.store import Store
    from wijkleer.views import overzicht as view

    imported = time.perf_counter()
    store = Store(url)
    dashboard = view.Dashboard(store, UNTIL, disclosure.rule())
    shown = time.perf_counter()
    assert dashboard.boxes["overzicht"].children, "the first tab was not drawn"
    print(json.dumps({"imports": imported - started, "weergave": shown - imported, "n": len(dashboard.data),
                      **memory_mb()}))  # fmt: skip


def first_views(url: str, times: int = 3) -> list[dict]:
    results = []
    for _ in range(times):
        done = subprocess.run([sys.executable, __file__, "--url", url, "--eerste-weergave"], capture_output=True,
                              text=True, check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))  # fmt: skip
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def ensure_snapshot(url: str) -> None:
    from wijkleer.overzicht import momentopname
    from wijkleer.store import Store

    with Store(url) as store:
        started = time.perf_counter()
        snapshot = momentopname.current(store)
        took = time.perf_counter() - started
        size = sum(column.nbytes for column in snapshot.columns.values()) / 2**20
        place = momentopname.folder(store)
        print(f"momentopname: {len(snapshot)} knelpunten, {size:.0f} MB kolombestanden in {place}; "
              f"geopend of bijgewerkt in {took:.1f} s")  # fmt: skip


def measure_refresh(url: str) -> None:
    """One change (a step on one waiting knelpunt), then the time a new tab's snapshot refresh takes."""
    from sqlalchemy import select

    from wijkleer import terugkoppeling
    from wijkleer.overzicht import momentopname
    from wijkleer.store import Store

    with Store(url) as store:
        table = store.tables["knelpunt"]
        query = select(table.c.id).where(table.c.status == "gesignaleerd").limit(1)
        with store.engine.connect() as connection:
            knelpunt_id = connection.execute(query).scalar_one()
        terugkoppeling.step(store, knelpunt_id, "ontvangen", "beleid")
        started = time.perf_counter()
        momentopname.current(store)
        print(f"verversen na één wijziging: {time.perf_counter() - started:.2f} s")


def ensure_database(url: str, size: int) -> None:
    from wijkleer.demo import Plan, generate
    from wijkleer.model import Knelpunt
    from wijkleer.store import Store

    with Store(url) as store:
        if store.count(Knelpunt) >= size:
            return
        print(f"demo-database maken: {size} knelpunten in {store.display_url} …", flush=True)
        started = time.perf_counter()
        generate(store, Plan(size=size, until=UNTIL))
        print(f"gemaakt in {time.perf_counter() - started:.0f} s", flush=True)


def selections(data) -> list:
    """Filter changes a policy officer makes: municipality, region, category, period, and back to all."""
    from wijkleer.overzicht import Filter

    quarters = data.quarters()
    gemeenten = sorted(data.levels["gemeente"])
    categories = data.levels["categorie"]
    chosen = []
    for i in range(24):
        gemeente = gemeenten[i % len(gemeenten)] if i % 3 else None
        categorie = categories[i % len(categories)] if i % 4 == 1 else None
        van = quarters[(i * 5) % len(quarters)] if i % 2 else None
        chosen.append(Filter(gemeente=gemeente, categorie=categorie, van=van, tot=van))  # a quarter: a block
    return chosen


def bare_frame(data):
    """The same knelpunten as a plain pandas DataFrame with categorical columns: what an analyst would hold."""
    import numpy as np
    import pandas as pd

    from wijkleer.overzicht import FLAGS

    columns = {name: pd.Categorical.from_codes(data.codes[name], categories=data.levels[name])
               for name in ("gemeente", "categorie", "afdeling")}  # fmt: skip
    days = {name: np.where(data.numbers[name] >= 0, data.numbers[name], np.nan) for name in ("ontvangst_dagen",
            "antwoord_dagen")}  # fmt: skip
    flags = {name: (data.numbers["vlaggen"] >> bit) & 1 == 1 for bit, name in enumerate(FLAGS)}
    return pd.DataFrame({**columns, "kwartaal": data.numbers["kwartaal"], **days, **flags})


def bare_groupby(frame, selection) -> None:
    """The overview tab's figures with pandas alone: no disclosure control, no labels, no rendering."""
    import numpy as np

    mask = np.ones(len(frame), dtype=bool)
    if selection.gemeente is not None:
        mask &= frame["gemeente"] == selection.gemeente
    if selection.categorie is not None:
        mask &= frame["categorie"] == selection.categorie
    if selection.van is not None:
        mask &= frame["kwartaal"] >= selection.van
    chosen = frame[mask]
    chosen.groupby("categorie", observed=False).size()
    chosen.groupby("afdeling", observed=False).agg(
        knelpunten=("kwartaal", "size"),
        ontvangst=("ontvangst_dagen", "median"),
        antwoord=("antwoord_dagen", "median"),
        ontvangen=("ontvangen", "sum"),
        beantwoord=("beantwoord", "sum"),
        getoetst=("getoetst", "sum"),
        open=("open", "sum"),
        laat_ontvangst=("te_laat_ontvangst", "sum"),
        laat_antwoord=("te_laat_antwoord", "sum"),
    )


def sql_groupby(store, data, selection) -> None:
    """The push-down alternative: the same counts as GROUP BY queries in the database, per filter change."""
    from sqlalchemy import func, select

    table = store.tables["knelpunt"]
    where = []
    if selection.gemeente is not None:
        where.append(table.c.gemeente == selection.gemeente)
    if selection.categorie is not None:
        where.append(table.c.categorie == selection.categorie)
    if selection.van is not None:
        first = date(selection.van // 4, 3 * (selection.van % 4) + 1, 1)
        where.append(table.c.datum >= first)
    with store.engine.connect() as connection:
        for column in (table.c.categorie, table.c.afdeling):
            connection.execute(select(column, func.count()).where(*where).group_by(column)).all()


def timed(work, rounds) -> list[float]:
    times = []
    for item in rounds:
        started = time.perf_counter()
        work(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def describe(name: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    return f"{name}: mediaan {statistics.median(times):.1f} ms, p95 {p95:.1f} ms ({len(times)} keer)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="benchmark-1m.db", help="SQLite file (made when missing)")
    parser.add_argument("--url", help="a database URL instead of --db, e.g. postgresql://127.0.0.1/test")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--sql", action="store_true", help="also time GROUP BY in the database per filter change")
    parser.add_argument("--verversing", action="store_true", help="also time a refresh after one change")
    parser.add_argument("--eerste-weergave", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    url = args.url or args.db
    if args.eerste_weergave:
        first_view(url)
        return 0
    ensure_database(url, args.size)
    ensure_snapshot(url)
    if args.verversing:
        measure_refresh(url)

    views = first_views(url)
    for view_ in views:
        print(f"nieuw tabblad: imports {view_['imports']:.1f} s, eerste weergave {view_['weergave']:.2f} s, "
              f"RSS {view_['rss']:.0f} MB, PSS {view_['pss']:.0f} MB, USS {view_['uss']:.0f} MB")  # fmt: skip

    from wijkleer.overzicht import Gegevens
    from wijkleer.privacy import disclosure
    from wijkleer.store import Store
    from wijkleer.views import overzicht as view

    store = Store(url)
    data = Gegevens.load(store, UNTIL)
    print(f"database: {store.display_url}, {len(data)} knelpunten")
    dashboard = view.Dashboard(store, UNTIL, disclosure.rule(), data=data)

    rounds = selections(data)

    def change(selection) -> None:
        # what a filter widget does: new selection, every tab stale, the open tab (Overzicht) redrawn
        dashboard.selection, dashboard.stale = selection, set(view.TABS)
        dashboard._refresh()

    frame = bare_frame(data)
    change(rounds[-1])  # warm-up: first SVG rendering, numpy/pandas code paths
    bare_groupby(frame, rounds[-1])
    dashboard_times, bare_times = [], []
    for selection in rounds:  # interleaved: both see the same machine state
        dashboard_times += timed(change, [selection])
        bare_times += timed(lambda s: bare_groupby(frame, s), [selection])
    print(describe("filterwissel dashboard (aggregeren, afschermen, tabel en 2 grafieken)", dashboard_times))
    print(describe("kale pandas-groupby (zelfde cijfers, zelfde gegevens)", bare_times))
    if args.sql:
        sql_times = timed(lambda s: sql_groupby(store, data, s), rounds[:8])
        print(describe(f"GROUP BY in de database ({store.engine.dialect.name}) per filterwissel", sql_times))
    print(f"proces-geheugen na afloop (RSS, met de kale pandas-kopie): {rss_mb():.0f} MB; pid {os.getpid()}")
    print(f"eerste weergave {statistics.median(v['weergave'] for v in views):.2f} s")
    print(f"tabblad RSS {statistics.median(v['rss'] for v in views):.0f} MB")
    ratio = statistics.median(dashboard_times) / statistics.median(bare_times)
    print(f"ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
