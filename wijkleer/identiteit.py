"""Who is working: a participant of a kring, known by name and a personal code they chose (only its hash is
stored), or by the JupyterHub account when wijkleer runs under a hub. Views keep the participant in Python
after signing in and pass it to every save: an identity is never taken from widget state."""

from __future__ import annotations

import hashlib
import hmac
import os

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring
from wijkleer.store import Store
from wijkleer.text import t

MIN_CODE = 6
ROUNDS = 200_000


def hub_user() -> str | None:
    """The JupyterHub account this kernel runs for, if any (the hub sets it; a browser cannot)."""
    return os.environ.get("JUPYTERHUB_USER") or None


def _hash(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode("utf-8"), salt.encode("utf-8"), ROUNDS).hex()


def aanmelden(store: Store, kring_id: str, naam: str, code: str | None, rol: str = "student") -> Deelnemer:
    """Sign in to ``kring_id`` as ``naam``: the first time the code is set, afterwards it must match. Under
    JupyterHub the hub's account is the name and no code is asked. Raises WijkleerError per field."""
    hub = hub_user()
    naam = (hub or naam or "").strip()
    errors = {}
    if not kring_id:
        errors["kring_id"] = t("identiteit.kies_kring")
    if not naam:
        errors["naam"] = t("model.verplicht")
    if not hub and len(code or "") < MIN_CODE:
        errors["code"] = t("identiteit.code_te_kort", minimum=MIN_CODE)
    if errors:
        raise WijkleerError(t("model.ongeldige_invoer", details="; ".join(errors.values())), t("model.ongeldig_hint"),
                            errors)  # fmt: skip
    store.get(Kring, kring_id)  # an unknown group is a clear error, not a new participant somewhere
    known = store.list(Deelnemer, kring_id=kring_id, naam=naam, order_by="aangemaakt", limit=1)
    if not known:
        person = Deelnemer.make(kring_id=kring_id, naam=naam, rol=rol)
        if not hub:
            person = person.model_copy(update={"code_hash": _hash(code, person.id)})
        return store.add(person)
    person = known[0]
    if hub:
        return person
    if person.code_hash is None:  # added by a facilitator: the first to sign in with a code claims it
        return store.update(person.model_copy(update={"code_hash": _hash(code, person.id)}))
    if not hmac.compare_digest(person.code_hash, _hash(code, person.id)):
        message = t("identiteit.code_fout")
        raise WijkleerError(message, t("identiteit.code_fout_hint"), {"code": message})
    return person
