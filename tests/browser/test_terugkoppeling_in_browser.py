"""The loop in a real browser: policy acknowledges, assigns, decides and answers in the inbox; the team
sees the answer in its logbook and confirms that it helped. The history holds every step once."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.support.dagen import DEMO_UNTIL
from wijkleer import demo
from wijkleer.model import Knelpunt, Team
from wijkleer.store import Store

pytestmark = pytest.mark.browser
TITLE = "Respijtzorg voor mantelzorgers is niet te vinden"
ANSWER = "Vanaf januari is er één loket voor respijtzorg; het team krijgt de contactgegevens van het loket."


@pytest.fixture(scope="module")
def loop_server(tmp_path_factory, start_voila):
    path = tmp_path_factory.mktemp("lus") / "lus.db"
    with Store(str(path)) as store:
        demo.generate(store, demo.Plan(size=100, until=DEMO_UNTIL))
        team = store.list(Team, gemeente="Hoeksland", order_by="naam")[0]
        knelpunt = store.add(Knelpunt.make(
            titel=TITLE, omschrijving="Mantelzorgers raken overbelast omdat respijtzorg onvindbaar is.",
            wetten=["wmo"], categorie="samenwerking", ernst="hoog", aantal_casussen=4, bron="leerkring",
            team=team.naam, wijk=team.wijk, gemeente=team.gemeente, datum=date.today(),
        ))  # fmt: skip
    return start_voila(name="lus", db_url=str(path)), str(path), team, knelpunt


def _record_step(page, step: str, tekst: str = "", **choices: str) -> None:
    page.get_by_label("Volgende stap").select_option(label=step)
    for label, option in choices.items():
        page.get_by_label(label, exact=True).select_option(label=option)
    page.get_by_label("Toelichting", exact=True).fill(tekst)
    page.get_by_role("button", name="Stap vastleggen").click()


def test_policy_answers_and_practice_confirms(loop_server, page, page_record, open_voila):
    server, db, team, knelpunt = loop_server
    open_voila(server.url(f"voila/render/inbox.ipynb?gemeente={quote(team.gemeente)}"))
    page.get_by_role("button", name=TITLE).click()  # new: on top of the first page; its title opens it
    expect(page.get_by_text("Mantelzorgers raken overbelast")).to_be_visible()

    _record_step(page, "Ontvangst bevestigen")  # no department chosen: asked for, nothing stored
    expect(page.get_by_text("Kies een afdeling voordat je de ontvangst bevestigt.")).to_be_visible()
    _record_step(page, "Ontvangst bevestigen", **{"Toewijzen aan afdeling": "Wmo"})
    expect(page.get_by_text(f"Vastgelegd voor '{TITLE}': Ontvangen.")).to_be_visible()
    _record_step(page, "Besluit vastleggen", "", **{"Soort besluit": "Opgepakt"})
    expect(page.get_by_text("Bij 'Besluit vastleggen' hoort een toelichting.")).to_be_visible()  # a text is required
    _record_step(page, "Besluit vastleggen", "Eén loket voor respijtzorg.", **{"Soort besluit": "Opgepakt"})
    expect(page.get_by_text(f"Vastgelegd voor '{TITLE}': Besluit.")).to_be_visible()
    _record_step(page, "Antwoord terugkoppelen aan de praktijk", ANSWER)
    expect(page.get_by_text(f"Vastgelegd voor '{TITLE}': Teruggekoppeld.")).to_be_visible()

    open_voila(server.url(f"voila/render/logboek.ipynb?team={quote(team.naam)}"))
    page.get_by_role("tab", name="Antwoorden").click()
    expect(page.locator("blockquote.wijkleer-antwoord", has_text=ANSWER)).to_be_visible()  # newest card: first
    page.get_by_label("Jullie reactie").first.fill("Het loket werkt: twee mantelzorgers zijn al geholpen.")
    page.get_by_role("button", name="Dit helpt").first.click()
    expect(page.get_by_text(f"Vastgelegd: het antwoord op '{TITLE}' helpt.")).to_be_visible()
    page.get_by_role("tab", name="Sinds vorige keer").click()
    expect(page.get_by_role("cell", name="Getoetst")).to_be_visible()

    with Store(db) as store:
        history = store.history(knelpunt.id)
        stored = store.get(Knelpunt, knelpunt.id)
    assert [e.status for e in history] == ["gesignaleerd", "ontvangen", "besluit", "teruggekoppeld", "getoetst"]
    assert [e.rol for e in history][1:] == ["beleid", "beleid", "beleid", "uitvoering"]
    assert (stored.status, stored.besluit, stored.afdeling) == ("getoetst", "opgepakt", "wmo")
    assert page_record.outside_requests == [] and page_record.page_errors == []


def test_the_inbox_list_sorts_searches_pages_and_opens(loop_server, page, page_record, open_voila):
    server, _db, team, _knelpunt = loop_server
    open_voila(server.url(f"voila/render/inbox.ipynb?gemeente={quote(team.gemeente)}"))
    lijst = page.locator(".wijkleer-lijst-inbox")
    expect(lijst.get_by_role("status")).to_contain_text("in de standaardvolgorde")
    expect(page.locator(".wijkleer-lijst").get_by_text("nan", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Titel", exact=True).click()  # sort on a column
    expect(lijst.get_by_role("status")).to_contain_text("gesorteerd op Titel (oplopend)")
    expect(page.get_by_role("button", name="Titel ▲")).to_be_visible()
    if page.get_by_role("button", name="Volgende").is_enabled():  # more than one page: page on
        page.get_by_role("button", name="Volgende").click()
        expect(lijst.get_by_text("Pagina 2 van")).to_be_visible()
    first = page.locator(".wijkleer-rij-openen").first.get_attribute("title").removeprefix("Open: ")
    page.get_by_label("Zoeken").fill(first)  # search a title: that row, and nothing that lacks the words
    expect(lijst.get_by_role("status")).to_contain_text("gevonden, gesorteerd op Titel")
    expect(page.get_by_role("button", name=first).first).to_be_visible()
    page.get_by_label("Zoeken").fill("woord dat nergens staat")
    expect(lijst.get_by_role("status")).to_contain_text("Niets gevonden")
    page.get_by_label("Zoeken").fill("")
    expect(lijst.get_by_role("status")).not_to_contain_text("Niets gevonden")
    page.locator(".wijkleer-rij-openen").first.click()  # a row's title opens it
    expect(page.get_by_role("button", name="Terug naar de lijst")).to_be_visible()
    expect(page.get_by_label("Zoeken")).to_be_hidden()  # the list stepped aside for the knelpunt
    page.get_by_role("button", name="Terug naar de lijst").click()
    expect(page.get_by_label("Zoeken")).to_be_visible()
    assert page_record.outside_requests == [] and page_record.page_errors == []
