"""What the kernel-free participant page shows and does, as plain functions over the store: the state of the
session as one participant may see it (``stand``), and each thing a participant does (``ACTIONS``), all through the
session services in ``wijkleer.sessies.verloop``. Runs in the server's worker threads; no widget, no HTTP here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelname, Sessie, new_id
from wijkleer.sessies import verloop
from wijkleer.sessies.sjablonen import SCHRIJVEN
from wijkleer.store import Kijker, Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
from wijkleer.views import sessie_bord as bord

ID_LENGTH = 64


def teksten() -> dict[str, str]:
    """The sentences the page's script needs (from the catalogue: reworded there, never in the script)."""
    keys = {
        "code": "sessies.code",
        "code_hulp": "sessies.code_hulp",
        "naam": "sessies.naam",
        "naam_hulp": "sessies.naam_hulp",
        "rol": "sessies.rol",
        "meedoen": "sessies.meedoen",
        "welkom": "sessies.welkom",
        "persoonlijk": "sessies.persoonlijk",
        "persoonlijke_link": "sessies.persoonlijke_link",
        "ik_ben_klaar": "sessies.ik_ben_klaar",
        "jouw_bijdrage": "sessies.jouw_bijdrage",
        "bijdrage_hulp": "sessies.bijdrage_hulp",
        "insturen": "sessies.insturen",
        "ingestuurd": "sessies.ingestuurd",
        "actie_wat": "sessies.actie_wat",
        "actie_hulp": "sessies.actie_hulp",
        "actie_wanneer": "sessies.actie_wanneer",
        "actie_opslaan": "sessies.actie_opslaan",
        "actie_opgeslagen": "sessies.actie_opgeslagen",
        "stippen_over": "sessies.stippen_over",
        "stippen_op": "sessies.stippen_op",
        "jouw_stippen": "sessies.jouw_stippen",
        "stip_erbij": "sessies.stip_erbij",
        "stip_eraf": "sessies.stip_eraf",
        "nog_niets_om_te_stemmen": "sessies.nog_niets_om_te_stemmen",
        "klok_nog": "sessies.klok_nog",
        "klok_over": "sessies.klok_over",
        "eigen_kop": "sessies.eigen_kop",
        "eigen_bijdrage": "sessies.eigen_bijdrage",
        "wijziging_opslaan": "sessies.wijziging_opslaan",
        "intrekken": "sessies.intrekken",
        "intrekken_zeker": "sessies.intrekken_zeker",
        "niet_verstuurd": "sessies.niet_verstuurd",
        "geen_verwachtingen": "sessies.geen_verwachtingen",
        "schaal": "verwachtingen.schaal",
        "belang_n": "verwachtingen.belang_n",
        "haalbaar_n": "verwachtingen.haalbaar_n",
        "beoordelingen_opslaan": "verwachtingen.opslaan",
        "kies": "logboek.kies",
        "probeer": "web.probeer",
        "verbinding_weg": "web.verbinding_weg",
        "laden": "web.laden",
        "titel": "web.titel",
    }
    return {name: t(key) for name, key in keys.items()}


def rollen() -> list[tuple[str, str]]:
    return [(code, taxonomy().label("rol", code)) for code in verloop.ROLLEN]


def stand(store: Store, deelname: Deelname) -> dict[str, Any]:
    """The session as this participant may see it now. The change counter is read first: a change while this is
    read makes the page ask again, never miss it."""
    versie = store.versie_van(deelname.sessie_id)
    sessie = store.get(Sessie, deelname.sessie_id)
    wie = t("sessies.je_bent", naam=deelname.naam, rol=taxonomy().label("rol", deelname.rol))
    state: dict[str, Any] = {"versie": versie, "wie": wie, "status": sessie.status}
    if sessie.status == "afgerond":
        return state | {"einde": t("sessies.afgelopen_dank")}
    fase = verloop.fase_van(sessie)
    kijker = Kijker("deelnemer", deelname.id)
    entries = store.bijdragen(sessie.id, kijker)
    stored = store.list(Deelname, id=deelname.id)
    state |= {
        "fase": sessie.fase,
        "soort": fase.soort,
        "schrijven": fase.soort in SCHRIJVEN,
        "kop": bord.fase_html(sessie),
        "rest": verloop.resterend(sessie).total_seconds() if verloop.timer_loopt(sessie) else None,
        "timer": bord.timer_tekst(sessie)[0],
        "spotlight": bord.spotlight_html(entries, sessie.uitgelicht),
        "bord": bord.deelnemer_bord_html(store, sessie, fase.soort, entries, kijker),
        "klaar": bool(stored) and stored[0].klaar == sessie.fase,
    }
    if fase.soort in SCHRIJVEN:
        own = verloop.eigen_wijzigbaar(sessie, [e for e in entries if e.fase == sessie.fase])
        state["eigen"] = [{"id": e.id, "nummer": n, "tekst": e.tekst} for n, e in enumerate(own, start=1)]
    if fase.soort == "stemmen":
        mine = store.eigen_stippen(deelname, sessie.fase)
        rows = [
            {"id": e.id, "nummer": n, "kaart": card, "mijn": mine.get(e.id, 0)}
            for n, e, card in bord.stemkaarten(sessie, entries)
        ]
        state["stemmen"] = {"budget": fase.budget, "over": fase.budget - sum(mine.values()), "rijen": rows}
    elif fase.soort == "verwachtingen":
        from wijkleer import verwachtingen  # the decisions of the kring: dropped ones are not rated, new wording

        numbers = verwachtingen.nummers(store, sessie.kring_id)
        open_ones = verwachtingen.te_beoordelen(store, sessie.kring_id)
        state["verwachtingen"] = [{"id": v.id, "nummer": numbers[v.id], "tekst": tekst} for v, tekst in open_ones]
    elif fase.soort == "terugkoppeling":
        state["terugblik"] = bord.terugblik_html(store, sessie)
    return state


# -- what a participant does: name -> function(store, deelname, body) -> a sentence for the page ------------------
def _text(body: dict, name: str) -> str:
    value = body.get(name)
    return value if isinstance(value, str) else ""


def _id(body: dict) -> str:
    """The id the page made for what it sends (a repeated send stores once), or a new one."""
    value = _text(body, "id")
    return value if 0 < len(value) <= ID_LENGTH and value.replace("-", "").isalnum() else new_id()


def _fase(body: dict) -> int | None:
    value = body.get("fase")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _indienen(store: Store, deelname: Deelname, body: dict) -> str:
    verloop.indienen(store, deelname, _text(body, "tekst"), _id(body), _fase(body))
    return t("sessies.ingestuurd")


def _stemmen(store: Store, deelname: Deelname, body: dict) -> str:
    verloop.stemmen(store, deelname, _text(body, "bijdrage"), body.get("erbij") is True, _fase(body))
    return ""


def _wijzigen(store: Store, deelname: Deelname, body: dict) -> str:
    verloop.bijdrage_wijzigen(store, deelname, _text(body, "bijdrage"), _text(body, "tekst"))
    return t("sessies.gewijzigd")


def _intrekken(store: Store, deelname: Deelname, body: dict) -> str:
    verloop.bijdrage_intrekken(store, deelname, _text(body, "bijdrage"))
    return t("sessies.ingetrokken")


def _klaar(store: Store, deelname: Deelname, body: dict) -> str:
    verloop.klaar(store, deelname, body.get("klaar") is True)
    return ""


def _deadline(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        message = t("model.datum_ongeldig")
        raise WijkleerError(message, t("sessies.deelnemen_hint"), {"deadline": message}) from None


def _actie(store: Store, deelname: Deelname, body: dict) -> str:
    deadline = _deadline(_text(body, "deadline"))
    verloop.actie_toevoegen(store, deelname, _text(body, "omschrijving"), deadline, _id(body), _fase(body))
    return t("sessies.actie_opgeslagen")


def _scores(body: dict) -> dict[str, tuple[int, int]]:
    raw = body.get("scores")
    scores: dict[str, tuple[int, int]] = {}
    for key, pair in (raw if isinstance(raw, dict) else {}).items():
        valid = isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) and 0 <= n <= 5 for n in pair)
        if valid:
            scores[str(key)[:ID_LENGTH]] = (pair[0], pair[1])
    return scores


def _beoordelen(store: Store, deelname: Deelname, body: dict) -> str:
    scores = _scores(body)
    from wijkleer import verwachtingen

    numbers = verwachtingen.nummers(store, store.get(Sessie, deelname.sessie_id).kring_id)
    scores = verwachtingen.check_scores(scores, numbers)
    return t("verwachtingen.opgeslagen", aantal=verloop.beoordelen(store, deelname, scores, _fase(body)))


ACTIONS: dict[str, Callable[[Store, Deelname, dict], str]] = {
    "bijdrage": _indienen,
    "wijzigen": _wijzigen,
    "intrekken": _intrekken,
    "stip": _stemmen,
    "klaar": _klaar,
    "actie": _actie,
    "beoordelen": _beoordelen,
}
