"""The live room: the facilitator starts and pauses the timer (every page sees the same), and a projector screen,
opened from the console with a key of its own, shows the room the join code, link and QR code, who joined, the phase
and its timer, and never a name or an entry participants may not see.

Fixtures and helpers come from tests/test_sessies.py (``kring``, ``board``, ``running``, ``state_of``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import test_sessies as base

from wijkleer.errors import WijkleerError
from wijkleer.model import Sessie, new_id
from wijkleer.sessies import scherm, verloop
from wijkleer.store import Kijker
from wijkleer.views import projector, sessie_begeleider, sessie_deelnemer

kring, board = base.kring, base.board
_fill, running, state_of, join = base._fill, base.running, base.state_of, base.join


def _later(sessie: Sessie, seconds: int):
    return sessie.fase_sinds + timedelta(seconds=seconds)


# -- the timer ---------------------------------------------------------------------------------------------------
def test_the_timer_waits_for_the_facilitator(store, kring):
    sessie, _ = running(store, kring)
    timebox = timedelta(minutes=verloop.fase_van(sessie).minuten)
    assert not verloop.timer_loopt(sessie) and sessie.fase_sinds is None
    assert verloop.resterend(sessie) == timebox  # shown, not counting down
    started = verloop.timer_starten(store, kring, sessie.id)
    minute = timedelta(seconds=60)
    assert verloop.timer_loopt(started) and verloop.resterend(started, _later(started, 60)) == timebox - minute
    again = verloop.timer_starten(store, kring, sessie.id)  # a second tab's click does not restart it
    assert again.fase_sinds == started.fase_sinds


def test_pause_keeps_the_time_counted_and_start_continues(store, kring):
    sessie, _ = running(store, kring)
    verloop.timer_starten(store, kring, sessie.id)
    store.sessie_wijzigen(sessie.id, lambda s: {"fase_sinds": s.fase_sinds - timedelta(seconds=90)})
    paused = verloop.timer_pauzeren(store, kring, sessie.id)
    timebox = timedelta(minutes=verloop.fase_van(sessie).minuten)
    assert not verloop.timer_loopt(paused) and paused.timer_verstreken in (90, 91, 92)
    assert verloop.resterend(paused) == timebox - timedelta(seconds=paused.timer_verstreken)
    assert verloop.timer_pauzeren(store, kring, sessie.id).timer_verstreken == paused.timer_verstreken  # idempotent
    going = verloop.timer_starten(store, kring, sessie.id)
    assert verloop.resterend(going, _later(going, 10)) == timebox - timedelta(seconds=paused.timer_verstreken + 10)
    fresh = verloop.timer_opnieuw(store, kring, sessie.id)
    assert fresh.timer_verstreken == 0 and verloop.timer_loopt(fresh)


def test_a_new_phase_keeps_the_timer_running_or_waiting(store, kring):
    sessie, _ = running(store, kring)
    waiting = verloop.naar_fase(store, kring, sessie.id, 1)
    assert not verloop.timer_loopt(waiting)  # not started yet: the next phase waits too
    verloop.timer_starten(store, kring, sessie.id)
    verloop.timer_pauzeren(store, kring, sessie.id)
    moved = verloop.naar_fase(store, kring, sessie.id, 2)
    assert not verloop.timer_loopt(moved) and moved.timer_verstreken == 0  # paused: the new phase waits, whole
    verloop.timer_starten(store, kring, sessie.id)
    moved = verloop.naar_fase(store, kring, sessie.id, 3)
    assert verloop.timer_loopt(moved) and moved.timer_verstreken == 0  # running: the new phase counts from now


def test_only_the_facilitator_of_a_running_session_works_the_timer(store, kring):
    sessie, _ = running(store, kring)
    other = verloop.kring_maken(store, "Andere kring", "Elders", "Olga Ander", "andere-code-1")
    for verb in (verloop.timer_starten, verloop.timer_pauzeren):
        with pytest.raises(WijkleerError, match="begeleider"):
            verb(store, other, sessie.id)
    verloop.afronden(store, kring, sessie.id)
    with pytest.raises(WijkleerError, match="loopt niet"):
        verloop.timer_starten(store, kring, sessie.id)


def test_pages_show_the_timebox_still_until_started(store, kring):
    sessie, _ = running(store, kring)
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Anna", rol="uitvoering")
    assert "10:00 — de tijd loopt nog niet" in page.timer.value
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    assert console.knoppen["start"].description == "Timer starten"
    console.knoppen["start"].click()
    assert verloop.timer_loopt(store.get(Sessie, sessie.id))
    assert console.knoppen["start"].description == "Timer pauzeren"
    page.volger.check()
    assert "Nog 10:00" in page.timer.value or "Nog 9:5" in page.timer.value
    console.knoppen["start"].click()
    page.volger.check()
    assert "gepauzeerd" in page.timer.value and console.knoppen["start"].description == "Timer verder"


# -- the projector screen -----------------------------------------------------------------------------------------
def test_the_projector_link_needs_the_key_the_console_made(store, kring):
    sessie, _ = running(store, kring)
    key = scherm.openen(store, kring, sessie.id)
    assert store.get(Sessie, sessie.id).scherm_sleutel not in (None, key)  # only the hash is stored
    assert scherm.sessie_van(store, sessie.code.lower(), key).id == sessie.id
    for code, wrong in ((sessie.code, "geraden"), (sessie.code, ""), ("ZZZZZZ", key)):
        with pytest.raises(WijkleerError, match="projectorscherm"):
            scherm.sessie_van(store, code, wrong)
    newer = scherm.openen(store, kring, sessie.id)
    with pytest.raises(WijkleerError):
        scherm.sessie_van(store, sessie.code, key)  # an older link stops working
    assert scherm.sessie_van(store, sessie.code, newer).id == sessie.id
    other = verloop.kring_maken(store, "Andere kring", "Elders", "Olga Ander", "andere-code-1")
    with pytest.raises(WijkleerError, match="begeleider"):
        scherm.openen(store, other, sessie.id)


def test_the_projector_counts_who_joined_and_who_is_ready(store, kring, board):
    sessie, _zelf, anna, _bert = board
    beeld = scherm.beeld(store, sessie.id)
    assert (beeld.binnen, beeld.klaar, beeld.nummer, beeld.totaal) == (2, 0, 1, 4)  # the facilitator not counted
    verloop.klaar(store, anna)
    assert scherm.beeld(store, sessie.id).klaar == 1


def test_the_projector_shows_nothing_participants_may_not_see(store, kring, board):
    sessie, _zelf, anna, bert = board
    key = scherm.openen(store, kring, sessie.id)
    screen = projector.Projector(store, sessie.code, key)
    hidden = [e.tekst for e in store.bijdragen(sessie.id, Kijker("begeleider"))]
    shown = state_of(screen.box)
    assert sessie.code in shown and "2 deelnemers doen mee" in shown and "<svg" in shown
    assert f"wijkleer/sessie?code={sessie.code}" in shown
    for secret in (*hidden, "Anna", "Bert", key, anna.id, bert.id):
        assert secret not in shown
    entry = store.bijdragen(sessie.id, Kijker("deelnemer", bert.id))[0]
    verloop.uitlichten(store, kring, sessie.id, entry.id)  # a spotlight is for everyone: also on the projector
    screen.volger.check()
    shown = state_of(screen.box)
    assert entry.tekst in shown and "Bert" not in shown
    assert all(text not in shown for text in hidden if text != entry.tekst)


def test_the_join_url_comes_from_the_page_address_and_the_qr_code_is_only_drawing():
    url = projector.deelname_url("K7M2QX", "https://wijkleer.example.nl/voila/render/projector.ipynb?code=K&scherm=s")
    assert url == "https://wijkleer.example.nl/wijkleer/sessie?code=K7M2QX"  # the page without a kernel
    hub = "https://hub.example.nl/services/wijkleer/voila/render/begeleiden.ipynb"
    assert (
        projector.deelname_url("K7M2QX", hub) == "https://hub.example.nl/services/wijkleer/wijkleer/sessie?code=K7M2QX"
    )
    assert projector.deelname_url("K7M2QX", "") == "../../wijkleer/sessie?code=K7M2QX"


def test_a_hub_users_own_server_links_to_the_voila_page(monkeypatch):
    """Under JupyterHub's Voilà server extension there is no launcher to answer the page without a kernel."""
    monkeypatch.setenv("JUPYTERHUB_USER", "fenna")
    adres = "https://hub.example.nl/user/fenna/voila/render/begeleiden.ipynb"
    assert (
        projector.deelname_url("K7M2QX", adres)
        == "https://hub.example.nl/user/fenna/voila/render/sessie.ipynb?code=K7M2QX"
    )
    evil = 'http://x"><script>alert(1)</script>/voila/render/p.ipynb'
    svg = projector.qr_svg(projector.deelname_url("K7M2QX", evil))
    assert svg.startswith("<svg") and "<script" not in svg and "alert" not in svg
    assert "<script" not in projector.meedoen_html("K7M2QX", evil)


def test_the_projector_page_without_a_link_says_where_to_open_it(store, kring, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "")
    assert "Sessie begeleiden" in projector.app(store).value
    sessie, _ = running(store, kring)
    refused = projector.app(store, sessie.code, "geraden")
    assert 'role="alert"' in refused.value and "projectorscherm" in refused.value


def test_the_console_offers_the_projector_link(store, kring):
    sessie, _ = running(store, kring)
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    assert f"projector.ipynb?code={sessie.code}&amp;scherm={console.scherm_sleutel}" in console.join.value
    assert scherm.sessie_van(store, sessie.code, console.scherm_sleutel).id == sessie.id
    verloop.indienen(store, join(store, sessie.code, "Anna", "uitvoering"), "Iets", new_id())


# -- later phases build on earlier results ------------------------------------------------------------------------
def _voted(store, kring, board):
    """The board's round, voted: Bert's entry two dots, Anna's one; then on to 'Knelpunt formuleren'."""
    sessie, _zelf, anna, bert = board
    verloop.naar_fase(store, kring, sessie.id, 1)
    first, second = store.bijdragen(sessie.id, Kijker("begeleider"), 0)
    verloop.stemmen(store, anna, second.id, True)
    verloop.stemmen(store, bert, second.id, True)
    verloop.stemmen(store, bert, first.id, True)
    return verloop.naar_fase(store, kring, sessie.id, 2), first, second


def test_the_knelpunt_phase_shows_what_the_vote_chose(store, kring, board):
    _sessie, _zelf, anna, _bert = board
    sessie, first, second = _voted(store, kring, board)
    assert verloop.uitslag_fase(sessie) == 1
    as_facilitator = verloop.eerdere_uitslag(
        store, sessie, store.bijdragen(sessie.id, Kijker("begeleider")), Kijker("begeleider")
    )
    assert [(e.id, sum(d.values())) for e, d in as_facilitator] == [(second.id, 2), (first.id, 1)]
    mine = Kijker("deelnemer", anna.id)
    assert verloop.eerdere_uitslag(store, sessie, store.bijdragen(sessie.id, mine), mine) == []  # not revealed
    assert not verloop.onthuld(sessie)
    revealed = verloop.onthullen(store, kring, sessie.id)  # reveal in the knelpunt phase opens the vote's result
    assert 1 in revealed.onthuld and verloop.onthuld(revealed)
    ranking = verloop.eerdere_uitslag(store, revealed, store.bijdragen(sessie.id, mine), mine)
    assert [e.id for e, _d in ranking] == [second.id, first.id]
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="uitvoering")
    assert "Gekozen in fase 2" in page.bord.value and second.tekst in page.bord.value


def test_phases_without_an_earlier_vote_show_no_result(store, kring, board):
    sessie, *_ = board
    assert verloop.uitslag_fase(sessie) is None
    assert verloop.eerdere_uitslag(store, sessie, [], Kijker("begeleider")) == []
    imi = sjablonen_of("imi")
    assert imi.uitslag_bron(4) is None  # a knelpunt phase without a vote before it


def sjablonen_of(code):
    from wijkleer.sessies import sjablonen

    return sjablonen.sjablonen()[code]


def test_spotlight_and_knelpunt_reach_entries_of_earlier_phases(store, kring, board):
    sessie, first, second = _voted(store, kring, board)
    anna = board[2]
    verloop.indienen(store, anna, "Eén intake voor schuldhulp en Wmo", new_id())
    entries = store.bijdragen(sessie.id, Kijker("begeleider"))
    kiesbaar = verloop.kiesbare_bijdragen(sessie, entries)
    assert [e.fase for e in kiesbaar] == [2, 0, 0] and {first.id, second.id} <= {e.id for e in kiesbaar}
    assert verloop.uitlichten(store, kring, sessie.id, second.id).uitgelicht == second.id
    knelpunt_id = verloop.knelpunt_maken(store, kring, sessie.id, second.id, dict(base_knelpunt()), new_id())
    assert next(e for e in store.bijdragen(sessie.id, Kijker("begeleider")) if e.id == second.id).knelpunt_id == (
        knelpunt_id
    )
    back = verloop.naar_fase(store, kring, sessie.id, 0)  # going back: a later phase's entries are not offered
    assert all(e.fase == 0 for e in verloop.kiesbare_bijdragen(back, store.bijdragen(sessie.id, Kijker("begeleider"))))
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    verloop.naar_fase(store, kring, sessie.id, 2)
    _fill(console.open_form, sessie=sessie.id)
    phases = {label.split(":")[0] for label, value in console.licht.options if value}
    assert phases == {"Fase 1", "Fase 3"}
    assert first.id in [value for _label, value in console.k_bijdrage.widget.options]
    assert "Gekozen in fase 2" in console.bord.value


def base_knelpunt():
    from test_sessies_randgevallen import KNELPUNT

    return KNELPUNT


# -- changing or taking back one's own entry ----------------------------------------------------------------------
def _own(store, sessie, who):
    return next(e for e in store.bijdragen(sessie.id, Kijker("deelnemer", who.id)) if e.eigen)


def test_the_writer_changes_or_takes_back_an_entry_until_it_is_revealed(store, kring, board):
    sessie, _zelf, anna, bert = board
    entry = _own(store, sessie, anna)
    verloop.bijdrage_wijzigen(store, anna, entry.id, "Schuldhulp en Wmo: twee intakes, twee dossiers")
    assert _own(store, sessie, anna).tekst == "Schuldhulp en Wmo: twee intakes, twee dossiers"
    seen = store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))
    assert [e.id for e in verloop.eigen_wijzigbaar(store.get(Sessie, sessie.id), seen)] == [entry.id]
    verloop.bijdrage_intrekken(store, anna, entry.id)
    assert entry.id not in {e.id for e in store.bijdragen(sessie.id, Kijker("begeleider"))}
    with pytest.raises(WijkleerError, match="niet van jou"):
        verloop.bijdrage_intrekken(store, anna, entry.id)  # gone


def test_only_the_writer_changes_an_entry(store, kring, board):
    sessie, _zelf, anna, bert = board
    entry = _own(store, sessie, anna)
    for verb in (
        lambda: verloop.bijdrage_wijzigen(store, bert, entry.id, "Overgenomen"),
        lambda: verloop.bijdrage_intrekken(store, bert, entry.id),
    ):
        with pytest.raises(WijkleerError, match="niet van jou"):
            verb()
    assert not store.bijdrage_herschrijven(bert, entry.id, "Overgenomen")  # the store refuses on its own too
    assert _own(store, sessie, anna).tekst == entry.tekst


def test_a_changed_entry_passes_the_same_gate_as_a_new_one(store, kring, board):
    sessie, _zelf, anna, _bert = board
    entry = _own(store, sessie, anna)
    for bad in ("Mevrouw Jansen, BSN 111222333, belt elke dag", "", "x" * 1001):
        with pytest.raises(WijkleerError) as caught:
            verloop.bijdrage_wijzigen(store, anna, entry.id, bad)
        assert "tekst" in caught.value.fields
    assert _own(store, sessie, anna).tekst == entry.tekst


@pytest.mark.parametrize("how", ["onthullen", "uitlichten", "knelpunt"])
def test_once_others_saw_it_the_entry_stays(store, kring, board, how):
    sessie, _zelf, anna, _bert = board
    entry = _own(store, sessie, anna)
    if how == "onthullen":
        verloop.onthullen(store, kring, sessie.id)
    elif how == "uitlichten":
        verloop.uitlichten(store, kring, sessie.id, entry.id)
    else:
        verloop.knelpunt_maken(store, kring, sessie.id, entry.id, dict(base_knelpunt()), new_id())
    with pytest.raises(WijkleerError, match="al gezien"):
        verloop.bijdrage_wijzigen(store, anna, entry.id, "Toch anders")
    with pytest.raises(WijkleerError, match="al gezien"):
        verloop.bijdrage_intrekken(store, anna, entry.id)
    current = store.get(Sessie, sessie.id)
    assert not store.bijdrage_intrekken(anna, entry.id)  # the store's own guard, whatever a page believes
    assert verloop.eigen_wijzigbaar(current, store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))) == []


def test_an_entry_with_dots_stays_and_a_finished_session_takes_no_change(store, kring, board):
    sessie, _zelf, anna, bert = board
    entry = _own(store, sessie, anna)
    verloop.naar_fase(store, kring, sessie.id, 1)
    verloop.stemmen(store, bert, entry.id, True)
    store.sessie_wijzigen(sessie.id, onthuld=[])  # even if the source were hidden again: the dots count
    assert not store.bijdrage_herschrijven(anna, entry.id, "Toch anders")
    verloop.afronden(store, kring, sessie.id)
    with pytest.raises(WijkleerError, match="loopt niet"):
        verloop.bijdrage_wijzigen(store, anna, entry.id, "Toch anders")


def test_participant_page_changes_and_takes_back_its_own_entry(store, kring):
    sessie, _ = running(store, kring)
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Anna", rol="uitvoering")
    page.tekst.widget.value = "Wachtlijst ggz"
    page.schrijf.button.click()
    field, buttons, message = page.eigen.children[1].children
    save, drop = buttons.children
    field.value = "Wachtlijst ggz: een half jaar"
    save.click()
    assert "gewijzigd" in message.value
    assert _own(store, sessie, page.deelname).tekst == "Wachtlijst ggz: een half jaar"
    drop.click()  # asks first
    assert store.bijdragen(sessie.id, Kijker("begeleider"))
    drop.click()
    assert store.bijdragen(sessie.id, Kijker("begeleider")) == [] and page.eigen.children == ()
    page.tekst.widget.value = "Nieuwe bijdrage"
    page.schrijf.button.click()
    verloop.onthullen(store, kring, sessie.id)
    page.volger.check()
    assert page.eigen.children == ()  # revealed: no more controls
