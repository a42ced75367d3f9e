"""Loop rules: every (from, to) pair of statuses is allowed or refused exactly as specified,
and the store applies the rules inside its write transaction."""

import itertools

import pytest

from wijkleer import loop
from wijkleer.errors import WijkleerError
from wijkleer.model import STATUSES, Knelpunt, StatusEvent
from wijkleer.text import t

# the specification of domain.md, written out independently of loop.TRANSITIONS
SPEC = {
    ("gesignaleerd", "ontvangen"),
    ("gesignaleerd", "samengevoegd"),
    ("gesignaleerd", "ingetrokken"),
    ("ontvangen", "in_behandeling"),
    ("ontvangen", "besluit"),
    ("ontvangen", "samengevoegd"),
    ("ontvangen", "ingetrokken"),
    ("in_behandeling", "besluit"),
    ("in_behandeling", "samengevoegd"),
    ("in_behandeling", "ingetrokken"),
    ("besluit", "teruggekoppeld"),
    ("teruggekoppeld", "getoetst"),
    ("teruggekoppeld", "heropend"),
    ("getoetst", "heropend"),
    ("heropend", "ontvangen"),
    ("heropend", "in_behandeling"),
    ("heropend", "samengevoegd"),
    ("heropend", "ingetrokken"),
}


def _event(status, **extra):
    fields = dict(knelpunt_id="k-1", status=status, rol="beleid", tekst="Toelichting bij deze stap.")
    if status == "besluit":
        fields["besluit"] = "opgepakt"
    if status == "samengevoegd":
        fields["samengevoegd_in"] = "k-2"
    return StatusEvent.make(**(fields | extra))


@pytest.mark.parametrize(("current", "new"), list(itertools.product(STATUSES, STATUSES)))
def test_every_transition_pair(current, new):
    event = _event(new)
    if (current, new) in SPEC:
        loop.check(current, event)
    else:
        with pytest.raises(WijkleerError) as caught:
            loop.check(current, event)
        assert (
            caught.value.message == f"Van '{t('status.' + current)}' kan een knelpunt niet naar '{t('status.' + new)}'."
        )
        assert caught.value.fields == {"status": "Deze stap kan nu niet."}


def test_history_starts_with_gesignaleerd_only():
    for status in STATUSES:
        assert loop.allowed(None, status) == (status == "gesignaleerd")


@pytest.mark.parametrize("status", sorted(loop.TEXT_REQUIRED))
def test_closing_answering_and_reopening_need_a_text(status):
    previous = next(s for s, n in SPEC if n == status)
    with pytest.raises(WijkleerError) as caught:
        loop.check(previous, _event(status, tekst="   "))
    assert "tekst" in caught.value.fields


def test_a_decision_needs_its_kind_and_a_merge_its_target():
    with pytest.raises(WijkleerError) as caught:
        loop.check("ontvangen", _event("besluit", besluit=None))
    assert "besluit" in caught.value.fields
    with pytest.raises(WijkleerError) as caught:
        loop.check("ontvangen", _event("samengevoegd", samengevoegd_in=None))
    assert "samengevoegd_in" in caught.value.fields


def test_refusal_names_the_steps_that_are_possible():
    with pytest.raises(WijkleerError) as caught:
        loop.check("gesignaleerd", _event("getoetst"))
    assert "Ontvangen" in caught.value.hint


def test_store_applies_the_rules_and_keeps_the_history(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    steps = [("ontvangen", "beleid"), ("besluit", "beleid"), ("teruggekoppeld", "beleid"), ("heropend", "uitvoering")]
    for status, rol in steps:
        store.append_event(_event(status, knelpunt_id=knelpunt.id, rol=rol), loop.check)
    with pytest.raises(WijkleerError):
        store.append_event(_event("getoetst", knelpunt_id=knelpunt.id, rol="uitvoering"), loop.check)
    history = store.history(knelpunt.id)
    assert [e.status for e in history] == ["gesignaleerd", *(s for s, _ in steps)]
    current = store.get(Knelpunt, knelpunt.id)
    assert current.status == "heropend"
    assert current.besluit == "opgepakt"


def test_a_repeated_event_is_stored_once(store, make_knelpunt):
    knelpunt = store.add(make_knelpunt())
    event = _event("ontvangen", knelpunt_id=knelpunt.id)
    store.append_event(event, loop.check)
    store.append_event(event, loop.check)  # the double click
    assert [e.status for e in store.history(knelpunt.id)] == ["gesignaleerd", "ontvangen"]


def test_a_missing_text_names_the_button_that_was_clicked():
    """After clicking 'Dit helpt' without a text, the message says 'Dit helpt', not the status 'Getoetst'."""
    event = StatusEvent(knelpunt_id="k", status="getoetst", rol="uitvoering", tekst="")
    with pytest.raises(WijkleerError) as caught:
        loop.check("teruggekoppeld", event)
    assert caught.value.message == "Bij 'Dit helpt' hoort een toelichting." and "tekst" in caught.value.fields


def test_a_hint_about_marked_fields_only_where_a_form_marked_one():
    from wijkleer.views.common import error_html

    error = WijkleerError("Deze naam is van de begeleider.", t("model.ongeldig_hint"), {"naam": "bezet"})
    marked = t("app.probeer", hint=t("model.ongeldig_hint"))
    assert "gemarkeerde" in marked
    assert "gemarkeerde" in error_html(error, [])  # a form with a 'naam' field marked it
    assert "gemarkeerde" not in error_html(error, ["bezet"])  # a form without that field: nothing marked
    assert "gemarkeerde" not in error_html(error)  # shown outside a form
    assert "pas aan wat in deze melding staat" in error_html(error)
    other = WijkleerError("Kies een rol.", "kies uit de lijst.", {"rol": "kies"})
    assert "kies uit de lijst." in error_html(other)  # any other hint stays as it is
