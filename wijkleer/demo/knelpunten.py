"""Demo knelpunten with realistic loop histories (some fast, some late, some never picked up)."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, time, timedelta

from wijkleer import loop
from wijkleer.demo import Plan, load, make_id, region
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.store import Store

CHUNK = 10_000
ERNST = (("acuut", 4), ("hoog", 21), ("normaal", 55), ("laag", 20))
BRON = (("casus", 35), ("casusbespreking", 30), ("leerkring", 15), ("patroon", 20))
BESLUIT = (("opgepakt", 40), ("deels", 30), ("niet_opgepakt", 20), ("doorgezet", 10))
AFDELING = {"wmo": "wmo", "jeugd": "jeugd", "participatiewet": "werk_inkomen"}


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _days(rng: random.Random, median: float, spread: float) -> timedelta:
    return timedelta(days=rng.lognormvariate(math.log(median), spread))


class _History:
    """Builds one knelpunt's events, stopping at the plan's end date like real life would."""

    def __init__(self, knelpunt_id: str, start: datetime, end: datetime, rng: random.Random):
        self.knelpunt_id, self.moment, self.end, self.rng = knelpunt_id, start, end, rng
        self.rows: list[dict] = []
        self.status: str | None = None
        self.step("gesignaleerd", timedelta(0), "uitvoering")

    def step(self, status: str, delay: timedelta, rol: str, tekst: str = "", **extra) -> bool:
        moment = self.moment + delay
        if moment > self.end:
            return False
        assert loop.allowed(self.status, status), (self.status, status)
        self.moment, self.status = moment, status
        self.rows.append(
            {
                "id": f"{self.knelpunt_id}:{len(self.rows) + 1}",
                "knelpunt_id": self.knelpunt_id,
                "volgnummer": len(self.rows) + 1,
                "status": status,
                "rol": rol,
                "door": "",
                "tekst": tekst,
                "besluit": extra.get("besluit"),
                "samengevoegd_in": extra.get("samengevoegd_in"),
                "tijdstip": moment,
            }
        )
        return True


def _simulate(h: _History, texts: dict, merge_into: str | None) -> None:
    rng = h.rng
    say = rng.choice
    if rng.random() < 0.03:
        h.step("ingetrokken", _days(rng, 8, 0.6), "uitvoering", say(texts["ingetrokken"]["teksten"]))
        return
    if rng.random() > 0.9 or not h.step("ontvangen", _days(rng, 7, 0.8), "beleid"):
        return
    if merge_into and rng.random() < 0.05:
        h.step(
            "samengevoegd",
            _days(rng, 5, 0.5),
            "beleid",
            "Samengevoegd met een eerder gemeld knelpunt.",
            samengevoegd_in=merge_into,
        )
        return
    if rng.random() < 0.8 and not h.step("in_behandeling", _days(rng, 10, 0.7), "beleid"):
        return
    if rng.random() > 0.8:
        return
    kind = _pick(rng, BESLUIT)
    if not h.step("besluit", _days(rng, 35, 0.6), "beleid", say(texts["besluit"][kind]), besluit=kind):
        return
    if rng.random() > 0.85 or not h.step(
        "teruggekoppeld", _days(rng, 7, 0.8), "beleid", say(texts["teruggekoppeld"]["teksten"])
    ):
        return
    outcome = rng.random()
    if outcome < 0.6:
        h.step("getoetst", _days(rng, 30, 0.5), "uitvoering", say(texts["getoetst"]["teksten"]))
    elif outcome < 0.72 and h.step("heropend", _days(rng, 30, 0.5), "uitvoering", say(texts["heropend"]["teksten"])):
        h.step("ontvangen", _days(rng, 6, 0.6), "beleid")


def _department(wetten: list[str]) -> str:
    return AFDELING.get(wetten[0], "sociaal_domein")


def generate(store: Store, plan: Plan, teams: list[Team], rng: random.Random, progress=None):
    templates, texts = load("knelpunten.toml")["knelpunt"], load("terugkoppeling.toml")
    weights = region.weights(teams)
    span = (plan.end - plan.start).days
    offsets = sorted(int(span * rng.random() ** 0.8) for _ in range(plan.size))
    end = datetime.combine(plan.end, time(17, 0))
    first_of_theme: dict[tuple[str, int], str] = {}
    counts = {"knelpunt": 0, "status_event": 0}
    rows, events = [], []
    for number, offset in enumerate(offsets, start=1):
        row, history = _one(rng, plan, offset, templates, texts, teams, weights, end, first_of_theme)
        rows.append(row)
        events.extend(history)
        if len(rows) == CHUNK or number == plan.size:
            if counts["knelpunt"] == 0:
                _check_shape(rows[:50])
            store.bulk_insert({Knelpunt: rows, StatusEvent: events})
            counts["knelpunt"] += len(rows)
            counts["status_event"] += len(events)
            rows, events = [], []
            if progress:
                progress(counts["knelpunt"], plan.size)
    return counts


def _one(rng, plan, offset, templates, texts, teams, weights, end, first_of_theme):
    index = rng.randrange(len(templates))
    template = templates[index]
    team = rng.choices(teams, weights)[0]
    day = plan.start + timedelta(days=offset)
    created = datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randrange(9 * 60))
    knelpunt_id = make_id(rng)
    theme = (team.gemeente, index)
    history = _History(knelpunt_id, created, max(end, created), rng)
    _simulate(history, texts, first_of_theme.get(theme))
    first_of_theme.setdefault(theme, knelpunt_id)
    extra = [g for g in ("sociaal_netwerk", "financien") if g not in template["leefgebieden"]]
    leefgebieden = template["leefgebieden"] + ([rng.choice(extra)] if rng.random() < 0.2 else [])
    last = history.rows[-1]
    acknowledged = any(e["status"] == "ontvangen" for e in history.rows)
    decided = [e["besluit"] for e in history.rows if e["besluit"]]
    return {
        "id": knelpunt_id,
        "titel": template["titel"],
        "omschrijving": template["omschrijving"],
        "wetten": json.dumps(template["wetten"]),
        "categorie": template["categorie"],
        "leefgebieden": json.dumps(leefgebieden, ensure_ascii=False),
        "ernst": _pick(rng, ERNST),
        "aantal_casussen": min(60, int(rng.paretovariate(1.3))),
        "bron": _pick(rng, BRON),
        "team": team.naam,
        "wijk": team.wijk,
        "gemeente": team.gemeente,
        "datum": day,
        "status": last["status"],
        "besluit": decided[-1] if decided else None,
        "afdeling": _department(template["wetten"]) if acknowledged else None,
        "samengevoegd_in": last["samengevoegd_in"],
        "kring_id": None,
        "aangemaakt": created,
    }, history.rows


def _check_shape(rows: list[dict]) -> None:
    """The bulk path skips validation for speed; check a sample against the model."""
    for row in rows:
        data = dict(row, wetten=json.loads(row["wetten"]), leefgebieden=json.loads(row["leefgebieden"]))
        data["status"] = "gesignaleerd"
        Knelpunt.model_validate(data)
