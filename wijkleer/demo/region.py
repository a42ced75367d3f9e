"""The demo region's municipalities, wijken and wijkteams (from ``data/demo/regio.toml``)."""

from __future__ import annotations

import random

from wijkleer.demo import load, make_id
from wijkleer.model import Team


def build(rng: random.Random) -> list[Team]:
    region = load("regio.toml")
    teams = []
    for gemeente in region["gemeente"]:
        for wijk in gemeente["wijken"]:
            teams.append(
                Team(
                    id=make_id(rng),
                    naam=f"Wijkteam {gemeente['naam']} {wijk}",
                    wijk=wijk,
                    gemeente=gemeente["naam"],
                    regio=region["naam"],
                )
            )
    return teams


def weights(teams: list[Team]) -> list[int]:
    """Per team, how often it signals: larger municipalities signal more."""
    size = {g["naam"]: g["gewicht"] for g in load("regio.toml")["gemeente"]}
    per_team = {g: size[g] / sum(t.gemeente == g for t in teams) for g in size}
    return [per_team[t.gemeente] * 100 for t in teams]
