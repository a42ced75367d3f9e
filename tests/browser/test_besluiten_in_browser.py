"""Decisions that stick, in a real browser with the network blocked: an expectation the kring adjusted is offered
for rating in its new wording and a dropped one not at all, on the workbook and in a session; the opening phase of
an expectation round lists the expectations as they stand; and on the map two expectations with the same scores
get one label naming both ('1, 3'), not two numbers printed over each other."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from wijkleer import identiteit, verwachtingen
from wijkleer.model import Deelnemer, Sessie, Verwachting
from wijkleer.sessies import verloop
from wijkleer.store import Store

pytestmark = pytest.mark.browser
RENDER_TIMEOUT_S = 90
CODE = "besluit-code-2026"
RATERS = ("Anne", "Bas", "Cor")
OLD, NEW, DROPPED = "Alle fraude melden", "Signalen van fraude bespreken in het team", "Elke dag op huisbezoek"


@pytest.fixture(scope="module")
def decided_server(tmp_path_factory, start_voila):
    path = tmp_path_factory.mktemp("besluiten") / "besluiten.db"
    with Store(str(path)) as store:
        begeleider = verloop.kring_maken(store, "Kring Besluit", "Dijkhoven", "Fenna Begeleider", CODE)
        # three enrolled raters of one role: the room shows a role from three people on (WIJKLEER_MIN_ROL)
        raters = [store.add(Deelnemer.make(kring_id=begeleider.kring_id, naam=n, rol="beleid")) for n in RATERS]
        for rater in raters:
            identiteit.stel_code_in(store, rater, CODE)
        anne = raters[0]
        texts = ("Preventief werken in elke wijk", OLD, "Binnen vijf werkdagen eerste contact", DROPPED)
        found = [store.add(Verwachting.make(kring_id=anne.kring_id, belanghebbende="bestuur", tekst=x)) for x in texts]
        sessie = verloop.plannen(store, begeleider, "verwachtingenronde", "Ronde", date.today())
        sessie, _ = verloop.openen(store, begeleider, sessie.id)
        # 1 and 3 get the same scores: one place on the map
        scores = {found[0].id: (4, 2), found[1].id: (3, 3), found[2].id: (4, 2), found[3].id: (5, 1)}
        for rater in raters:
            verwachtingen.rate(store, rater, sessie.id, scores)
        verwachtingen.decide(store, found[1].id, sessie.id, "bijgesteld", NEW)
        verwachtingen.decide(store, found[3].id, sessie.id, "geschrapt")
        code = store.get(Sessie, sessie.id).code
    return start_voila(name="besluiten", db_url=str(path)), code


def test_the_workbook_offers_what_the_kring_decided_and_the_map_stays_readable(
    decided_server, page, page_record, open_voila
):
    server, _code = decided_server
    open_voila(server.url("voila/render/verwachtingen.ipynb"), timeout=RENDER_TIMEOUT_S)
    page.get_by_label("Groep of leerkring").select_option(label="Kring Besluit")
    page.get_by_label("Je naam of roepnaam").fill("Anne")
    page.get_by_label("Je persoonlijke code").fill(CODE)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Je beoordeelt als Anne")).to_be_visible(timeout=20_000)
    rated = page.locator("p", has_text="(Wethouder en bestuur)")  # the rating list (the outcome list names all)
    expect(rated).to_have_count(3)
    expect(rated.nth(1)).to_have_text(f"2. {NEW} (Wethouder en bestuur)")
    expect(page.get_by_label("Belang 3", exact=True)).to_be_visible()
    expect(page.get_by_label("Belang 4", exact=True)).to_have_count(0)  # dropped: not offered
    expect(rated.filter(has_text=OLD)).to_have_count(0)
    expect(rated.filter(has_text=DROPPED)).to_have_count(0)

    page.get_by_role("tab", name="Kaart").click()
    chart = page.locator("figure.wijkleer-grafiek svg")
    expect(chart).to_be_visible(timeout=30_000)
    labels = chart.locator("g.role-mark.mark-text text")  # the points' labels (not the axes' numbers)
    expect(labels.first).to_be_visible(timeout=10_000)
    # one label for the shared place, never a lone '1' printed over a '3'; 4 was rated before it was dropped
    assert sorted(labels.all_text_contents()) == ["1, 3", "2", "4"]
    # what a screen reader hears is Dutch: no 'Title text …', 'X-axis titled …' or 'label: …' from Vega
    spoken = chart.evaluate(
        "svg => [...svg.querySelectorAll('[aria-label]')].filter(e => !e.closest('[aria-hidden=true]'))"
        ".map(e => e.getAttribute('aria-label'))"
    )
    assert "Haalbaarheid (1–5): 2; Belang (1–5): 4; Verwachting: 1, 3" in spoken
    assert not [s for s in spoken if "Title text" in s or "label:" in s or "axis" in s or "legend" in s], spoken
    assert page_record.outside_requests == [] and page_record.page_errors == []


def test_the_round_opens_with_the_expectations_as_they_stand(decided_server, page, page_record, open_voila):
    server, code = decided_server
    open_voila(server.url(f"voila/render/sessie.ipynb?code={code}"), timeout=RENDER_TIMEOUT_S)
    page.get_by_label("Naam of schuilnaam").fill("Bram")
    page.get_by_label("Rol", exact=True).select_option(label="Uitvoering")
    page.get_by_role("button", name="Meedoen").click()
    expect(page.get_by_text("Je doet mee als Bram")).to_be_visible(timeout=20_000)
    listed = page.locator("ol.wijkleer-verwachtingen li")
    expect(listed).to_have_count(3)
    expect(listed.nth(1)).to_contain_text(NEW)
    expect(page.get_by_text(OLD)).to_have_count(0)
    expect(page.get_by_text(DROPPED)).to_have_count(0)
    assert page_record.outside_requests == [] and page_record.page_errors == []
