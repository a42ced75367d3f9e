"""A live expectation round in a real browser with the network blocked: two participants of different
roles sign in and rate in two tabs at once; the facilitator's map shows both roles side by side, drawn offline."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from wijkleer import identiteit, verwachtingen
from wijkleer.model import Beoordeling, Deelnemer, Kring, Sessie, Team, Verwachting
from wijkleer.store import Store

pytestmark = pytest.mark.browser
RENDER_TIMEOUT_MS = 90_000
CODE = "ronde-code-2026"
ANNE, BRAM = ((5, 4), (3, 4)), ((5, 1), (4, 2))  # (belang, haalbaarheid) for expectations 1 and 2


@pytest.fixture(scope="module")
def round_server(tmp_path_factory, start_voila):
    path = tmp_path_factory.mktemp("ronde") / "ronde.db"
    with Store(str(path)) as store:
        store.add(Team.make(naam="Wijkteam Noord", wijk="Noord", gemeente="Dijkhoven", regio="Lingestroom"))
        kring = store.add(Kring.make(naam="Leerkring Noord", gemeente="Dijkhoven"))
        ronde = store.add(Sessie.make(kring_id=kring.id, titel="Ronde 1", datum=date(2026, 11, 2), status="bezig"))
        for naam, rol in (("Anne", "beleid"), ("Bram", "uitvoering"), ("Cas", "facilitator")):
            identiteit.stel_code_in(store, store.add(Deelnemer.make(kring_id=kring.id, naam=naam, rol=rol)), CODE)
        found = [
            store.add(Verwachting.make(kring_id=kring.id, belanghebbende="bestuur", tekst=tekst))
            for tekst in ("Preventief werken in elke wijk", "Binnen vijf werkdagen eerste contact")
        ]
        # two more enrolled members per role rated as Anne and Bram will: the map shows a role from three people on
        for naam, rol, scores in (
            ("Ans", "beleid", ANNE),
            ("Alie", "beleid", ANNE),
            ("Bas", "uitvoering", BRAM),
            ("Bert", "uitvoering", BRAM),
        ):
            person = identiteit.stel_code_in(
                store, store.add(Deelnemer.make(kring_id=kring.id, naam=naam, rol=rol)), CODE
            )
            verwachtingen.rate(store, person, ronde.id, {v.id: pair for v, pair in zip(found, scores, strict=True)})
    return start_voila(name="ronde", db_url=str(path)), str(path)


def _rate(tab, who: str, scores: dict[str, str]) -> None:
    tab.get_by_label("Groep of leerkring").select_option(label="Leerkring Noord")
    tab.get_by_label("Je naam of roepnaam").fill(who)
    tab.get_by_label("Je persoonlijke code").fill(CODE)
    tab.get_by_role("button", name="Aanmelden").click()
    expect(tab.get_by_text(f"Je beoordeelt als {who}")).to_be_visible(timeout=20_000)
    for label, value in scores.items():
        tab.get_by_label(label, exact=True).select_option(label=value)
    tab.get_by_role("button", name="Beoordelingen opslaan").click()
    expect(tab.get_by_text(f"Opgeslagen: {len(scores) // 2} beoordelingen.")).to_be_visible(timeout=20_000)


def test_two_roles_rate_at_once_and_the_map_shows_both(round_server, page, page_record, open_voila):
    server, db = round_server
    url = server.url("voila/render/verwachtingen.ipynb")
    open_voila(url, timeout=RENDER_TIMEOUT_MS / 1000)
    second = page.context.new_page()  # a second tab: its own kernel, like a second participant
    second.goto(url)
    second.get_by_label("Je persoonlijke code").wait_for(timeout=RENDER_TIMEOUT_MS)

    _rate(page, "Anne", {"Belang 1": "5", "Haalbaarheid 1": "4", "Belang 2": "3", "Haalbaarheid 2": "4"})
    _rate(second, "Bram", {"Belang 1": "5", "Haalbaarheid 1": "1", "Belang 2": "4", "Haalbaarheid 2": "2"})
    with Store(db) as store:
        assert sorted(b.rol for b in store.list(Beoordeling)) == ["beleid"] * 6 + ["uitvoering"] * 6

    page.get_by_role("tab", name="Kaart").click()
    chart = page.locator("figure.wijkleer-grafiek svg")
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart.get_by_text("Beleid", exact=True).first).to_be_visible()
    expect(chart.get_by_text("Uitvoering", exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="Grootste kloof: belangrijk maar weinig haalbaar")).to_be_visible()
    # the largest gap is 'preventief werken': beleid 5-4, uitvoering 5-1, mean 2.5
    first_gap = page.locator("table.wijkleer-tabel").nth(1).locator("tbody tr").first
    expect(first_gap).to_contain_text("Preventief werken in elke wijk")
    expect(first_gap).to_contain_text("2,5")
    assert page_record.outside_requests == [] and page_record.page_errors == []
