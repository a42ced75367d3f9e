"""The teacher overview: per group (kring), per exercise and question, how many students answered and what share
is right with their latest answer. Counts only: no names, no answers of anyone."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring
from wijkleer.oefeningen import laden, voortgang
from wijkleer.store import Store, open_store
from wijkleer.text import t
from wijkleer.views.common import error_box, heading, paragraph, query_value, table
from wijkleer.views.form import dropdown

MAX_QUESTION = 90  # characters of a question's text in the table


def _share(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{round(value * 100)}%"


def _short(text: str) -> str:
    return text if len(text) <= MAX_QUESTION else text[: MAX_QUESTION - 1].rstrip() + "…"


class Overzicht:
    def __init__(self, store: Store, kring_id: str | None = None) -> None:
        self.store = store
        kringen = store.list(Kring, order_by="naam")
        chosen = kring_id if any(k.id == kring_id for k in kringen) else (kringen[0].id if kringen else None)
        self.kring = dropdown(t("docent.kring"), [(k.naam, k.id) for k in kringen], chosen)
        refresh = widgets.Button(description=t("docent.vernieuwen"))
        refresh.on_click(lambda _b: self.show())
        self.result = widgets.VBox([])
        self.kring.observe(lambda _c: self.show(), names="value")
        self.box = widgets.VBox([heading(t("docent.titel")), paragraph(t("docent.intro")), self.kring, refresh,
                                 self.result], layout=widgets.Layout(max_width="64rem"))  # fmt: skip
        self.show()

    def show(self) -> None:
        kring_id = self.kring.value
        if not kring_id:
            self.result.children = [paragraph(t("docent.geen_kring"))]
            return
        frame = voortgang.overzicht(self.store, kring_id)
        people = self.store.count(Deelnemer, kring_id=kring_id)
        active = voortgang.actief(self.store, kring_id)
        children = [paragraph(t("docent.deelnemers", aantal=people, actief=active))]
        headers = [t(f"docent.kolom.{c}") for c in ("vraag", "beantwoord", "goed", "aandeel")]
        for exercise in laden.alle():
            rows = frame[frame["oefening"] == exercise.code]
            texts = {v.code: (n, v.tekst) for n, v in enumerate(exercise.vragen, start=1)}
            lines = [[f"{texts[r.vraag][0]}. {_short(texts[r.vraag][1])}", int(r.beantwoord), int(r.goed),
                      _share(r.aandeel_goed)] for r in rows.itertuples()]  # fmt: skip
            children += [heading(exercise.titel, 3), table(headers, lines)]
        self.result.children = children


def app(store: Store | None = None, kring: str | None = None) -> widgets.Widget:
    """The overview for the active database; ``?kring=<id>`` in the URL picks the group."""
    try:
        return Overzicht(store or open_store(), kring or query_value("kring")).box
    except WijkleerError as error:
        return error_box(error)
