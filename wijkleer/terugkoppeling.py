"""The feedback loop as a service: policy acknowledges, assigns, decides and answers; practice confirms
or reopens; both see what happened since last time. Every step is a new event in the append-only
history, checked by the loop rules inside the write transaction; texts pass the privacy gate first."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from wijkleer import loop, metrics, privacy
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, StatusEvent, new_id
from wijkleer.store import Store
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd

# who takes which step: policy moves the loop forward, practice confirms, reopens or withdraws
BELEID_STAPPEN = ("ontvangen", "in_behandeling", "besluit", "teruggekoppeld", "samengevoegd")
PRAKTIJK_STAPPEN = ("getoetst", "heropend", "ingetrokken")


def step(
    store: Store, knelpunt_id: str, status: str, rol: str, tekst: str = "", *, besluit: str | None = None,
    samengevoegd_in: str | None = None, afdeling: str | None = None, id: str | None = None,
) -> StatusEvent:  # fmt: skip
    """Append one step to a knelpunt's history. ``id`` is the form's own id: a double click stores one
    event. Raises WijkleerError (with per-field messages) for a refused step or personal data."""
    privacy.check_fields({"tekst": tekst})
    if samengevoegd_in == knelpunt_id:
        raise WijkleerError(t("terugkoppeling.niet_met_zichzelf"), t("loop.samenvoegen_hint"),
                            {"samengevoegd_in": t("terugkoppeling.niet_met_zichzelf")})  # fmt: skip
    event = StatusEvent.make(
        id=id or new_id(), knelpunt_id=knelpunt_id, status=status, rol=rol, tekst=tekst,
        besluit=besluit, samengevoegd_in=samengevoegd_in,
    )  # fmt: skip
    stored = store.append_event(event, loop.check)
    if afdeling:  # only once the step is accepted: a refused step changes nothing
        knelpunt = store.get(Knelpunt, knelpunt_id)
        store.update(knelpunt.model_copy(update={"afdeling": afdeling}))
    return stored


def inbox(store: Store, gemeente: str, afdeling: str | None = None, today: date | None = None) -> pd.DataFrame:
    """Knelpunten of a municipality that wait for policy, as promised on the page: new ones first, then the late
    ones, then by date (oldest first). ``afdeling`` keeps that department's and the not yet assigned ones."""
    table = metrics.for_store(store, today, gemeente=gemeente, status=sorted(loop.WAITING_FOR_POLICY))
    if table.empty:
        return table
    if afdeling:
        table = table[(table["afdeling"] == afdeling) | table["afdeling"].isna()]
    table = table.assign(
        nieuw=table["status"] == loop.START,
        te_laat=table["ontvangst_te_laat_open"] | table["antwoord_te_laat_open"],
    )
    return table.sort_values(["nieuw", "te_laat", "datum"], ascending=[False, False, True], kind="stable")


def answers_for(store: Store, team: str) -> list[tuple[Knelpunt, StatusEvent]]:
    """The team's knelpunten that policy answered and that wait for practice to confirm or reopen."""
    waiting = store.list(Knelpunt, team=team, status="teruggekoppeld", order_by="datum", descending=True)
    answers = store.list(
        StatusEvent, knelpunt_id=[k.id for k in waiting], status="teruggekoppeld", order_by="volgnummer"
    )
    latest = {answer.knelpunt_id: answer for answer in answers}  # in step order: the last answer wins
    return [(knelpunt, latest[knelpunt.id]) for knelpunt in waiting]


def since(store: Store, moment: date, *, team: str | None = None, gemeente: str | None = None) -> pd.DataFrame:
    """Every step taken since ``moment`` on the knelpunten of a team or municipality, newest first:
    what a facilitator puts on screen at the start of a leerkring."""
    filters = {"team": team} if team else {"gemeente": gemeente} if gemeente else {}
    knelpunten = store.frame(Knelpunt, **filters)
    if knelpunten.empty:
        return knelpunten
    events = store.frame(StatusEvent, knelpunt_id=list(knelpunten["id"]))
    start = datetime.combine(moment, time.min)
    recent = events[(events["tijdstip"] >= start) & (events["status"] != "gesignaleerd")]
    titles = knelpunten.set_index("id")[["titel", "team"]]
    return recent.join(titles, on="knelpunt_id").sort_values("tijdstip", ascending=False)
