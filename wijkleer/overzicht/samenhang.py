"""One suppression pattern for every table that shows knelpunten per period and category, so that a cell hidden in
one table is hidden in every other table, headline and download that shows the same knelpunten.

Periods are fixed blocks (``Periode``): everything, a year or a quarter; never any range. Per place (everything, a
region or a municipality) the counts per period and category form a hierarchy: quarters add up to years, years to
everything. It is protected as linked tables:

* the year table: years x categories, with its margins (per year, per category, everything);
* per year, the quarter table: that year's quarters x categories, whose margins are the year's row of the year table.

Shared cells (a quarter table's bottom row and total are the year table's row) are hidden in both as soon as one of
them hides them (``disclosure.protect(..., forced=...)``), repeated until nothing changes. Every cell carries the
cell-key noise of exactly its knelpunten, so a cell has the same value in every table. The headline, the table per
category, the trend and the loop table's counts of one selection are all cells of these tables
(``Blokken.cel``, ``Blokken.rij``, ``Blokken.trend``): no table publishes what another hides.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkleer.errors import WijkleerError
from wijkleer.overzicht.gegevens import Filter, Gegevens
from wijkleer.privacy import disclosure
from wijkleer.text import t

BY = "categorie"  # the columns of the linked tables (the trend's columns)
TOTAAL = "__totaal__"  # the label of the total row and column in ``Blokken.trend``


@dataclass(frozen=True)
class Periode:
    """A period block: everything (``soort`` 'alles'), one year (``waarde`` the year) or one quarter (``waarde``
    the quarter number ``year * 4 + quarter - 1``)."""

    soort: str = "alles"
    waarde: int | None = None

    @property
    def kwartalen(self) -> tuple[int | None, int | None]:
        """As ``Filter.van`` and ``Filter.tot``."""
        if self.soort == "jaar":
            return self.waarde * 4, self.waarde * 4 + 3
        if self.soort == "kwartaal":
            return self.waarde, self.waarde
        return None, None


def periode(selection: Filter) -> Periode:
    """The block a selection's period is; any other range is refused: every free choice of range would be one more
    equation with fresh noise for someone who wants to recover a small number."""
    van, tot = selection.van, selection.tot
    if van is None and tot is None:
        return Periode()
    if van is not None and van == tot:
        return Periode("kwartaal", van)
    if van is not None and tot is not None and van % 4 == 0 and tot == van + 3:
        return Periode("jaar", van // 4)
    raise WijkleerError(t("overzicht.periode_geen_blok"), t("overzicht.periode_geen_blok_hint"))


def periodes(quarters: list[int]) -> list[Periode]:
    """The blocks a policy officer can choose from: everything, each year, each quarter (newest first)."""
    years = sorted({q // 4 for q in quarters}, reverse=True)
    return [Periode(), *(Periode("jaar", y) for y in years), *(Periode("kwartaal", q) for q in reversed(quarters))]


def plaats(selection: Filter) -> Filter:
    """Only the place of a selection: the key of its linked tables."""
    return Filter(regio=selection.regio, gemeente=selection.gemeente)


class Blokken:
    """The linked, protected tables of one place (see the module's text)."""

    def __init__(self, data: Gegevens, place: Filter, rule: disclosure.Rule) -> None:
        chosen = data.select(place)
        quarters = data.quarters()
        counts, keys = data.count2(chosen, "kwartaal", BY), data.count2(chosen, "kwartaal", BY, keys=True)
        used = counts.sum() > 0
        counts, keys = counts.loc[:, used], keys.loc[:, used]
        counts = counts.reindex(quarters, fill_value=0)
        keys = keys.reindex(quarters, fill_value=0)
        self.columns = list(counts.columns)
        self.quarters = quarters
        self.years = sorted({q // 4 for q in quarters})
        self.empty = not self.columns
        if self.empty:
            return
        year_of = pd.Index([q // 4 for q in quarters])
        self._year_counts = counts.groupby(year_of).sum().reindex(self.years, fill_value=0)
        self._year_keys = keys.groupby(year_of).sum().reindex(self.years, fill_value=0)
        self._parts = {y: (counts[year_of == y], keys[year_of == y]) for y in self.years}
        self._protect(rule)

    def _protect(self, rule: disclosure.Rule) -> None:
        n_years, n_cols = len(self.years), len(self.columns)
        forced_years = np.zeros((n_years + 1, n_cols + 1), dtype=bool)
        forced_parts = {y: np.zeros((len(self._parts[y][0]) + 1, n_cols + 1), dtype=bool) for y in self.years}
        while True:
            self.jaren = disclosure.protect(self._year_counts, rule, self._year_keys, forced_years)
            _values, year_hidden = self.jaren.grids()
            self.delen: dict[int, disclosure.Protected] = {}
            changed = False
            for row, year in enumerate(self.years):
                forced_parts[year][-1, :] |= year_hidden[row, :]  # the quarters' margins are the year's row
                counts, keys = self._parts[year]
                part = disclosure.protect(counts, rule, keys, forced_parts[year])
                self.delen[year] = part
                bottom = part.grids()[1][-1, :]
                if (bottom & ~year_hidden[row, :]).any():
                    forced_years[row, :] |= bottom
                    changed = True
            if not changed:
                return

    # -- cells -------------------------------------------------------------------------------------------
    def _grid_of(self, span: Periode) -> tuple[np.ndarray, np.ndarray, int]:
        """The published values, hidden cells and the row of ``span`` in the table that holds it as a row."""
        if span.soort == "alles":
            values, hidden = self.jaren.grids()
            return values, hidden, len(self.years)
        if span.soort == "jaar":
            values, hidden = self.jaren.grids()
            return values, hidden, self.years.index(span.waarde) if span.waarde in self.years else -1
        year = span.waarde // 4
        if year not in self.delen:
            return np.zeros((1, 1), dtype=np.int64), np.zeros((1, 1), dtype=bool), -1
        values, hidden = self.delen[year].grids()
        rows = list(self._parts[year][0].index)
        return values, hidden, rows.index(span.waarde) if span.waarde in rows else -1

    def cel(self, span: Periode, categorie: str | None) -> int | None:
        """The published count of knelpunten in ``span`` and ``categorie`` (None: every category); None when hidden."""
        if self.empty:
            return 0
        values, hidden, row = self._grid_of(span)
        if row < 0:
            return 0
        if categorie is None:
            column = -1
        elif categorie in self.columns:
            column = self.columns.index(categorie)
        else:
            return 0
        return None if hidden[row, column] else int(values[row, column])

    def rij(self, span: Periode) -> pd.Series:
        """Published knelpunten per category in ``span`` (nullable Int64, ``pd.NA`` where hidden), without total."""
        if self.empty:
            return pd.Series([], dtype="Int64")
        values, hidden, row = self._grid_of(span)
        if row < 0:
            return pd.Series(0, index=self.columns, dtype="Int64")
        return (
            pd.Series(values[row, :-1], index=self.columns)
            .astype("Int64")
            .mask(pd.Series(hidden[row, :-1], index=self.columns))
        )

    def trend(self, span: Periode) -> pd.DataFrame:
        """Quarters x categories of ``span`` with the published margins (last row and column: the totals), as the
        linked tables hold them; ``pd.NA`` where hidden. Row labels: quarter numbers; the totals are ``TOTAAL``."""
        if self.empty:
            return pd.DataFrame()
        years = self.years if span.soort == "alles" else [span.waarde if span.soort == "jaar" else span.waarde // 4]
        blocks = []
        for year in (y for y in years if y in self.delen):
            values, hidden = self.delen[year].grids()
            rows = list(self._parts[year][0].index)
            block = pd.DataFrame(values[:-1], index=pd.Index(rows, dtype=object),
                                 columns=[*self.columns, TOTAAL]).astype("Int64")  # fmt: skip
            block = block.mask(pd.DataFrame(hidden[:-1], index=rows, columns=block.columns))
            if span.soort == "kwartaal":
                block = block.loc[[span.waarde]] if span.waarde in rows else block.iloc[:0]
            blocks.append(block)
        body = pd.concat(blocks) if blocks else pd.DataFrame(columns=[*self.columns, TOTAAL], dtype="Int64")
        total = self.cel(span, None)
        bottom = pd.Series([*self.rij(span), pd.NA if total is None else total], index=[*self.columns, TOTAAL],
                           dtype="Int64")  # fmt: skip
        return pd.concat([body, bottom.to_frame().T.set_axis([TOTAAL])]).astype("Int64")


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def blokken(data: Gegevens, selection: Filter, rule: disclosure.Rule) -> Blokken:
    """The linked tables of the selection's place (kept per loaded data, place and k)."""
    per_data = _CACHE.setdefault(data, {})
    key = (plaats(selection), rule.k)
    if key not in per_data:
        per_data[key] = Blokken(data, plaats(selection), rule)
    return per_data[key]
