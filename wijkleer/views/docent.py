"""The teacher overview: for the signed-in facilitator's own group (kring), per exercise and question, how many
students answered and what share is right with their latest answer. Counts only — no names, no answers — and
protected with ``wijkleer.privacy.disclosure``: a figure is shown only when at least ``k`` students stand behind
it, and the whole group stays hidden while fewer than ``k`` students are active. So neither one look nor a
refresh after one student's change shows how that student is doing."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring
from wijkleer.oefeningen import laden, voortgang
from wijkleer.privacy import disclosure
from wijkleer.rapport import MARKER
from wijkleer.store import Store, open_store
from wijkleer.text import t
from wijkleer.views.aanmelden import Aanmelden
from wijkleer.views.common import error_box, error_html, heading, paragraph, table

MAX_QUESTION = 90  # characters of a question's text in the table


def _share(value: float | None) -> str:
    return MARKER if value is None or pd.isna(value) else f"{round(value * 100)}%"


def _count(value: object) -> object:
    """A count as a number (right-aligned in the table), a suppressed one as the marker."""
    return MARKER if pd.isna(value) else int(value)


def _short(text: str) -> str:
    return text if len(text) <= MAX_QUESTION else text[: MAX_QUESTION - 1].rstrip() + "…"


class Overzicht:
    """Sign in; a facilitator then sees the overview of their own group, nobody else sees any figure."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.kring_id: str | None = None  # set only for a signed-in facilitator, from the stored person
        self.aanmelden = Aanmelden(store, on_login=self._signed_in)
        self.login = widgets.VBox([paragraph(t("docent.toegang.intro")), self.aanmelden.box])
        self.refresh = widgets.Button(description=t("docent.vernieuwen"))
        self.refresh.on_click(lambda _b: self.show())
        self.result = widgets.VBox([])
        self.box = widgets.VBox([heading(t("docent.titel")), paragraph(t("docent.intro")), self.login, self.result],
                                layout=widgets.Layout(max_width="64rem"))  # fmt: skip

    def _signed_in(self, deelnemer: Deelnemer) -> None:
        person = identiteit.begeleider(self.store, deelnemer)
        if person is None:
            self.kring_id = None
            self.result.children = [paragraph(t("docent.toegang.alleen_begeleider", naam=deelnemer.naam))]
            return
        self.kring_id = person.kring_id
        self.show()

    def show(self) -> None:
        if self.kring_id is None:  # not signed in as a facilitator: nothing to show
            self.result.children = []
            return
        try:
            self.result.children = [*self._figures(), self.refresh]
        except WijkleerError as error:  # e.g. WIJKLEER_K set to something that is no valid k
            self.result.children = [widgets.HTML(error_html(error))]

    def _figures(self) -> list[widgets.Widget]:
        rule = disclosure.rule()
        kring = self.store.get(Kring, self.kring_id)
        students = len(voortgang.studenten(self.store, self.kring_id))
        children = [paragraph(t("docent.toegang.groep", kring=kring.naam, aantal=students))]
        active = voortgang.actief(self.store, self.kring_id)
        if active < rule.k:
            return [*children, paragraph(t("docent.toegang.te_klein", k=rule.k))]
        shown = voortgang.actief_getoond(self.store, self.kring_id, rule)  # noisy: a refresh tells no one's answer
        children.append(paragraph(t("docent.toegang.actief", actief=shown)))
        frame = voortgang.overzicht(self.store, self.kring_id, rule)
        headers = [t(f"docent.kolom.{c}") for c in ("vraag", "beantwoord", "goed", "aandeel")]
        for exercise in laden.alle():
            rows = frame[frame["oefening"] == exercise.code]
            texts = {v.code: (n, v.tekst) for n, v in enumerate(exercise.vragen, start=1)}
            lines = [[f"{texts[r.vraag][0]}. {_short(texts[r.vraag][1])}", _count(r.beantwoord), _count(r.goed),
                      _share(r.aandeel_goed)] for r in rows.itertuples()]  # fmt: skip
            children += [heading(exercise.titel, 3), table(headers, lines)]
        children.append(paragraph(t("docent.toegang.x_uitleg", k=rule.k)))
        return children


def app(store: Store | None = None) -> widgets.Widget:
    """The overview for the active database: sign in as the facilitator of a group (``?kring=<id>`` in the URL
    picks the group in the sign-in form)."""
    try:
        return Overzicht(store or open_store()).box
    except WijkleerError as error:
        return error_box(error)
