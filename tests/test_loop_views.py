"""The inbox and practice's answers, driven in Python: steps land in the history, refused steps show
their message next to the field and keep the text."""

import html
from datetime import date

from tests.support.widgets import html_of
from wijkleer import terugkoppeling
from wijkleer.model import Knelpunt, Team
from wijkleer.views.inbox import Inbox
from wijkleer.views.logboek import Logboek

TEAM = Team.make(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Lingestroom")


def _knelpunt(store, make_knelpunt, **changes):
    store.add(TEAM)
    return store.add(make_knelpunt(datum=date.today(), **changes))


def test_inbox_steps_and_errors(store, make_knelpunt):
    k = _knelpunt(store, make_knelpunt)
    inbox = Inbox(store, "Dijkhoven")
    assert "1 knelpunten wachten op beleid, waarvan 1 nieuw" in inbox.summary.value
    assert "nog niet toegewezen" in html_of(inbox.lijst.box) and "nan" not in html_of(inbox.lijst.box)
    inbox.lijst.rows[0][0].click()  # the row's title opens it
    assert inbox.current == k.id and inbox.list_view.layout.display == "none"
    assert [v for _, v in inbox.next_step.widget.options] == ["ontvangen", "samengevoegd"]
    inbox.next_step.widget.value = "ontvangen"
    assert inbox.department.widget.value == ""  # no department chosen for anyone
    inbox.form.submit()
    assert "Kies een afdeling" in inbox.department.error.value and [e.status for e in store.history(k.id)] == [
        "gesignaleerd"
    ]
    inbox.department.widget.value = "jeugd"
    inbox.form.submit()
    assert store.get(Knelpunt, k.id).afdeling == "jeugd"
    message = html.unescape(inbox.form.message.value)
    assert inbox.current == k.id and f"Vastgelegd voor '{k.titel}': Ontvangen." in message  # named; it stays open
    inbox.next_step.widget.value = "besluit"
    inbox.form.submit()  # no text: refused, message next to the text field
    assert "Vul dit veld in." in inbox.text.error.value
    inbox.text.widget.value = "We nemen het op in de nieuwe verordening."
    inbox.form.submit()
    assert [e.status for e in store.history(k.id)] == ["gesignaleerd", "ontvangen", "besluit"]
    assert inbox.text.widget.value == ""  # cleared for the next step after success


def test_practice_reopens_with_a_reason(store, make_knelpunt):
    k = _knelpunt(store, make_knelpunt)
    for status, tekst in (("ontvangen", ""), ("besluit", "Besluit."), ("teruggekoppeld", "Het antwoord.")):
        terugkoppeling.step(store, k.id, status, "beleid", tekst, besluit="deels" if status == "besluit" else None)
    book = Logboek(store, TEAM.naam)
    card = book.answers.box.children[2]
    assert "Het antwoord." in html_of(card)
    form_box = card.children[1]
    reason, buttons = form_box.children[0].children[0], form_box.children[1]
    buttons.children[1].click()  # reopen without a reason
    assert "Vul dit veld in." in html_of(form_box) and store.get(Knelpunt, k.id).status == "teruggekoppeld"
    reason.value = "Inwoners lopen nog steeds vast bij de balie."
    buttons.children[1].click()
    assert store.get(Knelpunt, k.id).status == "heropend"
    assert "is heropend" in book.answers.notice.value
    assert "Heropend" in html_of(book.since.list_box)


def test_hostile_loop_texts_are_stored_exactly_and_shown_inert(store, make_knelpunt):
    from tests.support.hostile import HOSTILE

    store.add(TEAM)
    ids = []
    for index, tekst in enumerate(HOSTILE):
        k = store.add(make_knelpunt(titel=f"Knelpunt {index}", datum=date.today()))
        terugkoppeling.step(store, k.id, "ontvangen", "beleid", tekst)
        assert store.history(k.id)[-1].tekst == tekst.strip()
        ids.append(k.id)
    page = Inbox(store, "Dijkhoven")
    for knelpunt_id, tekst in zip(ids, HOSTILE, strict=True):
        page.open(knelpunt_id)
        shown = html_of(page.detail_box)
        assert not [tag for tag in ("<script", "<img", "<svg", "<iframe", "<a ") if tag in shown]
        assert html.escape(tekst.strip(), quote=True) in shown


def test_inbox_acknowledges_without_assigning_only_when_chosen(store, make_knelpunt):
    k = _knelpunt(store, make_knelpunt)
    inbox = Inbox(store, "Dijkhoven")
    inbox.open(k.id)
    inbox.next_step.widget.value = "ontvangen"
    inbox.department.widget.value = "nog_niet"
    inbox.form.submit()
    stored = store.get(Knelpunt, k.id)
    assert (stored.status, stored.afdeling) == ("ontvangen", None)
