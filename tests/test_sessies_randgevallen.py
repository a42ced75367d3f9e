"""Edge cases of leerkring sessions, found by an independent review of issue #6: each test guards one defect that
was fixed (taken names, look-alike names, races between pages and tabs, what a spotlight or the summary shows).

Fixtures and helpers come from tests/test_sessies.py (``kring``, ``board``, ``running``, ``state_of``); ``store`` runs
on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import test_sessies as base

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelname, Deelnemer, Sessie, new_id
from wijkleer.privacy import disclosure
from wijkleer.sessies import samenvatting, sjablonen, verloop
from wijkleer.store import Kijker
from wijkleer.store import engine as eng
from wijkleer.text import t
from wijkleer.views import sessie_begeleider, sessie_bord, sessie_deelnemer

kring, board = base.kring, base.board  # the fixtures of tests/test_sessies.py
_fill, running, state_of = base._fill, base.running, base.state_of

ANNA_ENTRY = "Schuldhulp en Wmo hebben elk een eigen intake"
BERT_ENTRY = "Het budget voor collectief werk is per jaar onzeker"
KNELPUNT = {"titel": "Twee intakes voor één gezin", "omschrijving": "Gezinnen doen twee keer hun verhaal.",
            "wetten": ["wmo"], "categorie": "verkokering", "ernst": "hoog", "aantal_casussen": 4,
            "team": "Wijkteam Centrum", "wijk": "Centrum", "gemeente": "Vlietdam"}  # fmt: skip


_join = base.join


def _templates(monkeypatch, tmp_path, text: str) -> None:
    path = tmp_path / "sessies.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sjablonen, "sjablonen", lambda: sjablonen.parse(path))
    monkeypatch.setattr(verloop, "sjablonen", lambda: sjablonen.parse(path))


ANONYMOUS_THEN_NAMED = (
    "[[sjabloon]]\ncode = 'twee'\nnaam = 'Twee'\n"
    "[[sjabloon.fase]]\ntitel = 'Anoniem'\ndoel = 'd'\nvraag = 'v'\nminuten = 5\nsoort = 'schrijven'\n"
    "[[sjabloon.fase]]\ntitel = 'Op naam'\ndoel = 'd'\nvraag = 'v'\nminuten = 5\nsoort = 'schrijven'\nanoniem = false\n"
)


# -- (b) identity -----------------------------------------------------------------------------------------------
def test_a_second_person_under_a_taken_name_does_not_take_over_that_participation(store, kring, board):
    """Joining needs only the code and a name: typing someone else's name returns *their* Deelname, so that page
    receives their unrevealed anonymous entries marked as 'yours' (who wrote what), can move their dots, write
    actions on their name and say they are ready."""
    sessie, _zelf, anna, _bert = board
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Anna Uitvoering", rol="beleid")  # Mallory, on her own laptop
    if page.deelname is None:
        return  # refused: fine
    assert page.deelname.id != anna.id, "another page took over Anna's participation by typing her name"
    assert ANNA_ENTRY not in state_of(page.box), "Anna's unrevealed anonymous entry reached another person's page"


@pytest.mark.parametrize(
    ("naam", "why"),
    [
        ("\u200b", "an invisible name"),
        ("\u202eAnna", "a right-to-left override"),
        ("Fenna Begeleider\u200b", "the facilitator's name with a zero-width space"),
        ("Fenna\u2060Begeleider", "the facilitator's name with a word joiner"),
    ],
)
def test_join_refuses_invisible_and_lookalike_names(store, kring, naam, why):
    sessie, _ = running(store, kring)
    with pytest.raises(WijkleerError) as caught:
        _join(store, sessie.code, naam, "uitvoering")
    assert "naam" in caught.value.fields, why


def test_join_treats_one_name_in_two_unicode_forms_as_one_name(store, kring):
    sessie, _ = running(store, kring)
    composed = _join(store, sessie.code, "Jos\u00e9", "uitvoering")
    try:
        decomposed = _join(store, sessie.code, "Jose\u0301", "uitvoering")
    except WijkleerError:
        return
    assert decomposed.id == composed.id, "two participants whose names look exactly alike"


def test_a_finished_session_takes_no_more_phase_moves_or_reveals(store, kring, board):
    sessie, *_ = board
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    console.knoppen["afronden"].click()  # the first click asks: ending cannot be undone
    assert store.get(Sessie, sessie.id).status == "bezig"
    console.knoppen["afronden"].click()
    assert store.get(Sessie, sessie.id).status == "afgerond"
    assert console.knoppen["volgende"].disabled and console.knoppen["onthullen"].disabled, "buttons still live"
    finish = console.knoppen["afronden"]  # no stale 'Zeker? Klik nog eens', no decision form to fill in
    assert finish.description == "Sessie afgerond" and finish.button_style == ""
    assert console.besluit_form.button.disabled and console.besluit.widget.disabled
    with pytest.raises(WijkleerError):
        verloop.naar_fase(store, kring, sessie.id, 1)
    with pytest.raises(WijkleerError):
        verloop.onthullen(store, kring, sessie.id)


# -- (a) what a page receives --------------------------------------------------------------------------------------
def test_spotlight_does_not_reveal_the_other_entries_of_its_phase(store, kring, board):
    sessie, _zelf, anna, bert = board
    cas = _join(store, sessie.code, "Cas Collega", "uitvoering")
    verloop.indienen(store, cas, "Niemand kent de sociale kaart van de wijk", new_id())
    bert_entry = store.bijdragen(sessie.id, Kijker("deelnemer", bert.id))[0]
    verloop.uitlichten(store, kring, sessie.id, bert_entry.id)
    seen = {e.tekst for e in store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))}
    assert BERT_ENTRY in seen
    assert "Niemand kent de sociale kaart van de wijk" not in seen, "spotlighting one entry revealed the whole phase"


def test_a_submit_just_after_the_phase_moved_on_is_not_stored_under_a_name(store, kring, monkeypatch, tmp_path):
    """The page still shows the anonymous phase's form; the facilitator moves to a named phase; the participant
    clicks 'insturen' before the page's poll noticed: the text written for an anonymous question is stored on
    their name (and in the other phase)."""
    _templates(monkeypatch, tmp_path, ANONYMOUS_THEN_NAMED)
    sessie, _ = running(store, kring, "twee")
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="uitvoering")
    text = "Mijn teamleider luistert niet naar signalen"
    page.tekst.widget.value = text
    verloop.naar_fase(store, kring, sessie.id, 1)  # the facilitator clicks 'volgende' ...
    page.schrijf.button.click()  # ... a moment before this page's poll ran
    stored = [e for e in store.bijdragen(sessie.id, Kijker("begeleider")) if e.tekst == text]
    assert all(e.auteur is None for e in stored), "text written in an anonymous phase was stored on a name"


def test_participant_kernel_never_fetches_hidden_entries_or_anonymous_names(store, kring, board, monkeypatch):
    """Requirement 5: a viewer's kernel never receives data it may not show. ``bijdragen`` reads every entry of the
    session with its writer's name into the participant's kernel and filters in Python afterwards."""
    sessie, _zelf, anna, _bert = board
    fetched = []
    real = eng.run

    def spy(engine, work, write):
        result = real(engine, work, write)
        fetched.append(repr(result))
        return result

    monkeypatch.setattr(eng, "run", spy)
    store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))
    everything = "\n".join(fetched)
    assert BERT_ENTRY not in everything and "Bert Beleid" not in everything


# -- (c) races -------------------------------------------------------------------------------------------------------
def test_two_pages_joining_under_one_name_at_the_same_moment(store, kring, monkeypatch):
    """Two pages press 'Meedoen' under one name together: one joins, the other hears the name is taken (not a
    database error from the unique index on (sessie_id, naam)), and the kring gets one member for the name."""
    sessie, _ = running(store, kring)
    barriers = {"deelnemer": threading.Barrier(2), "deelname": threading.Barrier(2)}
    original = type(store)._insert_ignore

    def together(self, connection, table, rows):
        if table.name in barriers:
            with contextlib.suppress(threading.BrokenBarrierError):  # SQLite: the other one waits for BEGIN IMMEDIATE
                barriers[table.name].wait(timeout=3)  # both transactions are past their 'is it there?' check
        return original(self, connection, table, rows)

    monkeypatch.setattr(type(store), "_insert_ignore", together)

    def join(_):
        try:
            return _join(store, sessie.code, "Anna", "uitvoering").id
        except WijkleerError as error:
            return error

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(join, range(2)))
    # one page joins; the other is told the name is taken (it comes back through the personal link), no database error
    joined = [r for r in results if not isinstance(r, WijkleerError)]
    refused = [r for r in results if isinstance(r, WijkleerError)]
    assert len(joined) == 1 and len(refused) == 1 and "naam" in refused[0].fields, results
    assert len(store.list(Deelnemer, kring_id=kring.kring_id, naam="Anna")) == 1, "one name, two kring members"


def test_hiding_is_not_undone_by_a_phase_move_from_another_tab(store, kring, monkeypatch):
    """naar_fase/onthullen/uitlichten read ``onthuld``, compute, and write the whole list in a later transaction: a
    facilitator's second tab (laptop + projector) that hides entries in between is silently overwritten."""
    sessie, _ = running(store, kring, "imi")
    anna = _join(store, sessie.code, "Anna", "uitvoering")
    verloop.naar_fase(store, kring, sessie.id, 1)
    verloop.indienen(store, anna, "Niemand wist wie de regie had", new_id())
    verloop.onthullen(store, kring, sessie.id)
    original, done = store.sessie_wijzigen, []

    def interleaved(sessie_id, change=None, **changes):
        if not done:
            done.append(True)
            verloop.onthullen(store, kring, sessie_id, False)  # the other tab, between this tab's read and write
        return original(sessie_id, change, **changes)

    monkeypatch.setattr(store, "sessie_wijzigen", interleaved)
    verloop.naar_fase(store, kring, sessie.id, 2)
    assert 1 not in store.get(Sessie, sessie.id).onthuld, "entries the facilitator just hid are revealed again"


# -- (d) behaviour ----------------------------------------------------------------------------------------------------
def test_poller_redraws_again_after_a_redraw_failed(store, kring):
    """Volger.check marks the version as seen before ``on_change`` ran: when that redraw fails (database busy for a
    moment) the page stays stale until something else changes."""
    sessie, _ = running(store, kring)
    calls = []

    def redraw():
        calls.append(True)
        if len(calls) == 1:
            raise WijkleerError("De database is even bezet.", "wacht even")

    volger = sessie_bord.Volger(store, sessie.id, redraw)
    store.sessie_wijzigen(sessie.id)
    with pytest.raises(WijkleerError):
        volger.check()
    volger.check()
    assert len(calls) == 2, "the failed redraw was never retried"


def _review_of_an_action(store, kring, board):
    """An action committed to in the board's session, which then ends; a planned action review opened."""
    sessie, _zelf, anna, _bert = board
    verloop.naar_fase(store, kring, sessie.id, 3)
    actie = verloop.actie_toevoegen(store, anna, "Intake afstemmen met schuldhulp", date.today() + timedelta(7),
                                    new_id())  # fmt: skip
    verloop.afronden(store, kring, sessie.id)
    review, zelf = verloop.openen(store, kring, verloop.plannen(store, kring, "actiereview", "", date.today()).id)
    return actie, review, zelf


def test_participant_page_follows_the_action_review(store, kring, board):
    actie, review, zelf = _review_of_an_action(store, kring, board)
    page = sessie_deelnemer.Deelnemen(store, review.code)
    _fill(page.form, naam="Anna Uitvoering", rol="uitvoering")
    assert actie.omschrijving in state_of(page.bord)
    verloop.actie_bijwerken(store, kring, zelf, actie.id, "gedaan")
    assert page.volger.check()
    shown = state_of(page.box)
    assert "Actie &#x27;Intake afstemmen met schuldhulp&#x27;: gedaan." in shown, "still listed as open"


def test_ready_toggle_matches_the_store_when_the_phase_comes_back(store, kring, board):
    """Ready in phase 1, the facilitator goes on and back: the console says 'klaar', the page's toggle says not."""
    sessie, *_ = board
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="uitvoering")
    page.klaar.value = True
    verloop.naar_fase(store, kring, sessie.id, 1)
    page.volger.check()
    verloop.naar_fase(store, kring, sessie.id, 0)
    page.volger.check()
    stored = next(d for d in store.list(Deelname, sessie_id=sessie.id) if d.naam == "Cas Collega")
    assert page.klaar.value == (stored.klaar == 0), "the console shows 'klaar', the participant's toggle does not"


def test_console_offers_no_reveal_in_a_phase_without_entries(store, kring):
    sessie, _ = running(store, kring, "imi")  # phase 1: 'uitleg', nothing is written
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    hidden = console.knoppen["onthullen"].layout.display == "none"
    assert console.knoppen["onthullen"].disabled or hidden, "'Onthullen' is offered where there is nothing to reveal"
    assert t("sessies.nog_niet_onthuld") not in console.bord.value


def test_joining_a_session_does_not_take_the_name_for_signing_in(store, kring):
    """Every name typed on the join page becomes a code-less Deelnemer of the kring; afterwards the real person can
    no longer sign up under their own name in the personal workbooks (reflection, exercises)."""
    sessie, _ = running(store, kring)
    _join(store, sessie.code, "Anna de Vries", "uitvoering")
    person = identiteit.aanmelden(store, kring.kring_id, "Anna de Vries", "eigen-code-77")
    assert person.naam == "Anna de Vries"


@pytest.mark.parametrize("spaced", ["{a} {b}", "{a}-{b}", " {a}  {b} "])
def test_a_join_code_typed_as_read_aloud_is_accepted(store, kring, spaced):
    """The console shows the code letter-spaced in large type; people type it with a space or a dash."""
    sessie, _ = running(store, kring)
    typed = spaced.format(a=sessie.code[:3], b=sessie.code[3:])
    assert _join(store, typed.lower(), "Anna", "uitvoering").sessie_id == sessie.id


# -- (e) the summary --------------------------------------------------------------------------------------------------
def test_summary_lists_knelpunten_made_from_entries_never_revealed(store, kring):
    sessie, _ = running(store, kring)
    anna = _join(store, sessie.code, "Anna", "uitvoering")
    verloop.naar_fase(store, kring, sessie.id, 2)  # 'Knelpunt formuleren'
    verloop.indienen(store, anna, "Eén intake voor schuldhulp en Wmo", new_id())
    entry = store.bijdragen(sessie.id, Kijker("begeleider"))[0]
    verloop.knelpunt_maken(store, kring, sessie.id, entry.id, KNELPUNT, new_id())  # no reveal needed for that
    page = samenvatting.html(store, kring, sessie.id)
    assert KNELPUNT["titel"] in page, "a knelpunt raised in the session is missing from the summary"


def test_summary_of_an_action_review_reports_what_happened_to_the_actions(store, kring, board):
    actie, review, zelf = _review_of_an_action(store, kring, board)
    verloop.actie_bijwerken(store, kring, zelf, actie.id, "gedaan")
    page = samenvatting.html(store, kring, review.id)
    assert actie.omschrijving in page, "the action review's outcome is not in its summary"


def test_summary_for_the_municipality_hides_the_dots_of_a_role_with_one_voter(store, kring, board):
    """Bert is the only 'beleid' participant: the summary's 'Beleid' column is Bert's own vote."""
    sessie, _zelf, anna, bert = board
    verloop.naar_fase(store, kring, sessie.id, 1)
    entries = [e for e in store.bijdragen(sessie.id, Kijker("begeleider")) if e.fase == 0]
    verloop.stemmen(store, anna, entries[0].id, True)
    verloop.stemmen(store, bert, entries[1].id, True)
    _title, _onder, sections = samenvatting.delen(store, kring, sessie.id)
    vote = next(d for d in sections if d.kop.startswith("Stemming"))
    if "Beleid" in vote.kolommen:
        column = vote.kolommen.index("Beleid")
        assert all(not row[column].isdigit() for row in vote.rijen), "one person's dots, per entry, to policy"


def test_summary_file_name_keeps_dutch_letters(store, kring):
    sessie = verloop.plannen(store, kring, "knelpuntenronde", "Cliëntenraad én wijkteam", date.today())
    assert samenvatting.bestandsnaam(sessie).endswith("clientenraad-en-wijkteam")


def test_summary_rating_means_follow_the_disclosure_floor(store, kring):
    """domain.md: aggregates to policy are built on at least k people, k never below 5; the summary shows a role's
    mean from 3 raters."""
    sessie, _ = running(store, kring, "verwachtingenronde")
    from wijkleer import verwachtingen
    from wijkleer.model import Verwachting

    expectation = store.add(Verwachting(kring_id=sessie.kring_id, belanghebbende="bestuur", tekst="Fraude melden"))
    for n in range(disclosure.MIN_K - 1):
        person = _join(store, sessie.code, f"P{n}", "uitvoering")
        who = store.get(Deelnemer, person.deelnemer_id).model_copy(update={"rol": person.rol})
        verwachtingen.rate(store, who, sessie.id, {expectation.id: (5, 2)})
    _title, _onder, sections = samenvatting.delen(store, kring, sessie.id)
    rows = next(d for d in sections if d.kop == "Verwachtingen").rijen
    assert all(row[2:4] == ["x", "x"] for row in rows), f"a mean of {disclosure.MIN_K - 1} raters goes out"
