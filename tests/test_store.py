"""The store facade, run on SQLite and on the real PostgreSQL (the ``store`` fixture)."""

from datetime import date

import pytest

from wijkleer import loop
from wijkleer.errors import WijkleerError
from wijkleer.model import Actie, Deelnemer, Knelpunt, Kring, StatusEvent, Team
from wijkleer.store import Between, migrations


def _event(knelpunt_id: str, status: str, **extra) -> StatusEvent:
    return StatusEvent.make(knelpunt_id=knelpunt_id, status=status, rol=extra.pop("rol", "beleid"), **extra)


def test_add_get_list_count_update_remove(store):
    kring = store.add(Kring.make(naam="Leerkring Dijkhoven", gemeente="Dijkhoven"))
    anouk = store.add(Deelnemer.make(kring_id=kring.id, naam="Anouk", rol="uitvoering"))
    store.add(Deelnemer.make(kring_id=kring.id, naam="Bram", rol="beleid"))
    assert store.get(Deelnemer, anouk.id) == anouk
    assert [d.naam for d in store.list(Deelnemer, kring_id=kring.id, order_by="naam")] == ["Anouk", "Bram"]
    assert store.count(Deelnemer, rol=["beleid", "student"]) == 1
    anouk.naam = "Anouk V."
    assert store.update(anouk).naam == "Anouk V."
    store.remove(Deelnemer, anouk.id)
    assert store.count(Deelnemer) == 1
    with pytest.raises(WijkleerError, match="Deze deelnemer bestaat niet"):
        store.get(Deelnemer, anouk.id)


def test_double_submit_stores_one_row(store, make_knelpunt):
    knelpunt = make_knelpunt()
    first = store.add(knelpunt)
    second = store.add(knelpunt.model_copy(update={"titel": "Anders getypt bij tweede klik"}))
    assert store.count(Knelpunt) == 1
    assert first == second
    assert [e.status for e in store.history(knelpunt.id)] == ["gesignaleerd"]


def test_values_survive_the_round_trip(store, make_knelpunt):
    knelpunt = make_knelpunt(
        wetten=["wmo", "jeugd"],
        leefgebieden=["financien", "huisvesting"],
        omschrijving="Één gezin, ‘twee’ plannen — <b>niet</b> & nooit 😟",
    )
    stored = store.add(knelpunt)
    assert stored.model_dump() == knelpunt.model_dump()
    frame = store.frame(Knelpunt)
    assert frame.loc[0, "wetten"] == ["wmo", "jeugd"]
    assert frame.loc[0, "datum"] == date(2026, 3, 2)


def test_add_many_is_all_or_nothing(store, make_knelpunt):
    good = make_knelpunt()
    orphan = Deelnemer.make(kring_id="bestaat-niet", naam="Noor", rol="student")
    with pytest.raises(WijkleerError, match="verwijst naar iets dat niet"):
        store.add_many([good, orphan])
    assert store.count(Knelpunt) == 0


def test_loop_events_append_and_move_the_status(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    store.append_event(_event(knelpunt.id, "ontvangen"), loop.check)
    store.append_event(_event(knelpunt.id, "besluit", besluit="deels", tekst="Deels opgepakt."), loop.check)
    current = store.get(Knelpunt, knelpunt.id)
    assert (current.status, current.besluit) == ("besluit", "deels")
    assert [e.status for e in store.history(knelpunt.id)] == ["gesignaleerd", "ontvangen", "besluit"]


def test_forbidden_step_is_refused_and_nothing_is_written(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    with pytest.raises(WijkleerError, match="Van 'Gesignaleerd' kan een knelpunt niet naar 'Getoetst'"):
        store.append_event(_event(knelpunt.id, "getoetst", tekst="werkt"), loop.check)
    assert len(store.history(knelpunt.id)) == 1
    assert store.get(Knelpunt, knelpunt.id).status == "gesignaleerd"


def test_repeated_event_id_is_appended_once(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    event = _event(knelpunt.id, "ontvangen")
    store.append_event(event, loop.check)
    store.append_event(event, loop.check)
    assert len(store.history(knelpunt.id)) == 2


def test_history_is_never_edited_or_removed(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    event = store.history(knelpunt.id)[0]
    with pytest.raises(WijkleerError, match="nooit gewijzigd"):
        store.update(event)
    with pytest.raises(WijkleerError, match="nooit gewijzigd"):
        store.remove(StatusEvent, event.id)
    with pytest.raises(WijkleerError, match="nooit gewijzigd"):
        store.remove(Knelpunt, knelpunt.id)
    with pytest.raises(WijkleerError, match="alleen via de terugkoppelregels"):
        store.add(_event(knelpunt.id, "ontvangen"))


def test_update_cannot_move_the_loop(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    changed = knelpunt.model_copy(update={"status": "getoetst", "titel": "Nieuwe titel", "afdeling": "wmo"})
    stored = store.update(changed)
    assert (stored.status, stored.titel, stored.afdeling) == ("gesignaleerd", "Nieuwe titel", "wmo")
    with pytest.raises(WijkleerError, match="begint als 'Gesignaleerd'"):
        store.add(make_knelpunt(status="ontvangen"))


def test_unknown_filter_and_missing_object_are_dutch_errors(store):
    with pytest.raises(WijkleerError, match="niet gefilterd worden op 'kleur'"):
        store.list(Team, kleur="rood")
    with pytest.raises(WijkleerError, match="Deze actie bestaat niet"):
        store.update(Actie.make(kring_id="k", omschrijving="x", eigenaar="y"))


def test_list_order_limit_and_null_filter(store):
    kring = store.add(Kring.make(naam="Kring"))
    for day in (3, 1, 2):
        store.add(
            Actie.make(kring_id=kring.id, omschrijving=f"actie {day}", eigenaar="Sem", deadline=date(2026, 1, day))
        )
    newest = store.list(Actie, order_by="deadline", descending=True, limit=2)
    assert [a.omschrijving for a in newest] == ["actie 3", "actie 2"]
    assert store.count(Actie, sessie_id=None) == 3


def test_info_reports_version_and_counts(store, make_knelpunt):
    store.add(make_knelpunt())
    info = store.info()
    assert info["schema_versie"] == migrations.LATEST
    assert info["tellingen"]["knelpunt"] == 1
    assert info["tellingen"]["status_event"] == 1


def test_increment_counts_in_the_database(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt(aantal_casussen=4))
    store.increment(Knelpunt, knelpunt.id, "aantal_casussen")
    assert store.increment(Knelpunt, knelpunt.id, "aantal_casussen", 2).aantal_casussen == 7
    with pytest.raises(WijkleerError):
        store.increment(Knelpunt, "bestaat-niet", "aantal_casussen")
    with pytest.raises(WijkleerError):
        store.increment(Knelpunt, knelpunt.id, "status")


def test_a_range_filter_includes_both_ends_and_may_be_open(store, make_knelpunt):
    days = [date(2026, 1, d) for d in (5, 6, 7, 8)]
    store.add_many([make_knelpunt(datum=d) for d in days])
    assert sorted(k.datum for k in store.list(Knelpunt, datum=Between(days[1], days[2]))) == days[1:3]
    assert store.count(Knelpunt, datum=Between(low=days[2])) == 2
    assert store.count(Knelpunt, datum=Between(high=days[0])) == 1
