"""Running a leerkring session as a service: a facilitator plans a session from a template, starts it (it gets a
join code), moves through the phases, reveals entries and spotlights one; participants join with the code under a
name or alias and a role, write entries, put dots and commit to actions.

Whoever acts is passed in as the object the view keeps in Python since signing in or joining (``Deelnemer`` for the
facilitator, ``Deelname`` for a participant), and is read again from the store here on every submit: nothing a
browser changes in widget state makes someone else, or a facilitator."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import date, timedelta
from typing import Any

from wijkleer import identiteit, logboek, privacy
from wijkleer.errors import WijkleerError
from wijkleer.model import Actie, Bijdrage, Deelname, Deelnemer, Kring, Sessie, Stip, now
from wijkleer.sessies.sjablonen import SCHRIJVEN, Fase, Sjabloon, sjablonen
from wijkleer.store import Kijker, Store, Zichtbaar
from wijkleer.store.engine import not_found
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out in a room
CODE_LENGTH = 6
ACTIE_STATUSSEN = ("open", "gedaan", "vervallen")
ROLLEN = ("uitvoering", "beleid", "bewoner", "partner", "student")  # the roles a participant joins with


def _refuse(field: str, message: str, hint: str = "") -> WijkleerError:
    return WijkleerError(message, hint or t("model.ongeldig_hint"), {field: message})


# -- the facilitator's side -------------------------------------------------------------------------------
def begeleider_van(store: Store, person: Deelnemer, kring_id: str) -> Deelnemer:
    """``person`` as stored, if they are a facilitator of ``kring_id``; otherwise refused."""
    stored = identiteit.begeleider(store, person)
    if stored is None or stored.kring_id != kring_id:
        raise WijkleerError(t("sessies.geen_begeleider"), t("sessies.geen_begeleider_hint"))
    return stored


def kring_maken(store: Store, naam: str, gemeente: str, begeleider: str, code: str) -> Deelnemer:
    """A new kring with its first facilitator (signed in with ``code``, as in every workbook)."""
    if problem := identiteit.code_problem(code):
        raise _refuse("code", problem)
    kring = Kring.make(naam=naam, gemeente=gemeente)
    if store.list(Kring, naam=kring.naam):
        raise _refuse("naam", t("sessies.kring_bestaat"))
    store.add(kring)
    return identiteit.aanmelden(store, kring.id, begeleider, code, rol=identiteit.BEGELEIDER)


def deelnemer_toevoegen(store: Store, begeleider: Deelnemer, naam: str, rol: str) -> Deelnemer:
    """A participant of the facilitator's kring (name and role); they sign in to sessions with its join code."""
    begeleider = begeleider_van(store, begeleider, begeleider.kring_id)
    person = Deelnemer.make(kring_id=begeleider.kring_id, naam=naam, rol=rol or None)
    if store.list(Deelnemer, kring_id=person.kring_id, naam=person.naam):
        raise _refuse("naam", t("sessies.naam_bestaat"))
    return store.add(person)


def plannen(store: Store, begeleider: Deelnemer, sjabloon: str, titel: str, datum: Any) -> Sessie:
    """Plan a session of the facilitator's kring from a template."""
    begeleider = begeleider_van(store, begeleider, begeleider.kring_id)
    if sjabloon not in sjablonen():
        raise _refuse("sjabloon", t("model.kies_uit_lijst"))
    titel = titel or sjablonen()[sjabloon].naam
    return store.add(Sessie.make(kring_id=begeleider.kring_id, titel=titel, datum=datum, sjabloon=sjabloon))


def sjabloon_van(sessie: Sessie) -> Sjabloon:
    found = sjablonen().get(sessie.sjabloon)
    if found is None:
        raise WijkleerError(t("sessies.sjabloon_weg", sjabloon=sessie.sjabloon), t("sessies.sjabloon_weg_hint"))
    return found


def fase_van(sessie: Sessie) -> Fase:
    fasen = sjabloon_van(sessie).fasen
    return fasen[min(sessie.fase, len(fasen) - 1)]


def _new_code(store: Store) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if store.sessie_bij_code(code) is None:
            return code


def openen(store: Store, begeleider: Deelnemer, sessie_id: str) -> tuple[Sessie, Deelname]:
    """Open a session in the console: a planned one starts (join code, first phase, its timer not yet running).
    The facilitator takes part under their own name, so decisions they record are entries of the session."""
    sessie = store.get(Sessie, sessie_id)
    begeleider = begeleider_van(store, begeleider, sessie.kring_id)
    sjabloon_van(sessie)
    if sessie.status == "gepland":  # started once, also when two tabs open it at the same moment
        code = _new_code(store)
        # the timer waits for the facilitator (``timer_starten``): nobody may have joined yet
        start = {"status": "bezig", "code": code, "fase": 0, "fase_sinds": None, "timer_verstreken": 0}
        sessie = store.sessie_wijzigen(sessie.id, lambda current: start if current.status == "gepland" else {})
    zelf, _new = store.deelnemen(Deelname.make(sessie_id=sessie.id, deelnemer_id=begeleider.id,
                                               naam=begeleider.naam, rol=begeleider.rol))  # fmt: skip
    return sessie, zelf


def _running(store: Store, begeleider: Deelnemer, sessie_id: str) -> Sessie:
    """The session, if ``begeleider`` leads its kring and it runs: a finished session takes no more steps."""
    sessie = store.get(Sessie, sessie_id)
    begeleider_van(store, begeleider, sessie.kring_id)
    if sessie.status != "bezig":
        raise WijkleerError(t("sessies.niet_bezig"), t("sessies.niet_bezig_begeleider_hint"))
    return sessie


def begeleider_sessie(store: Store, begeleider: Deelnemer, sessie_id: str) -> Sessie:
    """The running session ``sessie_id`` if ``begeleider`` leads its kring; otherwise refused (for other services
    that act for the facilitator, such as the projector screen)."""
    return _running(store, begeleider, sessie_id)


def naar_fase(store: Store, begeleider: Deelnemer, sessie_id: str, index: int) -> Sessie:
    """Move to phase ``index`` (clamped to the template); its spotlight is cleared and its timer begins afresh:
    counting from now if the timer was running, else standing still until the facilitator starts it."""
    sessie = _running(store, begeleider, sessie_id)
    sjabloon = sjabloon_van(sessie)
    index = max(0, min(index, len(sjabloon.fasen) - 1))

    def move(current: Sessie) -> dict:
        onthuld = set(current.onthuld)
        if sjabloon.fasen[index].soort == "stemmen" and sjabloon.bron(index) is not None:
            onthuld.add(sjabloon.bron(index))  # a vote is on entries everyone can read; its result is revealed later
        started = now() if current.fase_sinds is not None else None
        changes = {"fase": index, "fase_sinds": started, "timer_verstreken": 0, "uitgelicht": None}
        return changes | {"onthuld": sorted(onthuld)}

    return store.sessie_wijzigen(sessie.id, move)


def _bijdrage(store: Store, sessie: Sessie, bijdrage_id: str) -> Zichtbaar:
    """One entry of ``sessie`` as the facilitator sees it; an id from elsewhere is refused."""
    found = next((b for b in store.bijdragen(sessie.id, Kijker("begeleider")) if b.id == bijdrage_id), None)
    if found is None:
        raise not_found(Bijdrage)
    return found


def tonen_fase(sessie: Sessie) -> int:
    """The phase whose entries the board shows now: the current one, or the earlier one a vote or share is about."""
    bron = sjabloon_van(sessie).bron(sessie.fase)
    return sessie.fase if bron is None else bron


def _te_onthullen(sessie: Sessie) -> set[int]:
    """What 'reveal' opens in the current phase: a vote's result (the vote phase), else the entries shown and the
    result of the earlier vote the phase builds on."""
    if fase_van(sessie).soort == "stemmen":
        return {sessie.fase}
    bron = uitslag_fase(sessie)
    return {sessie.fase, tonen_fase(sessie)} | ({bron} if bron is not None else set())


def onthuld(sessie: Sessie) -> bool:
    """Whether what the current phase shows is revealed to the participants (for a vote: its result)."""
    return _te_onthullen(sessie) <= set(sessie.onthuld)


def onthullen(store: Store, begeleider: Deelnemer, sessie_id: str, zichtbaar: bool = True) -> Sessie:
    """Reveal (or hide again) to every participant the entries on the board, or in a vote its result."""
    sessie = _running(store, begeleider, sessie_id)
    shown = _te_onthullen(sessie)

    def reveal(current: Sessie) -> dict:
        if current.fase != sessie.fase:  # another tab moved on meanwhile: this click was about the old phase
            return {}
        return {"onthuld": sorted(set(current.onthuld) | shown if zichtbaar else set(current.onthuld) - shown)}

    return store.sessie_wijzigen(sessie.id, reveal)


def uitlichten(store: Store, begeleider: Deelnemer, sessie_id: str, bijdrage_id: str | None) -> Sessie:
    """Spotlight one entry on every screen (None: none). Everyone sees that one entry (the store shows it), not
    the other hidden entries of its phase."""
    sessie = _running(store, begeleider, sessie_id)
    if bijdrage_id is not None:
        _bijdrage(store, sessie, bijdrage_id)
    return store.sessie_wijzigen(sessie.id, uitgelicht=bijdrage_id)


def timer_opnieuw(store: Store, begeleider: Deelnemer, sessie_id: str) -> Sessie:
    """The phase's whole timebox again, counting from now."""
    sessie = _running(store, begeleider, sessie_id)
    return store.sessie_wijzigen(sessie.id, fase_sinds=now(), timer_verstreken=0)


def timer_starten(store: Store, begeleider: Deelnemer, sessie_id: str) -> Sessie:
    """Start (or continue after a pause) the phase's timer; every page counts down from then on."""
    sessie = _running(store, begeleider, sessie_id)
    return store.sessie_wijzigen(sessie.id, lambda current: {} if timer_loopt(current) else {"fase_sinds": now()})


def timer_pauzeren(store: Store, begeleider: Deelnemer, sessie_id: str) -> Sessie:
    """Stop the timer where it is; ``timer_starten`` continues from there."""
    sessie = _running(store, begeleider, sessie_id)

    def pause(current: Sessie) -> dict:
        if not timer_loopt(current):
            return {}
        # whole seconds, at least one: a paused timer shows 'paused', not 'not started yet'
        counted = max(1, math.ceil((now() - current.fase_sinds).total_seconds()))
        return {"fase_sinds": None, "timer_verstreken": current.timer_verstreken + counted}

    return store.sessie_wijzigen(sessie.id, pause)


def timer_loopt(sessie: Sessie) -> bool:
    """Whether the phase's timer counts down now (the facilitator started it and did not pause it)."""
    return sessie.status == "bezig" and sessie.fase_sinds is not None


def afronden(store: Store, begeleider: Deelnemer, sessie_id: str) -> Sessie:
    """End the session: the join code stops working; the board stays readable for the summary."""
    sessie = _running(store, begeleider, sessie_id)
    return store.sessie_wijzigen(sessie.id, status="afgerond", uitgelicht=None)


def resterend(sessie: Sessie, moment=None) -> timedelta:
    """Time left in the current phase's timebox (negative: over time); while the timer stands still (not started,
    or paused) it does not change."""
    counted = timedelta(seconds=sessie.timer_verstreken)
    if timer_loopt(sessie):
        counted += (moment or now()) - sessie.fase_sinds
    return timedelta(minutes=fase_van(sessie).minuten) - counted


def besluit_vastleggen(store: Store, begeleider: Deelnemer, zelf: Deelname, tekst: str, id: str) -> None:
    """Record a decision of the kring (shown to everyone, and in the summary)."""
    sessie = _running(store, begeleider, zelf.sessie_id)
    privacy.check_fields({"tekst": tekst or ""})
    entry = Bijdrage.make(id=id, sessie_id=sessie.id, fase=sessie.fase, deelname_id=zelf.id, soort="besluit",
                          tekst=tekst, anoniem=True)  # fmt: skip
    store.bijdrage_plaatsen(entry)


def actie_bijwerken(store: Store, begeleider: Deelnemer, zelf: Deelname, actie_id: str, status: str) -> Actie:
    """The action review: an action of the kring is done, dropped, or stays open (carried to the next review). The
    review is recorded as a decision of this session (without the owner's name), for everyone and the summary."""
    sessie = _running(store, begeleider, zelf.sessie_id)
    actie = store.get(Actie, actie_id)
    if actie.kring_id != sessie.kring_id or status not in ACTIE_STATUSSEN:
        raise WijkleerError(t("sessies.actie_niet_van_kring"), t("store.fout_hint"))
    stored = store.update(actie.model_copy(update={"status": status}))
    text = t("sessies.actie_besproken", wat=actie.omschrijving, status=t(f"sessies.actie_status.{status}").lower())
    review = Bijdrage.make(id=f"r.{sessie.id[:24]}.{actie.id[:24]}.{status}", sessie_id=sessie.id, fase=sessie.fase,
                           deelname_id=zelf.id, soort="besluit", tekst=text[:1000])  # fmt: skip
    store.bijdrage_plaatsen(review)
    return stored


def open_acties(store: Store, sessie: Sessie) -> list[Actie]:
    """The actions to review in ``sessie``: open actions of the kring from earlier sessions (and ones without a
    session), oldest deadline first; done or dropped ones are not carried further."""
    acties = store.list(Actie, kring_id=sessie.kring_id, status="open", order_by="aangemaakt")
    carried = [a for a in acties if a.sessie_id != sessie.id]
    return sorted(carried, key=lambda a: (a.deadline or date.max, a.aangemaakt))


def knelpunt_maken(store: Store, begeleider: Deelnemer, sessie_id: str, bijdrage_id: str, values: dict[str, Any],
                   id: str) -> str:  # fmt: skip
    """Turn an entry of a policy-advice phase into a knelpunt of the kring (source: leerkring), through the same
    checks as the logbook; the entry shows the link. Returns the knelpunt's id."""
    sessie = _running(store, begeleider, sessie_id)
    # one knelpunt per entry: a second would take the link from the first
    if _bijdrage(store, sessie, bijdrage_id).knelpunt_id:
        raise _refuse("bijdrage", t("sessies.al_knelpunt"))
    data = dict(values, id=id, kring_id=sessie.kring_id, bron="leerkring", datum=date.today())
    knelpunt = store.add(logboek.check(data))
    store.bijdrage_koppelen(sessie.id, bijdrage_id, knelpunt.id)
    return knelpunt.id


# -- the participant's side ---------------------------------------------------------------------------------
def _sleutel_hash(sleutel: str) -> str:
    return hashlib.sha256(sleutel.encode("utf-8")).hexdigest()


def sleutel_hash(sleutel: str) -> str:
    """How the key of a personal or projector link is stored: only its hash."""
    return _sleutel_hash(sleutel)


def deelnemen(store: Store, code: str, naam: str, rol: str, sleutel: str | None = None) -> tuple[Deelname, str | None]:
    """Join the session with join code ``code`` under ``naam`` (a name or alias) and ``rol``; under JupyterHub the
    hub account is the name. Returns the participation and the key of the participant's personal link (None for a
    hub account): a name that already takes part joins again only with that key (``sleutel``) or as its hub account,
    so nobody takes over someone else's name, dots or actions."""
    hub = identiteit.hub_user()
    errors: dict[str, str] = {}
    sessie = store.sessie_bij_code(code) if (code or "").strip() else None
    if sessie is None or sessie.status == "afgerond":
        errors["code"] = t("sessies.code_onbekend") if sessie is None else t("sessies.afgelopen")
    naam, name_error = identiteit.naam_van(hub or naam or "")
    if rol not in taxonomy().codes("rol") or rol == identiteit.BEGELEIDER:
        errors["rol"] = t("model.kies_uit_lijst")
    if name_error:
        errors["naam"] = name_error
    if errors:
        raise WijkleerError(t("model.ongeldige_invoer", details="; ".join(errors.values())),
                            t("sessies.deelnemen_hint"), errors)  # fmt: skip
    facilitators = store.list(Deelnemer, kring_id=sessie.kring_id, rol=identiteit.BEGELEIDER)
    if any(p.naam.casefold() == naam.casefold() for p in facilitators):
        raise _refuse("naam", t("sessies.naam_van_begeleider"))
    known = store.list(Deelnemer, kring_id=sessie.kring_id, naam=naam, limit=1)
    # a new name is a guest of the kring, with an id fixed by kring and name: two pages at once make one guest
    guest = hashlib.sha256(f"{sessie.kring_id}\n{naam}".encode()).hexdigest()[:40]
    if known:
        person = known[0]
    else:
        kind = identiteit.HUB if hub else identiteit.GAST
        person = store.add(Deelnemer.make(id=f"gast:{guest}", kring_id=sessie.kring_id, naam=naam, rol=rol,
                                          code_hash=kind))  # fmt: skip
    key = None if hub else secrets.token_urlsafe(18)
    candidate = Deelname.make(sessie_id=sessie.id, deelnemer_id=person.id, naam=naam, rol=rol,
                              sleutel=identiteit.HUB if hub else _sleutel_hash(key))  # fmt: skip
    joined, new = store.deelnemen(candidate)
    if new:
        return joined, key
    if hub and joined.sleutel == identiteit.HUB:
        return joined, None
    if (
        sleutel
        and joined.sleutel not in (None, identiteit.HUB)
        and hmac.compare_digest(joined.sleutel, _sleutel_hash(sleutel))
    ):
        return joined, sleutel
    raise _refuse("naam", t("sessies.naam_bezet"), t("sessies.naam_bezet_hint"))


def terugkomen(store: Store, code: str, sleutel: str) -> Deelname | None:
    """The participation whose personal link holds ``sleutel`` in the session of ``code`` (None if there is none)."""
    sessie = store.sessie_bij_code(code) if (code or "").strip() and sleutel else None
    if sessie is None or sessie.status == "afgerond":
        return None
    found = store.list(Deelname, sessie_id=sessie.id, sleutel=_sleutel_hash(sleutel), limit=1)
    return found[0] if found else None


def huidig(store: Store, deelname: Deelname, fase: int | None = None) -> tuple[Deelname, Sessie, Fase]:
    """The participant and their session as stored now; a session that ended takes no more input, and neither does
    a page whose form was for phase ``fase`` when the session has moved on (its text might go out under a name)."""
    found = store.list(Deelname, id=deelname.id)
    if not found:
        raise WijkleerError(t("sessies.niet_deelgenomen"), t("sessies.deelnemen_hint"))
    sessie = store.get(Sessie, found[0].sessie_id)
    if sessie.status != "bezig":
        raise WijkleerError(t("sessies.niet_bezig"), t("sessies.niet_bezig_hint"))
    if fase is not None and fase != sessie.fase:
        raise _wrong_phase()
    return found[0], sessie, fase_van(sessie)


def _wrong_phase() -> WijkleerError:
    return WijkleerError(t("sessies.andere_fase"), t("sessies.andere_fase_hint"))


def indienen(store: Store, deelname: Deelname, tekst: str, id: str, fase: int | None = None) -> None:
    """Put an entry on the board in the current phase (``fase``: the phase the page wrote it for), anonymous or
    named as the phase says."""
    deelname, sessie, fase = huidig(store, deelname, fase)
    if fase.soort not in SCHRIJVEN:
        raise _wrong_phase()
    privacy.check_fields({"tekst": tekst or ""})
    entry = Bijdrage.make(id=id, sessie_id=sessie.id, fase=sessie.fase, deelname_id=deelname.id, tekst=tekst,
                          anoniem=not fase.op_naam)  # fmt: skip
    store.bijdrage_plaatsen(entry)


def wijzigbaar(sessie: Sessie, entry: Zichtbaar) -> bool:
    """Whether the writer may still change or take back ``entry`` (as they see it): their own text that nobody else
    has seen, i.e. its phase is not revealed, it is not spotlighted and it did not become a knelpunt. (Dots come only
    after a reveal; the store checks all of this again in the same transaction as the change.)"""
    return (
        entry.eigen
        and entry.soort == "tekst"
        and entry.fase not in sessie.onthuld
        and entry.id != sessie.uitgelicht
        and not entry.knelpunt_id
    )


def eigen_wijzigbaar(sessie: Sessie, entries: list[Zichtbaar]) -> list[Zichtbaar]:
    """The viewer's own entries they may still change or take back, out of ``entries`` (as they see them)."""
    return [entry for entry in entries if wijzigbaar(sessie, entry)]


def _eigen_bijdrage(store: Store, deelname: Deelname, sessie: Sessie, bijdrage_id: str) -> Zichtbaar:
    """The participant's own entry that nobody else has seen yet; refused (with the reason) otherwise."""
    mine = store.bijdragen(sessie.id, Kijker("deelnemer", deelname.id))
    entry = next((e for e in mine if e.id == bijdrage_id and e.eigen), None)
    if entry is None:
        raise WijkleerError(t("sessies.niet_jouw_bijdrage"), t("sessies.niet_jouw_bijdrage_hint"))
    if not wijzigbaar(sessie, entry):
        raise WijkleerError(t("sessies.al_gezien"), t("sessies.al_gezien_hint"))
    return entry


def bijdrage_wijzigen(store: Store, deelname: Deelname, bijdrage_id: str, tekst: str) -> None:
    """Change the text of one's own entry until it is revealed: only the writer, only while the session runs and
    nobody else has seen it, through the same privacy gate and checks as a new entry."""
    deelname, sessie, _fase = huidig(store, deelname)
    entry = _eigen_bijdrage(store, deelname, sessie, bijdrage_id)
    privacy.check_fields({"tekst": tekst or ""})
    checked = Bijdrage.make(id=entry.id, sessie_id=sessie.id, fase=entry.fase, deelname_id=deelname.id, tekst=tekst)
    if not store.bijdrage_herschrijven(deelname, entry.id, checked.tekst):  # revealed at this very moment
        raise WijkleerError(t("sessies.al_gezien"), t("sessies.al_gezien_hint"))


def bijdrage_intrekken(store: Store, deelname: Deelname, bijdrage_id: str) -> None:
    """Take one's own entry off the board until it is revealed: only the writer, only while nobody else saw it."""
    deelname, sessie, _fase = huidig(store, deelname)
    entry = _eigen_bijdrage(store, deelname, sessie, bijdrage_id)
    if not store.bijdrage_intrekken(deelname, entry.id):
        raise WijkleerError(t("sessies.al_gezien"), t("sessies.al_gezien_hint"))


def klaar(store: Store, deelname: Deelname, is_klaar: bool = True) -> None:
    deelname, sessie, _fase = huidig(store, deelname)
    store.klaar_melden(deelname, sessie.fase if is_klaar else None)


def stemmen(store: Store, deelname: Deelname, bijdrage_id: str, erbij: bool, fase: int | None = None) -> None:
    """Put (``erbij``) or take back one dot on an entry of the phase being voted on."""
    deelname, sessie, fase = huidig(store, deelname, fase)
    if fase.soort != "stemmen":
        raise _wrong_phase()
    if erbij:
        visible = {b.id for b in store.bijdragen(sessie.id, Kijker("deelnemer", deelname.id), tonen_fase(sessie))}
        if bijdrage_id not in visible:
            raise WijkleerError(t("sessies.nog_verborgen"), t("sessies.nog_verborgen_hint"))
        store.stip_zetten(Stip.make(sessie_id=sessie.id, fase=sessie.fase, bijdrage_id=bijdrage_id,
                                    deelname_id=deelname.id, rol=deelname.rol), fase.budget)  # fmt: skip
    else:
        store.stip_weghalen(deelname, sessie.fase, bijdrage_id)


def actie_toevoegen(store: Store, deelname: Deelname, omschrijving: str, deadline: Any, id: str,
                    fase: int | None = None) -> Actie:  # fmt: skip
    """Commit to an action, on one's own name, with a due date; it comes back in the next action review."""
    deelname, sessie, fase = huidig(store, deelname, fase)
    if fase.soort != "acties":
        raise _wrong_phase()
    privacy.check_fields({"omschrijving": omschrijving or ""})
    if deadline is None:
        raise _refuse("deadline", t("sessies.deadline_nodig"))
    actie = Actie.make(id=id, kring_id=sessie.kring_id, sessie_id=sessie.id, omschrijving=omschrijving,
                       eigenaar=deelname.naam, deadline=deadline)  # fmt: skip
    if actie.deadline < date.today():
        raise _refuse("deadline", t("sessies.deadline_voorbij"))
    stored = store.add(actie)
    store.sessie_wijzigen(sessie.id)
    return stored


def beoordelen(store: Store, deelname: Deelname, scores: dict[str, tuple[int, int]], fase: int | None = None) -> int:
    """Rate the kring's expectations in an expectation phase (verwachting id -> (belang, haalbaarheid)), under the
    role the participant joined with; returns how many were stored."""
    deelname, sessie, fase_nu = huidig(store, deelname, fase)
    if fase_nu.soort != "verwachtingen":
        raise _wrong_phase()
    from wijkleer import verwachtingen  # pandas: only paid by a page that rates

    person = store.get(Deelnemer, deelname.deelnemer_id).model_copy(update={"rol": deelname.rol})
    stored = verwachtingen.rate(store, person, sessie.id, scores)
    store.sessie_wijzigen(sessie.id)
    return len(stored)


OVERIG = "overig"  # the dots of roles too small to show on their own, together (not a role of the taxonomy)
ALLE = "alle"  # every dot together: no role is large enough, or the rest of the roles would be a small group


def stemuitslag(store: Store, sessie: Sessie, entries: list[Zichtbaar], fase: int | None = None,
                minimum: int | None = None) -> list[tuple[Zichtbaar, dict[str, int]]]:  # fmt: skip
    """The entries voted on in vote phase ``fase`` (default: the current one), out of ``entries`` (the session's
    entries as the viewer may see them, already read), with their dots per role, most dots first.

    A role shows its own dots only when at least ``minimum`` enrolled people of that role voted (default
    ``disclosure.room_minimum()``: at least 3; pass ``k`` for what leaves the room). Smaller roles are merged under
    ``OVERIG``; when those together are still fewer than ``minimum`` enrolled voters, every dot goes under ``ALLE``
    (only the total), since the merged roles would follow from the total. Guests never count as members."""
    from wijkleer.privacy import disclosure

    fase = sessie.fase if fase is None else fase
    bron = sjabloon_van(sessie).bron(fase)
    dots = store.stippen(sessie.id, fase)
    groups = rolgroepen(
        store.stemmers(sessie.id, fase), {r for d in dots.values() for r in d}, disclosure.room_minimum(minimum)
    )
    in_phase = [entry for entry in entries if entry.fase == bron and entry.soort == "tekst"]
    heads = {entry.id for entry in in_phase}
    # one line per group (its head gets the dots) or single entry
    voted = [(entry, _merged(dots.get(entry.id, {}), groups)) for entry in in_phase if entry.groep_id not in heads]
    return sorted(voted, key=lambda pair: -sum(pair[1].values()))


def rolgroepen(members: dict[str, int], roles: set[str], minimum: int) -> dict[str, str]:
    """Per role, the group it is shown in: itself when it has at least ``minimum`` enrolled ``members``, else
    ``OVERIG``; everything ``ALLE`` when the ``OVERIG`` group would be non-empty but smaller than ``minimum``."""
    roles = roles | set(members)
    large = {r for r in roles if members.get(r, 0) >= minimum}
    small = roles - large
    if small and sum(members.get(r, 0) for r in small) < minimum:
        return dict.fromkeys(roles, ALLE)
    return {r: r if r in large else OVERIG for r in roles}


def _merged(per_role: dict[str, int], groups: dict[str, str]) -> dict[str, int]:
    result: dict[str, int] = {}
    for rol, n in per_role.items():
        result[groups.get(rol, ALLE)] = result.get(groups.get(rol, ALLE), 0) + n
    return result


def groeperen(store: Store, begeleider: Deelnemer, sessie_id: str, kop_id: str, leden: list[str]) -> None:
    """Group similar entries: ``leden`` go under ``kop_id``, whose card shows them and which gets the dots as one.
    Only the facilitator, only entries of one phase and before anyone voted on them."""
    sessie = _running(store, begeleider, sessie_id)
    leden = [bijdrage_id for bijdrage_id in dict.fromkeys(leden) if bijdrage_id != kop_id]
    if not kop_id or not leden:
        raise _refuse("leden", t("sessies.groep_kies"), t("sessies.groep_hint"))
    if not store.bijdragen_groeperen(sessie.id, kop_id, leden):
        raise WijkleerError(t("sessies.groep_kan_niet"), t("sessies.groep_hint"))


def groep_opheffen(store: Store, begeleider: Deelnemer, sessie_id: str, kop_id: str) -> None:
    """Undo a group while nobody voted on it."""
    sessie = _running(store, begeleider, sessie_id)
    if not store.groep_opheffen(sessie.id, kop_id):
        raise WijkleerError(t("sessies.groep_gestemd"), t("sessies.groep_hint"))


def uitslag_fase(sessie: Sessie) -> int | None:
    """The earlier vote phase whose result the current phase shows (a knelpunt phase after a vote), or None."""
    sjabloon = sjabloon_van(sessie)
    return sjabloon.uitslag_bron(min(sessie.fase, len(sjabloon.fasen) - 1))


def eerdere_uitslag(
    store: Store, sessie: Sessie, entries: list[Zichtbaar], kijker: Kijker
) -> list[tuple[Zichtbaar, dict[str, int]]]:
    """The ranking (most dots first) of the earlier vote the current phase builds on, out of ``entries`` (as
    ``kijker`` may see them, already read). The facilitator always sees it; everyone else only once that vote's
    result was revealed. Empty when the phase builds on no vote."""
    fase = uitslag_fase(sessie)
    if fase is None or (kijker.publiek != "begeleider" and fase not in sessie.onthuld):
        return []
    return stemuitslag(store, sessie, entries, fase)


def kiesbare_bijdragen(sessie: Sessie, entries: list[Zichtbaar]) -> list[Zichtbaar]:
    """The entries the facilitator may spotlight or turn into a knelpunt now, out of ``entries`` (the session's
    entries as the facilitator sees them, already read): those the board shows first, then the entries of the
    earlier phases, the most recent phase first (a later phase's entries, after going back, are left out)."""
    shown = tonen_fase(sessie)
    texts = [e for e in entries if e.soort == "tekst" and e.fase <= max(shown, sessie.fase)]
    return sorted(texts, key=lambda e: (e.fase != shown, -e.fase))  # stable: oldest first within a phase
