"""Grouping similar entries (the facilitator): the group's head carries the members on its card and gets the dots as
one; only the facilitator, only within one phase and before anyone voted; undone while nobody voted.

Fixtures and helpers come from tests/test_sessies.py (``kring``, ``running``, ``join``)."""

from __future__ import annotations

import pytest
import test_sessies as base

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import new_id
from wijkleer.sessies import verloop
from wijkleer.store import Kijker
from wijkleer.views import sessie_bord as bord

kring = base.kring
TEKSTEN = (
    "Wachtlijst schuldhulp",
    "Schuldhulp wacht maanden",
    "Vervoer dagbesteding te laat",
    "Schulden: lange wachttijd",
)


@pytest.fixture
def ronde(store, kring):
    """A knelpunten round with four entries by two participants, revealed; the ids in writing order."""
    sessie, _zelf = base.running(store, kring)
    anna = base.join(store, sessie.code, "Anna Uitvoering", "uitvoering")
    bert = base.join(store, sessie.code, "Bert Beleid", "beleid")
    for number, tekst in enumerate(TEKSTEN):
        verloop.indienen(store, (anna, bert)[number % 2], tekst, new_id())
    verloop.onthullen(store, kring, sessie.id)
    ids = [e.id for e in store.bijdragen(sessie.id, Kijker("begeleider"))]
    return sessie, anna, bert, ids


def test_a_group_is_one_card_and_one_line_in_the_vote(store, kring, ronde):
    sessie, anna, bert, ids = ronde
    verloop.groeperen(store, kring, sessie.id, ids[0], [ids[1], ids[3]])
    seen = store.bijdragen(sessie.id, Kijker("deelnemer", bert.id))
    assert [e.id for e in bord.koppen(seen)] == [ids[0], ids[2]]
    board = bord.kaarten_html(seen, "")
    assert board.count('<div class="wijkleer-kaart') == 2 and all(tekst in board for tekst in TEKSTEN)
    assert "Anna" not in board and "Bert" not in board  # an anonymous phase stays anonymous inside a group
    verloop.naar_fase(store, kring, sessie.id, 1)  # the vote
    sessie = store.get(type(sessie), sessie.id)
    cards = bord.stemkaarten(sessie, store.bijdragen(sessie.id, Kijker("deelnemer", anna.id)))
    assert [(n, e.id) for n, e, _card in cards] == [(1, ids[0]), (2, ids[2])]
    assert TEKSTEN[1] in cards[0][2] and TEKSTEN[3] in cards[0][2]
    verloop.stemmen(store, anna, ids[0], True)
    with pytest.raises(WijkleerError) as refused:
        verloop.stemmen(store, bert, ids[1], True)  # a member: the dot belongs on the group
    assert "groep" in refused.value.message
    result = verloop.stemuitslag(store, sessie, store.bijdragen(sessie.id, Kijker("begeleider")))
    assert [(entry.id, sum(dots.values())) for entry, dots in result] == [(ids[0], 1), (ids[2], 0)]
    with pytest.raises(WijkleerError):
        verloop.groep_opheffen(store, kring, sessie.id, ids[0])  # voted on: the group stays
    with pytest.raises(WijkleerError):
        verloop.groeperen(store, kring, sessie.id, ids[2], [ids[0]])  # nor can a voted group move


def test_only_the_facilitator_groups_and_only_within_one_phase(store, kring, ronde):
    sessie, anna, _bert, ids = ronde
    student = identiteit.aanmelden(store, kring.kring_id, "Sam Student", "zonnebloem-7")
    with pytest.raises(WijkleerError):
        verloop.groeperen(store, student, sessie.id, ids[0], [ids[1]])
    with pytest.raises(WijkleerError) as empty:
        verloop.groeperen(store, kring, sessie.id, ids[0], [ids[0]])
    assert "leden" in empty.value.fields
    verloop.naar_fase(store, kring, sessie.id, 1)
    verloop.naar_fase(store, kring, sessie.id, 0)
    with pytest.raises(WijkleerError):
        verloop.groeperen(store, kring, sessie.id, ids[0], ["bestaat-niet"])
    assert all(e.groep_id is None for e in store.bijdragen(sessie.id, Kijker("begeleider")))


def test_a_head_grouped_into_another_brings_its_members_and_a_group_can_be_undone(store, kring, ronde):
    sessie, _anna, _bert, ids = ronde
    verloop.groeperen(store, kring, sessie.id, ids[1], [ids[3]])
    verloop.groeperen(store, kring, sessie.id, ids[0], [ids[1]])
    heads = {e.id: e.groep_id for e in store.bijdragen(sessie.id, Kijker("begeleider"))}
    assert heads == {ids[0]: None, ids[1]: ids[0], ids[2]: None, ids[3]: ids[0]}
    with pytest.raises(WijkleerError):
        verloop.groeperen(store, kring, sessie.id, ids[1], [ids[2]])  # a member cannot head a group
    verloop.groep_opheffen(store, kring, sessie.id, ids[0])
    assert all(e.groep_id is None for e in store.bijdragen(sessie.id, Kijker("begeleider")))
