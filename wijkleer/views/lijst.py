"""A list as people use one: search, sort on any column (click its heading), page through, and open a row (click
its title). Everything happens in the kernel: only the page on screen is in widget state, every cell is plain text
or escaped HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from wijkleer.text import t
from wijkleer.views.common import esc, mark_shown

PAGE_SIZE = 20
TITLE_LENGTH = 90  # a title on its button, shortened; the whole title shows when the row is opened


@dataclass(frozen=True)
class Kolom:
    """One column: its heading, the text of a cell (from a row of the frame), and what it sorts on (a column of
    the frame; None: the cell's text)."""

    kop: str
    tekst: Callable[[object], str]
    sorteer: str | None = None


class Lijst:
    """Rows of a DataFrame (index: the id) as a page of a table. ``kolommen``: the columns, the first one the
    title that opens the row (``on_open(id)``). Before any heading is clicked, the frame's own order holds (for
    the Inbox: new and late on top)."""

    def __init__(
        self, kolommen: list[Kolom], on_open: Callable[[str], None], naam: str, page_size: int = PAGE_SIZE
    ) -> None:
        self.kolommen, self.on_open, self.naam, self.page_size = kolommen, on_open, naam, page_size
        self.frame = pd.DataFrame()
        self.texts = pd.DataFrame()
        self.sort: tuple[int, bool] | None = None  # (column, ascending); None: the frame's own order
        self.page = 0
        self.search = widgets.Text(
            description=t("lijst.zoeken"),
            placeholder=t("lijst.zoeken_voorbeeld"),
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="30rem"),
        )
        self.search.observe(lambda _change: self._go(0), names="value")
        self.headings = [widgets.Button(layout=widgets.Layout(width="auto")) for _ in kolommen]
        for number, button in enumerate(self.headings):
            button.add_class("wijkleer-kolomkop")
            button.on_click(lambda _b, number=number: self._sort_by(number))
        self.rows = [self._row(number) for number in range(page_size)]
        self.shown: list[object] = []  # the ids on the page, in order
        self.status = widgets.HTML()
        self.previous = widgets.Button(description=t("lijst.vorige"), icon="arrow-left")
        self.next = widgets.Button(description=t("lijst.volgende"))
        self.previous.on_click(lambda _b: self._go(self.page - 1))
        self.next.on_click(lambda _b: self._go(self.page + 1))
        self.position = widgets.HTML()
        cells = [*self.headings, *(cell for row in self.rows for cell in row)]
        self.grid = widgets.GridBox(
            cells,
            layout=widgets.Layout(
                grid_template_columns=f"minmax(12rem, 2fr) repeat({len(kolommen) - 1}, minmax(5rem, 1fr))",
                grid_gap="0.2rem 0.6rem",
                width="100%",
                overflow_x="auto",
            ),
        )
        self.grid.add_class("wijkleer-lijst")
        pager = widgets.HBox([self.previous, self.position, self.next], layout=widgets.Layout(align_items="center"))
        self.box = widgets.VBox([self.search, self.status, self.grid, pager])
        self.box.add_class(f"wijkleer-lijst-{naam}")

    def _row(self, number: int) -> list[widgets.Widget]:
        title = widgets.Button(layout=widgets.Layout(width="auto", justify_content="flex-start"))
        title.add_class("wijkleer-rij-openen")
        title.on_click(lambda _button: self._open(number))
        return [title, *(widgets.HTML() for _ in self.kolommen[1:])]

    # -- data -----------------------------------------------------------------------------------------
    def show(self, frame: pd.DataFrame, keep_place: bool = False) -> None:
        """Show ``frame`` (its order is the default order); ``keep_place`` keeps search, sort and page (after a
        step on one row), else the list starts over on page 1."""
        self.frame = frame
        self.texts = pd.DataFrame(
            {number: [kolom.tekst(row) for row in frame.itertuples()] for number, kolom in enumerate(self.kolommen)},
            index=frame.index,
        )
        self.haystack = self.texts.apply(lambda row: " ".join(row).casefold(), axis=1) if len(frame) else None
        if not keep_place:
            self.sort, self.search.value = None, ""
        self._go(self.page if keep_place else 0)

    def chosen(self) -> pd.Index:
        """The ids the list holds now, after search and sort, in order."""
        index = self.frame.index
        words = self.search.value.casefold().split()
        if words and self.haystack is not None:
            keep = pd.Series(True, index=index)
            for word in words:
                keep &= self.haystack.str.contains(word, regex=False)
            index = index[keep.to_numpy()]
        if self.sort is not None:
            number, ascending = self.sort
            key = self.kolommen[number].sorteer
            values = self.frame.loc[index, key] if key else self.texts.loc[index, number].str.casefold()
            index = values.sort_values(ascending=ascending, kind="stable", na_position="last").index
        return index

    # -- drawing --------------------------------------------------------------------------------------
    def _go(self, page: int) -> None:
        chosen = self.chosen()
        pages = max(1, -(-len(chosen) // self.page_size))
        self.page = min(max(page, 0), pages - 1)
        self.shown = list(chosen[self.page * self.page_size : (self.page + 1) * self.page_size])
        for row, key in zip(self.rows, [*self.shown, *([None] * self.page_size)], strict=False):
            self._fill(row, key)
        for number, (button, kolom) in enumerate(zip(self.headings, self.kolommen, strict=True)):
            arrow = "" if self.sort is None or self.sort[0] != number else (" ▲" if self.sort[1] else " ▼")
            button.description = kolom.kop + arrow
            button.tooltip = t("lijst.sorteer_op", kolom=kolom.kop)
        if len(self.frame) == 0:
            self.status.value = ""
        elif len(chosen) == 0:
            self.status.value = f'<p role="status">{esc(t("lijst.niets_gevonden"))}</p>'
        else:
            order = (
                t("lijst.volgorde_standaard")
                if self.sort is None
                else t(
                    "lijst.volgorde_kolom",
                    kolom=self.kolommen[self.sort[0]].kop,
                    richting=t("lijst.oplopend" if self.sort[1] else "lijst.aflopend"),
                )
            )
            self.status.value = f'<p role="status">{esc(t("lijst.gevonden", aantal=len(chosen), volgorde=order))}</p>'
        self.position.value = esc(t("lijst.pagina", pagina=self.page + 1, van=pages))
        self.previous.disabled, self.next.disabled = self.page == 0, self.page >= pages - 1
        self.grid.layout.display = "" if len(chosen) else "none"
        mark_shown(self.box, str(self.page + 1), str(self.sort[0] if self.sort else "standaard"), str(len(chosen)))

    def _fill(self, row: list[widgets.Widget], key: object) -> None:
        title, *cells = row
        if key is None:  # an empty row keeps nothing of an earlier page in widget state
            title.description = title.tooltip = ""
            for widget in row:
                widget.layout.display = "none"
            for cell in cells:
                cell.value = ""
            return
        texts = self.texts.loc[key]
        whole = texts[0]
        title.description = whole if len(whole) <= TITLE_LENGTH else whole[: TITLE_LENGTH - 1] + "…"
        title.tooltip = t("lijst.openen", titel=whole)
        for number, cell in enumerate(cells, start=1):
            cell.value = esc(texts[number])
        for widget in row:
            widget.layout.display = ""

    def _sort_by(self, number: int) -> None:
        # first click: ascending; again: descending; a third time: back to the list's own order
        if self.sort is None or self.sort[0] != number:
            self.sort = (number, True)
        elif self.sort[1]:
            self.sort = (number, False)
        else:
            self.sort = None
        self._go(0)

    def _open(self, number: int) -> None:
        if number < len(self.shown) and self.shown[number] in self.frame.index:  # only a row of this list
            self.on_open(self.shown[number])
