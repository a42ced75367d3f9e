"""Schema versions: a new database gets the latest, an old one is upgraded, a newer one refused."""

import sqlite3

import pytest
from sqlalchemy import Column, String, inspect, text

from wijkleer.errors import WijkleerError
from wijkleer.model import Kring, Sessie
from wijkleer.store import Store, migrations
from wijkleer.store.engine import make_engine, normalize_url, run


def test_new_database_gets_the_latest_version(db_url):
    with Store(db_url) as store:
        assert store.version == migrations.LATEST == 7


def _add_colour(connection):
    connection.execute(text("ALTER TABLE kring ADD COLUMN kleur VARCHAR(20)"))


def test_old_database_is_upgraded_and_keeps_its_data(db_url, monkeypatch):
    # a database made by the first release: schema 1, written without this release's Store
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        old.setattr(migrations, "LATEST", 1)
        engine = make_engine(normalize_url(db_url))
        run(engine, migrations.upgrade, write=True)
        run(engine, lambda c: c.execute(text(
            "insert into kring (id, naam, gemeente, beschrijving, aangemaakt) "
            "values ('k1', 'Leerkring Rietmeer', '', '', '2026-01-05 10:00:00')"
        )), write=True)  # fmt: skip
        run(engine, lambda c: c.execute(text(
            "insert into sessie (id, kring_id, titel, datum, sjabloon, status) "
            "values ('s1', 'k1', 'Eerste sessie', '2026-01-12', '', 'afgerond')"
        )), write=True)  # fmt: skip
        assert "uitkomst" not in inspect(engine).get_table_names()
        engine.dispose()
    # this release: schema 2 adds the outcome history, 3 the students' progress, 4 running sessions, 5 the
    # facilitator's timer and projector screen, 6 the high-water mark of the overview's snapshot, 7 groups of similar
    # entries
    with Store(db_url) as store:
        assert store.version == migrations.LATEST == 7
        assert "wijziging" in store.tables["knelpunt"].c and store.mark().teller == 0
        assert {"uitkomst", "voortgang", "deelname", "bijdrage", "stip"} <= set(store.tables)
        assert "code_hash" in store.tables["deelnemer"].c
        assert store.get(Kring, "k1").naam == "Leerkring Rietmeer"
        old_session = store.get(Sessie, "s1")
        assert (old_session.versie, old_session.onthuld, old_session.code, old_session.fase) == (0, [], None, 0)
        assert (old_session.timer_verstreken, old_session.scherm_sleutel) == (0, None)
        assert "groep_id" in store.tables["bijdrage"].c
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _add_colour])
    monkeypatch.setattr(migrations, "LATEST", 8)
    with Store(db_url) as store:
        assert store.version == 8 and "kleur" in store.tables["kring"].c
        with store.engine.connect() as connection:
            applied = connection.execute(text("select versie from wijkleer_schema")).scalars().all()
        assert sorted(applied) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_database_from_a_newer_wijkleer_is_refused(db_url):
    with Store(db_url) as store, store.engine.begin() as connection:
        connection.execute(text("insert into wijkleer_schema (versie) values (99)"))
    with pytest.raises(WijkleerError) as caught:
        Store(db_url)
    assert "nieuwere versie van wijkleer (schema 99" in caught.value.message
    assert "bij" in caught.value.hint


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "ander.db"
    connection = sqlite3.connect(path)
    connection.execute("create table klanten (naam text)")
    connection.close()
    with pytest.raises(WijkleerError, match="niet door wijkleer gemaakt"):
        Store(str(path))


def test_not_a_database_file_is_a_clear_error(tmp_path):
    path = tmp_path / "tekst.db"
    path.write_text("dit is geen database " * 100)
    with pytest.raises(WijkleerError, match="geen \\(gave\\) wijkleer-database"):
        Store(str(path))


def test_missing_folder_and_unknown_scheme(tmp_path):
    with pytest.raises(WijkleerError, match="bestaat niet"):
        Store(str(tmp_path / "nergens" / "x.db"))
    with pytest.raises(WijkleerError, match="wordt niet herkend"):
        Store("mysql://root@localhost/test")


def test_sqlite_runs_in_wal_mode_with_a_long_busy_timeout(tmp_path):
    with Store(str(tmp_path / "w.db")) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_unreachable_postgres_is_a_dutch_error():
    with pytest.raises(WijkleerError) as caught:
        Store("postgresql://nobody@127.0.0.1:1/none")
    assert caught.value.message == "De database is niet bereikbaar."


def test_migration_defines_every_column_the_model_has(db_url):
    from wijkleer.model import ENTITIES

    with Store(db_url) as store:
        columns = {t["name"]: {c["name"] for c in t["columns"]} for t in _tables(store)}
    for entity in ENTITIES:
        assert set(entity.model_fields) <= columns[entity.table], entity.table


def _tables(store):
    inspector = inspect(store.engine)
    return [{"name": name, "columns": inspector.get_columns(name)} for name in inspector.get_table_names()]


def test_unused_column_helper_is_a_column():
    assert isinstance(migrations._id("x"), Column)
    assert isinstance(migrations._id("x").type, String)
