"""One browser tab's kernel as an OS process: its own Store, one knelpunt per submit.

Run by the reliability tests as a script (pytest does not collect it). Protocol:

1. it opens ``Store(db)`` and prints ``ready``;
2. it reads one JSON line from stdin, ``{"unsure": [ids], "again": [ids]}``, and prints ``writing``;
3. it submits, one ``store.add`` (one transaction) each: the ``unsure`` ids (a submit that may
   or may not have reached the database before a crash, sent again with the same form), the
   ``again`` ids (acknowledged before; a double submit with other text must keep the stored
   row), then new knelpunten with client-generated ids ``<prefix>-00000``, ``<prefix>-00001``, …;
4. after ``store.add`` returned, the id is appended to the ack file and flushed (and fsync'ed with
   ``--fsync``): a line there is an acknowledged submit.

With ``--count`` it stops after that many new ids, re-submitting an own earlier id after every
``--again-every``-th one, and prints a JSON summary; without it, it submits until it is killed.
Any exception ends the process with a traceback and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from datetime import date

from wijkleer.model import Knelpunt
from wijkleer.store import Store

FIELDS = dict(
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
    datum=date(2025, 3, 2),
)
SECOND_CLICK = "Anders getypt bij tweede klik"
MAX_SECONDS = 60  # a writer that is never killed must not hang the test run


def title(knelpunt_id: str) -> str:
    """The title a first submit carries; the tests check every stored row still has it."""
    return f"Knelpunt {knelpunt_id}"


class StoreWarnings(logging.Handler):
    """Counts the store's warnings: in a writer that did not fail, retried lock conflicts."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        print(f"store warning: {record.getMessage()}", file=sys.stderr, flush=True)


class Submitter:
    def __init__(self, store: Store, ack_path: str, fsync: bool) -> None:
        self.store = store
        self.ack = open(ack_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process life
        self.fsync = fsync
        self.latencies: list[float] = []

    def submit(self, knelpunt_id: str, text: str) -> Knelpunt:
        knelpunt = Knelpunt.make(id=knelpunt_id, titel=text, **FIELDS)
        started = time.perf_counter()
        stored = self.store.add(knelpunt)
        self.latencies.append(round((time.perf_counter() - started) * 1000, 2))  # ms
        self.ack.write(knelpunt_id + "\n")
        self.ack.flush()
        if self.fsync:
            os.fsync(self.ack.fileno())
        return stored

    def again(self, knelpunt_id: str) -> None:
        """A double submit of an acknowledged id, with other text: the first row must stay."""
        stored = self.submit(knelpunt_id, SECOND_CLICK)
        if stored.titel != title(knelpunt_id):
            raise AssertionError(f"double submit of {knelpunt_id} changed it: {stored.titel!r}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("ack")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--count", type=int, help="new ids to submit; default: until killed")
    parser.add_argument("--again-every", type=int, default=0)
    parser.add_argument("--fsync", action="store_true")
    args = parser.parse_args()

    warnings = StoreWarnings()
    logging.getLogger("wijkleer.store").addHandler(warnings)
    store = Store(args.db)
    print("ready", flush=True)
    orders = json.loads(sys.stdin.readline())
    print("writing", flush=True)

    began = time.time()
    submitter = Submitter(store, args.ack, args.fsync)
    for knelpunt_id in orders.get("unsure", []):
        submitter.submit(knelpunt_id, title(knelpunt_id))
    for knelpunt_id in orders.get("again", []):
        submitter.again(knelpunt_id)

    rng = random.Random(args.prefix)
    new_ids: list[str] = []
    while args.count is None or len(new_ids) < args.count:
        if args.count is None and time.time() - began > MAX_SECONDS:
            print(f"not killed within {MAX_SECONDS} s", file=sys.stderr)
            return 3
        knelpunt_id = f"{args.prefix}-{len(new_ids):05d}"
        submitter.submit(knelpunt_id, title(knelpunt_id))
        new_ids.append(knelpunt_id)
        if args.again_every and len(new_ids) % args.again_every == 0:
            submitter.again(knelpunt_id)  # the double click
            submitter.again(rng.choice(new_ids))  # the same form sent again later

    summary = {
        "began": began,
        "ended": time.time(),
        "submits": len(submitter.latencies),
        "store_warnings": warnings.count,
        "latencies_ms": submitter.latencies,
    }
    print(json.dumps(summary), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
