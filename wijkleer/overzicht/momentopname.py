"""The policy overview's shared snapshot: what the overview counts, as column files every dashboard tab maps into
memory (``numpy.load(mmap_mode="r")``) instead of loading its own copy. Built once per database, refreshed with
only what changed when the store's high-water mark (``Store.mark``) moved.

What it holds: per knelpunt small integer codes of the dimensions the overview shows (category, law, municipality,
team, …), its quarter, number of cases, record key, and the loop's facts (working days to acknowledgement and
answer, the due dates, answered, confirmed, open, closed), all computed by ``wijkleer.metrics``. Never a title, a
description or any other free text; its ids only as a 64-bit hash, for the refresh. Verdicts that change with the
calendar (late and still open) are not stored: a tab derives them for its own day from the due dates.

Many kernels may open it at once: one builds (an exclusive lock file), the others wait and then read; a new
version is written to a folder of its own and made current by replacing one small pointer file, so a tab that
mapped the previous version keeps reading it undisturbed. Without a writable folder the snapshot is built in
memory, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from wijkleer import loop, metrics
from wijkleer.paths import cache_folders, data_dir
from wijkleer.store import Mark, Store

log = logging.getLogger("wijkleer.momentopname")

LAYOUT = 1  # the files' layout; a new layout is a new folder name
SINGLE = ("categorie", "ernst", "bron", "afdeling", "gemeente", "team", "wijk", "status")
MULTI = {"wet": "wetten", "leefgebied": "leefgebieden"}  # dimension -> stored JSON list
COLUMNS = ("id", *SINGLE, "wetten", "leefgebieden", "datum", "aantal_casussen")
GEEN = "-"  # the code of an empty value (a knelpunt not yet sent to a department)
# the loop facts of one knelpunt, one bit each; late-and-open is derived per day from the due dates
FACTS = ("ontvangen", "beantwoord", "getoetst", "open", "gesloten")
NUMBERS = {
    "kwartaal": np.int16,
    "casussen": np.int32,
    "sleutel": np.uint8,
    "ontvangst_dagen": np.int16,
    "antwoord_dagen": np.int16,
    "ontvangst_uiterlijk": np.int32,
    "antwoord_uiterlijk": np.int32,
    "feiten": np.uint8,
    "id_hash": np.uint64,
}
POINTER = "huidig.json"
KEEP = 2  # versions kept on disk: the current one and the one before (tabs that mapped it keep reading it)


@dataclass
class Snapshot:
    """One version of the snapshot: the columns (mapped files or, without a folder, arrays) and what they mean."""

    columns: dict[str, np.ndarray]
    levels: dict[str, list[str]]  # per single-valued dimension: code -> value
    lists: dict[str, list[str]]  # per multi-valued dimension: list code -> the stored JSON list
    mark: Mark
    fingerprint: str

    def __len__(self) -> int:
        return len(self.columns["kwartaal"])


# -- where ---------------------------------------------------------------------------------------------------
def folder(store: Store) -> Path | None:
    """The snapshot folder of ``store``'s database (``$WIJKLEER_MOMENTOPNAME`` or the cache folder), or None when
    no folder can be written."""
    configured = os.environ.get("WIJKLEER_MOMENTOPNAME")
    bases = [Path(configured)] if configured else [base / "momentopname" for base in cache_folders()]
    name = hashlib.sha256(store.display_url.encode()).hexdigest()[:20]
    for base in bases:
        with contextlib.suppress(OSError):
            (base / name).mkdir(parents=True, exist_ok=True)
            if os.access(base / name, os.W_OK):
                return base / name
    return None


def fingerprint() -> str:
    """What the stored facts depend on besides the database: the files' layout and the reaction terms (the due
    dates follow ``data/taxonomie.toml``). A change means a full rebuild."""
    try:
        terms = (data_dir() / "taxonomie.toml").read_bytes()
    except OSError:
        terms = b""
    return f"{LAYOUT}-{hashlib.sha256(terms).hexdigest()[:16]}"


# -- opening -------------------------------------------------------------------------------------------------
def current(store: Store) -> Snapshot:
    """The snapshot of ``store`` as it is now: the stored one if its mark is the store's, else refreshed (by this
    process, or by another one that holds the lock; then read)."""
    mark = store.mark()
    place = folder(store)
    if place is None:
        log.warning("geen map voor de momentopname: de gegevens worden in het geheugen van dit tabblad opgebouwd")
        return build(store, mark)
    found = _read(place)
    if found is not None and found.mark == mark and found.fingerprint == fingerprint():
        return found
    with _lock(place):
        found = _read(place)  # another process may have refreshed it while this one waited
        if found is not None and found.mark == mark and found.fingerprint == fingerprint():
            return found
        usable = found is not None and found.mark.database_id == mark.database_id
        usable = usable and found.fingerprint == fingerprint() and found.mark.teller <= mark.teller
        made = refresh(store, found, mark) if usable else build(store, mark)
        _write(place, made)
        _prune(place)
    return _read(place) or made


def _read(place: Path) -> Snapshot | None:
    for _attempt in range(3):  # a version can be pruned between reading the pointer and opening its files
        try:
            pointer = json.loads((place / POINTER).read_text(encoding="utf-8"))
            version = place / pointer["map"]
            meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
            columns = {name: np.load(version / f"{name}.npy", mmap_mode="r") for name in meta["kolommen"]}
        except FileNotFoundError:
            time.sleep(0.05)
            continue
        except (OSError, ValueError, KeyError) as exc:
            log.warning("momentopname onleesbaar, wordt opnieuw gemaakt: %s", exc)
            return None
        mark = Mark(meta["database_id"], meta["teller"])
        return Snapshot(columns, meta["levels"], meta["lists"], mark, meta["vingerafdruk"])
    return None


@contextlib.contextmanager
def _lock(place: Path):
    """One builder at a time per database (other kernels wait here, then read what it wrote)."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks (Windows): each process builds its own, still written atomically
        yield
        return
    with open(place / "bouw.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(place: Path, snapshot: Snapshot) -> None:
    """Write a new version to its own folder, then make it current by replacing the pointer (atomic)."""
    temporary = Path(tempfile.mkdtemp(dir=place, prefix="bouw-"))
    try:
        for name, values in snapshot.columns.items():
            np.save(temporary / f"{name}.npy", np.ascontiguousarray(values))
        meta = {
            "database_id": snapshot.mark.database_id,
            "teller": snapshot.mark.teller,
            "levels": snapshot.levels,
            "lists": snapshot.lists,
            "vingerafdruk": snapshot.fingerprint,
            "kolommen": list(snapshot.columns),
        }
        (temporary / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        name = f"v{snapshot.mark.teller}-{temporary.name[5:]}"
        os.rename(temporary, place / name)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    handle, pointer = tempfile.mkstemp(dir=place, prefix="huidig-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"map": name}, out)
    os.replace(pointer, place / POINTER)


def _prune(place: Path) -> None:
    versions = sorted((p for p in place.iterdir() if p.is_dir() and p.name.startswith("v")), key=os.path.getmtime)
    for old in versions[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in place.glob("bouw-*"):  # a builder killed half-way
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)


# -- building --------------------------------------------------------------------------------------------------
class Codes:
    """Values -> small integer codes, in first-seen order; extended (never renumbered) by a refresh."""

    def __init__(self, values: list[str] | None = None) -> None:
        self.values = list(values or [])
        self.index = {value: code for code, value in enumerate(self.values)}

    def encode(self, column: pd.Series) -> np.ndarray:
        categorical = pd.Categorical(column.fillna(GEEN).astype(str))
        lookup = np.array([self.code(value) for value in categorical.categories], dtype=np.int64)
        return lookup[categorical.codes] if len(lookup) else np.zeros(len(column), dtype=np.int64)

    def code(self, value: str) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


def build(store: Store, mark: Mark) -> Snapshot:
    """Every knelpunt of ``store`` from scratch (the history summarised in the database, the loop figures by
    ``wijkleer.metrics``)."""
    codes = {name: Codes() for name in (*SINGLE, *MULTI)}
    parts: list[dict[str, np.ndarray]] = []
    store.loop_summary(COLUMNS, lambda chunk: parts.append(_encode(chunk, codes)))
    columns = {
        name: np.concatenate([p[name] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        for name in (*_code_names(), *NUMBERS)
    }
    return _finish(columns, codes, mark)


def refresh(store: Store, old: Snapshot, mark: Mark) -> Snapshot:
    """``old`` with the knelpunten changed since its mark read again: changed ones replaced where they are, new
    ones appended. Codes only grow, so the tabs' filters and the old version stay valid."""
    codes = {name: Codes(old.levels[name]) for name in SINGLE} | {name: Codes(old.lists[name]) for name in MULTI}
    parts: list[dict[str, np.ndarray]] = []
    store.loop_summary(COLUMNS, lambda chunk: parts.append(_encode(chunk, codes)), since=old.mark.teller)
    columns = {
        name: np.array(values, dtype=np.int64 if name in _code_names() else values.dtype)
        for name, values in old.columns.items()
    }
    if parts:
        changed = {name: np.concatenate([p[name] for p in parts]) for name in columns}
        order = np.argsort(columns["id_hash"], kind="stable")
        place = np.searchsorted(columns["id_hash"], changed["id_hash"], sorter=order)
        place = np.minimum(place, max(len(order) - 1, 0))
        found = (columns["id_hash"][order[place]] == changed["id_hash"]) if len(order) else np.zeros(0, bool)
        positions = order[place[found]]
        for name in columns:
            columns[name][positions] = changed[name][found]
            columns[name] = np.concatenate([columns[name], changed[name][~found]])
        log.info("momentopname ververst: %d gewijzigd, %d nieuw", int(found.sum()), int((~found).sum()))
    return _finish(columns, codes, mark)


def _code_names() -> tuple[str, ...]:
    return (*(f"code_{name}" for name in SINGLE), *(f"lijst_{name}" for name in MULTI))


def _finish(columns: dict[str, np.ndarray], codes: dict[str, Codes], mark: Mark) -> Snapshot:
    """The columns in their smallest types (codes: by how many values there are)."""
    for name in _code_names():
        size = len(codes[name.split("_", 1)[1]].values)
        columns[name] = columns[name].astype(np.uint8 if size <= 255 else np.uint16 if size <= 65535 else np.int32)
    for name, kind in NUMBERS.items():
        columns[name] = columns[name].astype(kind)
    levels = {name: codes[name].values for name in SINGLE}
    lists = {name: codes[name].values for name in MULTI}
    return Snapshot(columns, levels, lists, mark, fingerprint())


def _encode(chunk: pd.DataFrame, codes: dict[str, Codes]) -> dict[str, np.ndarray]:
    # a wijk name (Centrum, Dorp) recurs in many municipalities: a wijk is counted with its municipality
    chunk = chunk.assign(wijk=chunk["wijk"] + " (" + chunk["gemeente"] + ")")
    arrays = {f"code_{name}": codes[name].encode(chunk[name]) for name in SINGLE}
    for name, column in MULTI.items():
        arrays[f"lijst_{name}"] = codes[name].encode(chunk[column])  # a code per distinct list; values follow
    day = pd.to_datetime(chunk["datum"])
    arrays["kwartaal"] = (day.dt.year * 4 + day.dt.quarter - 1).to_numpy()
    arrays["casussen"] = chunk["aantal_casussen"].to_numpy()
    arrays["sleutel"] = record_keys(chunk["id"])
    arrays["id_hash"] = id_hashes(chunk["id"])
    # the calendar's day does not matter here: only facts that stay true are kept
    facts = metrics.facts(chunk, date.today())
    for step in ("ontvangst", "antwoord"):
        arrays[f"{step}_dagen"] = facts[f"{step}_dagen"].fillna(-1).to_numpy()  # working days; -1: not taken
        due = facts[f"{step}_uiterlijk"].to_numpy(dtype="datetime64[D]")
        arrays[f"{step}_uiterlijk"] = due.astype(np.int64)  # days since 1970-01-01
    flags = {name: facts[name].to_numpy(dtype=bool) for name in ("beantwoord", "getoetst", "open")}
    flags["ontvangen"] = chunk["ontvangen"].notna().to_numpy()
    flags["gesloten"] = chunk["status"].isin(loop.CLOSED).to_numpy()
    arrays["feiten"] = sum(flags[name].astype(np.uint8) << bit for bit, name in enumerate(FACTS))
    return arrays


def record_keys(ids: pd.Series) -> np.ndarray:
    """Each record's fixed random key 0–255 for the cell-key method (``wijkleer.privacy.disclosure.perturb``),
    from its id: the same knelpunt (or rating) has the same key in every kernel and every run."""
    return (pd.util.hash_pandas_object(pd.Series(ids, dtype=object), index=False).to_numpy() % 256).astype(np.uint8)


def id_hashes(ids: pd.Series) -> np.ndarray:
    """A 64-bit hash of each id (with a salt of its own, unrelated to the record key): where a changed knelpunt is."""
    return pd.util.hash_pandas_object(pd.Series(ids, dtype=object), index=False, hash_key="wijkleer-snapsht").to_numpy()


def late_open(snapshot: Snapshot, today: date) -> tuple[np.ndarray, np.ndarray]:
    """Per knelpunt: late and still open for acknowledgement, and for an answer, on ``today`` (``metrics``
    decides; the snapshot only gives the due dates and facts)."""
    facts = snapshot.columns["feiten"]
    closed = (facts >> FACTS.index("gesloten")) & 1 == 1
    result = []
    for step, done in (("ontvangst", "ontvangen"), ("antwoord", "beantwoord")):
        finished = (facts >> FACTS.index(done)) & 1 == 1
        due = snapshot.columns[f"{step}_uiterlijk"].astype("datetime64[D]")
        result.append(metrics.late_open(finished, closed, due, today))
    return result[0], result[1]
