"""Faults under the knelpuntenlogboek's form, driven in-process the way tests/test_logboek.py drives it: the
database becomes unreachable, read-only or full while someone is filling in a knelpunt.

Each time the person presses "Knelpunt opslaan" and then sees the clear Dutch message (with its "Probeer: …"), every
field still holds what they typed, the button works again, nothing reached the database (no knelpunt, and no
knelpunt without its first loop event), the file passes ``PRAGMA integrity_check`` — and once the fault is gone the
same click stores the knelpunt exactly once.

How each fault is made real, not mocked:
- unreachable: PostgreSQL behind a small TCP relay in this process that is cut (as a network or server going away),
  and a URL to a closed port when the workbook starts;
- read-only: SQLite with ``PRAGMA query_only`` on every new connection (SQLite's own SQLITE_READONLY error; as root,
  file modes do not stop writes, and an open WAL database keeps writing through an immutable or remounted file);
  PostgreSQL with ``default_transaction_read_only`` (SQLSTATE 25006);
- disk full: SQLite with ``PRAGMA max_page_count`` at the file's current size (SQLITE_FULL), and a real 512 kB
  tmpfs filled up (ENOSPC; needs permission to mount); PostgreSQL with a trigger on the knelpunt's first loop event
  that raises ``disk_full`` (SQLSTATE 53100), so the knelpunt row written just before it must be rolled back.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from tests.support.widgets import html_of
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.store import Store
from wijkleer.text import t
from wijkleer.views import logboek as view
from wijkleer.views.common import esc

TEAM = Team.make(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Lingestroom")
TYPED = dict(
    titel="Wachtlijst specialistische GGZ blokkeert opschalen",
    # near the 4000 characters allowed: longer than a 4 kB page, so storing it needs a new page of the file
    omschrijving=" ".join(["De wachttijd voor specialistische GGZ is meer dan een half jaar."] * 59),
    wetten=["wmo", "jeugd"], categorie="wachtlijst", leefgebieden=["psychisch"], ernst="hoog", aantal_casussen=3,
    bron="casusbespreking", datum=date(2026, 10, 1),
)  # fmt: skip
ORPHANS = """SELECT k.id FROM knelpunt k
             LEFT JOIN status_event e ON e.knelpunt_id = k.id AND e.volgnummer = 1 WHERE e.id IS NULL"""


# -- the person at the form ----------------------------------------------------------------------------------------


def fill(book: view.Logboek) -> dict:
    book.titel.widget.value = TYPED["titel"]
    book.omschrijving.widget.value = TYPED["omschrijving"]
    for code, box in book.wetten.boxes.items():
        box.value = code in TYPED["wetten"]
    for code, box in book.leefgebieden.boxes.items():
        box.value = code in TYPED["leefgebieden"]
    book.categorie.widget.value = TYPED["categorie"]
    book.ernst.widget.value = TYPED["ernst"]
    book.aantal.widget.value = TYPED["aantal_casussen"]
    book.bron.widget.value = TYPED["bron"]
    book.datum.widget.value = TYPED["datum"]
    typed = book.form.values()
    assert set(typed["wetten"]) == set(TYPED["wetten"]) and typed["titel"] == TYPED["titel"]
    return typed


def rows(store: Store) -> tuple[int, int]:
    return store.count(Knelpunt), store.count(StatusEvent)


def assert_intact(store: Store) -> None:
    """No knelpunt without its first loop event; on SQLite the file passes its integrity check."""
    with store.engine.connect() as connection:
        assert connection.execute(text(ORPHANS)).all() == []
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def submit_during_fault(
    book: view.Logboek, store: Store, typed: dict, key: str, counted: tuple[int, int] | None
) -> None:
    """Press save while the fault lasts: the message for ``key``, everything typed kept, nothing written (checked
    here when the database can still be read, else by the caller once it can)."""
    book.form.submit()
    message = book.form.message.value
    assert esc(t(f"store.{key}")) in message, message
    assert esc(t("app.probeer", hint=t(f"store.{key}_hint"))) in message
    assert 'role="alert"' in message and "Traceback" not in html_of(book.box)
    assert book.form.values() == typed, "what was typed is lost"
    assert not book.form.button.disabled
    if counted is not None:
        assert rows(store) == counted


def submit_after_fault(book: view.Logboek, store: Store, counted: tuple[int, int]) -> None:
    """The same click once the fault is gone: stored once, with its first loop event."""
    book.form.submit()
    assert "Opgeslagen" in book.form.message.value, book.form.message.value
    book.form._saved = (float("-inf"), {})  # not a double click: a second, deliberate save of the same form
    assert rows(store) == (counted[0] + 1, counted[1] + 1)
    [stored] = store.list(Knelpunt, titel=TYPED["titel"])
    assert stored.omschrijving == TYPED["omschrijving"] and stored.team == TEAM.naam
    assert_intact(store)


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'wijkleer.db'}") as store:
        store.add(TEAM)
        yield store


def open_book(store: Store, monkeypatch) -> view.Logboek:
    monkeypatch.setenv("QUERY_STRING", "")
    book = view.Logboek(store, TEAM.naam)
    for index in range(len(book.tabs.children)):  # every tab once, as people do: all its reads succeed
        book.tabs.selected_index = index
    return book


@contextlib.contextmanager
def on_new_connections(store: Store, statement: str) -> Iterator[None]:
    """Run ``statement`` on every connection the store opens from now on (open ones are closed first)."""

    def run(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()  # PostgreSQL: a SET inside a transaction that is rolled back would not last

    event.listen(store.engine, "connect", run)
    store.engine.dispose()
    try:
        yield
    finally:
        event.remove(store.engine, "connect", run)
        store.engine.dispose()


# -- unreachable -----------------------------------------------------------------------------------------------------


def test_a_database_unreachable_at_start_shows_a_dutch_message(monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("WIJKLEER_DB", f"postgresql://wijkleer@127.0.0.1:{port}/wijkleer")
    shown = html_of(view.app())
    assert esc(t("store.niet_bereikbaar")) in shown and "Probeer:" in shown
    assert "Traceback" not in shown and "psycopg" not in shown and "Connection refused" not in shown


class Relay:
    """A TCP relay on 127.0.0.1 to the PostgreSQL server: ``cut()`` drops every connection and stops listening,
    ``restore()`` listens again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.links: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self.port, self._listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            server = socket.create_connection(self.target)
            self.links += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        for link in self.links:
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
            link.close()
        self.links = []


@pytest.mark.postgres
def test_postgres_going_away_mid_form_keeps_what_was_typed(pg_url, monkeypatch):
    url = make_url(pg_url)
    relay = Relay((url.host, url.port or 5432))
    relay.restore()
    try:
        with Store(url.set(port=relay.port).render_as_string(hide_password=False)) as store:
            store.add(TEAM)
            book = open_book(store, monkeypatch)
            typed, counted = fill(book), rows(store)
            relay.cut()  # the network or the server goes away while the form is being filled in
            submit_during_fault(book, store, typed, "niet_bereikbaar", None)
            relay.restore()
            assert rows(store) == counted
            assert_intact(store)
            submit_after_fault(book, store, counted)
    finally:
        relay.cut()


# -- read-only -------------------------------------------------------------------------------------------------------


def test_a_read_only_sqlite_database_keeps_the_form_and_the_file(sqlite_store, monkeypatch):
    book = open_book(sqlite_store, monkeypatch)
    typed, counted = fill(book), rows(sqlite_store)
    with on_new_connections(sqlite_store, "PRAGMA query_only = ON"):
        submit_during_fault(book, sqlite_store, typed, "alleen_lezen", counted)
        assert_intact(sqlite_store)
    submit_after_fault(book, sqlite_store, counted)


@pytest.mark.postgres
def test_a_read_only_postgres_database_keeps_the_form(pg_url, monkeypatch):
    with Store(pg_url) as store:
        store.add(TEAM)
        book = open_book(store, monkeypatch)
        typed, counted = fill(book), rows(store)
        with on_new_connections(store, "SET default_transaction_read_only = on"):
            submit_during_fault(book, store, typed, "alleen_lezen", counted)
        submit_after_fault(book, store, counted)


# -- disk full -------------------------------------------------------------------------------------------------------


def test_a_full_sqlite_database_keeps_the_form_and_the_file(sqlite_store, monkeypatch):
    book = open_book(sqlite_store, monkeypatch)
    typed, counted = fill(book), rows(sqlite_store)
    with sqlite_store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    with on_new_connections(sqlite_store, f"PRAGMA max_page_count = {pages}"):  # not one page more
        submit_during_fault(book, sqlite_store, typed, "schijf_vol", counted)
        assert_intact(sqlite_store)
    submit_after_fault(book, sqlite_store, counted)


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[Path]:
    """A 512 kB tmpfs, unmounted afterwards; skipped where mounting is not allowed."""
    folder = tmp_path / "schijf"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"een kleine tmpfs aankoppelen mag hier niet: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk_keeps_the_form_and_the_file(tiny_disk, monkeypatch):
    with Store(f"sqlite:///{tiny_disk / 'wijkleer.db'}") as store:
        store.add(TEAM)
        book = open_book(store, monkeypatch)
        typed = fill(book)
        ballast = tiny_disk / "ballast"
        with contextlib.suppress(OSError), ballast.open("wb", buffering=0) as filler:  # the rest of the disk fills up
            while True:
                filler.write(b"\0" * 4096)
        counted = rows(store)
        submit_during_fault(book, store, typed, "schijf_vol", counted)
        assert_intact(store)
        ballast.unlink()  # someone makes room
        submit_after_fault(book, store, counted)


@pytest.mark.postgres
def test_a_full_postgres_disk_rolls_back_the_half_written_knelpunt(pg_url, monkeypatch):
    with Store(pg_url) as store:
        store.add(TEAM)
        book = open_book(store, monkeypatch)
        typed, counted = fill(book), rows(store)
        with store.engine.begin() as connection:  # the knelpunt row is written, then its first event cannot be
            connection.exec_driver_sql(
                "CREATE FUNCTION schijf_vol() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
                "END $$"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER schijf_vol BEFORE INSERT ON status_event FOR EACH ROW EXECUTE FUNCTION schijf_vol()"
            )
        submit_during_fault(book, store, typed, "schijf_vol", counted)
        assert_intact(store)
        with store.engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER schijf_vol ON status_event")
        submit_after_fault(book, store, counted)


# -- a bug -----------------------------------------------------------------------------------------------------------


def test_a_bug_under_the_form_is_one_sentence_and_keeps_the_form(sqlite_store, monkeypatch, caplog):
    """Not a database fault but a programming error: logged for the administrator, one sentence for the person."""
    book = open_book(sqlite_store, monkeypatch)
    typed, counted = fill(book), rows(sqlite_store)

    def broken(*_args, **_kwargs):
        raise RuntimeError("interne-fout-geheim in /pad/naar/bron.py")

    monkeypatch.setattr(view.logboek, "submit", broken)
    book.form.submit()
    message = book.form.message.value
    assert esc(t("app.onverwacht")) in message and esc(t("app.onverwacht_hint")) in message
    assert "interne-fout-geheim" not in html_of(book.box) and "RuntimeError" not in html_of(book.box)
    assert book.form.values() == typed and not book.form.button.disabled
    assert rows(sqlite_store) == counted
    assert "interne-fout-geheim" in caplog.text  # the details are in the log
    monkeypatch.undo()  # fixed: the same click stores it
    submit_after_fault(book, sqlite_store, counted)
