"""The policy inbox: the knelpunten of a municipality that wait for policy, new and late ones on top, as a list to
search, sort and page through; open one to read it and take its next step (acknowledge and assign, take up, decide,
answer practice, merge a duplicate). The result of a step names the knelpunt, which stays open."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from wijkleer import loop, terugkoppeling
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, Team, new_id
from wijkleer.store import Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t, t_aantal
from wijkleer.views.common import error_box, error_html, esc, heading, paragraph, query_value, table
from wijkleer.views.form import Field, Form, dropdown, text
from wijkleer.views.lijst import Kolom, Lijst

ALL = ""
NOT_YET = "nog_niet"  # the department choice 'not yet assigned': a choice someone made, never a preset
SEVERITY = {"drie_keer_te_laat": 0, "te_laat": 1, "open": 2, "op_tijd": 3}  # the Termijn column sorts worst first


def _day(value) -> str:
    return value.strftime("%d-%m-%Y") if value is not None and not pd.isna(value) else ""


def _department(tax, value) -> str:
    """A department in words; a knelpunt not yet assigned says so (never 'nan' or 'None')."""
    return t("inbox.geen_afdeling") if value is None or pd.isna(value) or not value else tax.label("afdeling", value)


class Inbox:
    def __init__(self, store: Store, gemeente: str | None = None) -> None:
        self.store = store
        self.tax = taxonomy()
        places = sorted({team.gemeente for team in store.list(Team)})
        self.gemeente = dropdown(
            t("inbox.gemeente"), [(g, g) for g in places], gemeente if gemeente in places else None
        )
        self.afdeling = dropdown(t("inbox.afdeling"), [(t("inbox.alle"), ALL), *self.tax.options("afdeling")], ALL)
        self.current: str | None = None  # the knelpunt opened, always one of the list's rows
        self.summary, self.detail_box = widgets.HTML(), widgets.VBox([])
        self.lijst = Lijst(self._columns(), self.open, "inbox")
        self.step_id = new_id()
        self.form = self._form()
        for widget in (self.gemeente, self.afdeling):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.next_step.widget.observe(lambda _change: self._show_step_fields(), names="value")
        self.back = widgets.Button(description=t("lijst.terug"), icon="arrow-left")
        self.back.on_click(lambda _b: self.close())
        self.detail = widgets.VBox([self.back, heading(t("inbox.behandelen"), 3), self.detail_box, self.form.box])
        self.list_view = widgets.VBox([self.gemeente, self.afdeling, self.summary, self.lijst.box])
        self.box = widgets.VBox(
            [paragraph(t("inbox.intro")), self.list_view, self.detail], layout=widgets.Layout(max_width="64rem")
        )
        self.refresh()

    def _columns(self) -> list[Kolom]:
        return [
            Kolom(t("inbox.kolom.titel"), lambda r: r.titel, "titel_sorteer"),
            Kolom(t("inbox.kolom.datum"), lambda r: _day(r.datum), "datum"),
            Kolom(t("inbox.kolom.team"), lambda r: r.team),
            Kolom(t("inbox.kolom.status"), lambda r: t(f"status.{r.status}")),
            Kolom(t("inbox.kolom.afdeling"), lambda r: _department(self.tax, r.afdeling)),
            Kolom(t("inbox.kolom.uiterlijk"), lambda r: _day(r.uiterlijk), "uiterlijk"),
            Kolom(t("inbox.kolom.oordeel"), lambda r: t(f"inbox.oordeel.{r.oordeel}"), "ernst_termijn"),
        ]

    def _form(self) -> Form:
        self.next_step = Field("status", dropdown(t("inbox.stap"), []))
        departments = [
            (t("inbox.afdeling_kies"), ""),
            (t("inbox.afdeling_nog_niet"), NOT_YET),
            *self.tax.options("afdeling"),
        ]
        self.department = Field(
            "afdeling", dropdown(t("inbox.afdeling_kiezen"), departments, ""), t("inbox.afdeling_hulp")
        )
        self.decision = Field("besluit", dropdown(t("inbox.besluit"), self.tax.options("besluit")))
        self.merge_into = Field("samengevoegd_in", dropdown(t("inbox.samenvoegen_met"), []))
        self.text = Field("tekst", text(t("inbox.tekst"), area=True), t("inbox.tekst_hulp"))
        fields = [self.next_step, self.department, self.decision, self.merge_into, self.text]
        return Form(fields, t("inbox.vastleggen"), self._submit)

    # -- the list ---------------------------------------------------------------------------------------
    def refresh(self, keep_place: bool = False) -> None:
        try:
            rows = terugkoppeling.inbox(self.store, self.gemeente.value or "", self.afdeling.value or None)
        except WijkleerError as error:
            self.summary.value, self.rows = error_html(error), None
            self.lijst.show(pd.DataFrame())
            return
        self.rows = rows
        if rows.empty:
            self.summary.value = f"<p>{esc(t('inbox.leeg'))}</p>"
        else:
            summary = t(
                "inbox.samenvatting",
                aantal=len(rows),
                nieuw=int(rows["nieuw"].sum()),
                te_laat=int(rows["te_laat"].sum()),
            )
            self.summary.value = f"<p>{esc(summary)}</p>"
        self.lijst.show(_for_list(rows), keep_place=keep_place)
        if not keep_place:
            self.close()

    # -- one knelpunt -----------------------------------------------------------------------------------
    def open(self, knelpunt_id: str) -> None:
        """Show one knelpunt of the list with its history and its next step; the list steps aside."""
        self.current = knelpunt_id
        self.form.clear_errors()
        self.department.widget.value = ""
        self._show_detail()
        self.list_view.layout.display, self.detail.layout.display = "none", ""

    def close(self) -> None:
        self.current = None
        self.detail_box.children = []
        self.list_view.layout.display, self.detail.layout.display = "", "none"

    def _show_detail(self) -> None:
        knelpunt = self.store.get(Knelpunt, self.current)
        history = [
            [e.tijdstip.strftime("%d-%m-%Y"), t(f"status.{e.status}"), self.tax.label("rol", e.rol), e.tekst]
            for e in self.store.history(knelpunt.id)
        ]
        headers = [t(f"inbox.geschiedenis.{c}") for c in ("datum", "stap", "rol", "tekst")]
        facts = t(
            "inbox.feiten",
            team=knelpunt.team,
            datum=knelpunt.datum.strftime("%d-%m-%Y"),
            status=t(f"status.{knelpunt.status}"),
            afdeling=_department(self.tax, knelpunt.afdeling),
            casussen=t_aantal("woord.casussen", knelpunt.aantal_casussen),
        )
        self.detail_box.children = [
            widgets.HTML(f"<h4>{esc(knelpunt.titel)}</h4><p>{esc(facts)}</p><p>{esc(knelpunt.omschrijving)}</p>"),
            table(headers, history),
        ]
        steps = [s for s in terugkoppeling.BELEID_STAPPEN if loop.allowed(knelpunt.status, s)]
        self.next_step.widget.options = [(t(f"stap.{s}"), s) for s in steps]
        # no next step (answered, merged): the fields go, the result of the last step stays in view
        for widget in (self.next_step.box, self.text.box, self.form.button):
            widget.layout.display = "" if steps else "none"
        self._show_step_fields()

    def _show_step_fields(self) -> None:
        status = self.next_step.widget.value
        for field, shown in (
            (self.department, "ontvangen"),
            (self.decision, "besluit"),
            (self.merge_into, "samengevoegd"),
        ):
            field.box.layout.display = "" if status == shown else "none"
        if status == "samengevoegd" and self.rows is not None:  # only then: the other waiting knelpunten
            others = self.rows.drop(index=self.current, errors="ignore")
            self.merge_into.widget.options = [
                (f"{_day(r.datum)} – {r.titel} ({r.team})", r.Index) for r in others.itertuples()
            ]

    def _submit(self, values: dict) -> str:
        status = values["status"]
        if self.current is None or self.rows is None or self.current not in self.rows.index:
            raise WijkleerError(t("inbox.niet_in_lijst"), t("inbox.niet_in_lijst_hint"))
        if status == "ontvangen" and not values["afdeling"]:
            raise WijkleerError(
                t("inbox.afdeling_nodig"), t("inbox.afdeling_nodig_hint"), {"afdeling": t("inbox.afdeling_nodig_kort")}
            )
        department = values["afdeling"] if status == "ontvangen" and values["afdeling"] != NOT_YET else None
        knelpunt = self.store.get(Knelpunt, self.current)
        terugkoppeling.step(
            self.store,
            knelpunt.id,
            status,
            "beleid",
            values["tekst"] or "",
            besluit=values["besluit"] if status == "besluit" else None,
            samengevoegd_in=values["samengevoegd_in"] if status == "samengevoegd" else None,
            afdeling=department,
            id=self.step_id,
        )
        self.step_id = new_id()
        self.text.widget.value = ""
        self.department.widget.value = ""
        self.refresh(keep_place=True)  # the list behind it follows; this knelpunt stays open
        self._show_detail()
        return t("inbox.vastgelegd", stap=t(f"status.{status}"), titel=knelpunt.titel)


def _for_list(rows: pd.DataFrame) -> pd.DataFrame:
    """What the list shows and sorts on: per knelpunt the due date and verdict of the step it waits for."""
    if rows.empty:
        return rows
    waiting = rows["status"] == loop.START
    verdict = rows["ontvangst_oordeel"].where(waiting, rows["antwoord_oordeel"])
    return rows.assign(
        uiterlijk=rows["ontvangst_uiterlijk"].where(waiting, rows["antwoord_uiterlijk"]),
        oordeel=verdict,
        ernst_termijn=verdict.map(SEVERITY),
        titel_sorteer=rows["titel"].str.casefold(),
    )


def app(store: Store | None = None, gemeente: str | None = None) -> widgets.Widget:
    """The inbox for the active database (``$WIJKLEER_DB``)."""
    try:
        return Inbox(store or open_store(), gemeente or query_value("gemeente")).box
    except WijkleerError as error:
        return error_box(error)
