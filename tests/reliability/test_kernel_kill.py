"""A workbook's kernel killed with SIGKILL while it submits the knelpuntenlogboek's form, over and over.

tests/reliability/test_sqlite_kill.py kills a plain writer process that calls ``store.add``. This one kills what a
browser tab really runs: an ipykernel (started by jupyter_client, as Voilà starts one per tab) in which the logbook
view (``wijkleer.views.logboek.Logboek``) is built and its form filled in and submitted in a loop — the widgets, the
privacy gate, the similar-knelpunten lookup that typing triggers, and the store. The kernel is killed at a random
moment, a fresh one takes over, and so on.

Afterwards the file must pass ``PRAGMA integrity_check`` and ``foreign_key_check``, every stored knelpunt must have
exactly its first loop event, no knelpunt may be half stored (every field as typed), every submit whose
confirmation the kernel saw must be stored, and a stored but unconfirmed one can only be the submit a kill cut off.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import statistics
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from wijkleer.model import Knelpunt, Team
from wijkleer.store import Store

pytestmark = pytest.mark.reliability

KILLS = 12
DELAY = (0.05, 1.2)  # seconds after the loop began: a few submits, and the kill usually inside one
AHEAD = 2  # kernels started and set up while the current one submits (a start costs more than a life)
READY_TIMEOUT = 90.0
TEAM = Team.make(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Lingestroom")
ORPHANS = """SELECT k.id FROM knelpunt k
             LEFT JOIN status_event e ON e.knelpunt_id = k.id AND e.volgnummer = 1 WHERE e.id IS NULL"""

# runs in the kernel: the real view, filled in and submitted the way a person does, one confirmed title per line
SETUP = """
import os, time
from datetime import date
from wijkleer.store import Store
from wijkleer.views.logboek import Logboek

store = Store({db!r})
book = Logboek(store, {team!r})
acks = open({acks!r}, "a", encoding="utf-8")

def omschrijving(titel):
    return f"Wat {{titel}} tegenhoudt: de wachttijd voor specialistische hulp is te lang. " * 8

def fill(titel):
    book.titel.widget.value = titel
    book.omschrijving.widget.value = omschrijving(titel).strip()
    book.wetten.value = ["wmo", "jeugd"]
    book.leefgebieden.value = ["psychisch"]
    book.categorie.widget.value = "wachtlijst"
    book.ernst.widget.value = "hoog"
    book.aantal.widget.value = 3
    book.bron.widget.value = "casusbespreking"
    book.datum.widget.value = date(2026, 10, 1)

def submit_until_killed(life, seconds=60):
    open({started!r}.format(life=life), "w").close()
    began, n = time.time(), 0
    while time.time() - began < seconds:
        titel = f"Knelpunt {{life}} nummer {{n:05d}}"
        with open({attempt!r}.format(life=life), "w") as attempt:
            attempt.write(titel)
        fill(titel)
        book.form.submit()
        if "Opgeslagen" not in book.form.message.value:
            raise RuntimeError(book.form.message.value)
        acks.write(titel + "\\n")
        acks.flush()
        os.fsync(acks.fileno())
        n += 1
    raise RuntimeError("not killed in time")
"""


def _as_stored(k: Knelpunt) -> tuple:
    return k.omschrijving, k.wetten, k.leefgebieden, k.categorie, k.ernst, k.aantal_casussen, k.bron, k.team


def _as_typed(titel: str) -> tuple:
    return omschrijving(titel), ["wmo", "jeugd"], ["psychisch"], "wachtlijst", "hoog", 3, "casusbespreking", TEAM.naam


def omschrijving(titel: str) -> str:
    """What the kernel typed as the description of ``titel`` (as SETUP does)."""
    return (f"Wat {titel} tegenhoudt: de wachttijd voor specialistische hulp is te lang. " * 8).strip()


class Kernel:
    """One tab's kernel with the logbook built in it, ready to submit."""

    def __init__(self, folder: Path, db: Path, life: int) -> None:
        self.life, self.folder = life, folder
        self.log_path = folder / f"kernel-{life}.log"
        self.manager = KernelManager(kernel_name="python3")
        with self.log_path.open("wb") as log:  # the kernel's own output, out of the test's
            self.manager.start_kernel(cwd=str(folder), env={**os.environ, "QUERY_STRING": ""}, stdout=log,
                                      stderr=subprocess.STDOUT)  # fmt: skip
        self.client = self.manager.client()
        self.client.start_channels()
        self.setup_id: str | None = None
        self.db = db

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def set_up(self) -> None:
        """Send the set-up (import, open the store, build the view); runs while the test does other things."""
        code = SETUP.format(db=str(self.db), team=TEAM.naam, acks=str(self.folder / "acks.txt"),
                            started=str(self.folder / "started-{life}"),
                            attempt=str(self.folder / "attempt-{life}"))  # fmt: skip
        self.client.wait_for_ready(timeout=READY_TIMEOUT)
        self.setup_id = self.client.execute(code, store_history=False)

    def wait_set_up(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == self.setup_id:
                content = reply["content"]
                assert content["status"] == "ok", f"set-up failed in the kernel: {content.get('evalue')}\n{self.tail()}"
                return
        pytest.fail(f"the kernel's set-up did not finish\n{self.tail()}")

    def tail(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]

    def start_submitting(self) -> None:
        self.client.execute(f"submit_until_killed({self.life})", store_history=False)
        started = self.folder / f"started-{self.life}"
        deadline = time.monotonic() + 30
        while not started.exists():
            assert time.monotonic() < deadline, "the kernel did not start submitting"
            assert self.manager.is_alive(), "the kernel died by itself"
            time.sleep(0.01)

    def kill(self) -> None:
        assert self.manager.is_alive(), f"the kernel ended before it was killed (an error in the loop?)\n{self.tail()}"
        os.kill(self.pid, signal.SIGKILL)
        self.manager.provisioner.process.wait(timeout=30)
        self.stop()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        with contextlib.suppress(Exception):
            if self.manager.is_alive():
                os.kill(self.pid, signal.SIGKILL)
            self.manager.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            self.manager.cleanup_resources()


@dataclass
class KillLog:
    cut_short: set[str] = field(default_factory=set)  # per life: the title it was submitting when killed
    per_life: list[int] = field(default_factory=list)  # confirmed submits per life
    waited: float = 0.0  # for kernels to be set up


@pytest.fixture
def kernels():
    started: list[Kernel] = []
    yield started
    for kernel in started:
        kernel.stop()


def _acks(folder: Path) -> list[str]:
    path = folder / "acks.txt"
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.exists() else []  # a cut-off line: no ack


def test_killing_a_kernel_mid_submit_leaves_no_partial_entry(tmp_path, kernels, record_figures):
    db = tmp_path / "wijkleer.db"
    with Store(str(db)) as store:
        store.add(TEAM)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    log = KillLog()
    began = time.monotonic()

    def start(life: int) -> Kernel:
        kernel = Kernel(tmp_path, db, life)
        kernels.append(kernel)
        kernel.set_up()
        return kernel

    pending = deque(start(life) for life in range(AHEAD))
    for life in range(KILLS):
        kernel = pending.popleft()
        waiting = time.monotonic()
        kernel.wait_set_up()
        log.waited += time.monotonic() - waiting
        before = len(_acks(tmp_path))
        kernel.start_submitting()
        if life + AHEAD < KILLS:
            pending.append(start(life + AHEAD))
        time.sleep(rng.uniform(*DELAY))
        kernel.kill()
        log.per_life.append(len(_acks(tmp_path)) - before)
        attempt = tmp_path / f"attempt-{life}"
        if attempt.exists():
            log.cut_short.add(attempt.read_text(encoding="utf-8"))
    elapsed = time.monotonic() - began
    acked = _acks(tmp_path)

    with Store(str(db)) as store, store.engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        broken_references = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        orphans = connection.exec_driver_sql(ORPHANS).all()
        events = connection.exec_driver_sql("SELECT knelpunt_id, volgnummer, status FROM status_event").all()
        stored = store.list(Knelpunt)

    titles = [k.titel for k in stored]
    assert integrity == "ok"
    assert broken_references == [] and orphans == []
    assert sorted(events) == sorted((k.id, 1, "gesignaleerd") for k in stored), "a knelpunt without one first event"
    assert len(set(titles)) == len(titles), "a submit stored twice"
    half = [k.titel for k in stored if _as_stored(k) != _as_typed(k.titel)]
    assert half == [], f"half stored: {half[:3]}"
    assert set(acked) <= set(titles), f"confirmed but lost: {sorted(set(acked) - set(titles))[:3]}"
    unconfirmed = set(titles) - set(acked)
    assert unconfirmed <= log.cut_short, "stored without confirmation, yet no kill cut it off"
    assert len(acked) >= KILLS, "the kernels hardly submitted: the kills proved little"

    with Store(str(db)) as store:  # the file stays usable after all the crashes
        assert store.count(Knelpunt) == len(stored)

    record_figures(
        [
            f"kills: {KILLS} x SIGKILL of an ipykernel running the logbook view's submit loop, "
            f"{DELAY[0] * 1000:.0f}-{DELAY[1] * 1000:.0f} ms after it began (seed {seed})",
            f"confirmed submits: {len(acked)}; per life min/median/max {min(log.per_life)}/"
            f"{statistics.median(log.per_life):.0f}/{max(log.per_life)}; lost: 0",
            f"stored without confirmation (committed, then killed before the kernel saw it): {len(unconfirmed)}",
            f"rows: {len(stored)} knelpunt, {len(events)} status_event; half stored: 0; orphans: 0",
            f"integrity_check: {integrity}; foreign_key_check: {len(broken_references)} problems",
            f"elapsed: {elapsed:.1f} s ({log.waited:.1f} s waiting for kernels to be set up)",
        ]
    )
