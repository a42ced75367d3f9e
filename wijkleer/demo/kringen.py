"""Demo leerkringen: one per municipality, with participants, sessions, expectations rated by
role (so beleid and uitvoering differ), outcomes, actions and a few private reflections."""

from __future__ import annotations

import random
import tomllib
from datetime import date, datetime, time, timedelta

from wijkleer.demo import Plan, load, make_id
from wijkleer.model import Actie, Beoordeling, Deelnemer, Kring, Reflectie, Sessie, Team, Uitkomst, Verwachting
from wijkleer.paths import data_dir
from wijkleer.store import Store

ROLES = [
    "facilitator",
    "uitvoering",
    "uitvoering",
    "uitvoering",
    "uitvoering",
    "beleid",
    "beleid",
    "student",
    "bewoner",
    "partner",
]
SESSIONS = (
    ("Verwachtingen in kaart", "verwachtingenronde"),
    ("Knelpuntenronde", "knelpuntenronde"),
    ("Wat deden we met onze signalen?", "terugkoppelronde"),
    ("Verwachtingen opnieuw bekeken", "verwachtingenronde"),
)
# how feasible each role finds expectations on average: policy is more optimistic than practice
FEASIBILITY = {"uitvoering": 2.2, "beleid": 3.6, "bewoner": 2.8, "student": 3.0, "partner": 3.0}


def _expectations() -> list[dict]:
    with (data_dir() / "verwachtingen.toml").open("rb") as handle:
        return tomllib.load(handle)["verwachting"]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(13, 0)) + timedelta(minutes=rng.randrange(180))


def _kring(plan: Plan, gemeente: str, rng: random.Random, start_list: list[dict], regio: dict):
    objects: list = []
    kring = Kring(
        id=make_id(rng),
        naam=f"Leerkring {gemeente}",
        gemeente=gemeente,
        beschrijving=f"Wijkteams en beleid van {gemeente} leren samen.",
        aangemaakt=_moment(plan.end - timedelta(days=330), rng),
    )
    names = rng.sample(regio["deelnemers"], len(ROLES))
    people = [
        Deelnemer(id=make_id(rng), kring_id=kring.id, naam=name, rol=role, aangemaakt=kring.aangemaakt)
        for name, role in zip(names, ROLES, strict=True)
    ]
    days = [plan.end - timedelta(days=300 - 80 * i) for i in range(len(SESSIONS))]
    sessions = [
        Sessie(
            id=make_id(rng),
            kring_id=kring.id,
            titel=titel,
            datum=day,
            sjabloon=sjabloon,
            status="afgerond" if day <= plan.end - timedelta(days=7) else "gepland",
        )
        for (titel, sjabloon), day in zip(SESSIONS, days, strict=True)
    ]
    objects += [kring, *people, *sessions]
    objects += _expectation_rounds(rng, kring, people, sessions, start_list)
    for session in sessions[:-1]:
        for action in rng.sample(regio["actie"], 2):
            owner = rng.choice([p for p in people if p.rol in ("uitvoering", "beleid")])
            objects.append(
                Actie(
                    id=make_id(rng),
                    kring_id=kring.id,
                    sessie_id=session.id,
                    omschrijving=action["omschrijving"],
                    eigenaar=owner.naam,
                    deadline=session.datum + timedelta(days=42),
                    status=rng.choice(["open", "gedaan", "gedaan"]),
                    aangemaakt=_moment(session.datum, rng),
                )
            )
    student = next(p for p in people if p.rol == "student")
    objects.append(
        Reflectie(
            id=make_id(rng),
            deelnemer_id=student.id,
            model="alact",
            sessie_id=sessions[1].id,
            stappen={
                "handelen": "Ik bracht een knelpunt in over jongeren die 18 worden.",
                "terugblikken": "Ik merkte dat beleid het probleem anders zag dan ik.",
                "bewustwording": "Ik had alleen naar de casus gekeken, niet naar de regels erachter.",
            },
            aangemaakt=_moment(sessions[1].datum, rng),
            bijgewerkt=_moment(sessions[1].datum, rng),
        )
    )
    return objects


def _expectation_rounds(rng, kring, people, sessions, start_list):
    objects: list = []
    raters = [p for p in people if p.rol != "facilitator"]
    for item in rng.sample(start_list, 7):
        expectation = Verwachting(
            id=make_id(rng),
            kring_id=kring.id,
            sessie_id=sessions[0].id,
            belanghebbende=item["belanghebbende"],
            tekst=item["tekst"],
            aangemaakt=_moment(sessions[0].datum, rng),
        )
        base = rng.uniform(-0.8, 0.8)
        for round_number, session in ((0, sessions[0]), (1, sessions[3])):
            if session.status != "afgerond":
                continue
            for person in raters:
                feasible = FEASIBILITY[person.rol] + base + 0.5 * round_number + rng.gauss(0, 0.6)
                objects.append(
                    Beoordeling(
                        id=make_id(rng),
                        verwachting_id=expectation.id,
                        sessie_id=session.id,
                        deelnemer_id=person.id,
                        rol=person.rol,
                        belang=_clamp(rng.gauss(4, 0.8)),
                        haalbaarheid=_clamp(feasible),
                        aangemaakt=_moment(session.datum, rng),
                    )
                )
        outcome = rng.choice(["behouden", "bijgesteld", "geschrapt", None])
        if outcome and sessions[3].status == "afgerond":
            expectation.uitkomst = outcome
            if outcome == "bijgesteld":
                expectation.herziene_tekst = f"{expectation.tekst}, waar het team er tijd voor krijgt"
            objects.append(
                Uitkomst(
                    id=make_id(rng),
                    verwachting_id=expectation.id,
                    sessie_id=sessions[3].id,
                    uitkomst=outcome,
                    herziene_tekst=expectation.herziene_tekst,
                    tijdstip=_moment(sessions[3].datum, rng),
                )
            )
        objects.insert(0, expectation)
    return objects


def generate(store: Store, plan: Plan, teams: list[Team], rng: random.Random) -> dict[str, int]:
    regio = load("regio.toml")
    start_list = _expectations()
    gemeenten = sorted({t.gemeente for t in teams}, key=[g["naam"] for g in regio["gemeente"]].index)
    objects: list = []
    for gemeente in gemeenten:
        objects += _kring(plan, gemeente, rng, start_list, regio)
    private = [obj for obj in objects if isinstance(obj, Reflectie)]
    store.add_many([obj for obj in objects if not isinstance(obj, Reflectie)])
    for reflectie in private:  # private to their writer: only through the writer's own verb
        store.reflectie_opslaan(reflectie, reflectie.deelnemer_id)
    counts: dict[str, int] = {}
    for obj in objects:
        counts[obj.table] = counts.get(obj.table, 0) + 1
    return counts
