"""Who is working: a participant of a kring, known by name and a personal code (only its hash is stored), or
by the JupyterHub account when wijkleer runs in a user's own hub server. Views keep the participant in Python
after signing in and pass it to every save: an identity is never taken from widget state.

A new name signs up with a code of its own choosing. An existing participant without a code (added by a
facilitator, or from before codes existed) cannot be claimed by signing in: an administrator gives them a
start code (``wijkleer code``). Failed attempts count per participant; after ``FREE_ATTEMPTS`` each further
failure locks the name for longer (1, 2, 4 … up to 60 minutes)."""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from datetime import timedelta

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring, now
from wijkleer.store import Store
from wijkleer.text import t

MIN_CODE = 6
ROUNDS = 200_000
BEGELEIDER = "facilitator"  # the role that sees what a group shares and how it does
HUB = "hub"  # the code_hash of an account that belongs to a JupyterHub user: no code can open it
GAST = "gast"  # the code_hash of a name that only joined sessions (with a join code): the first sign-up claims it
INGESCHREVEN = "ingeschreven:"  # before the hash of a code an administrator gave (``stel_code_in``)
GAST_ID = "gast:"  # the id of a name that first joined a session as a guest
FREE_ATTEMPTS = 5
MAX_LOCK_MINUTES = 60
TRIVIAL = {"123456", "1234567", "12345678", "654321", "abcdef", "qwerty", "wachtwoord", "password", "geheim",
           "welkom", "azerty", "000000", "111111", "112233", "121212"}  # fmt: skip


def hub_user() -> str | None:
    """The JupyterHub account of this kernel's own hub server, if any (``wijkleer serve`` never passes one on)."""
    return os.environ.get("JUPYTERHUB_USER") or None


def _hash(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode("utf-8"), salt.encode("utf-8"), ROUNDS).hex()


def naam_van(value: str) -> tuple[str, str | None]:
    """The name as it is stored (NFC, single spaces), or an error: invisible or broken characters would let two
    names look the same."""
    name = " ".join(unicodedata.normalize("NFC", value or "").split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        return name, t("identiteit.naam_tekens")
    return name, None if name else t("model.verplicht")


def code_problem(code: str | None) -> str | None:
    """Why a code cannot be used, or None."""
    code = code or ""
    if any(unicodedata.category(ch) in ("Cs", "Cc") for ch in code):
        return t("identiteit.code_tekens")
    if len(code) < MIN_CODE:
        return t("identiteit.code_te_kort", minimum=MIN_CODE)
    simple = code.lower()
    if simple in TRIVIAL or len(set(simple)) == 1 or simple in "0123456789" or simple in "abcdefghijklmnopqrstuvwxyz":
        return t("identiteit.code_te_simpel")
    return None


def _refuse(fields: dict[str, str]) -> WijkleerError:
    return WijkleerError(t("model.ongeldige_invoer", details="; ".join(fields.values())), t("model.ongeldig_hint"),
                         fields)  # fmt: skip


def aanmelden(store: Store, kring_id: str, naam: str, code: str | None, rol: str = "student") -> Deelnemer:
    """Sign in to ``kring_id`` as ``naam`` (under JupyterHub: as the hub account, no code). A new name signs up
    with ``code``; an existing one must give its code. Raises WijkleerError per field."""
    hub = hub_user()
    naam, name_error = naam_van(hub or naam)
    errors = {"kring_id": t("identiteit.kies_kring")} if not kring_id else {}
    if name_error:
        errors["naam"] = name_error
    if not hub and (problem := code_problem(code)):
        errors["code"] = problem
    if errors:
        raise _refuse(errors)
    store.get(Kring, kring_id)  # an unknown group is a clear error, not a new participant somewhere
    known = store.list(Deelnemer, kring_id=kring_id, naam=naam, order_by="aangemaakt", limit=1)
    if not known:
        person = Deelnemer.make(kring_id=kring_id, naam=naam, rol=rol)
        return store.add(person.model_copy(update={"code_hash": HUB if hub else _hash(code, person.id)}))
    person = known[0]
    if person.code_hash == GAST:  # a name from a session only: signing up gives it a code (or the hub account)
        return store.update(person.model_copy(update={"code_hash": HUB if hub else _hash(code, person.id)}))
    if hub:
        if person.code_hash == HUB:
            return person
        raise _refuse({"naam": t("identiteit.naam_bezet")})
    if person.code_hash in (None, HUB):  # added by a facilitator, or a hub account: never claimed by a code
        raise WijkleerError(
            t("identiteit.naam_bezet"), t("identiteit.naam_bezet_hint"), {"naam": t("identiteit.naam_bezet")}
        )
    return _check(store, person, code)


def _check(store: Store, person: Deelnemer, code: str) -> Deelnemer:
    moment = now()
    if person.geblokkeerd_tot and moment < person.geblokkeerd_tot:
        minutes = max(1, round((person.geblokkeerd_tot - moment).total_seconds() / 60))
        message = t("identiteit.geblokkeerd", minuten=minutes)
        raise WijkleerError(message, t("identiteit.geblokkeerd_hint"), {"code": message})
    if _code_matches(person, code):
        if person.pogingen or person.geblokkeerd_tot:
            person = store.update(person.model_copy(update={"pogingen": 0, "geblokkeerd_tot": None}))
        return person
    failed = store.increment(Deelnemer, person.id, "pogingen")  # counted in the database: every tab alike
    if failed.pogingen >= FREE_ATTEMPTS:
        minutes = min(2 ** (failed.pogingen - FREE_ATTEMPTS), MAX_LOCK_MINUTES)
        store.update(failed.model_copy(update={"geblokkeerd_tot": moment + timedelta(minutes=minutes)}))
    message = t("identiteit.code_fout")
    raise WijkleerError(message, t("identiteit.code_fout_hint"), {"code": message})


def ingeschreven(person: Deelnemer) -> bool:
    """Was ``person`` enrolled by a facilitator or the administrator (not a name someone signed up themselves, a
    session guest or a hub account that came in on its own)? Only enrolled people count in figures about people
    (raters, voters, students): anyone can sign up new names, so self-made names could lift a group over ``k``.

    Enrolled: added by a facilitator or the demo (no code yet), or given a (start) code by the administrator. A
    name claimed by signing up or by joining a session is not, and neither is a name that got a code under an
    older wijkleer (the marker did not exist then): give it a start code again (``wijkleer code``) to count it."""
    if person.id.startswith(GAST_ID):
        return False
    return person.code_hash is None or person.code_hash.startswith(INGESCHREVEN)


def _code_matches(person: Deelnemer, code: str) -> bool:
    stored = person.code_hash.removeprefix(INGESCHREVEN)
    return hmac.compare_digest(stored, _hash(code, person.id))


def begeleider(store: Store, person: Deelnemer) -> Deelnemer | None:
    """``person`` as stored, if the store says they are a facilitator (an object's own claim does not count)."""
    stored = store.get(Deelnemer, person.id)
    return stored if stored.rol == BEGELEIDER else None


def stel_code_in(store: Store, person: Deelnemer, code: str) -> Deelnemer:
    """Give ``person`` a (start) code, e.g. a facilitator or someone who lost theirs; clears a lockout. For
    administrators (``wijkleer code``), never offered in a workbook."""
    if problem := code_problem(code):
        raise _refuse({"code": problem})
    update = {"code_hash": INGESCHREVEN + _hash(code, person.id), "pogingen": 0, "geblokkeerd_tot": None}
    return store.update(store.get(Deelnemer, person.id).model_copy(update=update))


def startcode() -> str:
    """A random start code that is easy to read out (no 0/O, 1/l)."""
    import secrets

    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
