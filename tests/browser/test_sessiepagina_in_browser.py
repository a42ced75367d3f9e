"""The session page the server answers itself (wijkleer.web), in a real browser on a phone, the network blocked: two
participants join through the link, write, change and take back their own entries, see what the facilitator reveals,
vote and get the phase's changes within a second — and no page starts a kernel. The facilitator acts through the
session services on the same database (its console is tested in test_sessie_in_browser.py)."""

from __future__ import annotations

import time
from datetime import date

import pytest
from playwright.sync_api import expect

from wijkleer.model import Sessie, Team
from wijkleer.sessies import verloop
from wijkleer.store import Kijker, Store

pytestmark = pytest.mark.browser
CODE = "kringcode-2026"
PHONE = {"width": 390, "height": 844}
ENTRY_A = "Schuldhulp en Wmo hebben elk een eigen intake"
ENTRY_B = "Het budget voor collectief werk is elk jaar onzeker"


@pytest.fixture(scope="module")
def room(tmp_path_factory, start_voila):
    path = str(tmp_path_factory.mktemp("sessiepagina") / "sessiepagina.db")
    with Store(path) as store:
        begeleider = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", CODE)
        store.add(Team(naam="Wijkteam Centrum", wijk="Centrum", gemeente="Vlietdam", regio="Zuid"))
        sessie = verloop.plannen(store, begeleider, "knelpuntenronde", "Knelpunten op de telefoon", date.today())
        sessie, _zelf = verloop.openen(store, begeleider, sessie.id)
    return start_voila(name="sessiepagina", db_url=path), path, begeleider, sessie


def _join(page, server, code: str, naam: str, rol: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url(f"wijkleer/sessie?code={code}"))
    page.wait_for_selector("body[data-klaar=meedoen]", timeout=30_000)
    expect(page.get_by_label("Sessiecode")).to_have_value(code.upper())  # as read aloud: lower case works
    page.get_by_label("Naam of schuilnaam").fill(naam)
    page.get_by_label("Rol", exact=True).select_option(label=rol)
    page.get_by_role("button", name="Meedoen").click()
    expect(page.get_by_text(f"Je doet mee als {naam}")).to_be_visible(timeout=10_000)


def test_two_participants_on_phones_without_a_kernel(room, page, more_pages, page_record, kernels):
    server, db, begeleider, sessie = room
    before = set(kernels(server))
    anna, bert = page, more_pages()
    _join(anna, server, sessie.code.lower(), "Anna Uitvoering", "Uitvoering")
    _join(bert, server, sessie.code, "Bert Beleid", "Beleid")

    # a field error next to its field; nothing typed is lost
    anna.get_by_label("Jouw bijdrage", exact=True).fill("Meneer met BSN 111222333 wacht op schuldhulp")
    anna.get_by_role("button", name="Insturen").click()
    expect(anna.locator("#veld-tekst-fout")).not_to_be_empty(timeout=5_000)
    expect(anna.get_by_label("Jouw bijdrage", exact=True)).to_have_value("Meneer met BSN 111222333 wacht op schuldhulp")
    anna.get_by_label("Jouw bijdrage", exact=True).fill(ENTRY_A)
    anna.get_by_role("button", name="Insturen").click()
    expect(anna.get_by_text("Je bijdrage staat op het bord.")).to_be_visible(timeout=5_000)
    expect(anna.locator(".wijkleer-bord").get_by_text(ENTRY_A)).to_be_visible(timeout=5_000)

    # one's own entry can be changed, and taken back, until others have seen it
    bert.get_by_label("Jouw bijdrage", exact=True).fill("Budget collectief werk")
    bert.get_by_role("button", name="Insturen").click()
    own = bert.get_by_label("Jouw bijdrage 1")
    expect(own).to_have_value("Budget collectief werk", timeout=5_000)
    own.fill(ENTRY_B)
    bert.get_by_role("button", name="Wijziging opslaan").click()
    expect(bert.locator(".wijkleer-bord").get_by_text(ENTRY_B)).to_be_visible(timeout=5_000)
    bert.get_by_label("Jouw bijdrage", exact=True).fill("Nog een idee dat ik terugneem")
    bert.get_by_role("button", name="Insturen").click()
    expect(bert.get_by_label("Jouw bijdrage 2")).to_be_visible(timeout=5_000)
    bert.get_by_role("button", name="Intrekken").nth(1).click()
    bert.get_by_role("button", name="Zeker? Klik nog eens om in te trekken").click()
    expect(bert.locator(".wijkleer-bord").get_by_text("Nog een idee dat ik terugneem")).to_have_count(0, timeout=5_000)
    time.sleep(1)  # a few rounds of the long poll: the hidden entry must stay away from the other participant
    expect(bert.get_by_text(ENTRY_A)).to_have_count(0)

    # the facilitator reveals: both pages show it within a second, still without a name
    with Store(db) as store:
        started = time.monotonic()
        verloop.onthullen(store, begeleider, sessie.id)
        expect(bert.locator(".wijkleer-bord").get_by_text(ENTRY_A)).to_be_visible(timeout=5_000)
        assert time.monotonic() - started <= 1.5
        assert "Anna" not in bert.locator(".wijkleer-bord").inner_text()
        verloop.naar_fase(store, begeleider, sessie.id, 1)
    expect(anna.get_by_text("Fase 2 van 4")).to_be_visible(timeout=5_000)
    anna.get_by_role("button", name="Stip erbij op 1").click()
    expect(anna.get_by_text("Je hebt nog 2 van je 3 stippen.")).to_be_visible(timeout=5_000)
    bert.get_by_role("button", name="Stip erbij op 1").click()
    expect(bert.get_by_text("Je hebt nog 2 van je 3 stippen.")).to_be_visible(timeout=5_000)
    with Store(db) as store:
        current = store.get(Sessie, sessie.id)
        result = verloop.stemuitslag(store, current, store.bijdragen(sessie.id, Kijker("begeleider")))
    assert [(e.tekst, sum(d.values())) for e, d in result][0] == (ENTRY_A, 2)

    # a reload comes back as the same person (the personal link is the address)
    anna.reload()
    expect(anna.get_by_text("Je doet mee als Anna Uitvoering")).to_be_visible(timeout=10_000)
    assert set(kernels(server)) <= before, "een deelnemerspagina startte een kernel"
    assert page_record.outside_requests == [] and page_record.page_errors == []
