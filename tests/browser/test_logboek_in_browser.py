"""The knelpuntenlogboek in a real browser: a wijkteam member fills the form, gets a field error,
corrects it and saves (one row, also for a double click); a text with a BSN is held with the message
shown; hostile texts in the team's list are shown as text and never run."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.support.dagen import DEMO_UNTIL, days_ago
from tests.support.hostile import HOSTILE
from wijkleer import demo
from wijkleer.model import Knelpunt, Team
from wijkleer.store import Store

pytestmark = pytest.mark.browser
TITLE = "Vervoer naar dagbesteding komt structureel te laat"


@pytest.fixture(scope="module")
def logbook(tmp_path_factory, start_voila):
    """A server on its own small demo database, so what these tests write stays here."""
    path = tmp_path_factory.mktemp("logboek") / "logboek.db"
    with Store(str(path)) as store:
        demo.generate(store, demo.Plan(size=200, until=DEMO_UNTIL))
        teams = store.list(Team, order_by="naam")
    server = start_voila(name="logboek", db_url=str(path))
    return server, str(path), teams


def _open(page, open_voila, server, team):
    open_voila(server.url(f"voila/render/logboek.ipynb?team={quote(team.naam)}"))
    chosen = page.get_by_label("Jouw wijkteam").evaluate("select => select.options[select.selectedIndex].text")
    assert chosen.replace("\xa0", " ") == f"{team.gemeente} – {team.naam}"


def _fill(page, omschrijving: str, aantal: str):
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Omschrijving", exact=True).fill(omschrijving)
    page.get_by_label("Wmo 2015").check()
    page.get_by_label("Categorie", exact=True).select_option(label="Samenwerking met partners")
    page.get_by_label("Ernst", exact=True).select_option(label="Hoog")
    page.get_by_label("Aantal casussen").fill(aantal)
    page.get_by_label("Aantal casussen").press("Tab")
    page.get_by_label("Bron", exact=True).select_option(label="Casusbespreking")
    page.get_by_label("Datum", exact=True).fill(days_ago(7).isoformat())


def _count(db: str, **filters) -> int:
    with Store(db) as store:
        return store.count(Knelpunt, **filters)


def test_fill_error_correct_and_save_once(logbook, page, page_record, open_voila):
    server, db, teams = logbook
    team = teams[0]
    _open(page, open_voila, server, team)
    omschrijving = "Het Wmo-vervoer haalt mensen te laat op, waardoor zij de dagbesteding missen."
    _fill(page, omschrijving, "-2")
    page.get_by_role("button", name="Knelpunt opslaan").click()
    expect(page.get_by_text("Dit moet minstens 1 zijn.")).to_be_visible()
    expect(page.get_by_text("Niet opgeslagen: niet alles is goed ingevuld.")).to_be_visible()
    # nothing typed is lost
    expect(page.get_by_label("Omschrijving", exact=True)).to_have_value(omschrijving)
    expect(page.get_by_label("Wmo 2015")).to_be_checked()
    assert _count(db, titel=TITLE) == 0

    page.get_by_label("Aantal casussen").fill("3")
    page.get_by_label("Aantal casussen").press("Tab")
    page.get_by_role("button", name="Knelpunt opslaan").dblclick()
    expect(page.get_by_text(re.compile("^Opgeslagen: 'Vervoer naar dagbesteding"))).to_be_visible()
    expect(page.get_by_text("Dit moet minstens 1 zijn.")).to_have_count(0)
    assert _count(db, titel=TITLE, team=team.naam) == 1

    page.get_by_role("tab", name="Onze knelpunten").click()
    page.locator(".wijkleer-lijst-logboek").get_by_role("button", name=TITLE).click()  # a row opens
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Terug naar de lijst").click()
    expect(page.get_by_label("Zoeken")).to_be_visible()
    assert page_record.outside_requests == [] and page_record.page_errors == []


def test_a_text_with_a_bsn_is_held_with_the_message_shown(logbook, page, open_voila):
    server, db, teams = logbook
    team = teams[1]
    _open(page, open_voila, server, team)
    held = "Meneer met BSN 111222333 kan de dagbesteding niet bereiken."
    _fill(page, held, "2")
    page.get_by_role("button", name="Knelpunt opslaan").click()
    expect(page.get_by_text("Niet opgeslagen: in de tekst staan mogelijk gegevens van een cliënt.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="111222333")).to_be_visible()
    expect(page.get_by_label("Omschrijving", exact=True)).to_have_value(held)
    assert _count(db, team=team.naam, titel=TITLE) == 0


def test_hostile_texts_are_shown_as_text_and_never_run(logbook, page, page_record, open_voila):
    server, db, teams = logbook
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    team = teams[2]
    # within "Afgelopen maand" on any day the suite runs (the view counts back from today)
    where = dict(team=team.naam, wijk=team.wijk, gemeente=team.gemeente, datum=days_ago(3))
    base = dict(omschrijving="Vijandige tekst", wetten=["wmo"], categorie="anders", ernst="laag", aantal_casussen=1,
                bron="leerkring", **where)  # fmt: skip
    titles = [h[:120].strip() for h in HOSTILE[:45]]
    with Store(db) as store:
        store.add_many(Knelpunt.make(**base, titel=title) for title in titles)
    _open(page, open_voila, server, team)
    page.get_by_role("tab", name="Onze knelpunten").click()
    page.get_by_label("Toon periode").select_option(label="Afgelopen maand")
    # the list as redrawn for that period (the view marks it), page by page (each page marks its number)
    expect(page.locator(".wijkleer-toont-alle-alle-maand")).to_have_count(1)
    shown, number = "", 1
    while True:
        current = page.locator(f'.wijkleer-lijst-logboek[class*="wijkleer-toont-{number}-"] .wijkleer-lijst')
        expect(current).to_be_visible()
        shown += " " + " ".join(current.inner_text().split())
        if not page.get_by_role("button", name="Volgende").is_enabled():
            break
        page.get_by_role("button", name="Volgende").click()
        number += 1
    for title in titles:
        assert " ".join(title.split())[:40] in shown, title
    assert dialogs == []
    assert page.locator(".wijkleer-lijst script, .wijkleer-lijst img, .wijkleer-lijst svg").count() == 0
    assert page_record.outside_requests == [] and page_record.page_errors == []


def test_similar_ones_show_under_the_title_while_typing(logbook, page, page_record, open_voila):
    server, db, teams = logbook
    team = teams[3]
    existing = "Wachtlijst schuldhulpverlening loopt op tot maanden"
    with Store(db) as store:
        store.add(Knelpunt.make(titel=existing, omschrijving="Inwoners wachten maanden op schuldhulp.",
                                wetten=["wmo"], categorie="wachtlijst", ernst="hoog", aantal_casussen=1,
                                bron="leerkring", team=team.naam, wijk=team.wijk, gemeente=team.gemeente,
                                datum=days_ago(2)))  # fmt: skip
    _open(page, open_voila, server, team)
    page.get_by_label("Titel", exact=True).press_sequentially("Wachtlijst schuldhulpverlening", delay=20)
    similar = page.locator(".wijkleer-vergelijkbaar")
    expect(similar.get_by_text(existing)).to_be_visible()  # while typing: no need to leave the field
    expect(similar.get_by_text(re.compile(r"· 1 casus$")).first).to_be_visible()
    page.get_by_label("Titel", exact=True).evaluate("input => input.blur()")
    title_box = page.get_by_label("Titel", exact=True).bounding_box()
    assert similar.bounding_box()["y"] - (title_box["y"] + title_box["height"]) < 200  # right under the title
    similar.get_by_role("button", name="+1 casus").first.click()
    expect(similar.get_by_text("Bijgeteld: nu 2 casussen.")).to_be_visible()
    similar.get_by_role("button", name="Ongedaan maken").first.click()
    expect(similar.get_by_text("Teruggedraaid: weer 1 casus.")).to_be_visible()
    with Store(db) as store:
        assert store.list(Knelpunt, titel=existing)[0].aantal_casussen == 1
    assert page_record.outside_requests == [] and page_record.page_errors == []
