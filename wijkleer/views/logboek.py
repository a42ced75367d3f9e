"""The knelpuntenlogboek workbook: a wijkteam signals a knelpunt, sees similar ones first, and
follows its own knelpunten; a third tab shows the themes that keep coming back."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from wijkleer import logboek
from wijkleer.errors import WijkleerError
from wijkleer.model import STATUSES, Team, new_id
from wijkleer.store import Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
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
from wijkleer.views.praktijk import Antwoorden, SindsVorigeKeer

ALL = ""
LIST_LIMIT = 50
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
        self.form = self._form()
        self.similar_box = widgets.VBox([])
        self.list_box = widgets.VBox([])
        self.themes_box = widgets.VBox([])
        self.filters = self._filters()
        self.answers = Antwoorden(store, lambda: self.team, self._loop_changed)
        self.since = SindsVorigeKeer(store, lambda: self.team)
        self.tabs = tabs = widgets.Tab(
            children=[
                widgets.VBox([self.form.box, self.similar_box]),
                widgets.VBox([self.filters, self.list_box]),
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
        self._show_list()
        return t("logboek.opgeslagen", titel=knelpunt.titel)

    # -- similar knelpunten ---------------------------------------------------------------------------
    def _show_similar(self) -> None:
        if self.team is None:
            return
        try:
            matches = logboek.similar(
                self.store, self.team.gemeente, self.titel.value or "", self.omschrijving.value or "",
                self.categorie.value,
            )  # fmt: skip
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

    def _match_row(self, match) -> widgets.Widget:
        info = widgets.HTML(
            f"<strong>{esc(match.titel)}</strong><br>"
            + esc(
                t(
                    "logboek.vergelijkbaar_regel",
                    team=match.team,
                    datum=match.datum.strftime("%d-%m-%Y"),
                    status=t(f"status.{match.status}"),
                    casussen=match.aantal_casussen,
                )
            )  # fmt: skip
        )
        button = widgets.Button(description=t("logboek.plus_een"), tooltip=t("logboek.plus_een_uitleg"))
        done = widgets.HTML("")

        def add(_button) -> None:
            button.disabled = True
            try:
                updated = logboek.add_case(self.store, match.id)
            except WijkleerError as error:
                done.value = error_html(error)
                button.disabled = False
                return
            done.value = (
                f'<span role="status">{esc(t("logboek.plus_een_klaar", casussen=updated.aantal_casussen))}</span>'
            )
            self._show_list()

        button.on_click(add)
        return widgets.VBox([info, widgets.HBox([button, done])], layout=widgets.Layout(margin="0 0 0.8rem 0"))

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

    def _show_list(self) -> None:
        self.list_box.children = self._list_children()
        filters = (self.status_filter, self.categorie_filter, self.periode_filter)
        mark_shown(self.list_box, *(f.value or "alle" for f in filters))

    def _list_children(self) -> list[widgets.Widget]:
        if self.team is None:
            return [paragraph(t("logboek.geen_team"))]
        try:
            frame = logboek.team_knelpunten(
                self.store, self.team.naam, self.status_filter.value or None, self.categorie_filter.value or None,
                self.periode_filter.value,
            )  # fmt: skip
        except WijkleerError as error:
            return [error_box(error)]
        if frame.empty:
            return [paragraph(t("logboek.geen_knelpunten"))]
        tax = taxonomy()
        shown = frame.head(LIST_LIMIT)
        rows = [
            [
                r.datum.strftime("%d-%m-%Y"),
                r.titel,
                tax.label("categorie", r.categorie),
                tax.label("ernst", r.ernst),
                r.aantal_casussen,
                t(f"status.{r.status}"),
            ]  # fmt: skip
            for r in shown.itertuples()
        ]
        headers = [
            t(f"kolom.knelpunt.{c}") for c in ("datum", "titel", "categorie", "ernst", "aantal_casussen", "status")
        ]
        children = [paragraph(t("logboek.aantal_gevonden", aantal=len(frame))), table(headers, rows)]
        if len(frame) > LIST_LIMIT:
            children.append(paragraph(t("logboek.meer", aantal=len(frame) - LIST_LIMIT)))
        return children

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
