"""The policy inbox: new and overdue knelpunten of a municipality, and the next step on one of them
(acknowledge and assign, take up, decide, answer practice, merge a duplicate)."""

from __future__ import annotations

import ipywidgets as widgets

from wijkleer import loop, terugkoppeling
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, Team, new_id
from wijkleer.store import Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
from wijkleer.views.common import error_box, esc, heading, paragraph, query_value, table
from wijkleer.views.form import Field, Form, dropdown, text

LIST_LIMIT = 40
ALL = ""


def _day(value) -> str:
    return value.strftime("%d-%m-%Y") if value is not None and value == value else ""


class Inbox:
    def __init__(self, store: Store, gemeente: str | None = None) -> None:
        self.store = store
        self.tax = taxonomy()
        places = sorted({team.gemeente for team in store.list(Team)})
        self.gemeente = dropdown(
            t("inbox.gemeente"), [(g, g) for g in places], gemeente if gemeente in places else None
        )
        self.afdeling = dropdown(t("inbox.afdeling"), [(t("inbox.alle"), ALL), *self.tax.options("afdeling")], ALL)
        self.choice = dropdown(t("inbox.knelpunt"), [])
        self.list_box, self.detail_box = widgets.VBox([]), widgets.VBox([])
        self.step_id = new_id()
        self.form = self._form()
        for widget in (self.gemeente, self.afdeling):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.choice.observe(lambda _change: self._show_detail(), names="value")
        self.next_step.widget.observe(lambda _change: self._show_step_fields(), names="value")
        self.box = widgets.VBox(
            [paragraph(t("inbox.intro")), self.gemeente, self.afdeling, self.list_box,
             heading(t("inbox.behandelen"), 3), self.choice, self.detail_box, self.form.box],
            layout=widgets.Layout(max_width="64rem"),
        )  # fmt: skip
        self.refresh()

    def _form(self) -> Form:
        self.next_step = Field("status", dropdown(t("inbox.stap"), []))
        self.department = Field("afdeling", dropdown(t("inbox.afdeling_kiezen"), self.tax.options("afdeling")))
        self.decision = Field("besluit", dropdown(t("inbox.besluit"), self.tax.options("besluit")))
        self.merge_into = Field("samengevoegd_in", dropdown(t("inbox.samenvoegen_met"), []))
        self.text = Field("tekst", text(t("inbox.tekst"), area=True), t("inbox.tekst_hulp"))
        fields = [self.next_step, self.department, self.decision, self.merge_into, self.text]
        return Form(fields, t("inbox.vastleggen"), self._submit)

    # -- the list ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.rows = terugkoppeling.inbox(self.store, self.gemeente.value or "", self.afdeling.value or None)
        except WijkleerError as error:
            self.list_box.children = [error_box(error)]
            return
        if self.rows.empty:
            self.list_box.children = [paragraph(t("inbox.leeg"))]
            self.choice.options = []
            self._show_detail()
            return
        shown = self.rows.head(LIST_LIMIT)
        headers = [
            t(f"inbox.kolom.{c}") for c in ("datum", "titel", "team", "status", "afdeling", "uiterlijk", "oordeel")
        ]
        body = [
            [_day(r.datum), r.titel, r.team, t(f"status.{r.status}"),
             self.tax.label("afdeling", r.afdeling) if r.afdeling else t("inbox.geen_afdeling"),
             _day(r.ontvangst_uiterlijk if r.status == "gesignaleerd" else r.antwoord_uiterlijk), self._verdict(r)]
            for r in shown.itertuples()
        ]  # fmt: skip
        summary = t("inbox.samenvatting", aantal=len(self.rows), nieuw=int(self.rows["nieuw"].sum()),
                    te_laat=int(self.rows["te_laat"].sum()))  # fmt: skip
        self.list_box.children = [paragraph(summary), table(headers, body)]
        current = self.choice.value
        # every waiting knelpunt can be handled, also those below the table's first rows
        self.choice.options = [(f"{_day(r.datum)} – {r.titel} ({r.team})", r.Index) for r in self.rows.itertuples()]
        self.choice.value = current if current in self.rows.index else self.rows.index[0]
        self.merge_into.widget.options = self.choice.options
        self._show_detail()

    def _verdict(self, row) -> str:
        state = row.ontvangst_oordeel if row.status == "gesignaleerd" else row.antwoord_oordeel
        return t(f"inbox.oordeel.{state}")

    # -- one knelpunt -----------------------------------------------------------------------------------
    def _show_detail(self) -> None:
        if not self.choice.value:
            self.detail_box.children, self.form.box.layout.display = [], "none"
            return
        knelpunt = self.store.get(Knelpunt, self.choice.value)
        history = [[e.tijdstip.strftime("%d-%m-%Y"), t(f"status.{e.status}"), self.tax.label("rol", e.rol), e.tekst]
                   for e in self.store.history(knelpunt.id)]  # fmt: skip
        headers = [t(f"inbox.geschiedenis.{c}") for c in ("datum", "stap", "rol", "tekst")]
        self.detail_box.children = [
            widgets.HTML(f"<p><strong>{esc(knelpunt.titel)}</strong></p><p>{esc(knelpunt.omschrijving)}</p>"),
            table(headers, history),
        ]
        steps = [s for s in terugkoppeling.BELEID_STAPPEN if loop.allowed(knelpunt.status, s)]
        self.next_step.widget.options = [(t(f"stap.{s}"), s) for s in steps]
        self.form.box.layout.display = "" if steps else "none"
        self._show_step_fields()

    def _show_step_fields(self) -> None:
        status = self.next_step.widget.value
        for field, shown in ((self.department, "ontvangen"), (self.decision, "besluit"),
                             (self.merge_into, "samengevoegd")):  # fmt: skip
            field.box.layout.display = "" if status == shown else "none"

    def _submit(self, values: dict) -> str:
        status = values["status"]
        terugkoppeling.step(
            self.store, self.choice.value, status, "beleid", values["tekst"] or "",
            besluit=values["besluit"] if status == "besluit" else None,
            samengevoegd_in=values["samengevoegd_in"] if status == "samengevoegd" else None,
            afdeling=values["afdeling"] if status == "ontvangen" else None, id=self.step_id,
        )  # fmt: skip
        self.step_id = new_id()
        self.text.widget.value = ""
        self.refresh()
        return t("inbox.vastgelegd", stap=t(f"status.{status}"))


def app(store: Store | None = None, gemeente: str | None = None) -> widgets.Widget:
    """The inbox for the active database (``$WIJKLEER_DB``)."""
    try:
        return Inbox(store or open_store(), gemeente or query_value("gemeente")).box
    except WijkleerError as error:
        return error_box(error)
