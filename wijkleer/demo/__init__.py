"""The demo region: a fictional region of seven municipalities and 70 wijkteams with a few years of
knelpunten and their loop histories, leerkringen with sessions, expectations, ratings and actions.

Deterministic: the same ``seed`` and ``until`` date give the same database.
"""

from __future__ import annotations

import random
import tomllib
import uuid
from dataclasses import dataclass
from datetime import date

from wijkleer.paths import data_dir
from wijkleer.store import Store

DEFAULT_SIZE = 2_000
YEARS = 3


@dataclass(frozen=True)
class Plan:
    """What to generate: ``size`` knelpunten between ``until`` minus three years and ``until``."""

    size: int = DEFAULT_SIZE
    seed: int = 42
    until: date | None = None

    @property
    def end(self) -> date:
        return self.until or date.today()

    @property
    def start(self) -> date:
        return self.end.replace(year=self.end.year - YEARS, day=min(self.end.day, 28))


def load(name: str) -> dict:
    with (data_dir() / "demo" / name).open("rb") as handle:
        return tomllib.load(handle)


def make_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(store: Store, plan: Plan, progress=None) -> dict[str, int]:
    """Fill ``store`` with the demo region. Returns counts of what was written."""
    from wijkleer.demo import knelpunten, kringen, region

    rng = random.Random(plan.seed)
    teams = region.build(rng)
    store.add_many(teams)
    written = {"team": len(teams)}
    written.update(knelpunten.generate(store, plan, teams, rng, progress))
    written.update(kringen.generate(store, plan, teams, rng))
    return written
