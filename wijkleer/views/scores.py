"""Rating expectations on importance and feasibility (1 to 5), as both the expectation map and a session's
expectation round ask it: two labelled lists per expectation, and what was filled in."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from wijkleer.errors import WijkleerError
from wijkleer.model import Verwachting
from wijkleer.text import t
from wijkleer.views.common import paragraph

SCORES = [("–", 0), *((str(n), n) for n in range(1, 6))]


def _list(label: str) -> widgets.Dropdown:
    # the whole label ('Haalbaarheid 12') stays readable: no fixed label width that cuts it off
    return widgets.Dropdown(description=label, options=SCORES, value=0, style={"description_width": "initial"},
                            layout=widgets.Layout(width="auto", margin="0 1.5rem 0 0"))  # fmt: skip


class Scores:
    """``widgets``: expectation id -> (importance list, feasibility list); ``rows``: the widgets to show."""

    def __init__(self, expectations: list[Verwachting], numbers: dict[str, int],
                 text_of: Callable[[Verwachting], str] = lambda v: v.tekst) -> None:  # fmt: skip
        self.numbers = numbers
        self.widgets: dict[str, tuple[widgets.Dropdown, widgets.Dropdown]] = {}
        self.rows: list[widgets.Widget] = []
        for expectation in expectations:
            n = numbers[expectation.id]
            pair = (_list(t("verwachtingen.belang_n", n=n)), _list(t("verwachtingen.haalbaar_n", n=n)))
            self.widgets[expectation.id] = pair
            self.rows.append(widgets.VBox([paragraph(f"{n}. {text_of(expectation)}"), widgets.HBox(list(pair))]))

    def chosen(self) -> dict[str, tuple[int, int]]:
        """The ratings filled in (verwachting id -> (belang, haalbaarheid)); a WijkleerError names the expectations
        with only one of the two, or says nothing was filled in."""
        chosen = {v: (b.value, h.value) for v, (b, h) in self.widgets.items() if b.value or h.value}
        half = [str(self.numbers[v]) for v, (b, h) in chosen.items() if not (b and h)]
        if half:
            raise WijkleerError(t("verwachtingen.half", nummers=", ".join(half)), t("verwachtingen.half_hint"))
        if not chosen:
            raise WijkleerError(t("verwachtingen.niets"), t("verwachtingen.half_hint"))
        return chosen
