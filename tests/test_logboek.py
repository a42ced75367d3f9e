"""The knelpuntenlogboek: the service (privacy gate, validation, one row per submit, +1 case, the
team's list) and the widgets driven in Python (errors next to fields, nothing typed lost)."""

import html
from datetime import date
from html.parser import HTMLParser

import pytest

from tests.support.hostile import CONTROL, HOSTILE
from tests.support.widgets import buttons_of, html_of
from wijkleer import logboek
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, Team
from wijkleer.views.logboek import THEMES_TAB, Logboek

TEAM = Team.make(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Lingestroom")
GOOD = dict(
    titel="Wachtlijst specialistische GGZ blokkeert opschalen",
    omschrijving="De wachttijd voor specialistische GGZ is meer dan een half jaar; het team houdt de casus.",
    wetten=["wmo"], categorie="wachtlijst", leefgebieden=["psychisch"], ernst="hoog", aantal_casussen=3,
    bron="casusbespreking", datum=date(2026, 10, 1),
)  # fmt: skip


@pytest.fixture
def team_store(store):
    store.add(TEAM)
    return store


def test_submit_stores_once_for_a_double_click(team_store):
    logboek.submit(team_store, GOOD, TEAM, "form-1")
    logboek.submit(team_store, GOOD, TEAM, "form-1")
    [stored] = team_store.list(Knelpunt)
    assert (stored.id, stored.team, stored.gemeente, stored.status) == (
        "form-1",
        TEAM.naam,
        "Dijkhoven",
        "gesignaleerd",
    )


def test_personal_data_is_held_with_what_and_where(team_store, caplog):
    values = GOOD | {"omschrijving": "Mevrouw Jansen (BSN 111222333) belde op 06-12345678 over haar uitkering."}
    with pytest.raises(WijkleerError) as caught:
        logboek.submit(team_store, values, TEAM, "form-2")
    assert caught.value.message == "Niet opgeslagen: in de tekst staan mogelijk gegevens van een cliënt."
    message = caught.value.fields["omschrijving"]
    assert "111222333" in message and "06-12345678" in message
    assert team_store.count(Knelpunt) == 0
    assert "111222333" not in caplog.text


def test_privacy_and_validity_problems_come_together(team_store):
    values = GOOD | {"titel": "", "omschrijving": "Bel dhr. De Vries op 0612345678", "wetten": [], "aantal_casussen": 0}
    with pytest.raises(WijkleerError) as caught:
        logboek.submit(team_store, values, TEAM, "form-3")
    assert set(caught.value.fields) == {"titel", "omschrijving", "wetten", "aantal_casussen"}


def test_add_case_and_the_teams_list(team_store):
    first = logboek.submit(team_store, GOOD, TEAM, "a")
    logboek.submit(team_store, GOOD | {"titel": "Ander knelpunt", "datum": date(2025, 1, 5)}, TEAM, "b")
    assert logboek.add_case(team_store, first.id).aantal_casussen == 4
    frame = logboek.team_knelpunten(team_store, TEAM.naam, periode="jaar", today=date(2026, 11, 1))
    assert list(frame["id"]) == ["a"]
    assert list(logboek.team_knelpunten(team_store, TEAM.naam)["id"]) == ["a", "b"]
    assert logboek.team_knelpunten(team_store, TEAM.naam, status="besluit").empty


def test_similar_knelpunten_are_offered(team_store):
    logboek.submit(team_store, GOOD, TEAM, "a")
    found = logboek.similar(team_store, "Dijkhoven", "Wachttijd GGZ", "specialistische ggz wachtlijst", "wachtlijst")
    assert [m.id for m in found] == ["a"]
    assert logboek.similar(team_store, "Rietmeer", "Wachttijd GGZ", "specialistische ggz", None) == []


# -- the widgets --------------------------------------------------------------------------------------


def _fill(book, **values):
    merged = GOOD | values
    book.titel.widget.value = merged["titel"]
    book.omschrijving.widget.value = merged["omschrijving"]
    for code, box in book.wetten.boxes.items():
        box.value = code in merged["wetten"]
    book.categorie.widget.value = merged["categorie"]
    book.ernst.widget.value = merged["ernst"]
    book.aantal.widget.value = merged["aantal_casussen"]
    book.bron.widget.value = merged["bron"]
    book.datum.widget.value = merged["datum"]


def test_a_failed_submit_shows_errors_next_to_fields_and_keeps_everything(team_store):
    book = Logboek(team_store, TEAM.naam)
    _fill(book, aantal_casussen=-2, omschrijving="Bel mevrouw Bakker op 06 1234 5678.")
    book.form.submit()
    assert team_store.count(Knelpunt) == 0
    assert "minstens 1" in book.aantal.error.value
    assert "telefoonnummer" in book.omschrijving.error.value
    assert 'role="alert"' in book.form.message.value
    assert book.omschrijving.widget.value == "Bel mevrouw Bakker op 06 1234 5678."
    assert book.aantal.widget.value == -2 and book.wetten.value == ["wmo"]
    _fill(book)
    book.form.submit()
    assert team_store.count(Knelpunt) == 1
    assert book.aantal.error.value == "" and "Opgeslagen" in book.form.message.value
    assert book.titel.widget.value == ""  # ready for the next knelpunt
    assert GOOD["titel"] in buttons_of(book.lijst.box)


def test_the_saved_message_goes_when_the_next_knelpunt_is_being_written(team_store):
    book = Logboek(team_store, TEAM.naam)
    _fill(book)
    book.form.submit()
    assert "Opgeslagen" in book.form.message.value
    book.titel.widget.value = "Een volgend knelpunt"
    assert book.form.message.value == ""  # not 'Opgeslagen' above a form that holds something else
    book.form.submit()  # the rest is empty: errors, and they stay while the person mends a field
    book.ernst.widget.value = "hoog"
    assert 'role="alert"' in book.form.message.value
    _fill(book)
    book.form.submit()
    assert "Opgeslagen" in book.form.message.value
    book.wetten.boxes["wmo"].value = True  # a tick counts as a change too
    assert book.form.message.value == ""


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


SAFE_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "p", "strong", "br", "div", "span", "h3", "h4"}


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_exactly_and_shown_inert(team_store, hostile):
    titel = hostile[:120]
    stored = logboek.submit(team_store, GOOD | {"titel": titel, "omschrijving": hostile}, TEAM, "h")
    again = team_store.get(Knelpunt, stored.id)
    assert (again.titel, again.omschrijving) == (titel.strip(), hostile.strip())
    book = Logboek(team_store, TEAM.naam)
    book.tabs.selected_index = THEMES_TAB
    assert any(titel.strip().startswith(b.rstrip("…")) for b in buttons_of(book.lijst.box))  # a button's words
    book.lijst.rows[0][0].click()  # the row opened: title and description in full
    page = html_of(book.lijst.box) + html_of(book.themes_box) + html_of(book.own_box)
    parsed = _Elements()
    parsed.feed(page)
    assert set(parsed.tags) <= SAFE_TAGS
    assert not [a for a in parsed.attributes if a.startswith("on") or a in ("href", "src", "style")]
    assert html.escape(titel.strip(), quote=True) in html_of(book.own_box)


@pytest.mark.parametrize("control", CONTROL)
def test_control_characters_are_refused_with_a_message(team_store, control):
    with pytest.raises(WijkleerError) as caught:
        logboek.submit(team_store, GOOD | {"omschrijving": control}, TEAM, "c")
    assert "stuurteken" in caught.value.fields["omschrijving"]


def test_the_second_click_of_a_double_click_is_not_an_error(team_store):
    book = Logboek(team_store, TEAM.naam)
    _fill(book)
    book.form.submit()
    book.form.submit()  # on the emptied form, straight after the save
    assert team_store.count(Knelpunt) == 1
    assert "Opgeslagen" in book.form.message.value and book.titel.error.value == ""


def test_themes_are_drawn_when_their_tab_opens(team_store):
    for index in range(3):
        logboek.submit(team_store, GOOD, TEAM, f"t{index}")
    book = Logboek(team_store, TEAM.naam)
    assert html_of(book.themes_box) == ""  # not computed at page load
    book.tabs.selected_index = THEMES_TAB
    assert GOOD["titel"] in html_of(book.themes_box)
