"""The reflection workbook: models as data, drafts saved and revisited, the privacy gate, a portfolio the
student owns (HTML, PDF), and above all: nobody but the writer reads a reflection unless it is shared — enforced
by the store itself, and visible in what a facilitator's page puts into widget state."""

from __future__ import annotations

import io
import json
import uuid
from html.parser import HTMLParser

import ipywidgets as widgets
import pytest

from tests.support.hostile import CONTROL, HOSTILE
from tests.support.widgets import html_of
from wijkleer import document, identiteit, reflectie
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring, Reflectie, Sessie, new_id
from wijkleer.views import reflectie as view

CLIENT_DATA = "Ik sprak met mevrouw Jansen, BSN 111222333, over haar schulden."


@pytest.fixture
def kring(store):
    """A kring with two students, a facilitator and a policy officer; and a second kring with its own facilitator."""
    home = store.add(Kring.make(naam="Leerkring Dijkhoven", gemeente="Dijkhoven"))
    other = store.add(Kring.make(naam="Leerkring Elders", gemeente="Elders"))
    people = {
        "anna": Deelnemer.make(kring_id=home.id, naam="Anna", rol="student"),
        "bram": Deelnemer.make(kring_id=home.id, naam="Bram", rol="student"),
        "fenna": Deelnemer.make(kring_id=home.id, naam="Fenna", rol="facilitator"),
        "piet": Deelnemer.make(kring_id=home.id, naam="Piet", rol="beleid"),
        "gert": Deelnemer.make(kring_id=other.id, naam="Gert", rol="facilitator"),
    }
    # everyone here was added by a facilitator: they sign in with the start code an administrator gave them
    found = {key: identiteit.stel_code_in(store, store.add(person), "geheim123") for key, person in people.items()}
    found["kring"], found["elders"] = home, other
    found["sessie"] = store.add(Sessie.make(kring_id=home.id, titel="Intervisie jongeren", datum="2026-10-01"))
    found["sessie_elders"] = store.add(Sessie.make(kring_id=other.id, titel="Elders", datum="2026-10-01"))
    return found


def secret() -> str:
    """A text only one reflection holds, to look for anywhere it must not be."""
    letters = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex)  # digits could look like a number
    return f"Geheim inzicht {letters}"


def write(store, person, text, shared=False, model="alact", step="handelen"):
    saved = reflectie.opslaan(store, person, new_id(), model, {step: text})
    return reflectie.delen(store, person, saved.id, True) if shared else saved


# -- the models, as data -----------------------------------------------------------------------------------
def test_models_come_from_the_data_file():
    models = reflectie.modellen()
    assert list(models) == ["alact", "gibbs"]
    assert [s.code for s in models["alact"].stappen] == [
        "handelen", "terugblikken", "bewustwording", "alternatieven", "uitproberen"]  # fmt: skip
    assert [s.code for s in models["gibbs"].stappen] == [
        "beschrijving", "gevoelens", "evaluatie", "analyse", "conclusie", "actieplan"]  # fmt: skip
    for model in models.values():
        for step in model.stappen:
            assert step.titel and 2 <= len(step.vragen) <= 3 and all(q.endswith("?") for q in step.vragen)
            assert all(q in step.hulp for q in step.vragen)


GOOD_STEP = '[[model.stap]]\ncode = "a"\ntitel = "A"\nvragen = ["Wat?", "Hoe?"]\n'
ALACT = '[[model]]\ncode = "alact"\nnaam = "A"\n'


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ('[[model]]\ncode = "alact"\nnaam = "x\n', 3, ""),
        ('[[model]]\ncode = "kolb"\nnaam = "Kolb"\n' + GOOD_STEP, 1, "kolb"),
        (ALACT + GOOD_STEP + '\n[[model.stap]]\ncode = "b"\ntitel = "B"\n', 9, "'b'"),
        (ALACT + GOOD_STEP + GOOD_STEP, 8, "'a'"),
        ('[[model]]\ncode = "alact"\nnaam = "A"\nkleur = "rood"\n' + GOOD_STEP, 1, "kleur"),
        (ALACT + GOOD_STEP + "\n[extra]\nx = 1\n", 9, "extra"),
        ('[[model]]\ncode = "gibbs"\nnaam = "G"\n', 1, "gibbs"),
    ],
    ids=["toml", "onbekend_model", "geen_vragen", "dubbele_stap", "onbekend_veld", "onbekend_blok", "geen_stappen"],
)
def test_a_broken_models_file_names_file_and_line(tmp_path, content, line, fragment):
    path = tmp_path / "reflectie.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WijkleerError) as caught:
        reflectie.parse(path)
    assert str(path) in caught.value.message and f"regel {line}:" in caught.value.message
    assert fragment in caught.value.message and caught.value.hint


# -- drafts ----------------------------------------------------------------------------------------------
def test_drafts_are_saved_partially_and_revisited(store, kring):
    anna = kring["anna"]
    first = reflectie.opslaan(store, anna, new_id(), "alact", {"handelen": "Ik bracht een casus in."},
                              sessie_id=kring["sessie"].id)  # fmt: skip
    assert first.stappen == {"handelen": "Ik bracht een casus in."} and not first.gedeeld
    again = reflectie.opslaan(store, anna, first.id, "alact",
                              {"handelen": "Ik bracht een casus in.", "terugblikken": "Beleid zag het anders.",
                               "bewustwording": ""}, sessie_id=kring["sessie"].id)  # fmt: skip
    assert again.id == first.id and again.aangemaakt == first.aangemaakt and again.bijgewerkt >= first.bijgewerkt
    assert again.stappen == {"handelen": "Ik bracht een casus in.", "terugblikken": "Beleid zag het anders."}
    other = reflectie.opslaan(store, anna, new_id(), "gibbs", {"gevoelens": "Onzeker."})
    assert [r.id for r in reflectie.mijn(store, anna)] == [other.id, first.id]  # newest change first
    assert reflectie.koppeling_titel(store, again) == "Sessie: Intervisie jongeren"


@pytest.mark.parametrize(
    ("model", "steps", "links", "field"),
    [
        ("alact", {"handelen": "  "}, {}, "handelen"),
        ("kolb", {"handelen": "Iets."}, {}, "model"),
        ("alact", {"gevoelens": "Iets."}, {}, "gevoelens"),
        ("alact", {"handelen": "x" * 4001}, {}, "handelen"),
        ("alact", {"handelen": "Iets."}, {"sessie_id": "sessie_elders"}, "sessie_id"),
        ("alact", {"handelen": "Iets."}, {"knelpunt_id": "bestaat-niet"}, "knelpunt_id"),
    ],
    ids=["leeg", "onbekend_model", "stap_van_ander_model", "te_lang", "sessie_van_andere_kring", "geen_knelpunt"],
)
def test_a_draft_that_cannot_be_saved_says_where(store, kring, model, steps, links, field):
    links = {name: kring[value].id if value in kring else value for name, value in links.items()}
    with pytest.raises(WijkleerError) as caught:
        reflectie.opslaan(store, kring["anna"], new_id(), model, steps, **links)
    assert field in caught.value.fields
    assert reflectie.mijn(store, kring["anna"]) == []


@pytest.mark.parametrize("text", CONTROL)
def test_control_characters_are_refused_not_stored(store, kring, text):
    with pytest.raises(WijkleerError) as caught:
        reflectie.opslaan(store, kring["anna"], new_id(), "alact", {"handelen": text})
    assert "handelen" in caught.value.fields


def test_the_privacy_gate_refuses_a_draft_with_client_data(store, kring):
    with pytest.raises(WijkleerError) as caught:
        reflectie.opslaan(store, kring["anna"], new_id(), "alact", {"handelen": "Goed.", "terugblikken": CLIENT_DATA})
    assert set(caught.value.fields) == {"terugblikken"} and "111222333" in caught.value.fields["terugblikken"]
    assert reflectie.mijn(store, kring["anna"]) == []


# -- privacy in the data layer -----------------------------------------------------------------------------
def test_the_store_never_hands_out_a_reflection_through_its_generic_verbs(store, kring):
    mine = write(store, kring["anna"], secret(), shared=True)  # even a shared one
    for verb in (
        lambda: store.get(Reflectie, mine.id),
        lambda: store.list(Reflectie),
        lambda: store.list(Reflectie, deelnemer_id=kring["anna"].id),
        lambda: store.frame(Reflectie),
        lambda: store.update(mine.model_copy(update={"stappen": {"handelen": "Overschreven"}})),
        lambda: store.remove(Reflectie, mine.id),
        lambda: store.increment(Reflectie, mine.id, "gedeeld"),
    ):
        with pytest.raises(WijkleerError):
            verb()
    assert reflectie.mijn(store, kring["anna"]) == [mine]


@pytest.mark.parametrize("reader", ["bram", "fenna", "piet", "gert"])
def test_nobody_else_reads_or_changes_a_reflection(store, kring, reader):
    anna, other = kring["anna"], kring[reader]
    private, shared = secret(), secret()
    hidden = write(store, anna, private)
    open_one = write(store, anna, shared, shared=True)
    own = write(store, other, secret())
    assert store.reflecties(other.id) == [own] == reflectie.mijn(store, other)
    # another writer's id, as theirs or as the owner's: refused, and the owner's text stays
    for attempt in (
        hidden.model_copy(update={"deelnemer_id": other.id, "stappen": {"handelen": "Van mij"}}),
        hidden.model_copy(update={"stappen": {"handelen": "Van mij"}}),
    ):
        with pytest.raises(WijkleerError):
            store.reflectie_opslaan(attempt, other.id)
    with pytest.raises(WijkleerError):
        reflectie.opslaan(store, other, hidden.id, "alact", {"handelen": "Van mij"})
    with pytest.raises(WijkleerError):
        reflectie.delen(store, other, hidden.id, True)
    assert {r.stappen["handelen"] for r in store.reflecties(anna.id)} == {private, shared}
    assert not next(r for r in store.reflecties(anna.id) if r.id == hidden.id).gedeeld
    # sharing opens exactly the shared entry, to the facilitator of the writer's own kring only
    assert [r.id for r in store.gedeelde_reflecties(anna.kring_id)] == [open_one.id]
    assert store.gedeelde_reflecties(kring["elders"].id) == []
    if other.rol == "facilitator" and other.kring_id == anna.kring_id:
        seen = reflectie.gedeeld_in_kring(store, other)
        assert [(g.reflectie.id, g.schrijver) for g in seen] == [(open_one.id, "Anna")]
    elif other.rol == "facilitator":
        assert reflectie.gedeeld_in_kring(store, other) == []
    else:
        with pytest.raises(WijkleerError):
            reflectie.gedeeld_in_kring(store, other)


def test_a_claimed_role_is_not_enough_to_read_shared_entries(store, kring):
    write(store, kring["anna"], secret(), shared=True)
    pretender = kring["bram"].model_copy(update={"rol": "facilitator"})  # not what the store says
    with pytest.raises(WijkleerError):
        reflectie.gedeeld_in_kring(store, pretender)


def test_unsharing_takes_an_entry_back(store, kring):
    shared = write(store, kring["anna"], secret(), shared=True)
    reflectie.delen(store, kring["anna"], shared.id, False)
    assert reflectie.gedeeld_in_kring(store, kring["fenna"]) == []


# -- the workbook -------------------------------------------------------------------------------------------
@pytest.fixture
def page(store, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)

    def sign_in(person: Deelnemer, code: str = "geheim123") -> view.Reflectiewerkboek:
        app = view.Reflectiewerkboek(store)
        form = app.aanmelden.form
        form.fields["kring_id"].widget.value = person.kring_id
        form.fields["naam"].widget.value = person.naam
        form.fields["code"].widget.value = code
        form.submit()
        assert app.person is not None and app.person.id == person.id, form.message.value
        return app

    return sign_in


def _tree(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


def everything_shown(app: view.Reflectiewerkboek) -> str:
    """All a browser can read of the page: HTML, every text value and option, and the synced state of every widget."""
    parts = [html_of(app.box)]
    for widget in _tree(app.box):
        if isinstance(widget, widgets.Text | widgets.Textarea):
            parts.append(widget.value)
        if isinstance(widget, widgets.Dropdown):
            parts += [str(option) for option in widget.options]
        parts.append(json.dumps(widget.get_state(), default=str))
    return "\n".join(parts)


def test_a_facilitators_page_holds_only_what_was_shared(store, kring, page):
    private, shared, bram_private = secret(), secret(), secret()
    write(store, kring["anna"], private)
    write(store, kring["anna"], shared, shared=True, model="gibbs", step="analyse")
    write(store, kring["bram"], bram_private)
    app = page(kring["fenna"])
    shown = everything_shown(app)
    assert shared in shown and "Anna" in html_of(app.shared_box)
    assert private not in shown and bram_private not in shown
    # and nowhere in any live widget's state, shown or not
    from ipywidgets.widgets.widget import _instances

    live = "".join(json.dumps(w.get_state(), default=str) for w in list(_instances.values()))
    assert private not in live and bram_private not in live


@pytest.mark.parametrize("reader", ["bram", "piet", "gert"])
def test_other_pages_hold_nothing_of_anna(store, kring, page, reader):
    texts = [secret(), secret()]
    write(store, kring["anna"], texts[0])
    write(store, kring["anna"], texts[1], shared=True)
    app = page(kring[reader])
    shown = everything_shown(app)
    assert not any(text in shown for text in texts)
    assert app.shared_box.children == () or reader == "gert"


def test_a_student_writes_saves_reopens_and_shares(store, kring, page):
    app = page(kring["anna"])
    app.model.widget.value = "gibbs"
    app.link.widget.value = f"sessie:{kring['sessie'].id}"
    app.steps["gibbs.beschrijving"].widget.value = "Een overleg over een jongere die 18 wordt."
    app.form.submit()
    assert 'role="status"' in app.form.message.value, app.form.message.value
    saved = reflectie.mijn(store, kring["anna"])
    assert len(saved) == 1 and saved[0].model == "gibbs" and saved[0].sessie_id == kring["sessie"].id
    app.steps["gibbs.gevoelens"].widget.value = "Onzeker."
    app.form.submit()  # the same draft, one step further
    assert [r.stappen for r in reflectie.mijn(store, kring["anna"])] == [
        {"beschrijving": "Een overleg over een jongere die 18 wordt.", "gevoelens": "Onzeker."}]  # fmt: skip
    app._new()
    assert app.steps["gibbs.beschrijving"].widget.value == ""
    row = app.list_box.children[0]
    opener, share = row.children[0].children[1], row.children[0].children[2]
    opener.click()
    assert app.steps["gibbs.gevoelens"].widget.value == "Onzeker." and app.model.value == "gibbs"
    share.value = True
    assert reflectie.mijn(store, kring["anna"])[0].gedeeld
    assert [g.schrijver for g in reflectie.gedeeld_in_kring(store, kring["fenna"])] == ["Anna"]


def test_the_page_shows_the_privacy_message_next_to_the_step_and_keeps_the_text(store, kring, page):
    app = page(kring["anna"])
    app.steps["alact.terugblikken"].widget.value = CLIENT_DATA
    app.form.submit()
    assert "111222333" in app.steps["alact.terugblikken"].error.value
    assert app.steps["alact.terugblikken"].widget.value == CLIENT_DATA
    assert reflectie.mijn(store, kring["anna"]) == []


def test_signing_in_as_someone_else_replaces_the_page(store, kring, page):
    text = secret()
    app = page(kring["anna"])
    app.steps["alact.handelen"].widget.value = text
    app.form.submit()
    old = [widget for child in app.main.children for widget in _tree(child)]
    form = app.aanmelden.form
    form.fields["naam"].widget.value, form.fields["code"].widget.value = "Bram", "geheim123"
    form.submit()
    assert app.person.id == kring["bram"].id and text not in everything_shown(app)
    assert all(widget.comm is None for widget in old)  # closed: gone from the browser too


def test_the_portfolio_downloads_as_html_and_pdf(store, kring, page):
    write(store, kring["anna"], "Ik leerde veel.")
    app = page(kring["anna"])
    app._download()
    links = app.download_box.value
    assert links.count("<a ") == 2 and "data:text/html;base64," in links and "data:application/pdf;base64," in links


# -- the portfolio ---------------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _value in attrs}


def test_the_portfolio_html_escapes_hostile_text(store):
    kring = store.add(Kring.make(naam=HOSTILE[0][:80]))
    person = store.add(Deelnemer.make(kring_id=kring.id, naam=HOSTILE[2][:80], rol="student"))
    for text in HOSTILE:  # stored directly: the portfolio must be safe even for text the gate let through
        steps = {"handelen": text, "terugblikken": text}
        store.reflectie_opslaan(Reflectie.make(deelnemer_id=person.id, model="alact", stappen=steps), person.id)
    page = reflectie.portfolio_html(store, person)
    parser = _Tags()
    parser.feed(page)
    assert parser.tags == {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "section"}
    assert parser.attributes <= {"lang", "charset", "http-equiv", "content", "name", "class"}
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
    import html

    for text in HOSTILE:
        assert html.escape(text.strip()) in page


def test_the_portfolio_pdf_is_readable(store, kring):
    pypdf = pytest.importorskip("pypdf")
    write(store, kring["anna"], "Café-overleg: één knelpunt, € 25 korting, Ελληνικά.", model="gibbs", step="analyse")
    data = reflectie.portfolio_pdf(store, kring["anna"])
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Reflectieportfolio van Anna" in text and "4. Analyse" in text
    assert "Café-overleg: één knelpunt, € 25 korting, Ελληνικά." in text


def test_the_portfolio_pdf_has_a_fallback_font(store, kring, tmp_path, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.setattr(document, "FONT_DIR", tmp_path / "geen-fonts")
    write(store, kring["anna"], "Café met één emoji 🏠 en € 5.")
    data = reflectie.portfolio_pdf(store, kring["anna"])
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert data.startswith(b"%PDF") and "Café met één emoji ? en ? 5." in text


def test_the_portfolio_pdf_survives_hostile_text(store, kring):
    person = kring["anna"]
    for text in HOSTILE:
        store.reflectie_opslaan(Reflectie.make(deelnemer_id=person.id, model="gibbs", stappen={"analyse": text}),
                                person.id)  # fmt: skip
    assert reflectie.portfolio_pdf(store, person).startswith(b"%PDF")


def test_an_empty_portfolio_is_still_a_document(store, kring):
    assert "nog geen reflecties" in reflectie.portfolio_html(store, kring["bram"])
    assert reflectie.portfolio_pdf(store, kring["bram"]).startswith(b"%PDF")


def test_the_workbook_opens_on_the_sign_in(store, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "")
    shown = view.app(store)
    assert isinstance(shown, widgets.VBox) and 'role="alert"' not in html_of(shown)
