"""The knelpuntenlogboek as a service: submit a knelpunt through the privacy gate, find similar
ones, add a case to an existing one, and list a team's own knelpunten. The widgets call only this."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from wijkleer import loop, privacy, themas
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.store import Store
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd

FREE_TEXT = ("titel", "omschrijving")
PERIODS = {"maand": 31, "kwartaal": 92, "jaar": 365, "alles": None}


def check(data: dict[str, Any]) -> Knelpunt:
    """A valid knelpunt from ``data``, or one WijkleerError with every field's problem: personal data
    in the free text (held for the author to rephrase, never stored or altered) and invalid values."""
    fields: dict[str, str] = {}
    try:
        privacy.check_fields({name: str(data.get(name) or "") for name in FREE_TEXT})
    except WijkleerError as held:
        fields.update(held.fields)
    held_for_privacy = bool(fields)
    try:
        knelpunt = Knelpunt.make(**data)
    except WijkleerError as invalid:
        for name, message in invalid.fields.items():
            fields.setdefault(name, message)
    if fields:
        # the privacy message comes first: it is the one the author must act on before anything else
        message = t("logboek.vastgehouden") if held_for_privacy else t("logboek.niet_opgeslagen")
        raise WijkleerError(message, t("logboek.niet_opgeslagen_hint"), fields)
    return knelpunt


def submit(store: Store, values: dict[str, Any], team: Team, id: str) -> Knelpunt:
    """Check and store a new knelpunt for ``team``. ``id`` is the form's own id: a double submit
    stores one row."""
    return store.add(check(dict(values, id=id, team=team.naam, wijk=team.wijk, gemeente=team.gemeente)))


def add_case(store: Store, knelpunt_id: str) -> Knelpunt:
    """One more case of an existing knelpunt: weight instead of a duplicate."""
    return store.increment(Knelpunt, knelpunt_id, "aantal_casussen")


def remove_case(store: Store, knelpunt_id: str) -> Knelpunt:
    """Undo one '+1 casus': one case fewer, never below one."""
    if store.get(Knelpunt, knelpunt_id).aantal_casussen <= 1:
        raise WijkleerError(t("logboek.min_een_casus"), t("logboek.min_een_casus_hint"))
    return store.increment(Knelpunt, knelpunt_id, "aantal_casussen", by=-1)


def candidates(store: Store, gemeente: str) -> pd.DataFrame:
    """The knelpunten of a municipality a draft is compared with (read once while someone types)."""
    return store.frame(Knelpunt, gemeente=gemeente)


def similar(
    store: Store, gemeente: str, titel: str, omschrijving: str, categorie: str | None,
    among: pd.DataFrame | None = None,
) -> list[themas.Match]:  # fmt: skip
    """Knelpunten of ``gemeente`` like the draft; ``among`` (from ``candidates``) saves reading them again."""
    if len((titel + omschrijving).strip()) < 8:
        return []
    found = among if among is not None else candidates(store, gemeente)
    return themas.similar(found, titel, omschrijving, categorie)


def own_knelpunt(store: Store, team: str, knelpunt_id: str) -> tuple[Knelpunt, list[StatusEvent]]:
    """One of ``team``'s own knelpunten with its history; another team's is refused."""
    knelpunt = store.get(Knelpunt, knelpunt_id)
    if knelpunt.team != team:
        raise WijkleerError(t("logboek.niet_van_team"), t("logboek.niet_van_team_hint"))
    return knelpunt, store.history(knelpunt_id)


def team_knelpunten(
    store: Store, team: str, status: str | None = None, categorie: str | None = None,
    periode: str = "alles", today: date | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The team's own knelpunten, newest first, filtered by status, category and period."""
    filters: dict[str, Any] = {"team": team}
    if status:
        filters["status"] = status
    if categorie:
        filters["categorie"] = categorie
    frame = store.frame(Knelpunt, **filters)
    days = PERIODS[periode]
    if days is not None and not frame.empty:
        since = (today or date.today()) - timedelta(days=days)
        frame = frame[frame["datum"] >= since]
    return frame.sort_values(["datum", "id"], ascending=[False, True]).reset_index(drop=True)


def recurring(store: Store, gemeente: str | None = None, min_size: int = 3) -> list[themas.Theme]:
    """Recurring themes in one municipality (or the whole region)."""
    frame = store.frame(Knelpunt, gemeente=gemeente) if gemeente else store.frame(Knelpunt)
    frame = frame[frame["status"] != "ingetrokken"] if not frame.empty else frame
    return themas.themes(frame, min_size=min_size, open_statuses=loop.OPEN)
