"""The demo region: the right shape, valid loop histories, and the same database for the same seed."""

from datetime import timedelta

import pytest

from tests.support.dagen import DEMO_UNTIL
from wijkleer import demo, loop
from wijkleer.model import Beoordeling, Deelnemer, Knelpunt, Kring, Sessie, StatusEvent, Team, Verwachting
from wijkleer.store import Store

UNTIL = DEMO_UNTIL
SIZE = 400


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(str(path)) as store:
        written = demo.generate(store, demo.Plan(size=SIZE, seed=7, until=UNTIL))
        yield store, written


def _content(store):
    knelpunten = store.frame(Knelpunt).drop(columns=["aangemaakt"]).sort_values("id").reset_index(drop=True)
    events = store.frame(StatusEvent).sort_values("id").reset_index(drop=True)
    return knelpunten, events


def test_a_region_of_seven_municipalities_and_seventy_teams(region):
    store, written = region
    teams = store.frame(Team)
    assert len(teams) == written["team"] == 70
    assert teams["gemeente"].nunique() == 7
    assert teams["regio"].nunique() == 1
    assert store.count(Knelpunt) == SIZE
    assert set(store.frame(Knelpunt)["team"]) <= set(teams["naam"])


def test_knelpunten_span_three_years_up_to_the_end_date(region):
    store, _ = region
    dates = store.frame(Knelpunt)["datum"]
    assert dates.max() <= UNTIL
    start = UNTIL.replace(year=UNTIL.year - 3)
    assert dates.min() >= start
    assert dates.min() <= start + timedelta(days=100)  # the early years are populated, not just the last months


def test_every_history_follows_the_loop_rules(region):
    store, _ = region
    events = store.frame(StatusEvent).sort_values(["knelpunt_id", "volgnummer"])
    knelpunten = store.frame(Knelpunt).set_index("id")
    assert set(events["knelpunt_id"]) == set(knelpunten.index)
    for knelpunt_id, history in events.groupby("knelpunt_id"):
        assert list(history["volgnummer"]) == list(range(1, len(history) + 1))
        current = None
        for event in history.itertuples():
            loop.check(current, StatusEvent.model_construct(**event._asdict()))
            current = event.status
        assert knelpunten.loc[knelpunt_id, "status"] == current
        assert history["tijdstip"].is_monotonic_increasing


def test_histories_are_realistic(region):
    store, _ = region
    statuses = store.frame(Knelpunt)["status"].value_counts(normalize=True)
    # a living region: open, answered, confirmed and reopened knelpunten all occur
    for status in ("gesignaleerd", "in_behandeling", "teruggekoppeld", "getoetst"):
        assert statuses.get(status, 0) > 0.02, status
    assert 0 < statuses.get("samengevoegd", 0) < 0.15


def test_kringen_sessions_and_expectations(region):
    store, written = region
    assert store.count(Kring) == 7
    assert store.count(Sessie) >= 7 * 3
    assert store.count(Deelnemer) >= 7 * 5
    assert store.count(Verwachting) >= 7 * 5
    ratings = store.frame(Beoordeling)
    assert len(ratings) == written["beoordeling"] > 0
    assert set(store.frame(Deelnemer)["rol"]) >= {"uitvoering", "beleid", "facilitator"}


def test_same_seed_same_database_other_seed_other_database(tmp_path):
    def build(name, seed):
        with Store(str(tmp_path / name)) as store:
            demo.generate(store, demo.Plan(size=150, seed=seed, until=UNTIL))
            return _content(store)

    first, again, other = build("a.db", 1), build("b.db", 1), build("c.db", 2)
    assert first[0].equals(again[0]) and first[1].equals(again[1])
    assert not first[0]["titel"].equals(other[0]["titel"])
