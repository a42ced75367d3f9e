"""The policy overview's shared snapshot (SQLite and PostgreSQL): built once, refreshed with only what changed when
the store's high-water mark moves, the same figures as the loop service, late-and-open derived per day, no free text
in it, and one builder when many kernels open it at once."""

import json
import multiprocessing
import os
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from wijkleer import loop, metrics, terugkoppeling
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.overzicht import Filter, Gegevens, momentopname

TODAY = date(2026, 6, 30)


@pytest.fixture
def snapshots(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "momentopname"
    monkeypatch.setenv("WIJKLEER_MOMENTOPNAME", str(folder))
    return folder


@pytest.fixture
def filled(store, make_knelpunt, snapshots):
    store.add(Team(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Regio West"))
    made = [
        make_knelpunt(
            titel=f"Geheime titel {i}",
            omschrijving="Vrije tekst die nooit in de momentopname hoort.",
            datum=date(2026, 2, 2),
            aangemaakt=datetime(2026, 2, 2, 9),
        )
        for i in range(6)
    ]
    store.add_many(made)
    for knelpunt in made[:2]:
        store.append_event(
            StatusEvent(knelpunt_id=knelpunt.id, status="ontvangen", rol="beleid", tijdstip=datetime(2026, 2, 4, 10)),
            loop.check,
        )
    return store, made


def _versions(folder: Path) -> list[Path]:
    return [p for sub in folder.iterdir() for p in sub.iterdir() if p.is_dir() and p.name.startswith("v")]


def test_made_once_then_opened_from_the_files(filled, snapshots, monkeypatch):
    store, _made = filled
    first = Gegevens.load(store, TODAY)
    assert len(first) == 6 and len(_versions(snapshots)) == 1
    monkeypatch.setattr(momentopname, "build", lambda *_a: pytest.fail("built again although nothing changed"))
    monkeypatch.setattr(momentopname, "refresh", lambda *_a: pytest.fail("refreshed although nothing changed"))
    again = Gegevens.load(store, TODAY)
    assert isinstance(again.codes["categorie"], np.memmap)  # mapped from the shared files, not a copy of its own
    assert again.count(again.select(Filter()), "gemeente").to_dict() == {"Dijkhoven": 6}


def test_a_change_is_read_again_without_a_rebuild(filled, make_knelpunt, snapshots, monkeypatch):
    store, made = filled
    Gegevens.load(store, TODAY)
    monkeypatch.setattr(momentopname, "build", lambda *_a: pytest.fail("a change must not rebuild everything"))
    read_again = []
    original = store.loop_summary
    monkeypatch.setattr(store, "loop_summary", lambda *a, **kw: read_again.append(kw) or original(*a, **kw))
    terugkoppeling.step(store, made[2].id, "ontvangen", "beleid", afdeling="wmo")  # a step and a department
    store.increment(Knelpunt, made[3].id, "aantal_casussen")  # one more case
    store.add(make_knelpunt(titel="Nieuw knelpunt", categorie="caseload", datum=date(2026, 4, 6)))  # a new one
    data = Gegevens.load(store, TODAY)
    assert read_again and all(kw.get("since") is not None for kw in read_again)
    everything = data.select(Filter())
    assert len(data) == 7
    assert data.count(everything, "afdeling")["wmo"] == 1
    assert sorted(data.numbers["casussen"]) == [4, 4, 4, 4, 4, 4, 5]  # replaced in place, the new one added
    assert data.loop(everything, "gemeente").loc["Dijkhoven", "ontvangen"] == 3
    assert data.count(everything, "categorie")["caseload"] == 1


def test_same_loop_figures_as_the_loop_service(filled):
    # one computation, one way: the overview's counts equal the per-knelpunt figures the Inbox and exports use
    store, _made = filled
    data = Gegevens.load(store, TODAY)
    counted = data.loop(data.select(Filter()), "gemeente").loc["Dijkhoven"]
    table = metrics.for_store(store, TODAY)
    assert counted["ontvangen"] == table["ontvangen"].notna().sum() == 2
    assert counted["te_laat_ontvangst"] == table["ontvangst_te_laat_open"].sum() == 4
    assert counted["te_laat_antwoord"] == table["antwoord_te_laat_open"].sum()
    assert counted["ontvangst_dagen"] == table["ontvangst_dagen"].median() == 2


def test_late_is_judged_for_the_day_of_the_tab(filled, snapshots):
    store, _made = filled
    early = Gegevens.load(store, date(2026, 2, 3))  # the day after signalling: nothing late yet
    late = Gegevens.load(store, TODAY)
    assert len(_versions(snapshots)) == 1  # one snapshot serves every day
    assert early.loop(early.select(Filter()), "gemeente").loc["Dijkhoven", "te_laat_ontvangst"] == 0
    assert late.loop(late.select(Filter()), "gemeente").loc["Dijkhoven", "te_laat_ontvangst"] == 4


def test_no_free_text_in_the_snapshot(filled, snapshots):
    store, made = filled
    Gegevens.load(store, TODAY)
    files = [p for version in _versions(snapshots) for p in version.iterdir()]
    content = b"".join(p.read_bytes() for p in files)
    for knelpunt in made:
        assert knelpunt.titel.encode() not in content and knelpunt.id.encode() not in content
    assert b"Vrije tekst" not in content
    meta = json.loads(next(p for p in files if p.name == "meta.json").read_text(encoding="utf-8"))
    assert set(meta["levels"]) == set(momentopname.SINGLE)


def test_another_database_at_the_same_place_is_built_anew(filled, snapshots):
    store, _made = filled
    Gegevens.load(store, TODAY)
    place = momentopname.folder(store)
    pointer = json.loads((place / momentopname.POINTER).read_text())
    meta_path = place / pointer["map"] / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["database_id"] = "een-andere-database"
    meta_path.write_text(json.dumps(meta))
    assert len(Gegevens.load(store, TODAY)) == 6
    assert momentopname._read(place).mark == store.mark()


def _open_in_process(url: str, folder: str, out: str) -> None:
    from tests.support.dagen import sleep_that_works_under_faketime

    sleep_that_works_under_faketime()
    os.environ["WIJKLEER_MOMENTOPNAME"] = folder
    from wijkleer.overzicht import Gegevens
    from wijkleer.store import Store

    with Store(url) as store:
        data = Gegevens.load(store, TODAY)
    Path(out).write_text(str(len(data)))


def test_many_kernels_at_once_one_builder(filled, snapshots, db_url, tmp_path):
    store, _made = filled
    context = multiprocessing.get_context("spawn")
    outs = [tmp_path / f"uit{i}" for i in range(4)]
    workers = [context.Process(target=_open_in_process, args=(db_url, str(snapshots), str(out))) for out in outs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [out.read_text() for out in outs] == ["6"] * 4
    assert len(_versions(snapshots)) == 1  # built by one of them, read by the others
    assert not list(momentopname.folder(store).glob("bouw-*"))  # nothing half-written left behind
