"""Practice's side of the loop, shown in the logbook: the answers policy gave (confirm that it helped, or
reopen with a reason) and 'since last time', the steps a facilitator puts on screen at the start of a
leerkring."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import ipywidgets as widgets

from wijkleer import terugkoppeling
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, StatusEvent, Team, new_id
from wijkleer.store import Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
from wijkleer.views.common import error_box, esc, paragraph, success_html, table
from wijkleer.views.form import Field, Form, date_picker, text

SINCE_DAYS = 28


class Antwoorden:
    """One card per answered knelpunt: the answer, and two ways to respond."""

    def __init__(self, store: Store, team: Callable[[], Team | None], changed: Callable[[], None]) -> None:
        self.store, self.team, self.changed = store, team, changed
        self.notice = widgets.HTML("")  # stays when the answered card leaves the list
        self.box = widgets.VBox([])

    def refresh(self) -> None:
        team = self.team()
        if team is None:
            self.box.children = []
            return
        try:
            answered = terugkoppeling.answers_for(self.store, team.naam)
        except WijkleerError as error:
            self.box.children = [error_box(error)]
            return
        intro = paragraph(t("praktijk.antwoorden_uitleg") if answered else t("praktijk.geen_antwoorden"))
        self.box.children = [self.notice, intro, *(self._card(k, a) for k, a in answered)]

    def _card(self, knelpunt: Knelpunt, answer: StatusEvent) -> widgets.Widget:
        head = widgets.HTML(
            f"<p><strong>{esc(knelpunt.titel)}</strong><br>"
            f"{esc(t('praktijk.antwoord_van', datum=answer.tijdstip.strftime('%d-%m-%Y')))}</p>"
            f'<blockquote class="wijkleer-antwoord">{esc(answer.tekst)}</blockquote>'
        )
        reason = Field("tekst", text(t("praktijk.toelichting"), area=True), t("praktijk.toelichting_hulp"))
        ids = {"getoetst": new_id(), "heropend": new_id()}

        def respond(status: str) -> Callable[[dict], str]:
            def submit(values: dict) -> str:
                terugkoppeling.step(
                    self.store, knelpunt.id, status, "uitvoering", values["tekst"] or "", id=ids[status]
                )
                done = t(f"praktijk.klaar.{status}", titel=knelpunt.titel)
                self.notice.value = success_html(done)
                self.changed()
                return done

            return submit

        helped = Form([reason], t("stap.getoetst"), respond("getoetst"))
        reopen = widgets.Button(description=t("stap.heropend"), button_style="warning")
        reopen.on_click(lambda _button: helped.submit(respond("heropend")))
        helped.box.children = (*helped.box.children[:-2], widgets.HBox([helped.button, reopen]), helped.message)
        return widgets.VBox([head, helped.box], layout=widgets.Layout(border="1px solid #ddd", padding="0.5rem",
                                                                      margin="0 0 0.8rem 0"))  # fmt: skip


class SindsVorigeKeer:
    """Every step on the team's knelpunten since a date: the opening of a leerkring."""

    def __init__(self, store: Store, team: Callable[[], Team | None]) -> None:
        self.store, self.team = store, team
        self.moment = date_picker(t("praktijk.sinds"), date.today() - timedelta(SINCE_DAYS))
        self.moment.observe(lambda _change: self.refresh(), names="value")
        self.list_box = widgets.VBox([])
        self.box = widgets.VBox([paragraph(t("praktijk.sinds_uitleg")), self.moment, self.list_box])

    def refresh(self) -> None:
        team = self.team()
        if team is None or self.moment.value is None:
            self.list_box.children = []
            return
        try:
            steps = terugkoppeling.since(self.store, self.moment.value, team=team.naam)
        except WijkleerError as error:
            self.list_box.children = [error_box(error)]
            return
        if steps.empty:
            self.list_box.children = [paragraph(t("praktijk.niets_sinds"))]
            return
        tax = taxonomy()
        headers = [t(f"praktijk.kolom.{c}") for c in ("datum", "titel", "stap", "rol", "tekst")]
        rows = [[r.tijdstip.strftime("%d-%m-%Y"), r.titel, t(f"status.{r.status}"), tax.label("rol", r.rol), r.tekst]
                for r in steps.itertuples()]  # fmt: skip
        self.list_box.children = [table(headers, rows)]
