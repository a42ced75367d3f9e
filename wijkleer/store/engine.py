"""Engine plumbing: URL handling, the SQLite pragmas and BEGIN IMMEDIATE, retries, and turning
driver errors into WijkleerError. Nothing above the store sees SQLAlchemy or driver exceptions.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from wijkleer.errors import WijkleerError
from wijkleer.text import t

log = logging.getLogger("wijkleer.store")
T = TypeVar("T")
ATTEMPTS = 6
BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str) -> str:
    """A path becomes a SQLite URL; postgresql:// uses psycopg 3. Other schemes are refused."""
    url = url.strip()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    scheme = url.split("://", 1)[0]
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if scheme in ("sqlite", "postgresql+psycopg"):
        return url
    raise WijkleerError(t("store.url_onbekend", url=url), t("store.url_hint"))


def display_url(url: str) -> str:
    """The URL without a password, for screens and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    memory = database in (None, "", ":memory:")
    if not memory and not Path(database).parent.is_dir():
        raise WijkleerError(t("store.map_bestaat_niet", map=str(Path(database).parent)), t("store.url_hint"))
    options: dict = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    if memory:
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # let SQLAlchemy's "begin" event below decide how transactions start
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get("wijkleer_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=3)
    except ArgumentError as exc:
        raise WijkleerError(t("store.url_onbekend", url=display_url(url)), t("store.url_hint")) from exc


_TRANSIENT = ("database is locked", "database is busy", "database table is locked")
_TRANSIENT_PG = ("40001", "40P01")  # serialization failure, deadlock


def _is_transient(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return any(marker in text for marker in _TRANSIENT) or code in _TRANSIENT_PG


def not_found(model) -> WijkleerError:
    """The error for an object of ``model`` (an entity class) that is not in the database."""
    return WijkleerError(t("store.niet_gevonden", soort=t(f"soort.{model.table}")), t("store.niet_gevonden_hint"))


def translate(exc: Exception) -> WijkleerError:
    """A driver or SQLAlchemy error as a message a facilitator can act on. Detail goes to the log."""
    log.warning("databasefout: %s", exc)
    log.debug("details", exc_info=exc)
    if isinstance(exc, WijkleerError):
        return exc
    text = str(getattr(exc, "orig", exc)).lower()
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    if isinstance(exc, IntegrityError):
        return WijkleerError(t("store.verwijzing"), t("store.verwijzing_hint"))
    if "readonly" in text or "read-only" in text or code == "25006":
        return WijkleerError(t("store.alleen_lezen"), t("store.alleen_lezen_hint"))
    if "disk is full" in text or "disk full" in text or code.startswith("53"):
        return WijkleerError(t("store.schijf_vol"), t("store.schijf_vol_hint"))
    if "not a database" in text or "malformed" in text:
        return WijkleerError(t("store.geen_database"), t("store.geen_database_hint"))
    if any(marker in text for marker in _TRANSIENT) or code in _TRANSIENT_PG:
        return WijkleerError(t("store.bezet"), t("store.bezet_hint"))
    if "unable to open" in text or "connection" in text or code.startswith("08"):
        return WijkleerError(t("store.niet_bereikbaar"), t("store.niet_bereikbaar_hint"))
    return WijkleerError(t("store.fout"), t("store.fout_hint"))


def run(engine: Engine, work: Callable[[Connection], T], write: bool) -> T:
    """Run ``work`` in one short transaction; writes start with BEGIN IMMEDIATE on SQLite.

    Lock and serialization conflicts are retried a bounded number of times with jittered backoff;
    anything else, or a conflict that outlasts the retries, becomes a WijkleerError.
    """
    for attempt in range(ATTEMPTS):
        try:
            with engine.connect() as connection:
                if write:
                    connection.execution_options(wijkleer_write=True)
                with connection.begin():
                    return work(connection)
        except DBAPIError as exc:
            if attempt + 1 < ATTEMPTS and _is_transient(exc):
                log.warning("database bezet, poging %d: %s", attempt + 1, exc.orig)
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
                continue
            raise translate(exc) from exc
        except SQLAlchemyError as exc:
            raise translate(exc) from exc
    raise AssertionError("unreachable")
