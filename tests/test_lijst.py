"""Lists as people use them (Inbox and logbook), driven in Python on SQLite and PostgreSQL: search, sort on a column,
page through, open a row; new and late on top in the Inbox; missing values in words; only the page on screen in
widget state; similar knelpunten right under the title with the right singular and plural, '+1 casus' undoable."""

import html
from datetime import date, datetime, timedelta

import pytest

from tests.support.widgets import buttons_of, html_of
from wijkleer import logboek, loop
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, StatusEvent, Team
from wijkleer.views.inbox import Inbox
from wijkleer.views.lijst import PAGE_SIZE
from wijkleer.views.logboek import Logboek

TEAM = Team.make(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Lingestroom")


def _many(store, make_knelpunt, late: int = 30, new: int = 2):
    """``late`` knelpunten acknowledged long ago and still unanswered (late), then ``new`` just signalled."""
    store.add(TEAM)
    old = [
        make_knelpunt(titel=f"Oud knelpunt {i:02d}", datum=date(2025, 3, 3), aangemaakt=datetime(2025, 3, 3, 9))
        for i in range(late)
    ]
    store.add_many(old)
    for knelpunt in old:
        store.append_event(
            StatusEvent(knelpunt_id=knelpunt.id, status="ontvangen", rol="beleid", tijdstip=datetime(2025, 3, 4, 9)),
            loop.check,
        )
    fresh = [make_knelpunt(titel=f"Nieuw knelpunt {i}", datum=date.today()) for i in range(new)]
    store.add_many(fresh)
    return old, fresh


def test_inbox_new_then_late_on_the_first_page(store, make_knelpunt):
    _old, fresh = _many(store, make_knelpunt)
    inbox = Inbox(store, "Dijkhoven")
    first_page = buttons_of(inbox.lijst.grid)
    titles = first_page[len(inbox.lijst.kolommen) :]  # after the column headings
    assert set(titles[:2]) == {k.titel for k in fresh}  # the two new ones on top, before 30 late ones
    assert len(titles) == PAGE_SIZE and all(title.startswith("Oud") for title in titles[2:])
    assert "32 knelpunten wachten op beleid, waarvan 2 nieuw en 30 te laat" in inbox.summary.value
    shown = html_of(inbox.lijst.grid)
    assert "nog niet toegewezen" in shown and "nan" not in shown and "None" not in shown
    assert "Veel te laat" in shown and "Drie keer" not in shown


def test_search_sort_page_and_open(store, make_knelpunt):
    old, _fresh = _many(store, make_knelpunt)
    inbox = Inbox(store, "Dijkhoven")
    lijst = inbox.lijst
    assert "Pagina 1 van 2" in lijst.position.value and lijst.previous.disabled
    lijst.next.click()
    assert "Pagina 2 van 2" in lijst.position.value and len(lijst.shown) == 32 - PAGE_SIZE
    lijst.headings[0].click()  # Titel, ascending: back to page 1
    assert lijst.shown[0] == min(lijst.frame.index, key=lambda i: lijst.frame.loc[i, "titel"])
    assert lijst.headings[0].description.endswith("▲") and "gesorteerd op Titel (oplopend)" in lijst.status.value
    lijst.headings[0].click()
    assert lijst.frame.loc[lijst.shown[0], "titel"] == "Oud knelpunt 29"  # descending
    lijst.headings[0].click()
    assert "standaardvolgorde" in lijst.status.value  # a third click: the promised order again
    lijst.search.value = "knelpunt 07"
    assert lijst.shown == [old[7].id] and "1 gevonden" in lijst.status.value
    lijst.search.value = "bestaat niet"
    assert lijst.shown == [] and "Niets gevonden" in lijst.status.value
    lijst.search.value = "oud 07"  # every word must occur, in any case
    lijst.rows[0][0].click()
    assert inbox.current == old[7].id and inbox.list_view.layout.display == "none"
    assert "Oud knelpunt 07" in html_of(inbox.detail_box)
    inbox.back.click()
    assert inbox.current is None and lijst.search.value == "oud 07"  # back where the person was


def test_only_the_page_on_screen_is_in_widget_state(store, make_knelpunt):
    old, _fresh = _many(store, make_knelpunt)
    inbox = Inbox(store, "Dijkhoven")
    sent = " ".join(buttons_of(inbox.box)) + html_of(inbox.box)
    on_later_pages = [k.titel for k in old if k.id not in inbox.lijst.shown]
    assert on_later_pages and not [title for title in on_later_pages if title in sent]
    assert not inbox.merge_into.widget.options  # the other titles only when merging is the chosen step


def test_hostile_titles_in_a_list_stay_text(store, make_knelpunt):
    store.add(TEAM)
    store.add(make_knelpunt(titel="<img src=x onerror=alert(1)> & co", datum=date.today()))
    inbox = Inbox(store, "Dijkhoven")
    assert "<img" not in html_of(inbox.lijst.box)
    inbox.lijst.rows[0][0].click()
    assert html.escape("<img src=x onerror=alert(1)> & co") in html_of(inbox.detail_box)


def test_logbook_list_sorts_and_opens_the_teams_own(store, make_knelpunt):
    store.add(TEAM)
    for i, cases in enumerate((3, 1, 7)):
        store.add(
            make_knelpunt(titel=f"Eigen knelpunt {i}", aantal_casussen=cases, datum=date.today() - timedelta(days=i))
        )
    book = Logboek(store, TEAM.naam)
    lijst = book.lijst
    cases_column = [k.kop for k in lijst.kolommen].index("Aantal casussen")
    lijst.headings[cases_column].click()
    assert [int(lijst.frame.loc[i, "aantal_casussen"]) for i in lijst.shown] == [1, 3, 7]
    lijst.rows[0][0].click()
    assert "Eigen knelpunt 1" in html_of(book.own_box)
    assert "1 casus" in html_of(book.own_box) and "1 casussen" not in html_of(book.own_box)
    assert lijst.box.layout.display == "none"
    book.own_back.click()
    assert lijst.box.layout.display == "" and html_of(book.own_box) == ""


def test_similar_ones_under_the_title_while_typing_and_undo(store, make_knelpunt):
    store.add(TEAM)
    one = store.add(
        make_knelpunt(titel="Wachtlijst specialistische GGZ jongeren", aantal_casussen=1, datum=date.today())
    )
    book = Logboek(store, TEAM.naam)
    children = list(book.form.box.children)
    assert children.index(book.similar_box) == children.index(book.titel.box) + 1  # right under the title
    assert book.titel.widget.continuous_update  # compared while typing, not after leaving the field
    book.titel.widget.value = "Wachtlijst GGZ jongeren"
    shown = html_of(book.similar_box)
    assert one.titel in shown and "1 casus" in shown and "1 casussen" not in shown
    plus, undo = (
        widget for widget in _buttons(book.similar_box) if widget.description in ("+1 casus", "Ongedaan maken")
    )
    plus.click()
    assert store.get(Knelpunt, one.id).aantal_casussen == 2 and "nu 2 casussen" in html_of(book.similar_box)
    assert plus.layout.display == "none" and undo.layout.display == ""
    undo.click()
    assert store.get(Knelpunt, one.id).aantal_casussen == 1 and "weer 1 casus." in html_of(book.similar_box)
    assert plus.layout.display == "" and undo.layout.display == "none"


def test_undo_never_goes_below_one_case(store, make_knelpunt):
    store.add(TEAM)
    one = store.add(make_knelpunt(aantal_casussen=1, datum=date.today()))
    with pytest.raises(WijkleerError, match="minstens één casus"):
        logboek.remove_case(store, one.id)
    assert store.get(Knelpunt, one.id).aantal_casussen == 1


def _buttons(widget):
    import ipywidgets as widgets

    if isinstance(widget, widgets.Button):
        return [widget]
    return [b for child in getattr(widget, "children", ()) for b in _buttons(child)]
