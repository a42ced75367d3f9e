"""A whole session in real browsers, three people at three computers, the network blocked: the facilitator signs
in and opens a planned session; two participants join with its code (one from practice, one from policy); an entry
appears on the facilitator's board within the target while the other participant does not see it until it is
revealed; both put dots and the facilitator sees the tally (per role only from three enrolled members); the
summary downloads as a PDF whose text holds the entries and no participant's name."""

from __future__ import annotations

import io
import time
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.support.pages import open_session_console
from wijkleer.model import Sessie, Team
from wijkleer.sessies import verloop
from wijkleer.store import Store

pytestmark = pytest.mark.browser
BOARD_TARGET_S = 2.0  # issue #6: an entry is on the facilitator's screen within 2 s
CODE = "kringcode-2026"
ENTRY_A = "Schuldhulp en Wmo hebben elk een eigen intake"
ENTRY_B = "Het budget voor collectief werk is elk jaar onzeker"


@pytest.fixture(scope="module")
def session_server(tmp_path_factory, start_voila):
    path = tmp_path_factory.mktemp("sessie") / "sessie.db"
    with Store(str(path)) as store:
        begeleider = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", CODE)
        store.add(Team(naam="Wijkteam Centrum", wijk="Centrum", gemeente="Vlietdam", regio="Zuid"))
        sessie = verloop.plannen(store, begeleider, "knelpuntenronde", "Knelpunten november", date.today())
    return start_voila(name="sessie", db_url=str(path)), str(path), sessie.id


def _join(page, open_voila, server, code: str, naam: str, rol: str) -> None:
    open_voila(server.url(f"voila/render/sessie.ipynb?code={code}"), on=page)
    expect(page.get_by_label("Sessiecode")).to_have_value(code)
    page.get_by_label("Naam of schuilnaam").fill(naam)
    page.get_by_label("Rol", exact=True).select_option(label=rol)
    page.get_by_role("button", name="Meedoen").click()
    expect(page.get_by_text(f"Je doet mee als {naam}")).to_be_visible(timeout=20_000)


def test_facilitator_and_two_participants_run_a_session(session_server, page, more_pages, page_record, open_voila):
    server, db, sessie_id = session_server
    facilitator = page
    open_voila(server.url("voila/render/begeleiden.ipynb"))
    open_session_console(facilitator, "Kring Vlietdam", "Fenna Begeleider", CODE)
    expect(facilitator.get_by_text("Fase 1 van 4")).to_be_visible(timeout=20_000)
    with Store(db) as store:
        code = store.get(Sessie, sessie_id).code
    expect(facilitator.get_by_text(f"Sessiecode: {code}")).to_be_visible()

    anna, bert = more_pages(), more_pages()
    _join(anna, open_voila, server, code, "Anna Uitvoering", "Uitvoering")
    _join(bert, open_voila, server, code, "Bert Beleid", "Beleid")
    expect(facilitator.get_by_text("Anna Uitvoering (Uitvoering)")).to_be_visible(timeout=5_000)

    anna.get_by_label("Jouw bijdrage").fill(ENTRY_A)
    started = time.monotonic()
    anna.get_by_role("button", name="Insturen").click()
    board = facilitator.locator(".wijkleer-bord")
    expect(board.get_by_text(ENTRY_A)).to_be_visible(timeout=10_000)
    latency = time.monotonic() - started
    assert latency <= BOARD_TARGET_S, f"de bijdrage stond pas na {latency:.2f} s op het bord van de begeleider"
    expect(anna.get_by_text("Je bijdrage staat op het bord.")).to_be_visible()
    bert.get_by_label("Jouw bijdrage").fill(ENTRY_B)
    bert.get_by_role("button", name="Insturen").click()
    expect(board.get_by_text(ENTRY_B)).to_be_visible(timeout=10_000)
    assert "Anna" not in board.inner_text()  # an anonymous phase: no name, not even for the facilitator
    time.sleep(1)  # a few polls: the hidden entry must stay away from the other participant
    expect(bert.get_by_text(ENTRY_A)).to_have_count(0)

    facilitator.get_by_role("button", name="Bijdragen onthullen").click()
    expect(bert.locator(".wijkleer-bord").get_by_text(ENTRY_A)).to_be_visible(timeout=5_000)
    expect(anna.locator(".wijkleer-bord").get_by_text(ENTRY_B)).to_be_visible(timeout=5_000)

    facilitator.get_by_role("button", name="Volgende fase").click()
    expect(anna.get_by_text("Fase 2 van 4")).to_be_visible(timeout=5_000)
    anna.get_by_role("button", name="Stip erbij op 1").click()
    expect(anna.get_by_text("Je hebt nog 2 van je 3 stippen.")).to_be_visible(timeout=5_000)
    anna.get_by_role("button", name="Stip erbij op 1").click()
    expect(anna.get_by_text("Je hebt nog 1 van je 3 stippen.")).to_be_visible(timeout=5_000)
    bert.get_by_role("button", name="Stip erbij op 2").click()
    votes = facilitator.locator("table").filter(has_text="Stippen per rol")
    expect(votes.get_by_role("row").filter(has_text=ENTRY_A)).to_contain_text("2", timeout=5_000)
    # one guest per role: no role's dots are shown on their own (WIJKLEER_MIN_ROL enrolled members), only the total
    expect(votes.get_by_role("columnheader", name="Uitvoering")).to_have_count(0)
    expect(votes.get_by_role("columnheader", name="Beleid")).to_have_count(0)

    facilitator.get_by_role("button", name="Samenvatting maken").click()
    with facilitator.expect_download() as download:
        facilitator.get_by_role("link", name="Download als PDF").click()
    pypdf = pytest.importorskip("pypdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert ENTRY_A in text and ENTRY_B in text and "Stemming" in text
    assert "Anna" not in text and "Bert" not in text
    assert page_record.outside_requests == [] and page_record.page_errors == []
