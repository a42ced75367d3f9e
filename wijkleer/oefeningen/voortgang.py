"""Progress: every checked answer is a row (``Voortgang``), so no attempt is lost; a student's progress is the
latest answer per question. The teacher overview counts per exercise and question how many students answered
and what share is right now — aggregated, never a name."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Voortgang
from wijkleer.oefeningen.controle import Feedback
from wijkleer.oefeningen.laden import alle
from wijkleer.store import Store
from wijkleer.text import t

MAX_ANSWER = 4000  # the column's length: a longer answer is refused by the checker before it gets here
COLUMNS = ["oefening", "vraag", "beantwoord", "goed", "aandeel_goed"]


def opslaan(store: Store, deelnemer: Deelnemer, oefening: str, vraag: str, antwoord: Any, feedback: Feedback
            ) -> Voortgang | None:  # fmt: skip
    """Store one checked answer of ``deelnemer`` (the signed-in person, never one taken from widget state).
    An empty answer is not an attempt and is not stored."""
    if not feedback.beantwoord:
        return None
    text = json.dumps(antwoord, ensure_ascii=False)
    if len(text) > MAX_ANSWER:
        raise WijkleerError(t("oefening.feedback.te_lang", lengte=len(text), maximum=MAX_ANSWER),
                            t("oefening.feedback.te_lang_hint"))  # fmt: skip
    return store.add(Voortgang.make(deelnemer_id=deelnemer.id, oefening=oefening, vraag=vraag, antwoord=text,
                                    goed=feedback.goed))  # fmt: skip


def laatste(store: Store, deelnemer_id: str, oefening: str | None = None) -> dict[tuple[str, str], Voortgang]:
    """The latest answer of one student per (exercise, question)."""
    filters = {"deelnemer_id": deelnemer_id}
    if oefening:
        filters["oefening"] = oefening
    latest: dict[tuple[str, str], Voortgang] = {}
    for row in store.list(Voortgang, order_by="tijdstip", **filters):
        latest[(row.oefening, row.vraag)] = row  # later rows replace earlier ones
    return latest


def antwoord(row: Voortgang) -> Any:
    """The stored answer as the value that was checked."""
    try:
        return json.loads(row.antwoord)
    except (TypeError, ValueError):
        return row.antwoord


def stand(store: Store, deelnemer_id: str) -> dict[str, tuple[int, int]]:
    """Per exercise: (questions answered, questions whose latest answer is right) for one student."""
    result: dict[str, tuple[int, int]] = {}
    for (code, _vraag), row in laatste(store, deelnemer_id).items():
        answered, right = result.get(code, (0, 0))
        result[code] = (answered + 1, right + int(row.goed))
    return result


def actief(store: Store, kring_id: str) -> int:
    """How many participants of ``kring_id`` checked at least one answer."""
    people = store.frame(Deelnemer, kring_id=kring_id)
    if people.empty:
        return 0
    return int(store.frame(Voortgang, deelnemer_id=list(people["id"]))["deelnemer_id"].nunique())


def overzicht(store: Store, kring_id: str) -> pd.DataFrame:
    """Per exercise and question of the group ``kring_id``: how many students answered, how many of them are
    right with their latest answer, and that share (0–1, NaN when nobody answered). Counts only."""
    people = store.frame(Deelnemer, kring_id=kring_id)
    rows = store.frame(Voortgang, deelnemer_id=list(people["id"])) if not people.empty else pd.DataFrame()
    if rows.empty:
        latest = pd.DataFrame(columns=["deelnemer_id", "oefening", "vraag", "goed"])
    else:
        latest = rows.sort_values("tijdstip", kind="stable").groupby(["deelnemer_id", "oefening", "vraag"]).tail(1)
    counts = latest.groupby(["oefening", "vraag"]).agg(beantwoord=("deelnemer_id", "nunique"), goed=("goed", "sum"))
    table = []
    for exercise in alle():
        for vraag in exercise.vragen:
            answered, right = (0, 0)
            if (exercise.code, vraag.code) in counts.index:
                found = counts.loc[(exercise.code, vraag.code)]
                answered, right = int(found["beantwoord"]), int(found["goed"])
            share = right / answered if answered else None
            table.append([exercise.code, vraag.code, answered, right, share])
    return pd.DataFrame(table, columns=COLUMNS)
