"""The knelpunten of a store held column-wise for the policy overview: one small integer code per dimension, a
filter as the positions it selects, a count as a ``numpy.bincount`` of the codes there — a few milliseconds even at
national scale (a million knelpunten).

``Gegevens.load`` opens the shared snapshot (``wijkleer.overzicht.momentopname``: column files every tab maps into
memory, refreshed when the store's high-water mark moves) and adds what depends on the day (late and still open).
Raw counts stay in this package: views get only the protected tables of ``wijkleer.overzicht.tabellen``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from wijkleer.model import Team
from wijkleer.overzicht import momentopname
from wijkleer.overzicht.momentopname import GEEN, record_keys
from wijkleer.store import Store

SINGLE = {
    "categorie": "categorie",
    "ernst": "ernst",
    "bron": "bron",
    "afdeling": "afdeling",
    "gemeente": None,
    "team": None,
    "wijk": None,
    "status": None,
}
# dimensions where one knelpunt can count under several values (stored as a JSON list)
MULTI = {"wet": ("wetten", "wet"), "leefgebied": ("leefgebieden", "leefgebied")}
assert tuple(SINGLE) == momentopname.SINGLE and tuple(MULTI) == tuple(momentopname.MULTI)
__all__ = ["GEEN", "MULTI", "SINGLE", "Filter", "Gegevens", "record_keys"]


@dataclass(frozen=True)
class Filter:
    """What a policy officer selected. None means everything; ``van``/``tot`` are quarter numbers
    (``year * 4 + quarter - 1``) so a period is always whole quarters (no differencing by single days)."""

    regio: str | None = None
    gemeente: str | None = None
    categorie: str | None = None
    van: int | None = None
    tot: int | None = None


class Gegevens:
    """Every knelpunt of a store as arrays: one code per single-valued dimension, a bit mask per
    multi-valued one, the quarter, the number of cases, and the loop's verdicts (working days to
    acknowledgement and answer, answered, confirmed, late and still open)."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self.codes: dict[str, np.ndarray] = {}
        self.levels: dict[str, list[str]] = {}
        self.bits: dict[str, np.ndarray] = {}  # multi-valued: a code per distinct list of values
        self.combinations: dict[str, np.ndarray] = {}  # that list as a bit mask over ``bit_levels``
        self.bit_levels: dict[str, list[str]] = {}
        self.numbers: dict[str, np.ndarray] = {}
        self.regio_of: dict[str, str] = {}
        self._selected: tuple[Filter, slice | np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.numbers.get("kwartaal", ()))

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, store: Store, today: date | None = None) -> Gegevens:
        """The knelpunten of ``store`` from the shared snapshot (made or refreshed first when the store changed)."""
        return cls.of(momentopname.current(store), store, today)

    @classmethod
    def of(cls, snapshot: momentopname.Snapshot, store: Store, today: date | None = None) -> Gegevens:
        data = cls(today)
        teams = store.frame(Team)
        data.regio_of = dict(zip(teams["gemeente"], teams["regio"], strict=True)) if not teams.empty else {}
        columns = snapshot.columns
        data.codes = {name: columns[f"code_{name}"] for name in SINGLE}
        data.levels = {name: list(snapshot.levels[name]) for name in SINGLE}
        for name in MULTI:  # each stored list, as a bit mask over the values seen
            data.bits[name] = columns[f"lijst_{name}"]
            values = momentopname.Codes()
            masks = [sum(1 << values.code(v) for v in json.loads(text)) for text in snapshot.lists[name]]
            data.combinations[name] = np.array(masks or [0], dtype=np.int64)
            data.bit_levels[name] = values.values
        data.numbers = {name: columns[name] for name in ("kwartaal", "casussen", "sleutel", "ontvangst_dagen",
                                                         "antwoord_dagen")}  # fmt: skip
        data.numbers["vlaggen"] = data._flags(snapshot)
        data.codes["regio"] = data._regio_codes()
        _give_back_memory()
        return data

    def _flags(self, snapshot: momentopname.Snapshot) -> np.ndarray:
        """The stored facts plus today's late-and-open verdicts, one byte per knelpunt (this tab's own copy)."""
        assert momentopname.FACTS[:4] == FLAGS[:4]
        late_acknowledgement, late_answer = momentopname.late_open(snapshot, self.today)
        flags = snapshot.columns["feiten"] & np.uint8(0b1111)
        flags |= late_acknowledgement.astype(np.uint8) << 4
        flags |= late_answer.astype(np.uint8) << 5
        return flags

    def _regio_codes(self) -> np.ndarray:
        regions = sorted(set(self.regio_of.values()))
        self.levels["regio"] = regions
        lookup = np.array([regions.index(self.regio_of[g]) if g in self.regio_of else -1
                           for g in self.levels["gemeente"]] or [0], dtype=np.int16)  # fmt: skip
        return lookup[self.codes["gemeente"]] if len(self) else np.zeros(0, dtype=np.int16)

    # -- selecting and counting ------------------------------------------------------------------
    def select(self, selection: Filter) -> slice | np.ndarray:
        """The positions of the knelpunten in ``selection`` (everything: a slice, no copy). The last answer is
        kept: one filter change asks for it once per table."""
        if self._selected is not None and self._selected[0] == selection:
            return self._selected[1]
        chosen = None
        for name in ("regio", "gemeente", "categorie"):
            value = getattr(selection, name)
            if value is not None:
                code = self.levels[name].index(value) if value in self.levels[name] else -2
                chosen = _and(chosen, self.codes[name] == code)
        if selection.van is not None:
            chosen = _and(chosen, self.numbers["kwartaal"] >= selection.van)
        if selection.tot is not None:
            chosen = _and(chosen, self.numbers["kwartaal"] <= selection.tot)
        positions = slice(None) if chosen is None else np.flatnonzero(chosen)
        self._selected = (selection, positions)
        return positions

    def size(self, chosen: slice | np.ndarray) -> int:
        return len(self) if isinstance(chosen, slice) else len(chosen)

    def count(self, chosen: slice | np.ndarray, dimension: str, keys: bool = False) -> pd.Series:
        """Knelpunten per value of ``dimension`` among the chosen ones (multi-valued: a knelpunt counts under
        each of its values); with ``keys``, the sum of their record keys instead. Index: the stored codes, in
        first-seen order; zeros kept."""
        weights = self.numbers["sleutel"][chosen] if keys else None
        if dimension in MULTI:
            values = self.bit_levels[dimension]
            masks = self.combinations[dimension]
            per_list = np.bincount(self.bits[dimension][chosen], weights=weights, minlength=len(masks))
            counts = [int(per_list[(masks >> i) & 1 == 1].sum()) for i in range(len(values))]
            return pd.Series(counts, index=values, dtype=np.int64)
        codes, labels = self._axis(chosen, dimension)
        return pd.Series(np.bincount(codes, weights=weights, minlength=len(labels)).astype(np.int64), index=labels)

    def count2(self, chosen: slice | np.ndarray, rows: str, columns: str, keys: bool = False) -> pd.DataFrame:
        """Knelpunten (or, with ``keys``, their record keys summed) per pair of values of two single-valued
        dimensions (or ``kwartaal``)."""
        row_codes, row_labels = self._axis(chosen, rows)
        column_codes, column_labels = self._axis(chosen, columns)
        width = len(column_labels)
        weights = self.numbers["sleutel"][chosen] if keys else None
        flat = np.bincount(row_codes * width + column_codes, weights=weights, minlength=len(row_labels) * width)
        return pd.DataFrame(flat.astype(np.int64).reshape(len(row_labels), width), index=row_labels,
                            columns=column_labels)  # fmt: skip

    def _axis(self, chosen: slice | np.ndarray, dimension: str) -> tuple[np.ndarray, list]:
        if dimension == "kwartaal":
            quarters = self.numbers["kwartaal"][chosen]
            first = int(quarters.min()) if len(quarters) else 0
            last = int(quarters.max()) if len(quarters) else -1
            return (quarters - first).astype(np.intp), list(range(first, last + 1))
        return self.codes[dimension][chosen].astype(np.intp), self.levels[dimension]

    def quarters(self) -> list[int]:
        quarters = self.numbers.get("kwartaal", np.zeros(0, dtype=np.int32))
        return list(range(int(quarters.min()), int(quarters.max()) + 1)) if len(quarters) else []

    def loop(self, chosen: slice | np.ndarray, by: str) -> pd.DataFrame:
        """Per value of ``by``: knelpunten, acknowledged, answered, confirmed by practice, open, late and still
        open (acknowledgement, answer), and the median working days to acknowledgement and to answer."""
        codes = self.codes[by][chosen].astype(np.intp)
        size = len(self.levels[by])
        # one count per group and combination of flags, then the flags summed per group
        cells = codes * 64 + self.numbers["vlaggen"][chosen]
        combos = np.bincount(cells, minlength=size * 64).reshape(size, 64)
        keyed = np.bincount(cells, weights=self.numbers["sleutel"][chosen], minlength=size * 64).reshape(size, 64)
        bits = (np.arange(64)[:, None] >> np.arange(len(FLAGS))) & 1
        result = pd.DataFrame(combos @ bits, index=self.levels[by], columns=list(FLAGS))
        result.insert(0, "knelpunten", combos.sum(axis=1))
        key_sums = (keyed @ bits).astype(np.int64)
        for bit, name in enumerate(FLAGS):
            result[f"{name}_sleutel"] = key_sums[:, bit]
        result["knelpunten_sleutel"] = keyed.sum(axis=1).astype(np.int64)
        for name in ("ontvangst_dagen", "antwoord_dagen"):
            result[name] = _medians(codes, self.numbers[name][chosen], size)
        return result


def _give_back_memory() -> None:
    """Return the loading's freed memory to the system (glibc keeps it otherwise: ~50–90 MB per dashboard tab at
    national scale). Elsewhere a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _and(chosen: np.ndarray | None, condition: np.ndarray) -> np.ndarray:
    return condition if chosen is None else chosen & condition


# bit flags per knelpunt (one uint8): the loop's facts the overview counts
FLAGS = ("ontvangen", "beantwoord", "getoetst", "open", "te_laat_ontvangst", "te_laat_antwoord")


def _medians(codes: np.ndarray, days: np.ndarray, size: int) -> np.ndarray:
    """The median of ``days`` (whole working days; -1 = not yet) per code, from one histogram: no sorting."""
    taken = days >= 0
    codes, days = codes[taken], days[taken].astype(np.intp)
    width = int(days.max()) + 1 if len(days) else 1
    cumulative = np.bincount(codes * width + days, minlength=size * width).reshape(size, width).cumsum(axis=1)
    result = np.full(size, np.nan)
    for group in np.flatnonzero(cumulative[:, -1]):
        n = cumulative[group, -1]
        low = np.searchsorted(cumulative[group], (n - 1) // 2, side="right")
        high = np.searchsorted(cumulative[group], n // 2, side="right")
        result[group] = (low + high) / 2
    return result
