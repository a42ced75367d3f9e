"""Rating expectations on importance and feasibility (1 to 5), as both the expectation map and a session's
expectation round ask it: two labelled lists per expectation, and what was filled in."""

from __future__ import annotations

import ipywidgets as widgets

from wijkleer.model import Verwachting
from wijkleer.text import t
from wijkleer.views.common import paragraph

SCORES = [("–", 0), *((str(n), n) for n in range(1, 6))]


def _list(label: str) -> widgets.Dropdown:
    # the whole label ('Haalbaarheid 12') stays readable: no fixed label width that cuts it off
    return widgets.Dropdown(description=label, options=SCORES, value=0, style={"description_width": "initial"},
                            layout=widgets.Layout(width="auto", margin="0 1.5rem 0 0"))  # fmt: skip


class Scores:
    """``widgets``: expectation id -> (importance list, feasibility list); ``rows``: the widgets to show.

    ``expectations`` are the ones to rate with the text to show for each (``verwachtingen.te_beoordelen``: the
    current wording, never a dropped one); ``numbers`` their numbers in the kring (``verwachtingen.nummers``)."""

    def __init__(self, expectations: list[tuple[Verwachting, str]], numbers: dict[str, int]) -> None:
        self.numbers = numbers
        self.widgets: dict[str, tuple[widgets.Dropdown, widgets.Dropdown]] = {}
        self.rows: list[widgets.Widget] = []
        for expectation, tekst in expectations:
            n = numbers[expectation.id]
            pair = (_list(t("verwachtingen.belang_n", n=n)), _list(t("verwachtingen.haalbaar_n", n=n)))
            self.widgets[expectation.id] = pair
            self.rows.append(widgets.VBox([paragraph(f"{n}. {tekst}"), widgets.HBox(list(pair))]))

    def values(self) -> dict[str, tuple[int, int]]:
        """What is chosen in the lists now, also half or nothing: to put back after the list is drawn again."""
        return {v: (b.value, h.value) for v, (b, h) in self.widgets.items()}

    def restore(self, values: dict[str, tuple[int, int]]) -> None:
        for verwachting_id, (b, h) in values.items():
            if verwachting_id in self.widgets:
                self.widgets[verwachting_id][0].value, self.widgets[verwachting_id][1].value = b, h

    def chosen(self) -> dict[str, tuple[int, int]]:
        """The ratings filled in (verwachting id -> (belang, haalbaarheid)); a WijkleerError names the expectations
        with only one of the two, or says nothing was filled in."""
        from wijkleer.verwachtingen import check_scores

        return check_scores({v: (b.value, h.value) for v, (b, h) in self.widgets.items()}, self.numbers)
