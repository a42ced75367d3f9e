"""Expectation mapping: gaps and disagreements on a hand-made fixture, charts as specs, ratings that
replace earlier ones, outcome history, and the workbook driven in Python."""

import json
from datetime import date

import pandas as pd
import pytest

from tests.support.widgets import chart_specs, html_of
from wijkleer import charts, verwachtingen
from wijkleer.errors import WijkleerError
from wijkleer.model import Beoordeling, Deelnemer, Kring, Sessie, Verwachting
from wijkleer.views.verwachtingen import Kaart


def _frame(rows):
    return pd.DataFrame(
        [{"id": f"b{i}", "verwachting_id": v, "tekst": v.upper(), "rol": r, "belang": b, "haalbaarheid": h}
         for i, (v, r, b, h) in enumerate(rows)]
    )  # fmt: skip


FIXTURE = _frame([
    ("preventie", "beleid", 5, 4), ("preventie", "beleid", 5, 4), ("preventie", "uitvoering", 5, 1),
    ("fraude", "beleid", 4, 4), ("fraude", "uitvoering", 2, 4),
    ("snel", "beleid", 3, 3), ("snel", "uitvoering", 3, 3),
])  # fmt: skip


def test_matrix_is_per_role_never_pooled():
    matrix = verwachtingen.matrix(FIXTURE).set_index(["verwachting_id", "rol"])
    assert matrix.loc[("preventie", "beleid"), "haalbaarheid"] == 4
    assert matrix.loc[("preventie", "uitvoering"), "haalbaarheid"] == 1
    assert matrix.loc[("preventie", "beleid"), "aantal"] == 2


def test_gap_is_the_mean_over_roles_largest_first():
    gaps = verwachtingen.gaps(FIXTURE)
    assert list(gaps["verwachting_id"]) == ["preventie", "snel", "fraude"]
    # beleid: 5-4 = 1, uitvoering: 5-1 = 4 -> mean 2.5 (two beleid raters do not outweigh one)
    assert gaps.loc[0, "kloof"] == 2.5
    assert gaps.loc[2, "kloof"] == pytest.approx(-1.0)


def test_disagreement_names_the_roles_furthest_apart():
    split = verwachtingen.disagreements(FIXTURE)
    first = split.iloc[0]
    assert (first["verwachting_id"], first["verschil"]) == ("preventie", 3)
    assert (first["laagste_rol"], first["hoogste_rol"]) == ("uitvoering", "beleid")
    assert list(verwachtingen.disagreements(FIXTURE, "belang")["verwachting_id"])[0] == "fraude"


def test_charts_are_specs_with_dutch_titles_and_one_panel_per_role():
    matrix = verwachtingen.matrix(FIXTURE)
    numbers = {"preventie": 1, "fraude": 2, "snel": 3}
    spec = charts.expectation_matrix(matrix, numbers).to_dict()
    assert spec["facet"]["field"] == "rol_naam" and spec["columns"] == 3
    assert spec["title"] == "Belang en haalbaarheid per rol"
    layers = spec["spec"]["layer"]
    assert layers[1]["encoding"]["x"]["title"] == "Haalbaarheid (1–5)"
    assert {row["rol_naam"] for row in spec["datasets"][next(iter(spec["datasets"]))]} == {"Beleid", "Uitvoering"}


@pytest.fixture
def kring(store):
    k = store.add(Kring.make(naam="Leerkring Noord", gemeente="Dijkhoven"))
    sessie = store.add(Sessie.make(kring_id=k.id, titel="Eerste bijeenkomst", datum=date(2026, 11, 2), status="bezig"))
    people = [store.add(Deelnemer.make(kring_id=k.id, naam=n, rol=r))
              for n, r in (("Anne", "beleid"), ("Bram", "uitvoering"))]  # fmt: skip
    expectation = store.add(Verwachting.make(kring_id=k.id, belanghebbende="bestuur", tekst="Preventief werken"))
    return store, k, sessie, people, expectation


def test_rating_again_replaces_and_outcomes_keep_their_history(kring):
    store, k, sessie, (anne, bram), expectation = kring
    verwachtingen.rate(store, anne, sessie.id, {expectation.id: (5, 2)})
    verwachtingen.rate(store, anne, sessie.id, {expectation.id: (5, 3)})
    verwachtingen.rate(store, bram, sessie.id, {expectation.id: (4, 1)})
    assert store.count(Beoordeling) == 2
    assert set(verwachtingen.ratings(store, k.id)["haalbaarheid"]) == {3, 1}
    with pytest.raises(WijkleerError) as caught:
        verwachtingen.decide(store, expectation.id, sessie.id, "bijgesteld")
    assert "herziene_tekst" in caught.value.fields
    verwachtingen.decide(store, expectation.id, sessie.id, "bijgesteld", "Preventief werken in twee wijken")
    verwachtingen.decide(store, expectation.id, sessie.id, "behouden")
    assert [o.uitkomst for o in verwachtingen.history(store, expectation.id)] == ["bijgesteld", "behouden"]
    assert store.get(Verwachting, expectation.id).uitkomst == "behouden"


def test_the_workbook_rates_and_shows_both_roles(kring):
    store, k, sessie, (anne, bram), expectation = kring
    page = Kaart(store, k.id)
    page._signed_in(anne)  # signing in itself: tests/test_identiteit.py
    belang, haalbaar = page.scores[expectation.id]
    belang.value = 5
    page._save_ratings()
    assert "ontbreekt belang of haalbaarheid" in page.rate_message.value and store.count(Beoordeling) == 0
    haalbaar.value = 2
    page._save_ratings()
    assert "Opgeslagen: 1 beoordelingen." in page.rate_message.value
    verwachtingen.rate(store, bram, sessie.id, {expectation.id: (4, 4)})
    page.tabs.selected_index = 1
    drawn = json.dumps(chart_specs(page.map_box), ensure_ascii=False)  # the chart's rows travel in its spec
    # one rater per role: below the room's minimum (3), so neither role's mean is drawn (one person's rating)
    assert "Beleid" not in drawn and "Uitvoering" not in drawn


def test_a_participant_adds_an_expectation_without_losing_unsaved_ratings(kring):
    store, k, sessie, (anne, _bram), expectation = kring
    page = Kaart(store, k.id)
    page._signed_in(anne)  # signing in itself: tests/test_identiteit.py
    page.scores[expectation.id][0].value = 4
    page.add_form.submit()  # nothing typed: errors next to the fields
    assert "Vul dit veld in." in page.new_text.error.value and "Kies een" in page.new_holder.error.value
    page.new_text.widget.value = "Samenwerken met de huisarts in elke wijk"
    page.new_holder.widget.value = "partners"
    page.add_form.submit()
    assert store.count(Verwachting, kring_id=k.id) == 2
    assert "Toegevoegd als verwachting 2" in page.add_form.message.value
    assert page.scores[expectation.id][0].value == 4 and len(page.scores) == 2


def test_rating_needs_a_sign_in_and_counts_for_the_stored_role(kring):
    """No list of names to pick from: who rates is the signed-in participant, with the role the store has."""
    store, k, sessie, (anne, _bram), expectation = kring
    page = Kaart(store, k.id)
    assert not hasattr(page, "scores") and "Meld je aan om te beoordelen" in html_of(page.rate_box)
    assert "Bram" not in html_of(page.box)
    page._signed_in(anne.model_copy(update={"rol": "uitvoering"}))  # a role claimed in Python does not count
    belang, haalbaar = page.scores[expectation.id]
    belang.value, haalbaar.value = 4, 2
    page._save_ratings()
    assert [b.rol for b in store.list(Beoordeling)] == ["beleid"]


# -- decisions that stick ----------------------------------------------------------------------------------------
@pytest.fixture
def decided(kring):
    """Three expectations: one kept as it was, one adjusted to a new wording, one dropped."""
    store, k, sessie, people, kept = kring
    adjusted = store.add(Verwachting.make(kring_id=k.id, belanghebbende="gemeenteraad", tekst="Alle fraude melden"))
    dropped = store.add(Verwachting.make(kring_id=k.id, belanghebbende="bestuur", tekst="Elke dag huisbezoek"))
    verwachtingen.decide(store, adjusted.id, sessie.id, "bijgesteld", "Signalen van fraude bespreken in het team")
    verwachtingen.decide(store, dropped.id, sessie.id, "geschrapt")
    return store, k, sessie, people, (kept, adjusted, dropped)


def test_only_open_expectations_are_offered_with_their_current_wording(decided):
    store, k, _sessie, _people, (kept, adjusted, dropped) = decided
    offered = verwachtingen.te_beoordelen(store, k.id)
    assert [(v.id, tekst) for v, tekst in offered] == [
        (kept.id, "Preventief werken"),
        (adjusted.id, "Signalen van fraude bespreken in het team"),
    ]
    assert verwachtingen.nummers(store, k.id) == {kept.id: 1, adjusted.id: 2, dropped.id: 3}  # numbers stay put


def test_a_later_decision_keeps_the_agreed_wording_and_a_kept_one_is_open_again(decided):
    store, k, sessie, _people, (_kept, adjusted, dropped) = decided
    verwachtingen.decide(store, adjusted.id, sessie.id, "behouden")
    verwachtingen.decide(store, dropped.id, sessie.id, "behouden")
    offered = dict((v.id, tekst) for v, tekst in verwachtingen.te_beoordelen(store, k.id))
    assert offered[adjusted.id] == "Signalen van fraude bespreken in het team"
    assert offered[dropped.id] == "Elke dag huisbezoek"


def test_a_rating_of_a_dropped_expectation_is_refused_and_nothing_is_stored(decided):
    store, _k, sessie, (anne, _bram), (kept, _adjusted, dropped) = decided
    with pytest.raises(WijkleerError) as caught:
        verwachtingen.rate(store, anne, sessie.id, {kept.id: (4, 4), dropped.id: (5, 1)})
    assert "Verwachting 3 is door de kring geschrapt" in caught.value.message and caught.value.hint
    assert store.count(Beoordeling) == 0


def test_a_rating_of_another_kring_s_expectation_is_refused(decided, store):
    _store, _k, sessie, (anne, _bram), _three = decided
    other = store.add(Kring.make(naam="Leerkring Zuid", gemeente="Dijkhoven"))
    elsewhere = store.add(Verwachting.make(kring_id=other.id, belanghebbende="bestuur", tekst="Iets anders"))
    with pytest.raises(WijkleerError, match="hoort niet bij deze leerkring"):
        verwachtingen.rate(store, anne, sessie.id, {elsewhere.id: (4, 4)})
    assert store.count(Beoordeling) == 0


def test_the_workbook_offers_the_current_wording_and_follows_a_decision(decided):
    store, k, sessie, (anne, _bram), (kept, adjusted, dropped) = decided
    page = Kaart(store, k.id)
    page._signed_in(anne)
    shown = html_of(page.rate_box)
    assert set(page.scores) == {kept.id, adjusted.id}
    assert "2. Signalen van fraude bespreken in het team" in shown
    assert "Alle fraude melden" not in shown and "Elke dag huisbezoek" not in shown
    page.scores[kept.id][0].value = 4  # chosen, not yet saved: it stays when the list is drawn again
    page.which.widget.value, page.outcome.widget.value = adjusted.id, "geschrapt"
    page.outcome_form.submit()
    assert set(page.scores) == {kept.id} and page.scores[kept.id][0].value == 4


def test_the_map_labels_coinciding_points_once_listing_every_number():
    frame = _frame([
        ("a", "beleid", 4, 2), ("b", "beleid", 4, 2), ("c", "beleid", 4.05, 2.1), ("d", "beleid", 2, 4),
        ("a", "uitvoering", 4, 2),
    ])  # fmt: skip
    numbers = {"a": 3, "b": 6, "c": 12, "d": 1}
    spec = charts.expectation_matrix(verwachtingen.matrix(frame), numbers).to_dict()
    rows = next(iter(spec["datasets"].values()))
    labels = sorted((row["rol"], row["label"], row["gedeeld"]) for row in rows if row["label"] is not None)
    assert labels == [("beleid", "1", False), ("beleid", "3, 6, 12", True), ("uitvoering", "3", False)]
    drawn = [layer for layer in spec["spec"]["layer"] if layer["mark"]["type"] == "text"]
    assert all(layer["encoding"]["text"]["field"] == "label" for layer in drawn)  # never the bare number
    assert {layer["transform"][0]["filter"] for layer in drawn} == {
        "isValid(datum.label) && !datum.gedeeld",
        "isValid(datum.label) && datum.gedeeld",
    }
