"""Expectation mapping: who expects what of the team, how important and how feasible each role finds it,
where the gap is largest (candidates to 'ont-moeten') and where roles disagree most, and what the kring
decided across sessions. Roles are never pooled into one average: every figure is per role, and the
overall gap is the mean over roles, so a large group cannot outvote a small one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wijkleer import privacy
from wijkleer.errors import WijkleerError
from wijkleer.model import Beoordeling, Deelnemer, Sessie, Uitkomst, Verwachting, new_id
from wijkleer.store import Store
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd


def ratings(store: Store, kring_id: str, sessie_id: str | None = None) -> pd.DataFrame:
    """Every rating in a kring (optionally one session), with the expectation's current wording."""
    import pandas as pd  # pandas only where figures are made: the rating lists and session pages go without

    expectations = store.frame(Verwachting, kring_id=kring_id)
    if expectations.empty:
        return pd.DataFrame(columns=["verwachting_id", "tekst", "rol", "belang", "haalbaarheid", "sessie_id"])
    filters: dict[str, Any] = {"verwachting_id": list(expectations["id"])}
    if sessie_id:
        filters["sessie_id"] = sessie_id
    frame = store.frame(Beoordeling, **filters)
    adjusted = expectations["herziene_tekst"].notna() & (expectations["herziene_tekst"] != "")
    current = expectations["herziene_tekst"].where(adjusted, expectations["tekst"])  # ``huidige_tekst``
    texts = expectations.assign(tekst=current).set_index("id")[["tekst", "belanghebbende"]]
    from wijkleer import identiteit

    enrolled = {p.id for p in store.list(Deelnemer, kring_id=kring_id) if identiteit.ingeschreven(p)}
    frame = frame.assign(ingeschreven=frame["deelnemer_id"].isin(enrolled) if not frame.empty else [])
    return frame.join(texts, on="verwachting_id")


OVERIG = "overig"  # the ratings of roles too small to show on their own, together (not a role of the taxonomy)


def matrix(frame: pd.DataFrame, minimum: int | None = None) -> pd.DataFrame:
    """Per expectation and role: mean importance, mean feasibility, number of raters (``aantal``: enrolled people,
    see ``identiteit.ingeschreven``; ``ratings`` marks them).

    A role is shown on its own only with at least ``minimum`` enrolled raters (default for a frame from ``ratings``:
    ``disclosure.room_minimum()``, at least 3; pass ``k`` for what leaves the room; a frame without the enrolment
    mark is taken as it is unless a minimum is given): smaller roles of one
    expectation are merged under ``OVERIG``, and left out when together they are still fewer. Guests' ratings
    count in a mean but never as raters, so made-up names cannot lift a role over the minimum around one person."""
    import pandas as pd

    from wijkleer.privacy import disclosure

    columns = ["verwachting_id", "tekst", "rol", "belang", "haalbaarheid", "aantal"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    marked = "ingeschreven" in frame  # ``ratings`` marks them; a frame without the mark is taken as it is
    if not marked and minimum is None:
        minimum = 1
    least = disclosure.room_minimum(minimum) if minimum is None or minimum > 1 else 1
    person = frame["deelnemer_id"] if "deelnemer_id" in frame else frame["id"]
    enrolled = frame["ingeschreven"].astype(bool) if marked else pd.Series(True, index=frame.index)
    frame = frame.assign(mens=person.where(enrolled))
    people = frame.groupby(["verwachting_id", "rol"])["mens"].nunique()
    small = people[people < least].index
    merged = pd.MultiIndex.from_frame(frame[["verwachting_id", "rol"]]).isin(small)
    frame = frame.assign(rol=frame["rol"].where(~merged, OVERIG))
    grouped = frame.groupby(["verwachting_id", "tekst", "rol"], as_index=False)
    result = grouped.agg(belang=("belang", "mean"), haalbaarheid=("haalbaarheid", "mean"), aantal=("mens", "nunique"))
    return result[result["aantal"] >= least][columns].reset_index(drop=True)


def gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Expectations by gap (importance minus feasibility, mean over roles), largest first:
    important but infeasible ones are the candidates to lower ('ont-moeten')."""
    per_role = matrix(frame)
    if per_role.empty:
        return per_role
    per_role["kloof"] = per_role["belang"] - per_role["haalbaarheid"]
    result = per_role.groupby(["verwachting_id", "tekst"], as_index=False).agg(
        belang=("belang", "mean"), haalbaarheid=("haalbaarheid", "mean"), kloof=("kloof", "mean"),
        rollen=("rol", "nunique"),
    )  # fmt: skip
    return result.sort_values(["kloof", "tekst"], ascending=[False, True]).reset_index(drop=True)


def disagreements(frame: pd.DataFrame, measure: str = "haalbaarheid") -> pd.DataFrame:
    """Expectations by how far the roles' means lie apart on ``measure``, with the two roles furthest apart."""
    import pandas as pd

    per_role = matrix(frame)
    rows = []
    for (verwachting_id, tekst), group in per_role.groupby(["verwachting_id", "tekst"]):
        if len(group) < 2:
            continue
        low, high = group.loc[group[measure].idxmin()], group.loc[group[measure].idxmax()]
        rows.append({"verwachting_id": verwachting_id, "tekst": tekst, "verschil": high[measure] - low[measure],
                     "laagste_rol": low["rol"], "laagste": low[measure], "hoogste_rol": high["rol"],
                     "hoogste": high[measure]})  # fmt: skip
    result = pd.DataFrame(rows, columns=["verwachting_id", "tekst", "verschil", "laagste_rol", "laagste",
                                         "hoogste_rol", "hoogste"])  # fmt: skip
    return result.sort_values(["verschil", "tekst"], ascending=[False, True]).reset_index(drop=True)


def over_time(store: Store, kring_id: str) -> pd.DataFrame:
    """Mean feasibility and importance per expectation, role and session date: how views moved."""
    frame = ratings(store, kring_id)
    if frame.empty:
        return frame
    sessions = store.frame(Sessie, kring_id=kring_id).set_index("id")[["datum", "titel"]]
    frame = frame.join(sessions, on="sessie_id")
    return frame.groupby(["verwachting_id", "tekst", "datum", "rol"], as_index=False).agg(
        belang=("belang", "mean"), haalbaarheid=("haalbaarheid", "mean")
    )


def rate(store: Store, deelnemer: Deelnemer, sessie_id: str, scores: dict[str, tuple[int, int]]) -> list[Beoordeling]:
    """Store one participant's ratings (verwachting id -> (belang, haalbaarheid)) for a session. Rating
    again in the same session replaces the earlier rating: the id is fixed per person, session, expectation.
    Only the expectations ``te_beoordelen`` offers: one the kring dropped ('geschrapt'), or of another kring, is
    refused (nothing is stored then)."""
    _open_for_rating(store, deelnemer.kring_id, scores)
    stored = []
    for verwachting_id, (belang, haalbaarheid) in scores.items():
        rating = Beoordeling.make(
            id=f"{sessie_id[:20]}.{deelnemer.id[:20]}.{verwachting_id[:20]}", verwachting_id=verwachting_id,
            sessie_id=sessie_id, deelnemer_id=deelnemer.id, rol=deelnemer.rol, belang=belang,
            haalbaarheid=haalbaarheid,
        )  # fmt: skip
        try:
            stored.append(store.update(rating))
        except WijkleerError:
            stored.append(store.add(rating))
    return stored


def huidige_tekst(verwachting: Verwachting) -> str:
    """The expectation as the kring words it now: the agreed new wording once it was adjusted ('bijgesteld')."""
    return verwachting.herziene_tekst or verwachting.tekst


def nummers(store: Store, kring_id: str) -> dict[str, int]:
    """Each expectation's number in its kring (1, 2, … in the order they were added), the same on the map, in the
    tables and in every rating list: a dropped expectation keeps its number and leaves a gap in the list."""
    found = store.list(Verwachting, kring_id=kring_id, order_by="aangemaakt")
    return {v.id: n for n, v in enumerate(found, start=1)}


def check_scores(scores: dict[str, tuple[int, int]], numbers: dict[str, int]) -> dict[str, tuple[int, int]]:
    """The ratings filled in (verwachting id -> (belang, haalbaarheid), 0 for not chosen), refused with the
    numbers (``numbers``, see ``nummers``) of expectations that got only one of the two, or when none was rated."""
    chosen = {v: (b, h) for v, (b, h) in scores.items() if b or h}
    half = [str(numbers.get(v, "?")) for v, (b, h) in chosen.items() if not (b and h)]
    if half:
        raise WijkleerError(t("verwachtingen.half", nummers=", ".join(half)), t("verwachtingen.half_hint"))
    if not chosen:
        raise WijkleerError(t("verwachtingen.niets"), t("verwachtingen.half_hint"))
    return chosen


def te_beoordelen(store: Store, kring_id: str) -> list[tuple[Verwachting, str]]:
    """The kring's expectations still open for rating, oldest first, each with its current wording
    (``huidige_tekst``): every expectation except the ones the kring dropped ('geschrapt')."""
    found = store.list(Verwachting, kring_id=kring_id, order_by="aangemaakt")
    return [(v, huidige_tekst(v)) for v in found if v.uitkomst != "geschrapt"]


def _open_for_rating(store: Store, kring_id: str, scores: dict[str, tuple[int, int]]) -> None:
    numbers = nummers(store, kring_id)
    open_ids = {v.id for v, _tekst in te_beoordelen(store, kring_id)}
    dropped = sorted(numbers[v] for v in scores if v in numbers and v not in open_ids)
    if dropped:
        nummers_tekst = ", ".join(str(n) for n in dropped)
        raise WijkleerError(
            t("verwachtingen.geschrapt_beoordelen", nummers=nummers_tekst), t("verwachtingen.geschrapt_hint")
        )
    if any(v not in numbers for v in scores):
        raise WijkleerError(t("verwachtingen.onbekend"), t("verwachtingen.geschrapt_hint"))


def add(store: Store, kring_id: str, sessie_id: str | None, tekst: str, belanghebbende: str, id: str) -> Verwachting:
    """A participant adds an expectation to the kring's map (free text passes the privacy gate)."""
    privacy.check_fields({"tekst": tekst})
    return store.add(Verwachting.make(id=id, kring_id=kring_id, sessie_id=sessie_id, tekst=tekst,
                                      belanghebbende=belanghebbende or None))  # fmt: skip


def decide(
    store: Store, verwachting_id: str, sessie_id: str | None, uitkomst: str, herziene_tekst: str = "",
    id: str | None = None,
) -> Uitkomst:  # fmt: skip
    """Record what the kring decided about an expectation; the expectation shows the latest decision, and its
    current wording is the last one agreed with 'bijgesteld'. The new wording passes the privacy gate."""
    outcome = Uitkomst.make(id=id or new_id(), verwachting_id=verwachting_id, sessie_id=sessie_id,
                            uitkomst=uitkomst, herziene_tekst=herziene_tekst.strip() or None)  # fmt: skip
    if outcome.herziene_tekst:
        privacy.check_fields({"herziene_tekst": outcome.herziene_tekst})
    expectation = store.get(Verwachting, verwachting_id)
    stored = store.add(outcome)
    # only an adjustment changes the wording; a later 'behouden' keeps the wording agreed before
    wording = outcome.herziene_tekst if uitkomst == "bijgesteld" else expectation.herziene_tekst
    store.update(expectation.model_copy(update={"uitkomst": uitkomst, "herziene_tekst": wording}))
    return stored


def history(store: Store, verwachting_id: str) -> list[Uitkomst]:
    return store.list(Uitkomst, verwachting_id=verwachting_id, order_by="tijdstip")


def outcome_label(code: str | None) -> str:
    return t(f"verwachtingen.uitkomst.{code}") if code else t("verwachtingen.uitkomst.geen")
