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
    label = f"{date.today():%d-%m-%Y} – {TITLE} ({team.naam})"
    page.get_by_label("Knelpunt", exact=True).select_option(label=label)
    expect(page.get_by_text("Mantelzorgers raken overbelast")).to_be_visible()

    _record_step(page, "Ontvangst bevestigen", **{"Toewijzen aan afdeling": "Wmo"})
    expect(page.get_by_text("Vastgelegd: Ontvangen.")).to_be_visible()
    _record_step(page, "Besluit vastleggen", "", **{"Soort besluit": "Opgepakt"})
    expect(page.get_by_text("Bij 'Besluit vastleggen' hoort een toelichting.")).to_be_visible()  # a text is required
    _record_step(page, "Besluit vastleggen", "Eén loket voor respijtzorg.", **{"Soort besluit": "Opgepakt"})
    expect(page.get_by_text("Vastgelegd: Besluit.")).to_be_visible()
    _record_step(page, "Antwoord terugkoppelen aan de praktijk", ANSWER)
    expect(page.get_by_text("Vastgelegd: Teruggekoppeld.")).to_be_visible()

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
