"""The projector screen of a running session: the facilitator opens it from the console in a window of its own
(dragged to the projector), with a link that holds a key of its own. It shows the room what every participant may
see, large: the join code, the join link and its QR code, how many joined and are ready, the phase with its timer,
and the spotlighted entry. Never a name or a hidden entry: it reads the board as the room does."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelname, Deelnemer, Sessie
from wijkleer.sessies import verloop
from wijkleer.sessies.sjablonen import Fase
from wijkleer.store import Kijker, Store, Zichtbaar
from wijkleer.text import t

ZAAL = Kijker("deelnemer")  # the room: a participant without entries of their own


@dataclass(frozen=True)
class Beeld:
    """What the projector shows now: the session (join code, and its timer through ``verloop.resterend``), the
    phase, how many joined and are ready with it, and the spotlighted entry (as participants see it)."""

    sessie: Sessie
    fase: Fase
    nummer: int
    totaal: int
    binnen: int
    klaar: int
    uitgelicht: Zichtbaar | None


def openen(store: Store, begeleider: Deelnemer, sessie_id: str) -> str:
    """A new key for the projector link (``projector.ipynb?code=…&scherm=…``) of a running session led by
    ``begeleider``; only its hash is stored. The key of an earlier link stops working for pages opened after
    this (a screen already open keeps running)."""
    sessie = verloop.begeleider_sessie(store, begeleider, sessie_id)
    key = secrets.token_urlsafe(18)
    store.sessie_wijzigen(sessie.id, scherm_sleutel=verloop.sleutel_hash(key))
    return key


def sessie_van(store: Store, code: str, sleutel: str) -> Sessie:
    """The session of join code ``code`` whose projector link holds ``sleutel``; any other link is refused."""
    sessie = store.sessie_bij_code(code) if (code or "").strip() and sleutel else None
    stored = sessie.scherm_sleutel if sessie is not None else None
    if stored is None or not hmac.compare_digest(stored, verloop.sleutel_hash(sleutel)):
        raise WijkleerError(t("sessies.scherm_onbekend"), t("sessies.scherm_onbekend_hint"))
    return sessie


def beeld(store: Store, sessie_id: str) -> Beeld:
    """The projector's picture of the session as stored now."""
    sessie = store.get(Sessie, sessie_id)
    present = [d for d in store.list(Deelname, sessie_id=sessie.id) if d.rol != identiteit.BEGELEIDER]
    lit = None
    if sessie.uitgelicht and sessie.status == "bezig":
        lit = next((b for b in store.bijdragen(sessie.id, ZAAL) if b.id == sessie.uitgelicht), None)
    fasen = verloop.sjabloon_van(sessie).fasen
    return Beeld(
        sessie=sessie,
        fase=verloop.fase_van(sessie),
        nummer=min(sessie.fase, len(fasen) - 1) + 1,
        totaal=len(fasen),
        binnen=len(present),
        klaar=sum(d.klaar == sessie.fase for d in present),
        uitgelicht=lit,
    )
