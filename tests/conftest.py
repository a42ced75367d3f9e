"""Shared fixtures: a store on SQLite and on the real PostgreSQL, and a small demo database.

PostgreSQL tests skip with a clear reason where no server runs, except under CI (CI=true), where a
missing server is a failure: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.dagen import DEMO_UNTIL, sleep_that_works_under_faketime

PG_BASE = os.environ.get("WIJKLEER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DEMO_SIZE = 300
_DEMO_FOLDER = pytest.StashKey[Path]()
_SNAPSHOT_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    sleep_that_works_under_faketime()
    # notebooks executed by nbval (and the browser tests' Voilà) read the database from the environment:
    # give them a demo region in a folder of this run's own, so two runs at once never share a file
    if "WIJKLEER_DB" not in os.environ:
        folder = Path(tempfile.mkdtemp(prefix="wijkleer-tests-"))
        config.stash[_DEMO_FOLDER] = folder
        path = folder / "demo.db"
        from wijkleer import demo
        from wijkleer.store import Store

        with Store(str(path)) as store:
            demo.generate(store, demo.Plan(size=DEMO_SIZE, until=DEMO_UNTIL))
        os.environ["WIJKLEER_DB"] = str(path)
    if "WIJKLEER_MOMENTOPNAME" not in os.environ:  # the overview's snapshots of this run's databases: in its folder
        snapshots = Path(tempfile.mkdtemp(prefix="wijkleer-momentopname-"))
        config.stash[_SNAPSHOT_FOLDER] = snapshots
        os.environ["WIJKLEER_MOMENTOPNAME"] = str(snapshots)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_DEMO_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("WIJKLEER_DB", None)
    snapshots = config.stash.get(_SNAPSHOT_FOLDER, None)
    if snapshots is not None:
        shutil.rmtree(snapshots, ignore_errors=True)
        os.environ.pop("WIJKLEER_MOMENTOPNAME", None)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_BASE)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means: no usable server here
        return str(exc).splitlines()[0]


def require_postgres() -> None:
    problem = _pg_available()
    if problem:
        message = f"PostgreSQL op 127.0.0.1:5432 niet bereikbaar: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message + " (onder CI mag deze test niet overgeslagen worden)")
        pytest.skip(message)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    require_postgres()
    schema = f"wijkleer_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        # a test that leaves a connection open must fail loudly here, not hang the run
        connection.execute(text("SET LOCAL lock_timeout = '20s'"))
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wijkleer.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str):
    from wijkleer.store import Store

    with Store(db_url) as opened:
        yield opened


@pytest.fixture
def make_knelpunt():
    from wijkleer.model import Knelpunt

    def make(**changes):
        data = dict(
            titel="Huurtoeslag stopt bij samenwonen",
            omschrijving="Gezinnen raken in de schulden.",
            wetten=["participatiewet"],
            categorie="wetten_botsen",
            leefgebieden=["financien"],
            ernst="hoog",
            aantal_casussen=4,
            bron="casusbespreking",
            team="Wijkteam Dijkhoven Noord",
            wijk="Noord",
            gemeente="Dijkhoven",
            datum=date(2026, 3, 2),
        )
        data.update(changes)
        return Knelpunt.make(**data)

    return make
