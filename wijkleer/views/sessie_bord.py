"""What the facilitator's console and the participant's page share: the poller that keeps a page up to date
with the session in the store, the phase header with its timer, and the board's entries, dots and actions as
escaped HTML."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

import ipywidgets as widgets

from wijkleer import verwachtingen
from wijkleer.errors import WijkleerError
from wijkleer.model import Actie, Knelpunt, Sessie
from wijkleer.sessies import verloop
from wijkleer.sessies.sjablonen import SCHRIJVEN
from wijkleer.store import Kijker, Store, Zichtbaar
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
from wijkleer.views.common import esc, sideways, table_html

POLL_SECONDS = 0.2  # how often a Voilà page (the console) asks the store whether the session changed (one number)
TICK_SECONDS = 1.0  # how often the timer on the page moves
# a page stops following a session that did not change for this long: every timer tick is traffic that keeps the
# kernel from being culled, also after its tab was closed (Voilà cannot tell the kernel); reloading follows again
STIL_SECONDS = 2 * 3600
log = logging.getLogger(__name__)
Hook = Callable[[], None]


class Volger:
    """Follows a session from a page: every ``POLL_SECONDS`` it reads the session's change counter and calls
    ``on_change`` when it moved; every second ``on_tick`` (the timer). Runs as a task on the kernel's event loop
    (Voilà keeps it running after the notebook ran); without a running loop (tests) call ``check()`` yourself."""

    def __init__(self, store: Store, sessie_id: str, on_change: Hook, on_tick: Hook | None = None,
                 on_stop: Hook | None = None) -> None:  # fmt: skip
        self.store, self.sessie_id = store, sessie_id
        self.on_change, self.on_tick, self.on_stop = on_change, on_tick, on_stop
        self.seen = store.versie_van(sessie_id)
        self.changed = time.monotonic()
        self.stopped = False
        try:
            self._task = asyncio.get_running_loop().create_task(self._run())
        except RuntimeError:
            self._task = None

    def check(self) -> bool:
        """Look once; True when the session changed (and ``on_change`` ran)."""
        try:
            version = self.store.versie_van(self.sessie_id)
        except WijkleerError:  # the database is away for a moment: try again next round, keep the page as it is
            return False
        if version == self.seen:
            return False
        self.on_change()  # seen only once drawn: a redraw that failed (database busy) is tried again next round
        self.seen, self.changed = version, time.monotonic()
        return True

    async def _run(self) -> None:
        ticked = 0.0
        while not self.stopped:
            await asyncio.sleep(POLL_SECONDS)
            try:
                self.check()
                if time.monotonic() - self.changed > STIL_SECONDS:
                    self.stop()
                    if self.on_stop:
                        self.on_stop()
                    return
                if self.on_tick and time.monotonic() - ticked >= TICK_SECONDS:
                    ticked = time.monotonic()
                    self.on_tick()
            except Exception:  # a page must keep following even if one redraw failed
                log.exception("redraw failed")

    def stop(self) -> None:
        self.stopped = True


def knop(label: str, icon: str = "", style: str = "") -> widgets.Button:
    """A button as wide as its label (ipywidgets' fixed width cuts Dutch labels off)."""
    return widgets.Button(description=label, icon=icon, button_style=style, layout=los())


def los() -> widgets.Layout:
    """As wide as the content, not stretched across a column (buttons, toggles, a checkbox with a long label)."""
    return widgets.Layout(width="auto", align_self="flex-start")


def klok(rest: timedelta) -> str:
    """'nog 4:05' or '1:10 over tijd'."""
    seconds = int(abs(rest.total_seconds()))
    shown = f"{seconds // 60}:{seconds % 60:02d}"
    return t("sessies.klok_over", tijd=shown) if rest.total_seconds() < 0 else t("sessies.klok_nog", tijd=shown)


def fase_html(sessie: Sessie) -> str:
    """The phase header: number, title, goal and the prompt participants answer."""
    fasen = verloop.sjabloon_van(sessie).fasen
    fase = fasen[sessie.fase]
    nummer = t("sessies.fase_van", nummer=sessie.fase + 1, totaal=len(fasen))
    return (
        f'<div class="wijkleer-fase"><p class="wijkleer-fasenummer">{esc(nummer)}</p>'
        f"<h3>{esc(fase.titel)}</h3><p><strong>{esc(t('sessies.doel'))}</strong> {esc(fase.doel)}</p>"
        f'<p class="wijkleer-vraag">{esc(fase.vraag)}</p></div>'
    )


def timer_tekst(sessie: Sessie) -> tuple[str, str]:
    """The timer's words and its extra classes; while the facilitator has not started it (or paused it) it shows the
    time left, still. Empty when the session does not run."""
    if sessie.status != "bezig":
        return "", ""
    rest = verloop.resterend(sessie)
    late = " wijkleer-te-laat" if rest.total_seconds() < 0 else ""
    shown = klok(rest)
    if not verloop.timer_loopt(sessie):
        seconds = int(max(0, rest.total_seconds()))
        tijd = f"{seconds // 60}:{seconds % 60:02d}"
        shown = t("sessies.klok_pauze", tijd=tijd) if sessie.timer_verstreken else t("sessies.klok_wacht", tijd=tijd)
        late += " wijkleer-timer-stil"
    return shown, late


def timer_html(sessie: Sessie) -> str:
    shown, classes = timer_tekst(sessie)
    if not shown:
        return ""
    return f'<p class="wijkleer-timer{classes}" aria-live="off">{esc(shown)}</p>'


def _wie(entry: Zichtbaar) -> str:
    if entry.soort == "besluit":
        return t("sessies.besluit")
    if entry.auteur:
        return t("sessies.door", naam=entry.auteur, rol=taxonomy().label("rol", entry.rol))
    return t("sessies.jij_anoniem") if entry.eigen else t("sessies.anoniem")


def leden_van(entries: list[Zichtbaar]) -> dict[str, list[Zichtbaar]]:
    """The members of each group among ``entries``: head id -> its members (only heads the viewer sees)."""
    ids, found = {e.id for e in entries}, defaultdict(list)
    for entry in entries:
        if entry.groep_id in ids:
            found[entry.groep_id].append(entry)
    return dict(found)


def koppen(entries: list[Zichtbaar]) -> list[Zichtbaar]:
    """``entries`` without the members of a group whose head is among them: one card (and one vote) per group."""
    ids = {e.id for e in entries}
    return [e for e in entries if e.groep_id not in ids]


def _groep_html(leden: list[Zichtbaar]) -> str:
    if not leden:
        return ""
    items = "".join(f"<li>{esc(e.tekst)} <span class='wijkleer-meta'>{esc(_wie(e))}</span></li>" for e in leden)
    return f'<ul class="wijkleer-groep" aria-label="{esc(t("sessies.groep_leden"))}">{items}</ul>'


def kaart_html(
    entry: Zichtbaar,
    extra: str = "",
    uitgelicht: bool = False,
    nummer: int | None = None,
    leden: list[Zichtbaar] | None = None,
) -> str:
    """One entry as a card: its number (when the page refers to it by number), text, who (only if the entry is
    named), the similar entries grouped under it (``leden``), a knelpunt link and ``extra`` (escaped already)."""
    css = "wijkleer-kaart" + (" wijkleer-uitgelicht" if uitgelicht else "") + (" wijkleer-eigen" if entry.eigen else "")
    knelpunt = f'<p class="wijkleer-meta">{esc(t("sessies.werd_knelpunt"))}</p>' if entry.knelpunt_id else ""
    prefix = f"{nummer}. " if nummer is not None else ""
    return (
        f'<div class="{css}"><p class="wijkleer-kaarttekst">{esc(prefix)}{esc(entry.tekst)}</p>'
        f'<p class="wijkleer-meta">{esc(_wie(entry))}</p>{_groep_html(leden or [])}{knelpunt}{extra}</div>'
    )


def kaarten_html(entries: list[Zichtbaar], leeg: str, uitgelicht: str | None = None) -> str:
    if not entries:
        return f'<p class="wijkleer-leeg">{esc(leeg)}</p>'
    leden = leden_van(entries)
    cards = "".join(kaart_html(e, uitgelicht=e.id == uitgelicht, leden=leden.get(e.id)) for e in koppen(entries))
    return f'<div class="wijkleer-bord" role="list" aria-label="{esc(t("sessies.bord"))}">{cards}</div>'


def spotlight_html(entries: list[Zichtbaar], uitgelicht: str | None) -> str:
    chosen = next((e for e in entries if e.id == uitgelicht), None)
    if chosen is None:
        return ""
    return (
        f'<section class="wijkleer-spotlight" aria-label="{esc(t("sessies.uitgelicht"))}">'
        f"<h3>{esc(t('sessies.uitgelicht'))}</h3>{kaart_html(chosen, uitgelicht=True)}</section>"
    )


def rollen_van(uitslag: list[tuple[Zichtbaar, dict[str, int]]]) -> list[str]:
    """The roles shown with their own column, in the taxonomy's order, then the smaller roles together
    (``verloop.OVERIG``); when every dot is only in the total (``verloop.ALLE``) there is no role column."""
    used = {rol for _entry, dots in uitslag for rol in dots}
    return [code for code in taxonomy().codes("rol") if code in used] + [verloop.OVERIG] * (verloop.OVERIG in used)


def _rol_label(code: str) -> str:
    return t("sessies.rol_overig") if code == verloop.OVERIG else taxonomy().label("rol", code)


def gekozen_html(sessie: Sessie, uitslag: list[tuple[Zichtbaar, dict[str, int]]]) -> str:
    """What the earlier vote chose (in a phase that builds on it): its ranking, most dots first."""
    fase = verloop.uitslag_fase(sessie)
    if fase is None or not uitslag:
        return ""
    titel = verloop.sjabloon_van(sessie).fasen[fase].titel
    kop = t("sessies.gekozen_kop", nummer=fase + 1, titel=titel)
    return f'<section class="wijkleer-gekozen"><h3>{esc(kop)}</h3>{uitslag_html(uitslag)}</section>'


def keuze_label(entry: Zichtbaar) -> str:
    """An entry in a facilitator's choice list (spotlight, knelpunt): its phase and the start of its text."""
    return t("sessies.keuze_label", nummer=entry.fase + 1, tekst=entry.tekst[:80])


def uitslag_html(uitslag: list[tuple[Zichtbaar, dict[str, int]]]) -> str:
    """Dot votes per role side by side: one column per role, and the total."""
    if not uitslag:
        return f'<p class="wijkleer-leeg">{esc(t("sessies.geen_bijdragen"))}</p>'
    rollen = rollen_van(uitslag)
    head = "".join(f'<th scope="col">{esc(_rol_label(r))}</th>' for r in rollen)
    rows = "".join(
        f"<tr><td>{esc(entry.tekst)}</td>"
        + "".join(f'<td class="getal">{dots.get(r, 0)}</td>' for r in rollen)
        + f'<td class="getal"><strong>{sum(dots.values())}</strong></td></tr>'
        for entry, dots in uitslag
    )
    caption = esc(t("sessies.uitslag_kop"))
    return sideways(
        f'<table class="wijkleer-tabel"><caption>{caption}</caption><thead><tr>'
        f'<th scope="col">{esc(t("sessies.bijdrage"))}</th>{head}<th scope="col">{esc(t("sessies.totaal"))}</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def acties_html(acties: list[Actie], leeg: str) -> str:
    if not acties:
        return f'<p class="wijkleer-leeg">{esc(leeg)}</p>'
    rows = [[a.omschrijving, a.eigenaar, a.deadline.strftime("%d-%m-%Y") if a.deadline else "",
             t(f"sessies.actie_status.{a.status}")] for a in acties]  # fmt: skip
    return table_html([t(f"sessies.actie_kolom.{c}") for c in ("wat", "wie", "wanneer", "status")], rows)


def te_stemmen(sessie: Sessie, entries: list[Zichtbaar]) -> list[Zichtbaar]:
    """The text entries of the phase the page shows (the one voted on in a vote phase), all of it: a group's
    members are drawn under their head (``kaarten_html``, ``leden_van``)."""
    shown = verloop.tonen_fase(sessie)
    return [e for e in entries if e.fase == shown and e.soort == "tekst"]


def stemkaarten(sessie: Sessie, entries: list[Zichtbaar]) -> list[tuple[int, Zichtbaar, str]]:
    """What a participant votes on: (number, entry, card) per group head or single entry of the voted phase."""
    in_phase = te_stemmen(sessie, entries)
    leden = leden_van(in_phase)
    return [(n, e, kaart_html(e, nummer=n, leden=leden.get(e.id))) for n, e in enumerate(koppen(in_phase), start=1)]


def deelnemer_bord_html(store: Store, sessie: Sessie, soort: str, entries: list[Zichtbaar], kijker: Kijker) -> str:
    """The board as a participant (``kijker``) sees it in a phase of kind ``soort``; ``entries`` are what they may
    see (``store.bijdragen`` with that ``Kijker``). Shared by the Voilà page and the kernel-free page."""
    in_phase = te_stemmen(sessie, entries)
    decisions = [e for e in entries if e.soort == "besluit"]
    parts = [gekozen_html(sessie, verloop.eerdere_uitslag(store, sessie, entries, kijker))]
    if soort == "stemmen":
        if verloop.onthuld(sessie):
            parts.append(uitslag_html(verloop.stemuitslag(store, sessie, entries)))
    elif soort == "acties":
        acties = store.list(Actie, sessie_id=sessie.id, order_by="aangemaakt")
        parts.append(acties_html(acties, t("sessies.nog_geen_acties")))
    elif soort == "actiereview":  # drawn on every change: the facilitator marks actions while you look
        parts.append(acties_html(verloop.open_acties(store, sessie), t("sessies.geen_open_acties")))
    elif soort == "verwachtingen_lezen":
        parts.append(verwachtingen_html(store, sessie.kring_id))
    elif soort in (*SCHRIJVEN, "delen"):
        if verloop.tonen_fase(sessie) not in sessie.onthuld:
            parts.append(f"<p>{esc(t('sessies.verborgen_tot_onthullen'))}</p>")
        parts.append(kaarten_html(in_phase, t("sessies.nog_niets"), sessie.uitgelicht))
    if decisions:
        parts.append(f"<h3>{esc(t('sessies.besluiten_kop'))}</h3>" + kaarten_html(decisions, ""))
    return "".join(parts)


def verwachtingen_html(store: Store, kring_id: str) -> str:
    """The kring's expectations as they stand now, to read: the current wording, not the dropped ones, each with
    its number in the kring and who expects it."""
    shown = verwachtingen.te_beoordelen(store, kring_id)
    if not shown:
        return f'<p class="wijkleer-leeg">{esc(t("sessies.geen_verwachtingen_kring"))}</p>'
    numbers = verwachtingen.nummers(store, kring_id)
    items = "".join(
        f'<li value="{numbers[v.id]}">{esc(tekst)} ({esc(taxonomy().label("belanghebbende", v.belanghebbende))})</li>'
        for v, tekst in shown
    )
    return f'<h3>{esc(t("sessies.verwachtingen_kop"))}</h3><ol class="wijkleer-verwachtingen">{items}</ol>'


def terugblik_html(store: Store, sessie: Sessie) -> str:
    """The feedback review: every knelpunt the kring signalled, with where it is in the loop and the last answer."""
    rows = []
    for knelpunt in store.list(Knelpunt, kring_id=sessie.kring_id, order_by="datum", descending=True):
        answers = [e for e in store.history(knelpunt.id) if e.status in ("besluit", "teruggekoppeld") and e.tekst]
        rows.append([knelpunt.titel, knelpunt.datum.strftime("%d-%m-%Y"), t(f"status.{knelpunt.status}"),
                     answers[-1].tekst if answers else ""])  # fmt: skip
    if not rows:
        return f'<p class="wijkleer-leeg">{esc(t("sessies.geen_knelpunten_kring"))}</p>'
    return table_html([t(f"sessies.terug_kolom.{c}") for c in ("knelpunt", "datum", "status", "antwoord")], rows)
