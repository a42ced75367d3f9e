"""The knelpuntenlogboek workbook: a wijkteam signals a knelpunt, sees similar ones first, and
follows its own knelpunten; a third tab shows the themes that keep coming back."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
import pandas as pd

from wijkleer import logboek
from wijkleer.errors import WijkleerError
from wijkleer.model import STATUSES, Team, new_id
from wijkleer.store import Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t, t_aantal
from wijkleer.views.common import (
    error_box,
    error_html,
    esc,
    forget_success,
    heading,
    mark_shown,
    paragraph,
    query_value,
    table,
)
from wijkleer.views.form import Choices, Field, Form, date_picker, dropdown, number, text
from wijkleer.views.lijst import Kolom, Lijst
from wijkleer.views.praktijk import Antwoorden, SindsVorigeKeer

ALL = ""
THEMES_TAB = 4


class Logboek:
    def __init__(self, store: Store, team_name: str | None = None) -> None:
        self.store = store
        self.teams = {team.naam: team for team in store.list(Team, order_by="naam")}
        options = sorted((f"{tm.gemeente} – {tm.naam}", tm.naam) for tm in self.teams.values())
        chosen = team_name if team_name in self.teams else (options[0][1] if options else None)
        self.team_choice = dropdown(t("logboek.team"), options, chosen)
        self.team_choice.observe(lambda _change: self._team_changed(), names="value")
        self.draft_id = new_id()
        self.similar_box = widgets.VBox([], layout=widgets.Layout(margin="0 0 0.6rem 0"))
        self.similar_box.add_class("wijkleer-vergelijkbaar")
        self._candidates: tuple[str, object] | None = None  # the municipality's knelpunten, kept while typing
        self.form = self._form()
        # similar knelpunten show right under the title, while it is typed, not below the whole form
        fields = list(self.form.box.children)
        fields.insert(fields.index(self.titel.box) + 1, self.similar_box)
        self.form.box.children = fields
        self.list_box = widgets.VBox([])
        self.lijst = Lijst(self._columns(), self._open_own, "logboek")
        self.own_box = widgets.VBox([])
        self.own_back = widgets.Button(description=t("lijst.terug"), icon="arrow-left")
        self.own_back.on_click(lambda _b: self._close_own())
        self.themes_box = widgets.VBox([])
        self.filters = self._filters()
        self.answers = Antwoorden(store, lambda: self.team, self._loop_changed)
        self.since = SindsVorigeKeer(store, lambda: self.team)
        self.tabs = tabs = widgets.Tab(
            children=[
                self.form.box,
                widgets.VBox([self.filters, self.list_box, self.lijst.box, self.own_back, self.own_box]),
                self.answers.box,
                self.since.box,
                self.themes_box,
            ],
            titles=tuple(t(f"logboek.tab_{name}") for name in ("nieuw", "onze", "antwoorden", "sinds", "themas")),
        )
        self.box = widgets.VBox(
            [paragraph(t("logboek.intro")), self.team_choice, tabs], layout=widgets.Layout(max_width="60rem")
        )
        # the themes cluster a whole municipality: computed when their tab is opened, not at page load
        tabs.observe(lambda _change: self._show_open_tab(), names="selected_index")
        self._team_changed()

    @property
    def team(self) -> Team | None:
        return self.teams.get(self.team_choice.value)

    # -- the form ------------------------------------------------------------------------------------
    def _form(self) -> Form:
        tax = taxonomy()
        self.titel = Field("titel", text(t("logboek.titel"), t("logboek.titel_voorbeeld")), t("logboek.titel_hulp"))
        self.omschrijving = Field(
            "omschrijving", text(t("logboek.omschrijving"), area=True), t("logboek.omschrijving_hulp")
        )
        self.wetten = Choices("wetten", t("logboek.wetten"), tax.options("wet"), t("logboek.wetten_hulp"))
        self.categorie = Field(
            "categorie",
            dropdown(t("logboek.categorie"), [(t("logboek.kies"), ""), *tax.options("categorie")]),
            t("logboek.categorie_hulp"),
        )
        self.leefgebieden = Choices(
            "leefgebieden", t("logboek.leefgebieden"), tax.options("leefgebied"), t("logboek.leefgebieden_hulp")
        )
        self.ernst = Field(
            "ernst",
            dropdown(t("logboek.ernst"), [(t("logboek.kies"), ""), *tax.options("ernst")]),
            "; ".join(f"{item.naam}: {item.uitleg}" for item in tax.items("ernst") if item.uitleg),
        )
        self.aantal = Field("aantal_casussen", number(t("logboek.aantal"), 1), t("logboek.aantal_hulp"))
        self.bron = Field("bron", dropdown(t("logboek.bron"), [(t("logboek.kies"), ""), *tax.options("bron")]))
        self.datum = Field("datum", date_picker(t("logboek.datum"), date.today()), t("logboek.datum_hulp"))
        self.titel.widget.continuous_update = True  # compared while typing, keystroke by keystroke
        for field in (self.titel, self.omschrijving, self.categorie):
            field.widget.observe(lambda _change: self._show_similar(), names="value")
        fields = [self.titel, self.omschrijving, self.wetten, self.categorie, self.leefgebieden, self.ernst,
                  self.aantal, self.bron, self.datum]  # fmt: skip
        form = Form(fields, t("logboek.opslaan"), self._submit)
        inputs = [f.widget for f in fields if isinstance(f, Field)]
        forget_success(form.message, [*inputs, *self.wetten.boxes.values(), *self.leefgebieden.boxes.values()])
        return form

    def _submit(self, values: dict) -> str:
        if self.team is None:
            raise WijkleerError(t("logboek.geen_team"), t("logboek.geen_team_hint"))
        knelpunt = logboek.submit(self.store, values, self.team, self.draft_id)
        self.draft_id = new_id()  # the next knelpunt is a new one; a repeat of this click was harmless
        for field in (self.titel, self.omschrijving):
            field.widget.value = ""
        self.wetten.clear()
        self.leefgebieden.clear()
        self.categorie.widget.value = self.ernst.widget.value = self.bron.widget.value = ""
        self.aantal.widget.value = 1
        self._candidates = None  # the new knelpunt is a candidate for the next one
        self._show_list()
        return t("logboek.opgeslagen", titel=knelpunt.titel)

    # -- similar knelpunten ---------------------------------------------------------------------------
    def _show_similar(self) -> None:
        if self.team is None:
            return
        try:
            matches = logboek.similar(
                self.store,
                self.team.gemeente,
                self.titel.value or "",
                self.omschrijving.value or "",
                self.categorie.value,
                among=self._municipality(),
            )
        except WijkleerError as error:
            self.similar_box.children = [error_box(error)]
            return
        if not matches:
            self.similar_box.children = []
            return
        rows = [heading(t("logboek.vergelijkbaar_kop"), 3), paragraph(t("logboek.vergelijkbaar_uitleg"))]
        for match in matches:
            rows.append(self._match_row(match))
        self.similar_box.children = rows

    def _municipality(self):
        """The municipality's knelpunten to compare with, read once per team (and after a save), not per keystroke."""
        gemeente = self.team.gemeente
        if self._candidates is None or self._candidates[0] != gemeente:
            self._candidates = (gemeente, logboek.candidates(self.store, gemeente))
        return self._candidates[1]

    def _match_row(self, match) -> widgets.Widget:
        line = t(
            "logboek.vergelijkbaar_regel",
            team=match.team,
            datum=match.datum.strftime("%d-%m-%Y"),
            status=t(f"status.{match.status}"),
            casussen=t_aantal("woord.casussen", match.aantal_casussen),
        )
        info = widgets.HTML(f"<strong>{esc(match.titel)}</strong><br>{esc(line)}")
        button = widgets.Button(description=t("logboek.plus_een"), tooltip=t("logboek.plus_een_uitleg"))
        undo = widgets.Button(
            description=t("logboek.plus_een_terug"),
            tooltip=t("logboek.plus_een_terug_uitleg"),
            layout=widgets.Layout(display="none"),
        )
        done = widgets.HTML("")

        def change(step, message: str, counted: bool) -> None:
            button.disabled = undo.disabled = True
            try:
                updated = step(self.store, match.id)
            except WijkleerError as error:
                done.value = error_html(error)
                button.disabled = undo.disabled = False
                return
            cases = t_aantal("woord.casussen", updated.aantal_casussen)
            done.value = f'<span role="status">{esc(t(message, casussen=cases))}</span>'
            # one own click at a time: after '+1' only its undo, after the undo '+1' again
            button.layout.display, undo.layout.display = ("none", "") if counted else ("", "none")
            button.disabled = undo.disabled = False
            self._candidates = None
            self._show_list()

        button.on_click(lambda _b: change(logboek.add_case, "logboek.plus_een_klaar", True))
        undo.on_click(lambda _b: change(logboek.remove_case, "logboek.plus_een_teruggedraaid", False))
        return widgets.VBox([info, widgets.HBox([button, undo, done])], layout=widgets.Layout(margin="0 0 0.8rem 0"))

    # -- the team's own knelpunten ---------------------------------------------------------------------
    def _filters(self) -> widgets.Widget:
        tax = taxonomy()
        self.status_filter = dropdown(
            t("logboek.filter_status"), [(t("logboek.alle"), ALL), *((t(f"status.{s}"), s) for s in STATUSES)], ALL
        )
        self.categorie_filter = dropdown(
            t("logboek.filter_categorie"), [(t("logboek.alle"), ALL), *tax.options("categorie")], ALL
        )
        self.periode_filter = dropdown(
            t("logboek.filter_periode"), [(t(f"logboek.periode.{p}"), p) for p in logboek.PERIODS], "alles"
        )
        for widget in (self.status_filter, self.categorie_filter, self.periode_filter):
            widget.observe(lambda _change: self._show_list(), names="value")
        return widgets.VBox([self.status_filter, self.categorie_filter, self.periode_filter])

    def _columns(self) -> list[Kolom]:
        tax = taxonomy()
        return [
            Kolom(t("kolom.knelpunt.titel"), lambda r: r.titel, "titel_sorteer"),
            Kolom(t("kolom.knelpunt.datum"), lambda r: r.datum.strftime("%d-%m-%Y"), "datum"),
            Kolom(t("kolom.knelpunt.categorie"), lambda r: tax.label("categorie", r.categorie)),
            Kolom(t("kolom.knelpunt.ernst"), lambda r: tax.label("ernst", r.ernst)),
            Kolom(t("kolom.knelpunt.aantal_casussen"), lambda r: str(r.aantal_casussen), "aantal_casussen"),
            Kolom(t("kolom.knelpunt.status"), lambda r: t(f"status.{r.status}")),
        ]

    def _show_list(self) -> None:
        self.list_box.children, frame = self._list_children()
        self.lijst.show(frame, keep_place=True)
        self.lijst.box.layout.display = "" if len(frame) else "none"
        self._close_own()
        filters = (self.status_filter, self.categorie_filter, self.periode_filter)
        mark_shown(self.list_box, *(f.value or "alle" for f in filters))

    def _list_children(self) -> tuple[list[widgets.Widget], pd.DataFrame]:
        if self.team is None:
            return [paragraph(t("logboek.geen_team"))], pd.DataFrame()
        try:
            frame = logboek.team_knelpunten(
                self.store,
                self.team.naam,
                self.status_filter.value or None,
                self.categorie_filter.value or None,
                self.periode_filter.value,
            )
        except WijkleerError as error:
            return [error_box(error)], pd.DataFrame()
        if frame.empty:
            return [paragraph(t("logboek.geen_knelpunten"))], pd.DataFrame()
        frame = frame.set_index("id").assign(titel_sorteer=frame["titel"].str.casefold().to_numpy())
        return [], frame

    def _open_own(self, knelpunt_id: str) -> None:
        """One of the team's own knelpunten, read in full with its history (checked: the team's own)."""
        if self.team is None or knelpunt_id not in self.lijst.frame.index:
            return
        try:
            knelpunt, history = logboek.own_knelpunt(self.store, self.team.naam, knelpunt_id)
        except WijkleerError as error:
            self.own_box.children = [error_box(error)]
            self.own_back.layout.display = self.own_box.layout.display = ""
            return
        tax = taxonomy()
        facts = t(
            "logboek.open_knelpunt_feiten",
            datum=knelpunt.datum.strftime("%d-%m-%Y"),
            categorie=tax.label("categorie", knelpunt.categorie),
            ernst=tax.label("ernst", knelpunt.ernst),
            status=t(f"status.{knelpunt.status}"),
            casussen=t_aantal("woord.casussen", knelpunt.aantal_casussen),
        )
        rows = [
            [e.tijdstip.strftime("%d-%m-%Y"), t(f"status.{e.status}"), tax.label("rol", e.rol), e.tekst]
            for e in history
        ]
        headers = [t(f"inbox.geschiedenis.{c}") for c in ("datum", "stap", "rol", "tekst")]
        self.own_box.children = [
            widgets.HTML(f"<h4>{esc(knelpunt.titel)}</h4><p>{esc(facts)}</p><p>{esc(knelpunt.omschrijving)}</p>"),
            table(headers, rows),
        ]
        self.lijst.box.layout.display = self.filters.layout.display = "none"
        self.own_back.layout.display = self.own_box.layout.display = ""

    def _close_own(self) -> None:
        self.own_box.children = []
        self.own_back.layout.display = self.own_box.layout.display = "none"
        self.filters.layout.display = ""
        self.lijst.box.layout.display = "" if len(self.lijst.frame) else "none"

    # -- recurring themes ------------------------------------------------------------------------------
    def _show_themes(self) -> None:
        if self.team is None:
            return
        try:
            found = logboek.recurring(self.store, self.team.gemeente)
        except WijkleerError as error:
            self.themes_box.children = [error_box(error)]
            return
        intro = paragraph(t("logboek.themas_uitleg", gemeente=self.team.gemeente))
        if not found:
            self.themes_box.children = [intro, paragraph(t("logboek.geen_themas"))]
            return
        headers = [
            t(f"logboek.thema_kolom.{c}") for c in ("titel", "knelpunten", "casussen", "teams", "open", "laatste")
        ]
        rows = [
            [th.titel, th.knelpunten, th.casussen, th.teams, th.open, th.laatste.strftime("%d-%m-%Y")] for th in found
        ]
        self.themes_box.children = [intro, table(headers, rows)]

    def _loop_changed(self) -> None:
        """A step on one of the team's knelpunten: what shows the loop is drawn again."""
        self.answers.refresh()
        self.since.refresh()
        self._show_list()

    def _show_open_tab(self) -> None:
        if self.tabs.selected_index == THEMES_TAB:
            self._show_themes()

    def _team_changed(self) -> None:
        self._loop_changed()
        self._show_open_tab()
        self._show_similar()


def app(store: Store | None = None, team: str | None = None) -> widgets.Widget:
    """The logbook for the active database (``$WIJKLEER_DB``); ``?team=…`` in the URL picks the team."""
    try:
        store = store or open_store()
        # a shared link ?team=… opens the team's own logbook
        return Logboek(store, team or query_value("team")).box
    except WijkleerError as error:
        return error_box(error)
