"""Statistical disclosure control for the counts policy views show and export.

Every aggregate of knelpunten passes through ``protect`` before anyone sees it: a cell built on fewer than
``k`` knelpunten is suppressed (primary suppression), and further cells are suppressed until no suppressed
value can be worked out from what is published (secondary suppression). ``share`` gives fractions only for
denominators of at least ``k``, and not when the part or the rest is a small group. Views use
``Protected.shown()`` or ``Protected.with_margins()``, never the raw counts.

How the secondary suppression works. The table with its margins is an (R+1) x (C+1) grid; with the margins
negated, every row and every column of the grid sums to zero. Suppressed cells are the edges of a bipartite
graph between the row lines and the column lines. Someone who knows the published cells, the line sums and
that counts are not negative can change the suppressed cells only along cycles of that graph (alternately +1
and -1 around the cycle keeps every line sum). A cell on no cycle (a bridge, such as the only suppressed cell
of a line) is determined by the published numbers; a cell on a cycle of non-zero cells can move one up and one
down. Zeros are never suppressed, so the attacker also knows that every suppressed cell is at least 1: a
suppressed 1 may only move up, and a cell whose every cycle needs some 1 to go down is pinned as well.

The algorithm repeats until nothing changes, taking the first step that applies:

1. a line whose suppressed cells are all on the same side of its sum and add up to fewer than ``k`` (a group
   that is still small, and whose sum is published in effect) loses its cheapest published cell as well (there
   always is a non-zero one: the published cells of the line add up to that same sum);
2. each bridge in turn (row-major) is put on a cycle, whichever is cheaper: a single published cell joining its
   two sides (which closes a cycle through the suppressed cells there), or a rectangle - the bridge, a cell in its
   row, a cell in its column and the cell where those two cross;
3. the first cell that cannot move at all under "suppressed cells are at least 1" gets the cheapest rectangle
   along which it can move up.

Suppressing a published cell costs its value; a total costs more than any interior cells a step could suppress
instead, so interior cells go first. A rectangle always exists: a non-zero interior cell (i, j) has the one
through row total i, column total j and the grand total (all non-zero, and all moving up with the cell), and a
non-zero total has one through any non-zero interior cell of its line. Every step suppresses at least one more
cell, so the loop ends, with every suppressed cell non-zero and able to move: no fallback is needed.
"""

from __future__ import annotations

import hashlib
import numbers
import os
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkleer.errors import WijkleerError
from wijkleer.text import t

DEFAULT_K = 10
MIN_K = 5
DEFAULT_ROOM = 3  # a role in a session room is shown on its own only with at least this many members
MIN_ROOM = 3


def _hint() -> str:
    return t("onthulling.k_hint", minimum=MIN_K, standaard=DEFAULT_K)


@dataclass(frozen=True)
class Rule:
    """The disclosure threshold ``k``: cells built on fewer than ``k`` knelpunten are never shown."""

    k: int = DEFAULT_K

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, numbers.Integral):
            raise WijkleerError(t("onthulling.k_geen_getal", waarde=self.k), _hint())
        if self.k < MIN_K:
            raise WijkleerError(t("onthulling.k_te_klein", minimum=MIN_K, waarde=self.k), _hint())
        object.__setattr__(self, "k", int(self.k))

    @property
    def min_denominator(self) -> int:
        """The smallest denominator a fraction may be computed from."""
        return self.k


def rule(k: int | None = None) -> Rule:
    """The rule for ``k`` from the argument, else the environment variable ``WIJKLEER_K``, else ``DEFAULT_K``.

    A ``k`` below ``MIN_K``, or a setting that is not a whole number, is refused with a ``WijkleerError``.
    """
    if k is None:
        setting = os.environ.get("WIJKLEER_K", "").strip()
        if not setting:
            return Rule(DEFAULT_K)
        try:
            k = int(setting)
        except ValueError:
            raise WijkleerError(t("onthulling.k_geen_getal", waarde=setting), _hint()) from None
    return Rule(k)


def room_minimum(value: int | None = None) -> int:
    """How many enrolled members a role needs in a session room before its tally or averages are shown on their
    own: the argument, else ``WIJKLEER_MIN_ROL``, else ``DEFAULT_ROOM``; never below ``MIN_ROOM``. Anything that
    leaves the room (the summary for the municipality, policy views) uses ``k`` instead."""
    if value is None:
        setting = os.environ.get("WIJKLEER_MIN_ROL", "").strip()
        try:
            value = int(setting) if setting else DEFAULT_ROOM
        except ValueError:
            raise WijkleerError(t("onthulling.rol_geen_getal", waarde=setting), t("onthulling.rol_hint",
                                minimum=MIN_ROOM, standaard=DEFAULT_ROOM)) from None  # fmt: skip
    return max(int(value), MIN_ROOM)


def record_key(identity: object) -> int:
    """A record's fixed random key 0–255 from its id (the same function as the knelpunten's keys)."""
    digest = hashlib.sha256(str(identity).encode("utf-8")).digest()
    return digest[0]


def noisy(count: int, members: list[object] | tuple[object, ...] | set[object], rule: Rule) -> int | None:
    """One count with cell-key noise keyed on exactly the records it counts (their ids): ``None`` for 1..k−1, the
    count itself for 0. The same members always give the same value; one member more or less gives fresh noise."""
    if count == 0:
        return 0
    if count < rule.k:
        return None
    key = sum(record_key(member) for member in members)
    return int(perturb(np.array([count]), np.array([key]), rule)[0])


@dataclass(frozen=True, eq=False)
class Protected:
    """A table of counts with its margins and which of them are suppressed.

    ``counts`` and the totals hold the true values, for the code that protects; people only ever see
    ``shown()`` or ``with_margins()``, where suppressed cells are ``pd.NA``.
    """

    counts: pd.DataFrame
    hidden: pd.DataFrame
    row_totals: pd.Series
    row_hidden: pd.Series
    col_totals: pd.Series
    col_hidden: pd.Series
    total: int
    total_hidden: bool
    primary: pd.DataFrame
    published: np.ndarray | None = None  # (R+1) x (C+1) values to show: perturbed by cell key, or the counts

    def _values(self) -> np.ndarray:
        if self.published is not None:
            return self.published
        return np.block(
            [
                [self.counts.to_numpy(), self.row_totals.to_numpy()[:, None]],
                [self.col_totals.to_numpy()[None, :], np.array([[self.total]])],
            ]
        )

    def shown(self) -> pd.DataFrame:
        """The interior with suppressed cells as ``pd.NA`` (nullable Int64): the only form views may use."""
        interior = pd.DataFrame(self._values()[:-1, :-1], index=self.counts.index, columns=self.counts.columns)
        return interior.astype("Int64").mask(self.hidden)

    def with_margins(self, total_label: Hashable) -> pd.DataFrame:
        """The interior plus a total column and a total row, both labelled ``total_label``; suppressed cells
        are ``pd.NA`` (nullable Int64). A single-column table gets no total column (it would repeat the column).
        """
        values = self._values()
        hidden = np.block(
            [
                [self.hidden.to_numpy(), self.row_hidden.to_numpy()[:, None]],
                [self.col_hidden.to_numpy()[None, :], np.array([[self.total_hidden]])],
            ]
        )
        columns = self.counts.columns.append(pd.Index([total_label]))
        if len(self.counts.columns) == 1:
            values, hidden, columns = values[:, :-1], hidden[:, :-1], columns[:-1]
        index = self.counts.index.append(pd.Index([total_label]))
        table = pd.DataFrame(values, index=index, columns=columns).astype("Int64").mask(hidden)
        table.index.name, table.columns.name = self.counts.index.name, self.counts.columns.name
        return table

    def grids(self) -> tuple[np.ndarray, np.ndarray]:
        """The (R+1) x (C+1) published values (margins last) and which of them are hidden; hidden values must
        never leave the data layer (``shown``/``with_margins`` turn them into ``pd.NA``)."""
        hidden = np.block(
            [
                [self.hidden.to_numpy(), self.row_hidden.to_numpy()[:, None]],
                [self.col_hidden.to_numpy()[None, :], np.array([[self.total_hidden]])],
            ]
        )
        return self._values(), hidden

    @property
    def n_hidden(self) -> int:
        """Suppressed cells including margins, counted as ``with_margins`` shows them."""
        margins = int(self.col_hidden.sum())
        if len(self.counts.columns) != 1:
            margins += int(self.row_hidden.sum()) + int(self.total_hidden)
        return int(self.hidden.to_numpy().sum()) + margins


def protect(
    counts: pd.Series | pd.DataFrame,
    rule: Rule,
    keys: pd.Series | pd.DataFrame | None = None,
    forced: np.ndarray | None = None,
) -> Protected:
    """Suppress what ``rule`` does not allow to be shown.

    A Series is a one-way table (R x 1, with its total); a DataFrame a two-way table with row totals, column
    totals and a grand total, all published. Primary suppression: 0 < value < k, interior and margins alike.
    Zeros are published. Secondary suppression until no suppressed value can be recomputed. The same input
    always gives the same result; labels and their order are kept.

    With ``keys`` (per cell, the sum of its knelpunten's record keys: see ``perturb``) the published values
    carry the cell-key noise, margins included, so that tables of different selections cannot be subtracted
    from each other to recover what each of them hides.

    ``forced`` (an (R+1) x (C+1) boolean grid, margins in the last row and column) names non-zero cells that are
    hidden from the start, as if primary: cells another table shares and hides, so that a cell is hidden in
    every table that shows it (``wijkleer.overzicht.samenhang``). Hiding more never publishes more.
    """
    frame = counts.to_frame() if isinstance(counts, pd.Series) else counts
    interior = _as_counts(frame)
    n_rows, n_cols = interior.shape
    grid = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    grid[:-1, :-1] = interior
    grid[:-1, -1] = interior.sum(axis=1)
    grid[-1, :-1] = interior.sum(axis=0)
    grid[-1, -1] = interior.sum()
    primary = (grid > 0) & (grid < rule.k)
    if forced is not None:
        primary |= np.asarray(forced, dtype=bool) & (grid > 0)
    hidden = _Suppression(grid, rule.k, primary).run()
    published = None
    if keys is not None:
        key_frame = keys.to_frame() if isinstance(keys, pd.Series) else keys
        key_grid = np.zeros_like(grid)
        key_grid[:-1, :-1] = _as_counts(key_frame)
        key_grid[:-1, -1] = key_grid[:-1, :-1].sum(axis=1)
        key_grid[-1, :-1] = key_grid[:-1, :-1].sum(axis=0)
        key_grid[-1, -1] = key_grid[:-1, :-1].sum()
        published = perturb(grid, key_grid, rule)

    def frame_of(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=frame.index, columns=frame.columns)

    return Protected(
        counts=frame_of(interior),
        hidden=frame_of(hidden[:-1, :-1]),
        row_totals=pd.Series(grid[:-1, -1], index=frame.index),
        row_hidden=pd.Series(hidden[:-1, -1], index=frame.index),
        col_totals=pd.Series(grid[-1, :-1], index=frame.columns),
        col_hidden=pd.Series(hidden[-1, :-1], index=frame.columns),
        total=int(grid[-1, -1]),
        total_hidden=bool(hidden[-1, -1]),
        primary=frame_of(primary[:-1, :-1]),
        published=published,
    )


def _noise_table() -> np.ndarray:
    """256 small shifts, one per cell key: 0 (40%), ±1 (20% each) and ±2 (10% each), in a fixed shuffled order."""
    shifts = np.repeat([0, 1, -1, 2, -2], [102, 51, 51, 26, 26])
    return np.random.default_rng(20261128).permutation(shifts)


NOISE = _noise_table()


def perturb(values: np.ndarray, keys: np.ndarray, rule: Rule) -> np.ndarray:
    """The cell-key method (as statistical offices use for table builders): every knelpunt has a fixed random
    record key 0–255; a cell's key is the sum of its knelpunten's keys modulo 256, and picks the cell's shift
    from ``NOISE``. The same knelpunten always give the same shift (asking again does not average it away),
    and the difference of two tables carries the noise of both. Shifted values stay at k or above; zeros and
    values under k (which are suppressed anyway) are left alone."""
    shifted = values + NOISE[np.asarray(keys, dtype=np.int64) % 256]
    return np.where(values >= rule.k, np.maximum(shifted, rule.k), values)


def share(numerator, denominator, rule: Rule):
    """``numerator / denominator`` as a fraction; NaN where the denominator is below ``rule.min_denominator``,
    and where the share would give back a small group: a numerator, or the rest (denominator − numerator),
    between 1 and k−1 (with the denominator published, the share is that number).

    Scalars give a float, Series (aligned on their index) a float Series. A missing value (``pd.NA``, e.g. a
    suppressed cell from ``Protected.shown()``) on either side gives NaN.
    """
    numerator, denominator = _as_float(numerator), _as_float(denominator)
    if isinstance(numerator, pd.Series | pd.DataFrame) and not isinstance(denominator, pd.Series | pd.DataFrame):
        denominator = numerator * 0 + denominator  # the same shape, so each share is judged on its own
    rest = denominator - numerator
    small = _small(numerator, rule) | _small(rest, rule)
    if isinstance(small, pd.Series | pd.DataFrame):
        denominator = denominator.where((denominator >= rule.min_denominator) & ~small)
    elif small or not denominator >= rule.min_denominator:  # also NaN
        denominator = float("nan")
    return numerator / denominator


def _small(values, rule: Rule):
    """Counts between 1 and k−1 (NaN is not small: it stays NaN)."""
    return (values > 0) & (values < rule.k)


def _as_float(values):
    if isinstance(values, pd.Series | pd.DataFrame):
        return values.astype("Float64").astype("float64")
    return float("nan") if pd.isna(values) else float(values)


def _as_counts(frame: pd.DataFrame) -> np.ndarray:
    """The interior as int64; anything that is not a whole number of at least zero is a programming error."""
    try:
        values = frame.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("counts must be numbers, without missing values") from None
    if not (np.isfinite(values).all() and (values >= 0).all() and (values == np.round(values)).all()):
        raise ValueError("counts must be whole numbers of at least zero")
    return values.astype(np.int64)


class _Suppression:
    """The secondary suppression on the (R+1) x (C+1) grid of a table with its margins (last row and column).

    Graph nodes are the lines: row ``i`` is node ``i``, column ``j`` is node ``n_rows + j``; a suppressed cell
    (i, j) is the edge between them.
    """

    def __init__(self, grid: np.ndarray, k: int, primary: np.ndarray) -> None:
        self.grid = grid
        self.k = k
        self.hidden = primary.copy()
        self.n_rows, self.n_cols = grid.shape
        # with the margins negated every line sums to zero; the sign tells which side of the sum a cell is on
        self.sign = np.ones(grid.shape, dtype=np.int64)
        self.sign[:-1, -1] = self.sign[-1, :-1] = -1
        self.signed = self.sign * grid
        # what suppressing a published cell costs: its value, plus a surcharge per total that outweighs any sum of
        # interior values, so interior cells go first; zeros are never suppressed
        surcharge = 3 * int(grid[-1, -1]) + 1
        self.price = grid.astype(np.float64)
        self.price[:-1, -1] += surcharge
        self.price[-1, :-1] += surcharge
        self.price[-1, -1] += 2 * surcharge
        self.price[grid == 0] = np.inf

    def run(self) -> np.ndarray:
        while self._close_lines() or self._close_bridges() or self._free_a_stuck_cell():
            pass
        return self.hidden

    # -- lines that are still a small group ----------------------------------------------------------------
    def _open_lines(self, axis: int) -> np.ndarray:
        """Per row (axis 1) or column (axis 0): are its suppressed cells all on one side of the line's sum, with
        a sum below ``k``? That sum can be worked out from the published cells, and is itself a small group."""
        signed = np.where(self.hidden, self.signed, 0)
        one_sided = ((signed > 0).sum(axis=axis) == 0) | ((signed < 0).sum(axis=axis) == 0)
        return (self.hidden.sum(axis=axis) >= 2) & one_sided & (np.abs(signed.sum(axis=axis)) < self.k)

    def _close_lines(self) -> bool:
        changed = False
        for axis in (1, 0):
            for line in np.flatnonzero(self._open_lines(axis)):
                if not self._open_lines(axis)[line]:  # an earlier line in this sweep closed it
                    continue
                in_line = np.zeros_like(self.hidden)
                if axis == 1:
                    in_line[line, :] = True
                else:
                    in_line[:, line] = True
                cost = np.where(in_line & ~self.hidden, self.price, np.inf)
                self.hidden[np.unravel_index(np.argmin(cost), cost.shape)] = True
                changed = True
        return changed

    # -- bridges -------------------------------------------------------------------------------------------
    def _close_bridges(self) -> bool:
        """Put every bridge on a cycle, the cheaper of two ways: one published cell between its two sides, or a
        rectangle (the bridge, a cell in its row, a cell in its column and the cell where those cross).

        A cell on a rectangle of suppressed cells is no bridge; each other cell is a bridge when, without it, its
        row no longer reaches its column. The search runs on node sets as bit masks, kept up to date as cells are
        suppressed.
        """
        doubtful = np.argwhere(self.hidden & (_count_rectangles(self.hidden, self.hidden) == 0))
        if not len(doubtful):
            return False
        rows, cols = self.n_rows, self.n_cols
        links = _bit_masks(
            np.block([[np.zeros((rows, rows), bool), self.hidden], [self.hidden.T, np.zeros((cols, cols), bool)]])
        )
        changed = False
        for row, col in doubtful.tolist():
            end = rows + col
            links[row] &= ~(1 << end)
            links[end] &= ~(1 << row)
            near = _reaches(links, row)
            far = 0 if near >> end & 1 else _reaches(links, end)
            links[row] |= 1 << end
            links[end] |= 1 << row
            if not far:
                continue
            for new_row, new_col in self._close(row, col, _node_mask(near, rows + cols), _node_mask(far, rows + cols)):
                links[new_row] |= 1 << (rows + new_col)
                links[rows + new_col] |= 1 << new_row
            changed = True
        return changed

    def _close(self, row: int, col: int, near: np.ndarray, far: np.ndarray) -> list[tuple[int, int]]:
        """Put the bridge (row, col) with the given sides on a cycle; returns the cells it suppressed."""
        rows = self.n_rows
        across = np.outer(near[:rows], far[rows:]) | np.outer(far[:rows], near[rows:])
        single = np.where(across & ~self.hidden, self.price, np.inf)
        cost = np.where(self.hidden, 0.0, self.price)
        rectangle = self._rectangles(row, col, cost, cost)
        if single.min() <= rectangle.min():
            cell = divmod(int(np.argmin(single)), self.n_cols)
            self.hidden[cell] = True
            return [cell]
        return self._hide_rectangle(row, col, rectangle)

    # -- cells pinned by "a suppressed cell is never zero" -------------------------------------------------
    def _free_a_stuck_cell(self) -> bool:
        """Give a stuck cell a rectangle it can move up along (see ``_a_stuck_cell``).

        Moving the cell up moves the other cells of its row and column the other way in the signed grid, and the
        opposite corner the same way; a suppressed 1 may not go down. The rectangle through the cell's totals and
        the grand total always qualifies: one more knelpunt in a cell is one more in each of its totals.
        """
        stuck = self._a_stuck_cell()
        if stuck is None:
            return False
        row, col = stuck
        cost = np.where(self.hidden, 0.0, self.price)
        ones = self.hidden & (self.grid < 2)
        direction = self.sign[row, col] * self.sign  # the opposite corner moves by this, cells in the line against it
        in_line = np.where(ones & (direction > 0), np.inf, cost)
        opposite = np.where(ones & (direction < 0), np.inf, cost)
        self._hide_rectangle(row, col, self._rectangles(row, col, in_line, opposite))
        return True

    def _a_stuck_cell(self) -> tuple[int, int] | None:
        """The first suppressed cell (row-major) that cannot move at all once the attacker also uses that
        suppressed cells are never zero; ``None`` when every suppressed cell can.

        Moving along a cycle, a cell goes up or down by one; a suppressed 1 can only go up. As arcs between the
        line nodes: the arc row -> column of a cell raises its signed value, column -> row lowers it, and an arc
        is usable unless it would take a 1 to 0. A cell can move when one of its usable arcs lies on a directed
        cycle, that is when the arc's head reaches its tail without using the cell. Most cells pass the quick
        rectangle test; only the others are searched, on node sets as bit masks.
        """
        doubtful = np.argwhere(self.hidden & ~self._on_a_rectangle())
        if not len(doubtful):
            return None
        rows, cols = self.n_rows, self.n_cols
        raises = self.hidden & ((self.sign > 0) | (self.grid >= 2))  # row -> column usable
        lowers = self.hidden & ((self.sign < 0) | (self.grid >= 2))  # column -> row usable
        arcs = np.zeros((rows + cols, rows + cols), dtype=bool)
        arcs[:rows, rows:] = raises
        arcs[rows:, :rows] = lowers.T
        out = _bit_masks(arcs)
        reach: dict[int, int] = {}
        for row, col in doubtful.tolist():
            tail, head = row, rows + col
            if raises[row, col] and lowers[row, col]:
                # both arcs usable: search without them, in either direction
                out[tail] &= ~(1 << head)
                out[head] &= ~(1 << tail)
                movable = _reaches(out, head) >> tail & 1 or _reaches(out, tail) >> head & 1
                out[tail] |= 1 << head
                out[head] |= 1 << tail
            else:
                # one usable arc: a simple path back from its head never uses it, so the full graph will do
                if lowers[row, col]:
                    tail, head = head, tail
                if head not in reach:
                    reach[head] = _reaches(out, head)
                movable = reach[head] >> tail & 1
            if not movable:
                return row, col
        return None

    def _on_a_rectangle(self) -> np.ndarray:
        """Per cell: is it suppressed and can it move along a rectangle of suppressed cells, even with suppressed
        1s never going down? A quick test: such a cell is on a cycle and cannot be stuck.

        Moving a cell up moves the cells of its line with the same sign down and the others up, the opposite corner
        of the same sign up and the other sign down; moving it down (only when it is at least 2) does the reverse.
        """
        up = self.hidden
        down = self.hidden & (self.grid >= 2)
        moves = np.zeros_like(self.hidden)
        for sign in (1, -1):
            alike = self.sign == sign
            in_line, opposite = np.where(alike, down, up), np.where(alike, up, down)
            upward = _count_rectangles(in_line, opposite) > 0
            downward = down & (_count_rectangles(opposite, in_line) > 0)
            moves |= alike & (upward | downward)
        return moves | ~self.hidden

    # -- shared --------------------------------------------------------------------------------------------
    def _rectangles(self, row: int, col: int, in_line: np.ndarray, opposite: np.ndarray) -> np.ndarray:
        """Per cell (r, c): the cost of the rectangle (row, col), (r, col), (row, c), (r, c); ``in_line`` prices
        the cells in the row and column of (row, col), ``opposite`` the corner across."""
        rectangle = in_line[:, [col]] + in_line[[row], :] + opposite
        rectangle[row, :] = rectangle[:, col] = np.inf
        return rectangle

    def _hide_rectangle(self, row: int, col: int, rectangle: np.ndarray) -> list[tuple[int, int]]:
        """Suppress the three other corners of the cheapest rectangle (row-major first among equals); returns
        those that were published."""
        other_row, other_col = np.unravel_index(np.argmin(rectangle), rectangle.shape)
        corners = [(int(other_row), col), (row, int(other_col)), (int(other_row), int(other_col))]
        new = [cell for cell in corners if not self.hidden[cell]]
        for cell in new:
            self.hidden[cell] = True
        return new


def _count_rectangles(in_line: np.ndarray, opposite: np.ndarray) -> np.ndarray:
    """Per cell (r, c): how many rectangles (r, c), (r, c'), (r', c), (r', c') have (r, c') and (r', c) in
    ``in_line`` and (r', c') in ``opposite`` (boolean grids), with r' != r and c' != c."""
    line, across = in_line.astype(np.float64), opposite.astype(np.float64)
    walks = line @ across.T @ line  # every r -> c' -> r' -> c, including r' = r or c' = c
    both = line * across
    return walks - line * (both.sum(axis=1)[:, None] + both.sum(axis=0)[None, :]) + both


def _bit_masks(adjacency: np.ndarray) -> list[int]:
    """Per node of a square boolean matrix, the nodes its row marks, as a bit mask (bit n for node n)."""
    return [int.from_bytes(np.packbits(line, bitorder="little").tobytes(), "little") for line in adjacency]


def _node_mask(bits: int, n_nodes: int) -> np.ndarray:
    """A bit mask of nodes as a boolean array."""
    packed = np.frombuffer(bits.to_bytes((n_nodes + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little")[:n_nodes].astype(bool)


def _reaches(out: list[int], start: int) -> int:
    """The nodes reachable from ``start`` as a bit mask; ``out[node]`` is the mask of a node's arcs."""
    seen = frontier = 1 << start
    while frontier:
        step = 0
        while frontier:
            lowest = frontier & -frontier
            step |= out[lowest.bit_length() - 1]
            frontier ^= lowest
        frontier = step & ~seen
        seen |= frontier
    return seen
