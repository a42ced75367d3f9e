"""The participant's page of a session: join with the session's code (from the link, ``?code=…``) under a name or
alias and a role, then follow the phases: write entries, put dots, commit to actions, rate expectations, say
you are ready. The joined participant stays in Python (``self.deelname``) and goes into every submit; the page
receives only what the store's board verbs let a participant see."""

from __future__ import annotations

from functools import partial

import ipywidgets as widgets

from wijkleer import identiteit, verwachtingen
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelname, Sessie, new_id
from wijkleer.sessies import verloop
from wijkleer.sessies.sjablonen import SCHRIJVEN
from wijkleer.store import Kijker, Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
from wijkleer.views import sessie_bord as bord
from wijkleer.views.common import error_box, error_html, esc, paragraph, query_value, success_html
from wijkleer.views.form import Field, Form, date_picker, dropdown, text
from wijkleer.views.scores import Scores


class Deelnemen:
    def __init__(self, store: Store, code: str | None = None, sleutel: str | None = None) -> None:
        self.store = store
        self.deelname: Deelname | None = None
        self.sleutel = sleutel
        self.volger: bord.Volger | None = None
        self.code = Field("code", text(t("sessies.code")), t("sessies.code_hulp"))
        self.code.widget.value = (code or "").strip().upper()
        roles = [(t("logboek.kies"), ""), *((taxonomy().label("rol", r), r) for r in verloop.ROLLEN)]
        self.rol = Field("rol", dropdown(t("sessies.rol"), roles))
        hub = identiteit.hub_user()
        if hub:  # the hub account is the name: nothing to type
            intro = paragraph(t("sessies.welkom_hub", naam=hub))
            fields = [self.code, self.rol]
        else:
            intro = paragraph(t("sessies.welkom"))
            self.naam = Field("naam", text(t("sessies.naam")), t("sessies.naam_hulp"))
            fields = [self.code, self.naam, self.rol]
        self.form = Form(fields, t("sessies.meedoen"), self._join)
        self.main = widgets.VBox([intro, self.form.box])
        self.box = widgets.VBox([self.main], layout=widgets.Layout(max_width="56rem"))
        back = verloop.terugkomen(store, self.code.widget.value, sleutel) if sleutel else None
        if back is not None:  # the personal link: straight back in, as the same participant
            self.deelname = back
            self._build()

    # -- joining -------------------------------------------------------------------------------------------
    def _join(self, values: dict) -> str:
        self.deelname, self.sleutel = verloop.deelnemen(self.store, values["code"] or "", values.get("naam") or "",
                                                        values["rol"], self.sleutel)  # fmt: skip
        self._build()
        return t("sessies.binnen", naam=self.deelname.naam)

    def _persoonlijk(self) -> widgets.Widget:
        """The personal link: this page again, as this participant (the only way back to the same name)."""
        if not self.sleutel:
            return widgets.HTML()
        code = self.store.get(Sessie, self.deelname.sessie_id).code
        link = f"sessie.ipynb?code={code}&wie={self.sleutel}"
        return widgets.HTML(f'<p class="wijkleer-meta">{esc(t("sessies.persoonlijk"))} '
                            f'<a href="{esc(link)}">{esc(t("sessies.persoonlijke_link"))}</a></p>')  # fmt: skip

    def _build(self) -> None:
        self.kop = widgets.HTML()
        self.timer = widgets.HTML()
        self.spotlight = widgets.HTML()
        self.werk = widgets.VBox([])
        self.bord = widgets.HTML()
        self.melding = widgets.HTML()
        # the tooltip set: without one the browser shows the title 'null' on hover
        self.klaar = widgets.ToggleButton(description=t("sessies.ik_ben_klaar"), tooltip=t("sessies.ik_ben_klaar_hulp"),
                                          icon="check", value=False, layout=bord.los())  # fmt: skip
        self.klaar.observe(lambda change: self._ready(change["new"]), names="value")
        self._fase_shown: tuple[int, str] | None = None
        who = paragraph(t("sessies.je_bent", naam=self.deelname.naam, rol=taxonomy().label("rol", self.deelname.rol)))
        self.main.children = [who, self._persoonlijk(), self.kop, self.timer, self.spotlight, self.werk, self.klaar,
                              self.melding, self.bord]  # fmt: skip
        self.refresh()
        self.volger = bord.Volger(self.store, self.deelname.sessie_id, self.refresh, self.tick, self.stopped)

    def stopped(self) -> None:
        self.melding.value = f"<p>{esc(t('sessies.volgt_niet_meer'))}</p>"

    def tick(self) -> None:
        self.timer.value = bord.timer_html(self.sessie)

    def refresh(self) -> None:
        """Draw the page from the store: the phase, what to do in it, and the board as a participant sees it."""
        self.sessie = self.store.get(Sessie, self.deelname.sessie_id)
        fase = verloop.fase_van(self.sessie)
        self.kop.value = bord.fase_html(self.sessie)
        self.tick()
        if self.sessie.status == "afgerond":
            self.werk.children, self.bord.value = [paragraph(t("sessies.afgelopen_dank"))], ""
            self.klaar.layout.display = "none"
            if self.volger:
                self.volger.stop()  # nothing changes any more: the kernel may go idle (and be culled)
            return
        kijker = Kijker("deelnemer", self.deelname.id)
        entries = self.store.bijdragen(self.sessie.id, kijker)
        self.spotlight.value = bord.spotlight_html(entries, self.sessie.uitgelicht)
        if self._fase_shown != (self.sessie.fase, self.sessie.sjabloon):  # a new phase: a new task
            self._fase_shown = (self.sessie.fase, self.sessie.sjabloon)
            unsent = self._unsent()
            for old in self.werk.children:
                old.close()  # the old task's widgets leave the page and the kernel
            self.werk.children = self._task(fase.soort)
            ready = self.store.list(Deelname, id=self.deelname.id)[0].klaar == self.sessie.fase  # as stored
            self.klaar.unobserve_all()
            self.klaar.value = ready
            self.klaar.observe(lambda change: self._ready(change["new"]), names="value")
            self.melding.value = f"<p>{esc(t('sessies.niet_verstuurd', tekst=unsent))}</p>" if unsent else ""
        if fase.soort in SCHRIJVEN:
            self._draw_own(entries)
        self._draw_board(fase.soort, entries)

    def _draw_board(self, soort: str, entries) -> None:
        if soort == "stemmen":
            self._update_votes(bord.stemkaarten(self.sessie, entries))
        kijker = Kijker("deelnemer", self.deelname.id)
        self.bord.value = bord.deelnemer_bord_html(self.store, self.sessie, soort, entries, kijker)

    # -- what to do in a phase ----------------------------------------------------------------------------------
    def _task(self, soort: str) -> list[widgets.Widget]:
        if soort in SCHRIJVEN:
            self.tekst = Field("tekst", text(t("sessies.jouw_bijdrage"), area=True), t("sessies.bijdrage_hulp"))
            self.entry_id = new_id()
            self.schrijf = Form([self.tekst], t("sessies.insturen"), self._submit)
            self.eigen = widgets.VBox([])
            self._eigen_ids: list[str] | None = None
            return [self.schrijf.box, self.eigen]
        if soort == "stemmen":
            self.stemlijst = widgets.VBox([])
            self.budget = widgets.HTML()
            self._vote_rows: dict[str, tuple[widgets.HTML, widgets.Button, widgets.Button]] = {}
            self._vote_cards: list[tuple[str, str]] | None = None
            return [self.budget, self.stemlijst]
        if soort == "acties":
            self.actie = Field("omschrijving", text(t("sessies.actie_wat"), area=True), t("sessies.actie_hulp"))
            self.deadline = Field("deadline", date_picker(t("sessies.actie_wanneer")))
            self.actie_id = new_id()
            return [Form([self.actie, self.deadline], t("sessies.actie_opslaan"), self._add_action).box]
        if soort == "verwachtingen":
            return self._rating()
        if soort == "terugkoppeling":  # the loop's state: it does not change through the session, drawn once
            return [widgets.HTML(bord.terugblik_html(self.store, self.sessie))]
        return []

    def _unsent(self) -> str:
        """Text typed in the old phase's form but not sent: said on the page, not silently dropped."""
        fields = [getattr(self, name, None) for name in ("tekst", "actie")]
        return " / ".join(f.widget.value.strip() for f in fields if f is not None and f.widget.value.strip())

    def _submit(self, values: dict) -> str:
        verloop.indienen(self.store, self.deelname, values["tekst"] or "", self.entry_id, self._fase_shown[0])
        self.entry_id = new_id()
        self.tekst.widget.value = ""
        self.refresh()
        return t("sessies.ingestuurd")

    def _add_action(self, values: dict) -> str:
        verloop.actie_toevoegen(self.store, self.deelname, values["omschrijving"] or "", values["deadline"],
                                self.actie_id, self._fase_shown[0])  # fmt: skip
        self.actie_id = new_id()
        self.actie.widget.value, self.deadline.widget.value = "", None
        self.refresh()
        return t("sessies.actie_opgeslagen")

    # -- one's own entries, until they are revealed -----------------------------------------------------------------
    def _draw_own(self, entries) -> None:
        """Each own entry of this phase that nobody else has seen yet, to change or take back. Drawn again only when
        that list changes, so text being changed stays in its field."""
        own = verloop.eigen_wijzigbaar(self.sessie, [e for e in entries if e.fase == self.sessie.fase])
        if [e.id for e in own] == self._eigen_ids:
            return
        self._eigen_ids = [e.id for e in own]
        for old in self.eigen.children:
            old.close()
        rows = [self._own_row(number, entry) for number, entry in enumerate(own, start=1)]
        self.eigen.children = [widgets.HTML(f"<h3>{esc(t('sessies.eigen_kop'))}</h3>"), *rows] if rows else []

    def _own_row(self, number: int, entry) -> widgets.Widget:
        field = text(t("sessies.eigen_bijdrage", nummer=number), area=True)
        field.value = entry.tekst
        save = bord.knop(t("sessies.wijziging_opslaan"), "save")
        drop = bord.knop(t("sessies.intrekken"), "trash")
        message = widgets.HTML()
        save.on_click(lambda _b: self._change(message, entry.id, field.value))
        drop.on_click(lambda _b: self._withdraw(drop, message, entry.id))
        return widgets.VBox([field, widgets.HBox([save, drop], layout=widgets.Layout(flex_flow="row wrap")), message])

    def _change(self, message: widgets.HTML, bijdrage_id: str, tekst: str) -> None:
        change = partial(verloop.bijdrage_wijzigen, self.store, self.deelname, bijdrage_id, tekst)
        self._own(message, change, t("sessies.gewijzigd"))

    def _withdraw(self, button: widgets.Button, message: widgets.HTML, bijdrage_id: str) -> None:
        """Taking an entry back cannot be undone: the first click asks, the second takes it back."""
        if button.description != t("sessies.intrekken_zeker"):
            button.description, button.button_style = t("sessies.intrekken_zeker"), "danger"
            return
        withdraw = partial(verloop.bijdrage_intrekken, self.store, self.deelname, bijdrage_id)
        if self._own(message, withdraw, t("sessies.ingetrokken")):
            self.melding.value = success_html(t("sessies.ingetrokken"))

    def _own(self, message: widgets.HTML, action, done: str) -> bool:
        try:
            action()
        except WijkleerError as error:
            message.value = error_html(error)
            return False
        message.value = success_html(done)
        self.refresh()
        return True

    def _ready(self, value: bool) -> None:
        try:
            verloop.klaar(self.store, self.deelname, value)
        except WijkleerError as error:
            self.melding.value = error_html(error)

    # -- dot votes -------------------------------------------------------------------------------------------------
    def _update_votes(self, cards: list[tuple[int, object, str]]) -> None:
        fase = verloop.fase_van(self.sessie)
        mine = self.store.eigen_stippen(self.deelname, self.sessie.fase)
        if [(entry.id, card) for _n, entry, card in cards] != self._vote_cards:  # new entries, or a group changed
            self._vote_cards = [(entry.id, card) for _n, entry, card in cards]
            for old in self.stemlijst.children:
                old.close()
            rows, self._vote_rows = [], {}
            for number, entry, html in cards:
                label = widgets.HTML()
                more = bord.knop(t("sessies.stip_erbij", nummer=number), "plus")
                less = bord.knop(t("sessies.stip_eraf", nummer=number), "minus")
                more.on_click(lambda _b, i=entry.id: self._vote(i, True))
                less.on_click(lambda _b, i=entry.id: self._vote(i, False))
                self._vote_rows[entry.id] = (label, more, less)
                card = widgets.HTML(html)
                rows.append(widgets.VBox([card, widgets.HBox([label, more, less])]))
            self.stemlijst.children = rows or [paragraph(t("sessies.nog_niets_om_te_stemmen"))]
        left = fase.budget - sum(mine.values())
        said = t("sessies.stippen_over", over=left, budget=fase.budget) if left > 0 else t("sessies.stippen_op")
        self.budget.value = f"<p><strong>{esc(said)}</strong></p>"
        for entry_id, (label, more, less) in self._vote_rows.items():
            label.value = f"<span>{esc(t('sessies.jouw_stippen', aantal=mine.get(entry_id, 0)))}</span>"
            more.disabled, less.disabled = left <= 0, not mine.get(entry_id)

    def _vote(self, bijdrage_id: str, erbij: bool) -> None:
        try:
            verloop.stemmen(self.store, self.deelname, bijdrage_id, erbij, self._fase_shown[0])
        except WijkleerError as error:
            self.melding.value = error_html(error)
            return
        self.melding.value = ""
        self.refresh()

    # -- rating expectations -------------------------------------------------------------------------------------
    def _rating(self) -> list[widgets.Widget]:
        expectations = verwachtingen.te_beoordelen(self.store, self.sessie.kring_id)
        if not expectations:
            return [paragraph(t("sessies.geen_verwachtingen"))]
        self.rating = Scores(expectations, verwachtingen.nummers(self.store, self.sessie.kring_id))
        save = bord.knop(t("verwachtingen.opslaan"), style="primary")
        self.rate_message = widgets.HTML()
        save.on_click(lambda _b: self._save_ratings())
        return [paragraph(t("verwachtingen.schaal")), *self.rating.rows, save, self.rate_message]

    def _save_ratings(self) -> None:
        try:
            aantal = verloop.beoordelen(self.store, self.deelname, self.rating.chosen(), self._fase_shown[0])
        except WijkleerError as error:
            self.rate_message.value = error_html(error)
            return
        self.rate_message.value = success_html(t("verwachtingen.opgeslagen", aantal=aantal))


def app(store: Store | None = None, code: str | None = None) -> widgets.Widget:
    """The participant's page; ``?code=…`` in the link fills in the session's join code, ``&wie=…`` (the personal
    link) brings a participant straight back in."""
    try:
        return Deelnemen(store or open_store(), code or query_value("code"), query_value("wie")).box
    except WijkleerError as error:
        return error_box(error)
