"""The live room in real browsers: the facilitator opens a session (its timer waits), opens the projector screen from
the console in a window of its own; the projector shows the join code, the join link and a QR code of exactly that
link, and counts a participant who joins on a phone from that link with name, role and one tap; when the facilitator
starts the timer, the projector and the phone count down. Screenshots of the projector and the phone are kept in
test-artifacts/browser/ to look at."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.pages import open_session_console
from wijkleer.model import Sessie, Team
from wijkleer.sessies import verloop
from wijkleer.store import Store
from wijkleer.views import projector

pytestmark = pytest.mark.browser
CODE = "kringcode-2026"
BROWSER_ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"  # as in conftest.py


@pytest.fixture(scope="module")
def room_server(tmp_path_factory, start_voila):
    path = tmp_path_factory.mktemp("zaal") / "zaal.db"
    with Store(str(path)) as store:
        begeleider = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", CODE)
        store.add(Team(naam="Wijkteam Centrum", wijk="Centrum", gemeente="Vlietdam", regio="Zuid"))
        sessie = verloop.plannen(store, begeleider, "knelpuntenronde", "Knelpunten november", date.today())
    return start_voila(name="zaal", db_url=str(path)), str(path), sessie.id


def test_projector_shows_the_room_and_the_timer_starts_when_the_facilitator_says(
    room_server, page, more_pages, page_record, open_voila
):
    server, db, sessie_id = room_server
    facilitator = page
    open_voila(server.url("voila/render/begeleiden.ipynb"))
    open_session_console(facilitator, "Kring Vlietdam", "Fenna Begeleider", CODE)
    expect(facilitator.get_by_text("Fase 1 van 4")).to_be_visible(timeout=20_000)
    expect(facilitator.get_by_text("10:00 — de tijd loopt nog niet")).to_be_visible()
    with Store(db) as store:
        code = store.get(Sessie, sessie_id).code

    with facilitator.context.expect_page() as opened:
        facilitator.get_by_role("link", name="Projectorscherm openen").click()
    screen = opened.value
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.wait_for_load_state()
    expect(screen.locator(".wijkleer-projector-code")).to_have_text(code, timeout=60_000)
    expect(screen.get_by_text("0 deelnemers doen mee")).to_be_visible()
    expect(screen.get_by_text("10:00 — de tijd loopt nog niet")).to_be_visible()
    join_url = screen.locator(".wijkleer-projector-url").inner_text().strip()
    assert join_url == server.url(f"wijkleer/sessie?code={code}")  # the page without a kernel
    drawn = screen.locator(".wijkleer-projector-qr svg").evaluate("svg => svg.outerHTML")
    expected = projector.qr_svg(join_url)  # the QR code is exactly the link on the screen
    assert re.search(r'd="([^"]+)"', drawn).group(1) == re.search(r'd="([^"]+)"', expected).group(1)

    phone = more_pages()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(join_url)  # as after scanning: the code is filled in
    phone.wait_for_selector("body[data-klaar=meedoen]", timeout=30_000)
    expect(phone.get_by_label("Sessiecode")).to_have_value(code)
    phone.get_by_label("Naam of schuilnaam").fill("Anna Uitvoering")
    phone.get_by_label("Rol", exact=True).select_option(label="Uitvoering")
    phone.get_by_role("button", name="Meedoen").click()
    expect(phone.get_by_text("Je doet mee als Anna Uitvoering")).to_be_visible(timeout=20_000)
    expect(screen.get_by_text("1 deelnemer doet mee")).to_be_visible(timeout=5_000)
    assert "Anna" not in screen.locator(".wijkleer-projector").inner_text()
    expect(phone.get_by_text("10:00 — de tijd loopt nog niet")).to_be_visible()

    facilitator.get_by_role("button", name="Timer starten").click()
    expect(facilitator.get_by_role("button", name="Timer pauzeren")).to_be_visible(timeout=5_000)
    expect(screen.locator(".wijkleer-timer")).to_have_text(re.compile(r"^Nog 9:5\d$"), timeout=5_000)
    expect(phone.locator(".wijkleer-timer")).to_have_text(re.compile(r"^Nog 9:5\d$"), timeout=5_000)
    BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screen.screenshot(path=str(BROWSER_ARTIFACTS / "zaal-projector.png"))
    phone.screenshot(path=str(BROWSER_ARTIFACTS / "zaal-telefoon.png"), full_page=True)
    facilitator.screenshot(path=str(BROWSER_ARTIFACTS / "zaal-begeleider.png"), full_page=True)

    facilitator.get_by_role("button", name="Timer pauzeren").click()
    expect(screen.locator(".wijkleer-timer")).to_contain_text("gepauzeerd", timeout=5_000)
    assert page_record.outside_requests == [] and page_record.page_errors == []
