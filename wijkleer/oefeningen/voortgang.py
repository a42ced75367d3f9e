"""Progress: every checked answer is a row (``Voortgang``), so no attempt is lost; a student's progress is the
latest answer per question. The teacher overview counts per exercise and question how many students answered
and what share is right now — aggregated, never a name, and only where at least ``k`` students stand behind a
figure (``wijkleer.privacy.disclosure``).

Before an answer is stored the privacy gate reads every text in it: an answer that seems to hold personal data
is not kept; its row holds a fixed marker with the verdict, and the student is told."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from wijkleer import privacy
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Voortgang
from wijkleer.oefeningen.controle import Feedback
from wijkleer.oefeningen.laden import alle
from wijkleer.oefeningen.laden import oefening as _exercise
from wijkleer.store import Store
from wijkleer.text import t

if TYPE_CHECKING:  # pandas only for the teacher's overview: an exercise page opens without it (~130 ms a tab)
    import pandas as pd

    from wijkleer.privacy import disclosure

MAX_ANSWER = 4000  # the column's length, counted on the answer as stored (JSON): a longer one becomes a marker
COLUMNS = ["oefening", "vraag", "beantwoord", "goed", "aandeel_goed"]
STUDENT = "student"  # only students count in the overview: not facilitators, not policy staff


def _privacy_marker() -> str:
    return t("oefening.opslag.privacy_marker")


def _long_marker() -> str:
    return t("oefening.opslag.te_lang_marker", maximum=MAX_ANSWER)


def _texts(oefening: str, vraag: str, antwoord: Any) -> list[str]:
    """The texts in an answer that someone typed: a text, or the texts in a list, but not an option's code."""
    values = antwoord if isinstance(antwoord, list | tuple | set | frozenset) else [antwoord]
    try:
        codes = {o.code for o in _exercise(oefening).vraag(vraag).opties}
    except WijkleerError:
        codes = set()
    return [v for v in values if isinstance(v, str) and v.strip() not in codes]


def bewaren(oefening: str, vraag: str, antwoord: Any) -> tuple[str, str]:
    """What is stored for ``antwoord`` (JSON, at most ``MAX_ANSWER`` characters) and, when that is not the answer
    itself, why (a Dutch sentence for the student; empty when the answer is stored as it is).

    Every text is read by the privacy gate first: an answer that seems to hold personal data is replaced by a
    fixed marker, and so is one longer than the column (counted after JSON encoding, escapes included)."""
    findings = [f for text in _texts(oefening, vraag, antwoord) for f in privacy.scan(text)]
    if findings:
        kinds = list(dict.fromkeys(f.label for f in findings))
        note = t("oefening.opslag.niet_bewaard", soort=", ".join(kinds))
        return json.dumps(_privacy_marker(), ensure_ascii=False), note
    try:
        text = json.dumps(antwoord, ensure_ascii=False, default=str)
    except ValueError:  # an integer with more digits than Python writes out
        text = ""
    if not text or len(text) > MAX_ANSWER:
        note = t("oefening.opslag.te_lang", maximum=MAX_ANSWER)
        return json.dumps(_long_marker(), ensure_ascii=False), note
    return text, ""


def opslaan(store: Store, deelnemer: Deelnemer, oefening: str, vraag: str, antwoord: Any, feedback: Feedback
            ) -> Voortgang | None:  # fmt: skip
    """Store one checked answer of ``deelnemer`` (the signed-in person, never one taken from widget state): the
    verdict always, the answer itself only when the privacy gate finds nothing in it (see ``bewaren``).
    An empty answer is not an attempt and is not stored."""
    if not feedback.beantwoord:
        return None
    text, _note = bewaren(oefening, vraag, antwoord)
    return store.add(Voortgang.make(deelnemer_id=deelnemer.id, oefening=oefening, vraag=vraag, antwoord=text,
                                    goed=feedback.goed))  # fmt: skip


def niet_bewaard(row: Voortgang) -> str:
    """Why the answer of ``row`` is not in the store (a Dutch sentence), or '' when it is."""
    value = antwoord(row)
    if value == _privacy_marker():
        return t("oefening.opslag.vorige_privacy")
    if value == _long_marker():
        return t("oefening.opslag.vorige_te_lang", maximum=MAX_ANSWER)
    return ""


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


def studenten(store: Store, kring_id: str) -> list[str]:
    """The ids of the enrolled students of ``kring_id`` (role 'student' as stored, enrolled by a facilitator or the
    administrator: ``identiteit.ingeschreven``). Names someone signed up themselves never count: anyone can make
    them, and made-up students would lift a group over ``k`` around one real student."""
    from wijkleer import identiteit

    people = store.list(Deelnemer, kring_id=kring_id, rol=STUDENT)
    return [person.id for person in people if identiteit.ingeschreven(person)]


def _active_ids(store: Store, kring_id: str) -> list[str]:
    ids = studenten(store, kring_id)
    rows = store.frame(Voortgang, deelnemer_id=ids) if ids else None
    return [] if rows is None or rows.empty else sorted(rows["deelnemer_id"].unique())


def actief(store: Store, kring_id: str) -> int:
    """How many enrolled students of ``kring_id`` checked at least one answer (facilitators and others do not
    count). The true number, for deciding; ``actief_getoond`` is the number people see."""
    return len(_active_ids(store, kring_id))


def actief_getoond(store: Store, kring_id: str, rule: disclosure.Rule | None = None) -> int | None:
    """The number of active students as the overview shows it: with the cell-key noise of exactly those students
    (so a refresh after one student's first answer does not tell that it was theirs), None under ``k``."""
    from wijkleer.privacy import disclosure

    active = _active_ids(store, kring_id)
    return disclosure.noisy(len(active), active, rule or disclosure.rule())


def overzicht(store: Store, kring_id: str, rule: disclosure.Rule | None = None) -> pd.DataFrame:
    """Per exercise and question of the group ``kring_id``: how many enrolled students answered, how many of them
    are right with their latest answer, and that share (0–1, in tens of percents). Counts only, of enrolled students
    only, and protected with ``rule`` (default ``disclosure.rule()``):

    * a question's figures are ``pd.NA`` (the share NaN) unless at least ``k`` students answered it;
    * both counts carry cell-key noise keyed on exactly the students they count (``disclosure.noisy``): the same
      students give the same value, and one student more or less gives fresh noise, so a refresh before and after
      one student's answer does not show whether that answer was right;
    * the share is the published number right over the published number answered (never a true count), rounded to
      tens of percents, and hidden with the number right when it, or the number not right, is a small group.
    """
    import pandas as pd

    from wijkleer.privacy import disclosure

    rule = rule or disclosure.rule()
    ids = studenten(store, kring_id)
    rows = store.frame(Voortgang, deelnemer_id=ids) if ids else pd.DataFrame()
    if rows.empty:
        latest = pd.DataFrame(columns=["deelnemer_id", "oefening", "vraag", "goed"])
    else:
        latest = rows.sort_values("tijdstip", kind="stable").groupby(["deelnemer_id", "oefening", "vraag"]).tail(1)
    groups = dict(list(latest.groupby(["oefening", "vraag"])))
    table = []
    for exercise in alle():
        for vraag in exercise.vragen:
            table.append([exercise.code, vraag.code, *_question(groups.get((exercise.code, vraag.code)), rule)])
    frame = pd.DataFrame(table, columns=COLUMNS)
    return frame.astype({"beantwoord": "Int64", "goed": "Int64", "aandeel_goed": "float64"})


def _question(rows: pd.DataFrame | None, rule: disclosure.Rule) -> list:
    """[answered, right, share] of one question as published (see ``overzicht``)."""
    import pandas as pd

    from wijkleer.privacy import disclosure

    if rows is None or len(rows) < rule.k:
        return [pd.NA, pd.NA, float("nan")]
    answered = sorted(rows["deelnemer_id"])
    right = sorted(rows.loc[rows["goed"].astype(bool), "deelnemer_id"])
    shown_answered = disclosure.noisy(len(answered), answered, rule)
    if len(right) == len(answered):  # everyone right: one figure, as a group fact
        return [shown_answered, shown_answered, 1.0]
    # keyed on who answered as well as who is right: any new answer, right or wrong, gives fresh noise, so an
    # unchanged number right never tells that a new answer was wrong
    shown_right = disclosure.noisy(len(right), [*right, *(f"beantwoord:{who}" for who in answered)], rule)
    share = disclosure.share(pd.NA if shown_right is None else shown_right, shown_answered, rule)
    if pd.isna(share) or len(answered) - len(right) in range(1, rule.k):
        return [shown_answered, pd.NA, float("nan")]
    return [shown_answered, shown_right, round(min(float(share), 1.0), 1)]
