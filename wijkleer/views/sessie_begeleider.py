"""The facilitator's console: sign in (or start a new kring), manage the kring's participants, plan sessions from
templates, and run one: the phase with its timer, who joined and who is ready, forward and back, reveal, spotlight,
the live board, decisions, knelpunten from policy advice, the action review, and the summary for the municipality.

The signed-in facilitator stays in Python (``self.person``) and every step is checked again in the service; the
board is read through the store's board verbs as a facilitator: names only where a phase is named."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import ipywidgets as widgets

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Actie, Deelname, Deelnemer, Kring, Sessie, Team, new_id
from wijkleer.sessies import scherm, verloop
from wijkleer.sessies.sjablonen import SCHRIJVEN, TONEN, sjablonen
from wijkleer.store import Kijker, Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import decimaal, t
from wijkleer.views import projector
from wijkleer.views import sessie_bord as bord
from wijkleer.views.aanmelden import Aanmelden
from wijkleer.views.common import (
    download_link,
    error_box,
    error_html,
    esc,
    heading,
    paragraph,
    success_html,
    table,
    table_html,
)
from wijkleer.views.form import LABEL_STYLE, Choices, Field, Form, dropdown, text
from wijkleer.views.sessie_groepen import Groeperen

PROJECTOR_PAGINA = "projector.ipynb"


def _code_field() -> Field:
    code = widgets.Password(description=t("sessies.kring_code"), style=LABEL_STYLE,
                            layout=widgets.Layout(width="100%", max_width="32rem"))  # fmt: skip
    return Field("code", code, t("sessies.kring_code_hulp"))


class Begeleiden:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.person: Deelnemer | None = None
        self.volger: bord.Volger | None = None
        self.aanmelden = Aanmelden(store, on_login=self._signed_in)
        self.k_naam = Field("naam", text(t("sessies.kring_naam")))
        self.k_gemeente = Field("gemeente", text(t("sessies.kring_gemeente")))
        self.k_wie = Field("begeleider", text(t("sessies.kring_jouw_naam")))
        self.k_code = _code_field()
        new = Form([self.k_naam, self.k_gemeente, self.k_wie, self.k_code], t("sessies.kring_maken"), self._new_kring)
        self.main = widgets.VBox([heading(t("sessies.aanmelden_kop"), 3), self.aanmelden.box,
                                  heading(t("sessies.nieuwe_kring_kop"), 3), new.box])  # fmt: skip
        self.box = widgets.VBox([self.main], layout=widgets.Layout(max_width="64rem"))

    # -- signing in -----------------------------------------------------------------------------------------
    def _signed_in(self, person: Deelnemer) -> None:
        if identiteit.begeleider(self.store, person) is None:
            raise WijkleerError(t("sessies.geen_begeleider"), t("sessies.geen_begeleider_hint"))
        self.person = person
        self._kring_page()

    def _new_kring(self, values: dict) -> str:
        self.person = verloop.kring_maken(self.store, values["naam"] or "", values["gemeente"] or "",
                                          values["begeleider"] or "", values["code"] or "")  # fmt: skip
        self.k_code.widget.value = ""
        self._kring_page()
        return t("sessies.kring_gemaakt")

    # -- the kring: participants, planning, sessions ------------------------------------------------------------
    def _kring_page(self) -> None:
        if self.volger:
            self.volger.stop()
        kring = self.store.get(Kring, self.person.kring_id)
        self.people = widgets.VBox([])
        self.p_naam = Field("naam", text(t("sessies.deelnemer_naam")))
        roles = [(t("logboek.kies"), ""), *((taxonomy().label("rol", r), r) for r in taxonomy().codes("rol"))]
        self.p_rol = Field("rol", dropdown(t("sessies.rol"), roles))
        add = Form([self.p_naam, self.p_rol], t("sessies.deelnemer_toevoegen"), self._add_person)
        options = [(f"{s.naam} — {s.beschrijving}", s.code) for s in sjablonen().values()]
        self.s_sjabloon = Field("sjabloon", dropdown(t("sessies.sjabloon"), [(t("logboek.kies"), ""), *options]))
        self.s_titel = Field("titel", text(t("sessies.titel")), t("sessies.titel_hulp"))
        self.s_datum = Field("datum", widgets.DatePicker(description=t("sessies.datum"), value=date.today(),
                                                         style=LABEL_STYLE))  # fmt: skip
        plan = Form([self.s_sjabloon, self.s_titel, self.s_datum], t("sessies.plannen"), self._plan)
        self.kies = Field("sessie", dropdown(t("sessies.kies_sessie"), []))
        self.open_form = Form([self.kies], t("sessies.openen"), self._open)
        self._draw_people()
        self._draw_sessions()
        self.main.children = [
            heading(kring.naam, 3), paragraph(t("sessies.aangemeld_als", naam=self.person.naam)),
            heading(t("sessies.sessies_kop"), 3), self.open_form.box,
            heading(t("sessies.plannen_kop"), 3), plan.box,
            heading(t("sessies.deelnemers_kop"), 3), self.people, add.box,
        ]  # fmt: skip

    def _draw_people(self) -> None:
        found = self.store.list(Deelnemer, kring_id=self.person.kring_id, order_by="naam")
        rows = [[p.naam, taxonomy().label("rol", p.rol)] for p in found]
        self.people.children = [table([t("sessies.kolom_naam"), t("sessies.kolom_rol")], rows)]

    def _draw_sessions(self) -> None:
        found = self.store.list(Sessie, kring_id=self.person.kring_id, order_by="datum", descending=True)
        self.kies.widget.options = [(t("logboek.kies"), ""), *(
            (f"{s.datum:%d-%m-%Y} – {s.titel} ({t(f'sessies.status.{s.status}')})", s.id) for s in found)]  # fmt: skip

    def _add_person(self, values: dict) -> str:
        added = verloop.deelnemer_toevoegen(self.store, self.person, values["naam"] or "", values["rol"])
        self.p_naam.widget.value, self.p_rol.widget.value = "", ""
        self._draw_people()
        return t("sessies.deelnemer_toegevoegd", naam=added.naam)

    def _plan(self, values: dict) -> str:
        sessie = verloop.plannen(self.store, self.person, values["sjabloon"], values["titel"] or "", values["datum"])
        self.s_titel.widget.value = ""
        self._draw_sessions()
        self.kies.widget.value = sessie.id
        return t("sessies.gepland", titel=sessie.titel)

    def _open(self, values: dict) -> str:
        if not values["sessie"]:
            raise WijkleerError(
                t("sessies.kies_eerst"), t("sessies.kies_eerst_hint"), {"sessie": t("model.kies_uit_lijst")}
            )
        self.sessie, self.zelf = verloop.openen(self.store, self.person, values["sessie"])
        self._console()
        return ""

    # -- the console ------------------------------------------------------------------------------------------
    def _console(self) -> None:
        self.kop, self.timer, self.join = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.wie, self.bord, self.spotlight = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.melding = widgets.HTML()
        buttons = {
            "vorige": (t("sessies.vorige"), "arrow-left", lambda: verloop.naar_fase(
                self.store, self.person, self.sessie.id, self.sessie.fase - 1)),
            "volgende": (t("sessies.volgende"), "arrow-right", lambda: verloop.naar_fase(
                self.store, self.person, self.sessie.id, self.sessie.fase + 1)),
            "onthullen": (t("sessies.onthullen"), "eye", lambda: verloop.onthullen(self.store, self.person,
                                                                                   self.sessie.id, True)),
            "verbergen": (t("sessies.verbergen"), "eye-slash", lambda: verloop.onthullen(self.store, self.person,
                                                                                         self.sessie.id, False)),
            "start": (t("sessies.timer_starten"), "play", self._timer),
            "timer": (t("sessies.timer_opnieuw"), "clock-o", lambda: verloop.timer_opnieuw(self.store, self.person,
                                                                                          self.sessie.id)),
            "afronden": (t("sessies.afronden"), "stop", self._finish),
        }  # fmt: skip
        self.knoppen = {}
        for key, (label, icon, action) in buttons.items():
            button = bord.knop(label, icon)
            button.on_click(lambda _b, act=action: self._do(act))
            self.knoppen[key] = button
        self.knoppen["volgende"].button_style = "primary"
        self.licht = dropdown(t("sessies.uitlichten_welke"), [])
        licht_aan = bord.knop(t("sessies.uitlichten"), "star")
        licht_uit = bord.knop(t("sessies.niet_uitlichten"), "star-o")
        licht_aan.on_click(lambda _b: self._do(lambda: verloop.uitlichten(self.store, self.person, self.sessie.id,
                                                                          self.licht.value or None)))  # fmt: skip
        licht_uit.on_click(lambda _b: self._do(lambda: verloop.uitlichten(self.store, self.person, self.sessie.id,
                                                                          None)))  # fmt: skip
        self.extra = widgets.VBox([])
        self.besluit = Field("tekst", text(t("sessies.besluit_tekst"), area=True), t("sessies.besluit_hulp"))
        self.besluit_id = new_id()
        self.besluit_form = besluit = Form([self.besluit], t("sessies.besluit_vastleggen"), self._decide)
        self.namen = widgets.Checkbox(
            description=t("sessies.namen_in_samenvatting"), value=False, indent=False, layout=bord.los()
        )
        maken = bord.knop(t("sessies.samenvatting_maken"), "file-text-o")
        self.downloads = widgets.HTML()
        maken.on_click(lambda _b: self._summary())
        terug = bord.knop(t("sessies.terug_naar_kring"), "arrow-up")
        terug.on_click(lambda _b: self._kring_page())
        k, wrap = self.knoppen, widgets.Layout(flex_flow="row wrap")
        self.licht_rij = widgets.HBox([self.licht, licht_aan, licht_uit], layout=widgets.Layout(flex_flow="row wrap"))
        self.groepen = Groeperen(self.store, self.person, self.sessie.id, self._do)
        self.main.children = [
            self.join, self.kop, self.timer,
            widgets.HBox([k["start"], k["vorige"], k["volgende"], k["onthullen"], k["verbergen"], k["timer"]],
                         layout=wrap),
            self.melding, heading(t("sessies.wie_kop"), 3), self.wie,
            self.spotlight, self.licht_rij,
            heading(t("sessies.bord"), 3), self.bord, self.groepen.box, self.extra,
            heading(t("sessies.besluit_nieuw_kop"), 3), besluit.box,
            heading(t("sessies.samenvatting_kop"), 3), self.namen, maken, self.downloads,
            widgets.HBox([k["afronden"], terug]),
        ]  # fmt: skip
        self._extra_for: tuple[int, str] | None = None
        self.scherm_sleutel = None
        if self.sessie.status == "bezig":  # the projector link of this console (a new key per console page)
            self.scherm_sleutel = scherm.openen(self.store, self.person, self.sessie.id)
        self.refresh()
        self.volger = bord.Volger(self.store, self.sessie.id, self.refresh, self.tick, self.stopped)

    def stopped(self) -> None:
        self.melding.value = f"<p>{esc(t('sessies.volgt_niet_meer'))}</p>"

    def _finish(self) -> None:
        """Ending a session cannot be undone: the first click asks, the second ends it."""
        button = self.knoppen["afronden"]
        if button.description != t("sessies.afronden_zeker"):
            button.description, button.button_style = t("sessies.afronden_zeker"), "danger"
            return
        verloop.afronden(self.store, self.person, self.sessie.id)

    def _timer(self) -> None:
        """One button starts, pauses and continues the phase's timer."""
        if verloop.timer_loopt(self.sessie):
            verloop.timer_pauzeren(self.store, self.person, self.sessie.id)
        else:
            verloop.timer_starten(self.store, self.person, self.sessie.id)

    def _draw_timer_button(self) -> None:
        button = self.knoppen["start"]
        if verloop.timer_loopt(self.sessie):
            button.description, button.icon, button.button_style = t("sessies.timer_pauzeren"), "pause", ""
        else:
            key = "sessies.timer_verder" if self.sessie.timer_verstreken else "sessies.timer_starten"
            button.description, button.icon, button.button_style = t(key), "play", "success"

    def _do(self, action) -> None:
        try:
            action()
        except WijkleerError as error:
            self.melding.value = error_html(error)
            return
        self.melding.value = ""
        self.refresh()

    def tick(self) -> None:
        self.timer.value = bord.timer_html(self.sessie)

    def refresh(self) -> None:
        """Draw the console from the store (after any change, by this page or another)."""
        self.sessie = self.store.get(Sessie, self.sessie.id)
        fase = verloop.fase_van(self.sessie)
        self.kop.value = bord.fase_html(self.sessie)
        self.tick()
        self._draw_timer_button()
        self.join.value = self._join_html()
        entries = self.store.bijdragen(self.sessie.id, Kijker("begeleider"))
        shown = verloop.tonen_fase(self.sessie)
        in_phase = [e for e in entries if e.fase == shown and e.soort == "tekst"]
        self.wie.value = self._people_html()
        self.spotlight.value = bord.spotlight_html(entries, self.sessie.uitgelicht)
        kiesbaar = verloop.kiesbare_bijdragen(self.sessie, entries)  # also entries of earlier phases
        chosen = self.licht.value
        self.licht.options = [(t("logboek.kies"), ""), *((bord.keuze_label(e), e.id) for e in kiesbaar)]
        self.licht.value = chosen if any(e.id == chosen for e in kiesbaar) else ""
        open_phase = verloop.onthuld(self.sessie)
        self.knoppen["onthullen"].disabled, self.knoppen["verbergen"].disabled = open_phase, not open_phase
        on_board = fase.soort in (*SCHRIJVEN, *TONEN)  # reveal and spotlight are about entries on the board
        for control in (self.knoppen["onthullen"], self.knoppen["verbergen"], self.licht_rij, self.groepen.box):
            control.layout.display = None if on_board else "none"
        self.groepen.refresh(in_phase)
        self.knoppen["vorige"].disabled = self.sessie.fase == 0
        self.knoppen["volgende"].disabled = self.sessie.fase >= len(verloop.sjabloon_van(self.sessie).fasen) - 1
        if self.sessie.status != "bezig":  # a finished session changes no more: only its summary is made
            for button in self.knoppen.values():
                button.disabled = True
            self.groepen.box.layout.display = "none"
            finish = self.knoppen["afronden"]  # no 'Zeker? Klik nog eens' left standing on a finished session
            finish.description, finish.button_style = t("sessies.afgerond_knop"), ""
            self.besluit_form.button.disabled = self.besluit.widget.disabled = True
            self.besluit_form.message.value = ""
            if self.volger:
                self.volger.stop()
        self.bord.value = self._board_html(fase.soort, in_phase, entries, open_phase)
        if self._extra_for != (self.sessie.fase, fase.soort):
            self._extra_for = (self.sessie.fase, fase.soort)
            for old in self.extra.children:
                old.close()
            self.extra.children = self._extra(fase.soort)
        if fase.soort == "knelpunt":  # new entries arrive while the facilitator fills in the form: keep the choice
            chosen = self.k_bijdrage.widget.value
            options = [(bord.keuze_label(e), e.id) for e in kiesbaar]
            self.k_bijdrage.widget.options = [(t("logboek.kies"), ""), *options]
            self.k_bijdrage.widget.value = chosen if any(e.id == chosen for e in kiesbaar) else ""

    def _join_html(self) -> str:
        if self.sessie.status == "afgerond":
            return f'<p class="wijkleer-join">{esc(t("sessies.afgerond_uitleg"))}</p>'
        link = projector.deelname_url(self.sessie.code)
        beamer = ""
        if self.scherm_sleutel:
            href = f"{PROJECTOR_PAGINA}?{urlencode({'code': self.sessie.code, 'scherm': self.scherm_sleutel})}"
            beamer = (
                f'<p><a href="{esc(href)}" target="_blank" rel="noopener">{esc(t("sessies.scherm_link"))}</a>'
                f' <span class="wijkleer-meta">{esc(t("sessies.scherm_link_hulp"))}</span></p>'
            )
        return (
            f'<div class="wijkleer-join"><p>{esc(t("sessies.join_uitleg"))}</p>'
            f'<p class="wijkleer-joincode">{esc(t("sessies.join_code", code=self.sessie.code))}</p>'
            f'<p><a href="{esc(link)}" target="_blank" rel="noopener">{esc(t("sessies.join_link"))}</a></p>'
            f"{beamer}</div>"
        )

    def _people_html(self) -> str:
        present = [d for d in self.store.list(Deelname, sessie_id=self.sessie.id, order_by="aangemaakt")
                   if d.rol != identiteit.BEGELEIDER]  # fmt: skip
        if not present:
            return f'<p class="wijkleer-leeg">{esc(t("sessies.nog_niemand"))}</p>'
        ready = sum(1 for d in present if d.klaar == self.sessie.fase)
        items = "".join(
            f"<li>{esc(d.naam)} ({esc(taxonomy().label('rol', d.rol))})"
            + (f" — <strong>{esc(t('sessies.klaar'))}</strong>" if d.klaar == self.sessie.fase else "")
            + "</li>"
            for d in present
        )
        return f"<p>{esc(t('sessies.aantal_klaar', klaar=ready, binnen=len(present)))}</p><ul>{items}</ul>"

    def _board_html(self, soort: str, in_phase, entries, open_phase: bool) -> str:
        hidden = t("sessies.stemmen_niet_onthuld" if soort == "stemmen" else "sessies.nog_niet_onthuld")
        parts = [] if open_phase or soort not in (*SCHRIJVEN, *TONEN) else [f"<p>{esc(hidden)}</p>"]
        uitslag = verloop.eerdere_uitslag(self.store, self.sessie, entries, Kijker("begeleider"))
        parts.append(bord.gekozen_html(self.sessie, uitslag))
        if soort == "stemmen":
            parts.append(bord.uitslag_html(verloop.stemuitslag(self.store, self.sessie, entries)))
        elif soort == "acties":
            acties = self.store.list(Actie, sessie_id=self.sessie.id, order_by="aangemaakt")
            parts.append(bord.acties_html(acties, t("sessies.nog_geen_acties")))
        elif soort == "verwachtingen":
            parts.append(self._ratings_html())
        elif soort == "verwachtingen_lezen":
            parts.append(bord.verwachtingen_html(self.store, self.sessie.kring_id))
        elif soort in (*SCHRIJVEN, "delen"):
            parts.append(bord.kaarten_html(in_phase, t("sessies.nog_niets"), self.sessie.uitgelicht))
        decisions = [e for e in entries if e.soort == "besluit"]
        if decisions:
            parts.append(f"<h4>{esc(t('sessies.besluiten_kop'))}</h4>" + bord.kaarten_html(decisions, ""))
        return "".join(parts)

    def _ratings_html(self) -> str:
        from wijkleer import verwachtingen  # pandas: only paid in an expectation round

        per_role = verwachtingen.matrix(verwachtingen.ratings(self.store, self.sessie.kring_id, self.sessie.id))
        if per_role.empty:
            return f'<p class="wijkleer-leeg">{esc(t("verwachtingen.nog_geen"))}</p>'
        rows = [[r.tekst, taxonomy().label("rol", r.rol), decimaal(r.belang), decimaal(r.haalbaarheid), r.aantal]
                for r in per_role.itertuples()]  # fmt: skip
        k = "verwachtingen.kolom."
        return table_html([t(k + c) for c in ("tekst", "rol", "belang", "haalbaarheid", "aantal")], rows)

    # -- what a phase adds to the console ----------------------------------------------------------------------
    def _extra(self, soort: str) -> list[widgets.Widget]:
        if soort == "knelpunt":
            return [heading(t("sessies.knelpunt_kop"), 4), self._knelpunt_form().box]
        if soort == "actiereview":
            return self._review()
        if soort == "terugkoppeling":
            return [widgets.HTML(bord.terugblik_html(self.store, self.sessie))]
        return []

    def _review(self) -> list[widgets.Widget]:
        acties = verloop.open_acties(self.store, self.sessie)
        if not acties:
            return [paragraph(t("sessies.geen_open_acties"))]
        rows = []
        for actie in acties:
            due = actie.deadline.strftime("%d-%m-%Y") if actie.deadline else ""
            keuze = dropdown(
                t("sessies.actie_status_van", wat=actie.omschrijving[:60]),
                [(t(f"sessies.actie_status.{s}"), s) for s in verloop.ACTIE_STATUSSEN],
                actie.status,
            )
            keuze.observe(lambda change, a=actie.id: self._do(lambda: verloop.actie_bijwerken(
                self.store, self.person, self.zelf, a, change["new"])), names="value")  # fmt: skip
            rows.append(widgets.VBox([paragraph(t("sessies.actie_regel", wat=actie.omschrijving, wie=actie.eigenaar,
                                                  wanneer=due)), keuze]))  # fmt: skip
        return [heading(t("sessies.review_kop"), 4), *rows]

    def _knelpunt_form(self) -> Form:
        tax = taxonomy()
        kring = self.store.get(Kring, self.sessie.kring_id)
        teams = self.store.list(Team, gemeente=kring.gemeente, order_by="naam") if kring.gemeente else []
        teams = teams or self.store.list(Team, order_by="naam")
        self.teams = {team.id: team for team in teams}
        kies = (t("logboek.kies"), "")
        self.k_bijdrage = Field("bijdrage", dropdown(t("sessies.knelpunt_van"), [kies]))
        self.k_fields = [
            self.k_bijdrage,
            Field("titel", text(t("logboek.titel"))),
            Field("omschrijving", text(t("logboek.omschrijving"), area=True)),
            Choices("wetten", t("logboek.wetten"), tax.options("wet")),
            Field("categorie", dropdown(t("logboek.categorie"), [kies, *tax.options("categorie")])),
            Field("ernst", dropdown(t("logboek.ernst"), [kies, *tax.options("ernst")])),
            Field(
                "aantal_casussen",
                widgets.BoundedIntText(description=t("logboek.aantal"), value=1, min=1, max=10000, style=LABEL_STYLE),
            ),  # fmt: skip
            Field(
                "team",
                dropdown(t("sessies.knelpunt_team"), [kies, *((f"{x.naam} ({x.gemeente})", x.id) for x in teams)]),
            ),  # fmt: skip
        ]
        self.k_bijdrage.widget.observe(lambda change: self._prefill(change["new"]), names="value")
        self.knelpunt_id = new_id()
        return Form(self.k_fields, t("sessies.knelpunt_maken"), self._make_knelpunt)

    def _prefill(self, bijdrage_id: str) -> None:
        entries = {e.id: e for e in self.store.bijdragen(self.sessie.id, Kijker("begeleider"))}
        if bijdrage_id in entries and not self.k_fields[2].widget.value:
            self.k_fields[2].widget.value = entries[bijdrage_id].tekst

    def _make_knelpunt(self, values: dict) -> str:
        if not values["bijdrage"]:
            raise WijkleerError(t("sessies.kies_eerst"), t("sessies.kies_eerst_hint"),
                                {"bijdrage": t("model.kies_uit_lijst")})  # fmt: skip
        team = self.teams.get(values.pop("team"))
        if team is None:
            raise WijkleerError(
                t("sessies.kies_eerst"), t("sessies.kies_eerst_hint"), {"team": t("model.kies_uit_lijst")}
            )
        bijdrage_id = values.pop("bijdrage")
        values.update(team=team.naam, wijk=team.wijk, gemeente=team.gemeente)
        verloop.knelpunt_maken(self.store, self.person, self.sessie.id, bijdrage_id, values, self.knelpunt_id)
        self.knelpunt_id = new_id()
        for field in self.k_fields[1:3]:
            field.widget.value = ""
        self.refresh()
        return t("sessies.knelpunt_gemaakt")

    def _decide(self, values: dict) -> str:
        verloop.besluit_vastleggen(self.store, self.person, self.zelf, values["tekst"] or "", self.besluit_id)
        self.besluit_id = new_id()
        self.besluit.widget.value = ""
        self.refresh()
        return t("sessies.besluit_vastgelegd")

    def _summary(self) -> None:
        from wijkleer.sessies import samenvatting  # pandas and fpdf2: only paid when a summary is made

        try:
            page, pdf = samenvatting.bestanden(self.store, self.person, self.sessie.id, namen=self.namen.value)
        except WijkleerError as error:
            self.downloads.value = error_html(error)
            return
        name = samenvatting.bestandsnaam(self.sessie)
        self.downloads.value = (
            success_html(t("sessies.samenvatting_klaar"))
            + download_link(page.encode("utf-8"), f"{name}.html", "text/html", t("sessies.download_html"))
            + " "
            + download_link(pdf, f"{name}.pdf", "application/pdf", t("sessies.download_pdf"))
        )


def app(store: Store | None = None) -> widgets.Widget:
    try:
        return Begeleiden(store or open_store()).box
    except WijkleerError as error:
        return error_box(error)
