"""One exercise in a real browser with the network blocked: a student signs in, answers wrongly and reads Dutch
feedback with a hint, answers rightly and reads positive feedback; the attempts are in the store. The notebook's
nbgrader cells (answers included) never reach the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from wijkleer.model import Deelnemer, Kring, Voortgang
from wijkleer.store import Store

pytestmark = pytest.mark.browser
RENDER_TIMEOUT_MS = 90_000
EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


@pytest.fixture(scope="module")
def exercise_server(tmp_path_factory, start_voila):
    path = tmp_path_factory.mktemp("oefening") / "oefening.db"
    with Store(str(path)) as store:
        store.add(Kring.make(naam="Klas 2B", beschrijving="Minor sociaal domein"))
    return start_voila(workbooks=EXERCISES, name="oefeningen", db_url=str(path)), str(path)


def test_wrong_then_right_answer_with_feedback_and_progress(exercise_server, page, page_record, open_voila):
    server, db = exercise_server
    opened = open_voila(server.url("voila/render/classificeren.ipynb"), timeout=RENDER_TIMEOUT_MS / 1000)
    assert "BEGIN SOLUTION" not in opened.html and "antwoord_categorie_a" not in opened.html

    page.get_by_label("Groep of leerkring").select_option(label="Klas 2B")
    page.get_by_label("Je naam of roepnaam").fill("Sanne")
    page.get_by_label("Je persoonlijke code").fill("geheim-123")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Aangemeld als Sanne (Klas 2B).")).to_be_visible(timeout=20_000)
    nbgrader_cells = page.get_by_text("Geef één code").all()  # the nbgrader markdown is for JupyterLab only
    assert len(nbgrader_cells) == 4 and not any(cell.is_visible() for cell in nbgrader_cells)

    answer = page.get_by_label("Antwoord 1", exact=True)
    answer.select_option(label="Verkokering tussen afdelingen")
    page.get_by_role("button", name="Controleer").click()
    wrong = page.locator(".wijkleer-fout").filter(has_text="Nog niet goed.").first
    expect(wrong).to_be_visible(timeout=20_000)
    expect(wrong).to_contain_text("Verkokering ligt in de buurt")
    expect(wrong).to_contain_text("Tip: zou het probleem verdwijnen")

    answer.select_option(label="Wetten botsen")
    page.get_by_role("button", name="Controleer").click()
    right = page.locator(".wijkleer-gelukt").filter(has_text="Goed.").first
    expect(right).to_be_visible(timeout=20_000)
    expect(right).to_contain_text("Twee wetten sluiten niet op elkaar aan")
    expect(page.get_by_text("1 van de 4 vragen goed.")).to_be_visible()

    with Store(db) as store:
        (sanne,) = store.list(Deelnemer, naam="Sanne")
        rows = store.list(Voortgang, deelnemer_id=sanne.id, order_by="tijdstip")
    assert [(r.oefening, r.vraag, r.antwoord, r.goed) for r in rows] == [
        ("classificeren", "categorie_a", '"verkokering"', False),
        ("classificeren", "categorie_a", '"wetten_botsen"', True),
    ]
    assert page_record.outside_requests == [] and page_record.page_errors == []
