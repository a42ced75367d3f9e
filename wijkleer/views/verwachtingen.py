"""The expectation map for a leerkring session: participants sign in and rate importance and feasibility from
their role; the facilitator sees the map per role, the largest gaps and disagreements, and records outcomes;
'Verloop' shows how ratings and outcomes changed across sessions.

Who rates is the signed-in participant kept in Python (``self.person``), never a choice in widget state: a
rating counts for one's own role only. (In a running session the participant page rates the same way.)"""

from __future__ import annotations

import ipywidgets as widgets

from wijkleer import verwachtingen
from wijkleer.errors import WijkleerError
from wijkleer.model import UITKOMSTEN, Deelnemer, Kring, Sessie, Verwachting, new_id
from wijkleer.store import Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import decimaal, t
from wijkleer.views.aanmelden import Aanmelden
from wijkleer.views.common import error_box, error_html, heading, paragraph, query_value, success_html, table
from wijkleer.views.form import Field, Form, dropdown, text
from wijkleer.views.scores import Scores


class Kaart:
    def __init__(self, store: Store, kring_id: str | None = None) -> None:
        self.store, self.tax = store, taxonomy()
        kringen = store.list(Kring, order_by="naam")
        chosen = kring_id if any(k.id == kring_id for k in kringen) else (kringen[0].id if kringen else None)
        self.kring = dropdown(t("verwachtingen.kring"), [(k.naam, k.id) for k in kringen], chosen)
        self.sessie = dropdown(t("verwachtingen.sessie"), [])
        self.person: Deelnemer | None = None
        self.rating: Scores | None = None
        self.aanmelden = Aanmelden(store, on_login=self._signed_in)
        self.rate_box, self.map_box, self.trend_box = widgets.VBox([]), widgets.VBox([]), widgets.VBox([])
        self.outcome_form = self._outcome_form()
        self.add_form = self._add_form()
        refresh = widgets.Button(description=t("verwachtingen.vernieuwen"), icon="")
        refresh.on_click(lambda _b: self._show_map())
        self.kring.observe(lambda _c: self._kring_changed(), names="value")
        self.sessie.observe(lambda _c: (self._show_rating(), self._show_open_tab()), names="value")
        self.tabs = tabs = widgets.Tab(
            children=[self.rate_box, widgets.VBox([refresh, self.map_box, self.outcome_form.box]), self.trend_box],
            titles=(t("verwachtingen.tab_beoordelen"), t("verwachtingen.tab_kaart"), t("verwachtingen.tab_verloop")),
        )
        # charts cost a second or two: drawn when their tab is opened, not when the page loads
        tabs.observe(lambda _c: self._show_open_tab(), names="selected_index")
        self.vega = widgets.Box()  # the chart library, brought to the page with the first chart
        self.box = widgets.VBox([paragraph(t("verwachtingen.intro")), self.kring, self.sessie, tabs,
                                 self.vega], layout=widgets.Layout(max_width="64rem"))  # fmt: skip
        self._kring_changed()

    # -- kring, session, participant, new expectations --------------------------------------------------
    def _add_form(self) -> Form:
        self.new_text = Field("tekst", text(t("verwachtingen.nieuw_tekst")), t("verwachtingen.nieuw_hulp"))
        holders = [(t("logboek.kies"), ""), *self.tax.options("belanghebbende")]
        self.new_holder = Field("belanghebbende", dropdown(t("verwachtingen.nieuw_wie"), holders))
        self.new_id = new_id()
        return Form([self.new_text, self.new_holder], t("verwachtingen.toevoegen"), self._add)

    def _add(self, values: dict) -> str:
        added = verwachtingen.add(self.store, self.kring.value, self.sessie.value, values["tekst"] or "",
                                  values["belanghebbende"], self.new_id)  # fmt: skip
        self.new_id = new_id()
        self.new_text.widget.value, self.new_holder.widget.value = "", ""
        self._reload()
        return t("verwachtingen.toegevoegd", nummer=self.numbers[added.id])

    def _reload(self) -> None:
        """The kring's expectations read again (one added, adjusted or dropped) and the rating list drawn again,
        keeping what was chosen but not yet saved (a dropped expectation leaves the list)."""
        kept = self.rating.values() if self.rating is not None else {}
        self._load_expectations()
        self._show_rating()
        if self.rating is not None:
            self.rating.restore(kept)

    def _load_expectations(self) -> None:
        kring_id = self.kring.value
        self.expectations = self.store.list(Verwachting, kring_id=kring_id, order_by="aangemaakt") if kring_id else []
        self.numbers = verwachtingen.nummers(self.store, kring_id) if kring_id else {}
        self.to_rate = verwachtingen.te_beoordelen(self.store, kring_id) if kring_id else []
        self.which.widget.options = [(f"{self.numbers[v.id]}. {verwachtingen.huidige_tekst(v)}", v.id)
                                     for v in self.expectations]  # fmt: skip
        self.which.widget.value = self.expectations[0].id if self.expectations else None

    def _kring_changed(self) -> None:
        kring_id = self.kring.value
        sessions = self.store.list(Sessie, kring_id=kring_id, order_by="datum") if kring_id else []
        self.sessie.options = [(f"{s.datum:%d-%m-%Y} – {s.titel}", s.id) for s in sessions]
        done = [s for s in sessions if s.status != "gepland"]
        self.sessie.value = (done or sessions)[-1].id if sessions else None
        self._load_expectations()
        self._show_rating()
        self._show_open_tab()

    def _show_open_tab(self) -> None:
        if self.tabs.selected_index == 1:
            self._show_map()
        elif self.tabs.selected_index == 2:
            self._show_trend()

    # -- rating -----------------------------------------------------------------------------------------
    def _signed_in(self, person: Deelnemer) -> None:
        self.person = person
        if any(value == person.kring_id for _label, value in self.kring.options):
            self.kring.value = person.kring_id  # rating is for one's own kring
        self._show_rating()

    def _show_rating(self) -> None:
        self.rating = None
        if self.person is None:
            self.rate_box.children = [paragraph(t("verwachtingen.aanmelden_om_te_beoordelen")), self.aanmelden.box]
            return
        if self.person.kring_id != self.kring.value or not self.sessie.value:
            which = t("verwachtingen.andere_kring") if self.sessie.value else t("verwachtingen.kies_bijeenkomst")
            self.rate_box.children = [paragraph(which)]
            return
        shown = [(v, f"{tekst} ({self.tax.label('belanghebbende', v.belanghebbende)})") for v, tekst in self.to_rate]
        self.rating = Scores(shown, self.numbers)
        self.scores, rows = self.rating.widgets, list(self.rating.rows)
        save = widgets.Button(description=t("verwachtingen.opslaan"), button_style="primary")
        self.rate_message = widgets.HTML("")
        rows.insert(0, paragraph(t("verwachtingen.je_beoordeelt_als", naam=self.person.naam,
                                   rol=self.tax.label("rol", self.person.rol))))  # fmt: skip
        save.on_click(lambda _b: self._save_ratings())
        self.rate_box.children = [paragraph(t("verwachtingen.schaal")), *rows, save, self.rate_message,
                                  heading(t("verwachtingen.nieuw_kop"), 3), self.add_form.box]  # fmt: skip

    def _save_ratings(self) -> None:
        person = self.store.get(Deelnemer, self.person.id)  # as stored now, with its own role
        if person.kring_id != self.kring.value:  # the page moved to another kring since: nothing to rate there
            self._show_rating()
            return
        try:
            chosen = self.rating.chosen()
            verwachtingen.rate(self.store, person, self.sessie.value, chosen)
        except WijkleerError as error:
            self.rate_message.value = error_html(error)
            return
        done = t("verwachtingen.opgeslagen", aantal=len(chosen))
        self.rate_message.value = success_html(done)

    # -- the map ------------------------------------------------------------------------------------------
    def _show_map(self) -> None:
        from wijkleer import charts
        from wijkleer.views.chart import chart_widget, ensure_loader

        if not self.kring.value:
            self.map_box.children = [paragraph(t("verwachtingen.geen_kring"))]
            return
        frame = verwachtingen.ratings(self.store, self.kring.value, self.sessie.value)
        per_role = verwachtingen.matrix(frame)
        if per_role.empty:
            self.map_box.children = [paragraph(t("verwachtingen.nog_geen"))]
            return
        label = lambda code: self.tax.label("rol", code)  # noqa: E731
        matrix_rows = [[self.numbers[r.verwachting_id], r.tekst, label(r.rol), decimaal(r.belang),
                        decimaal(r.haalbaarheid), r.aantal] for r in per_role.itertuples()]  # fmt: skip
        gap_rows = [[self.numbers[r.verwachting_id], r.tekst, decimaal(r.belang), decimaal(r.haalbaarheid),
                     decimaal(r.kloof)] for r in verwachtingen.gaps(frame).head(5).itertuples()]  # fmt: skip
        split_rows = [[self.numbers[r.verwachting_id], r.tekst, f"{label(r.laagste_rol)} {decimaal(r.laagste)}",
                       f"{label(r.hoogste_rol)} {decimaal(r.hoogste)}", decimaal(r.verschil)]
                      for r in verwachtingen.disagreements(frame).head(5).itertuples()]  # fmt: skip
        k = "verwachtingen.kolom."
        ensure_loader(self.vega)
        self.map_box.children = [
            chart_widget(charts.expectation_matrix(per_role, self.numbers), t("verwachtingen.matrix_titel")),
            widgets.Accordion(
                [table([t(k + c) for c in ("nummer", "tekst", "rol", "belang", "haalbaarheid", "aantal")],
                       matrix_rows)],  # fmt: skip
                titles=(t("verwachtingen.tabel_bij_grafiek"),),
            ),
            heading(t("verwachtingen.kloof_kop"), 3), paragraph(t("verwachtingen.kloof_uitleg")),
            table([t(k + c) for c in ("nummer", "tekst", "belang", "haalbaarheid", "kloof")], gap_rows),
            heading(t("verwachtingen.verschil_kop"), 3),
            table([t(k + c) for c in ("nummer", "tekst", "laagste", "hoogste", "verschil")], split_rows),
        ]  # fmt: skip

    # -- outcomes -----------------------------------------------------------------------------------------
    def _outcome_form(self) -> Form:
        self.which = Field("verwachting_id", dropdown(t("verwachtingen.welke"), []))
        choices = [(verwachtingen.outcome_label(code), code) for code in UITKOMSTEN]
        self.outcome = Field("uitkomst", dropdown(t("verwachtingen.uitkomst_kiezen"), choices))
        self.wording = Field(
            "herziene_tekst", text(t("verwachtingen.nieuwe_tekst")), t("verwachtingen.nieuwe_tekst_hulp")
        )
        self.outcome_id = new_id()
        return Form([self.which, self.outcome, self.wording], t("verwachtingen.uitkomst_vastleggen"), self._decide)

    def _decide(self, values: dict) -> str:
        verwachtingen.decide(self.store, values["verwachting_id"], self.sessie.value, values["uitkomst"],
                             values["herziene_tekst"] or "", id=self.outcome_id)  # fmt: skip
        self.outcome_id = new_id()
        self.wording.widget.value = ""
        chosen = self.which.widget.value
        self._reload()  # the rating list follows the decision: the new wording, or gone when dropped
        self.which.widget.value = chosen
        self._show_trend()
        return t("verwachtingen.uitkomst_klaar", uitkomst=verwachtingen.outcome_label(values["uitkomst"]))

    # -- across sessions ------------------------------------------------------------------------------------
    def _show_trend(self) -> None:
        from wijkleer import charts
        from wijkleer.views.chart import chart_widget, ensure_loader

        if not self.kring.value:
            self.trend_box.children = []
            return
        moved = verwachtingen.over_time(self.store, self.kring.value)
        children = []
        if not moved.empty:
            ensure_loader(self.vega)
            children = [chart_widget(charts.expectation_trend(moved, self.numbers), t("verwachtingen.verloop_titel"))]
        rows = []
        for expectation in self.expectations:
            for outcome in verwachtingen.history(self.store, expectation.id):
                rows.append([self.numbers[expectation.id], expectation.tekst, f"{outcome.tijdstip:%d-%m-%Y}",
                             verwachtingen.outcome_label(outcome.uitkomst), outcome.herziene_tekst or ""])  # fmt: skip
        k = "verwachtingen.kolom."
        headers = [t(k + c) for c in ("nummer", "tekst", "datum", "uitkomst", "nieuwe_tekst")]
        children += [heading(t("verwachtingen.uitkomsten_kop"), 3),
                     table(headers, rows) if rows else paragraph(t("verwachtingen.geen_uitkomsten"))]  # fmt: skip
        self.trend_box.children = children


def app(store: Store | None = None, kring: str | None = None) -> widgets.Widget:
    """The expectation map for the active database; ``?kring=<id>`` in the URL picks the kring."""
    try:
        return Kaart(store or open_store(), kring or query_value("kring")).box
    except WijkleerError as error:
        return error_box(error)
