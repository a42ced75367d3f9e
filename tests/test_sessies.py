"""Leerkring sessions: templates as data, the facilitator's steps, joining with a code, the board per viewer
(anonymity and reveal enforced in the store), dot votes per role with a budget, actions carried to the next
review, and the summary for the municipality (HTML and PDF)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import ipywidgets as widgets
import pytest

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Actie, Bijdrage, Deelname, Deelnemer, Kring, Sessie, Stip, Team, Verwachting, new_id
from wijkleer.sessies import samenvatting, sjablonen, verloop
from wijkleer.store import Kijker
from wijkleer.views import sessie_begeleider, sessie_deelnemer

CODE = "kringcode-2026"


def state_of(widget: widgets.Widget) -> str:
    """Everything a page's widgets hold (what the browser receives), as one JSON text."""
    seen, parts, todo = set(), [], [widget]
    while todo:
        w = todo.pop()
        if w.model_id in seen:
            continue
        seen.add(w.model_id)
        state = w.get_state()
        parts.append(json.dumps(state, default=str, ensure_ascii=False))
        for value in state.values():
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, str) and item.startswith("IPY_MODEL_"):
                    found = widgets.Widget.widgets.get(item[len("IPY_MODEL_") :])
                    if found is not None:
                        todo.append(found)
    return "\n".join(parts)


@pytest.fixture
def kring(store):
    """A kring with its facilitator (signed in with a code) and one knelpunt-ready team."""
    begeleider = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", CODE)
    store.add(Team(naam="Wijkteam Centrum", wijk="Centrum", gemeente="Vlietdam", regio="Zuid"))
    return begeleider


def join(store, code, naam, rol):
    """Join a session; only the participation (the key of the personal link: see the join tests)."""
    return verloop.deelnemen(store, code, naam, rol)[0]


def running(store, begeleider, sjabloon="knelpuntenronde"):
    sessie = verloop.plannen(store, begeleider, sjabloon, "", date.today())
    sessie, zelf = verloop.openen(store, begeleider, sessie.id)
    return sessie, zelf


# -- templates ---------------------------------------------------------------------------------------------
def test_every_template_has_phases_with_goal_prompt_and_timebox():
    found = sjablonen.sjablonen()
    assert {"verwachtingenronde", "knelpuntenronde", "terugkoppelronde", "actiereview", "incidentmethode", "imi",
            "reflectie_alact", "reflectie_gibbs"} <= set(found)  # fmt: skip
    assert len(found["incidentmethode"].fasen) == 10
    assert "knelpunt" in [f.soort for f in found["imi"].fasen]
    assert [f.titel for f in found["reflectie_gibbs"].fasen][0].startswith("1.")
    for sjabloon in found.values():
        for fase in sjabloon.fasen:
            assert fase.titel and fase.doel and fase.vraag and fase.minuten > 0


def test_a_vote_shows_the_writing_phase_before_it_or_its_named_source():
    found = sjablonen.sjablonen()
    assert found["knelpuntenronde"].bron(1) == 0
    assert found["incidentmethode"].bron(6) == 5
    assert found["knelpuntenronde"].bron(0) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[sjabloon]]\ncode = 'x'\nnaam = 'X'\n", "geen fasen"),
        ("[[sjabloon]]\ncode = 'Fout'\nnaam = 'X'\nreflectiemodel = 'alact'\n", "kleine letters"),
        ("[[sjabloon]]\ncode = 'x'\nnaam = 'X'\nreflectiemodel = 'onbekend'\n", "bestaat niet"),
        ("[[sjabloon]]\ncode = 'x'\nnaam = 'X'\n[[sjabloon.fase]]\ntitel = 'a'\ndoel = 'b'\nvraag = 'c'\n"
         "minuten = 5\nsoort = 'dansen'\n", "regel 1"),
        ("[[sjabloon]]\ncode = 'x'\nnaam = 'X'\n[[sjabloon.fase]]\ntitel = 'a'\ndoel = 'b'\nvraag = 'c'\n"
         "minuten = 5\nsoort = 'delen'\nbron = 1\n", "eerdere schrijffase"),
        ("[[sjabloon]]\ncode = \n", "regel 2"),
    ],
)  # fmt: skip
def test_a_broken_templates_file_names_file_line_and_problem_in_dutch(tmp_path, text, fragment):
    path = tmp_path / "sessies.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WijkleerError) as caught:
        sjablonen.parse(path)
    assert str(path) in caught.value.message and fragment in caught.value.message


# -- the facilitator ---------------------------------------------------------------------------------------
def test_only_the_kring_facilitator_plans_and_runs(store, kring):
    student = identiteit.aanmelden(store, kring.kring_id, "Sam Student", "zonnebloem-7")
    with pytest.raises(WijkleerError, match="begeleider"):
        verloop.plannen(store, student, "knelpuntenronde", "", date.today())
    sessie, _ = running(store, kring)
    forged = student.model_copy(update={"rol": "facilitator"})  # a claim in Python does not count: the store decides
    with pytest.raises(WijkleerError, match="begeleider"):
        verloop.naar_fase(store, forged, sessie.id, 1)
    other = verloop.kring_maken(store, "Andere kring", "Elders", "Olga Ander", "andere-code-1")
    with pytest.raises(WijkleerError, match="begeleider"):
        verloop.onthullen(store, other, sessie.id)


def test_opening_starts_the_session_with_a_join_code_and_the_first_phase(store, kring):
    sessie, zelf = running(store, kring)
    assert sessie.status == "bezig" and len(sessie.code) == 6 and sessie.fase == 0
    assert store.sessie_bij_code(sessie.code.lower()).id == sessie.id
    assert zelf.rol == "facilitator"
    moved = verloop.naar_fase(store, kring, sessie.id, 99)
    assert moved.fase == len(verloop.sjabloon_van(sessie).fasen) - 1
    assert verloop.naar_fase(store, kring, sessie.id, -3).fase == 0
    assert store.versie_van(sessie.id) > sessie.versie


def test_a_new_kring_needs_a_good_code_and_a_free_name(store, kring):
    with pytest.raises(WijkleerError) as caught:
        verloop.kring_maken(store, "Nieuwe kring", "Vlietdam", "Piet", "123456")
    assert "code" in caught.value.fields
    with pytest.raises(WijkleerError) as caught:
        verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Piet", "goede-code-9")
    assert "naam" in caught.value.fields
    assert verloop.deelnemer_toevoegen(store, kring, "Bea Beleid", "beleid").rol == "beleid"
    with pytest.raises(WijkleerError) as caught:
        verloop.deelnemer_toevoegen(store, kring, "Bea Beleid", "beleid")
    assert "naam" in caught.value.fields


# -- joining and writing -------------------------------------------------------------------------------------
def test_join_with_the_code_under_a_name_and_role(store, kring):
    sessie, _ = running(store, kring)
    anna, key = verloop.deelnemen(store, sessie.code.lower(), "  Anna   de Vries ", "uitvoering")
    assert (anna.naam, anna.rol, anna.sessie_id) == ("Anna de Vries", "uitvoering", sessie.id)
    assert key and anna.sleutel != key  # only the key's hash is stored
    # a reloaded page: the same name comes back only with the key of the personal link
    assert verloop.deelnemen(store, sessie.code, "Anna de Vries", "beleid", key)[0].id == anna.id
    assert verloop.terugkomen(store, sessie.code, key).id == anna.id
    assert verloop.terugkomen(store, sessie.code, "geraden") is None
    for wrong in (None, "geraden"):  # someone else taking Anna's name (and her dots and actions) is refused
        with pytest.raises(WijkleerError) as caught:
            verloop.deelnemen(store, sessie.code, "Anna de Vries", "uitvoering", wrong)
        assert "naam" in caught.value.fields
    with pytest.raises(WijkleerError) as caught:
        join(store, "ZZZZZZ", "", "")
    assert set(caught.value.fields) == {"code", "naam", "rol"}
    with pytest.raises(WijkleerError) as caught:
        join(store, sessie.code, "Fenna Begeleider", "uitvoering")
    assert "naam" in caught.value.fields
    with pytest.raises(WijkleerError) as caught:
        join(store, sessie.code, "Mallory", "facilitator")
    assert "rol" in caught.value.fields


def test_under_jupyterhub_the_hub_account_is_the_name(store, kring, monkeypatch):
    sessie, _ = running(store, kring)
    monkeypatch.setenv("JUPYTERHUB_USER", "jdevries")
    joined, key = verloop.deelnemen(store, sessie.code, "Iemand Anders", "beleid")
    assert joined.naam == "jdevries" and key is None
    assert join(store, sessie.code, "", "beleid").id == joined.id  # the hub account comes back without a key
    monkeypatch.delenv("JUPYTERHUB_USER")
    with pytest.raises(WijkleerError):  # but nobody else under that name
        join(store, sessie.code, "jdevries", "beleid")


def test_entries_pass_the_privacy_gate_and_only_in_a_writing_phase(store, kring):
    sessie, _ = running(store, kring)
    anna = join(store, sessie.code, "Anna", "uitvoering")
    with pytest.raises(WijkleerError) as caught:
        verloop.indienen(store, anna, "Mevrouw Jansen, BSN 111222333, belt elke dag", new_id())
    assert "tekst" in caught.value.fields
    verloop.naar_fase(store, kring, sessie.id, 1)  # a vote: nothing to write
    with pytest.raises(WijkleerError, match="andere fase"):
        verloop.indienen(store, anna, "Wachtlijst ggz", new_id())
    verloop.afronden(store, kring, sessie.id)
    with pytest.raises(WijkleerError, match="loopt niet"):
        verloop.klaar(store, anna)
    with pytest.raises(WijkleerError) as caught:
        join(store, sessie.code, "Later", "uitvoering")
    assert "afgerond" in caught.value.fields["code"]


def test_a_repeated_submit_stores_one_entry(store, kring):
    sessie, _ = running(store, kring)
    anna = join(store, sessie.code, "Anna", "uitvoering")
    entry_id = new_id()
    verloop.indienen(store, anna, "Wachtlijst ggz", entry_id)
    verloop.indienen(store, anna, "Wachtlijst ggz", entry_id)
    assert len(store.bijdragen(sessie.id, Kijker("begeleider"))) == 1


# -- the board per viewer --------------------------------------------------------------------------------------
@pytest.fixture
def board(store, kring):
    """A knelpunten round with two participants who each wrote an (anonymous) entry in phase 1."""
    sessie, zelf = running(store, kring)
    anna = join(store, sessie.code, "Anna Uitvoering", "uitvoering")
    bert = join(store, sessie.code, "Bert Beleid", "beleid")
    verloop.indienen(store, anna, "Schuldhulp en Wmo hebben elk een eigen intake", new_id())
    verloop.indienen(store, bert, "Het budget voor collectief werk is per jaar onzeker", new_id())
    return sessie, zelf, anna, bert


def test_entries_are_hidden_from_other_participants_until_revealed(store, kring, board):
    sessie, _zelf, anna, bert = board
    mine = store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))
    assert [e.tekst for e in mine] == ["Schuldhulp en Wmo hebben elk een eigen intake"] and mine[0].eigen
    assert store.bijdragen(sessie.id, Kijker("beleid")) == []
    assert len(store.bijdragen(sessie.id, Kijker("begeleider"))) == 2
    verloop.onthullen(store, kring, sessie.id)
    assert len(store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))) == 2
    verloop.onthullen(store, kring, sessie.id, False)
    assert len(store.bijdragen(sessie.id, Kijker("deelnemer", bert.id))) == 1


def test_who_wrote_an_anonymous_entry_never_leaves_the_store(store, kring, board):
    sessie, *_ = board
    verloop.onthullen(store, kring, sessie.id)
    for kijker in (Kijker("begeleider"), Kijker("beleid"), Kijker("deelnemer", board[2].id)):
        for entry in store.bijdragen(sessie.id, kijker):
            assert entry.auteur is None and entry.rol is None
            assert not hasattr(entry, "deelname_id")


def test_named_phases_show_names_except_to_policy(store, kring, tmp_path, monkeypatch):
    text = (
        "[[sjabloon]]\ncode = 'rondje'\nnaam = 'Rondje'\n[[sjabloon.fase]]\ntitel = 'Op naam'\ndoel = 'd'\n"
        "vraag = 'v'\nminuten = 5\nsoort = 'schrijven'\nanoniem = false\n"
    )
    path = tmp_path / "sessies.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sjablonen, "sjablonen", lambda: sjablonen.parse(path))
    monkeypatch.setattr(verloop, "sjablonen", lambda: sjablonen.parse(path))
    sessie, _ = running(store, kring, "rondje")
    anna = join(store, sessie.code, "Anna", "uitvoering")
    verloop.indienen(store, anna, "Ik bel de corporatie over de informatieavond", new_id())
    verloop.onthullen(store, kring, sessie.id)
    assert store.bijdragen(sessie.id, Kijker("begeleider"))[0].auteur == "Anna"
    assert store.bijdragen(sessie.id, Kijker("beleid"))[0].auteur is None


def test_entries_and_dots_are_refused_by_the_plain_verbs(store, board):
    sessie, *_ = board
    planted = Bijdrage.make(sessie_id=sessie.id, fase=0, deelname_id="x", tekst="t")
    for verb in (lambda: store.list(Bijdrage), lambda: store.frame(Stip), lambda: store.count(Bijdrage, fase=0),
                 lambda: store.add(planted), lambda: store.get(Bijdrage, "x")):  # fmt: skip
        with pytest.raises(WijkleerError, match="bord"):
            verb()


def test_spotlight_shows_one_entry_to_everyone(store, kring, board):
    sessie, _zelf, anna, bert = board
    bert_entry = store.bijdragen(sessie.id, Kijker("deelnemer", bert.id))[0]
    lit = verloop.uitlichten(store, kring, sessie.id, bert_entry.id)
    assert lit.uitgelicht == bert_entry.id
    assert bert_entry.id in {e.id for e in store.bijdragen(sessie.id, Kijker("deelnemer", anna.id))}
    with pytest.raises(WijkleerError):
        verloop.uitlichten(store, kring, sessie.id, "bestaat-niet")
    assert verloop.naar_fase(store, kring, sessie.id, 1).uitgelicht is None


# -- dot votes -----------------------------------------------------------------------------------------------------
def test_dot_votes_keep_the_budget_and_count_per_role(store, kring, board):
    sessie, _zelf, anna, bert = board
    verloop.naar_fase(store, kring, sessie.id, 2)
    verloop.indienen(store, bert, "Een entry uit een andere fase", new_id())
    verloop.naar_fase(store, kring, sessie.id, 1)  # the vote opens the entries it is about, not its result
    assert store.get(Sessie, sessie.id).onthuld == [0] and not verloop.onthuld(store.get(Sessie, sessie.id))
    entries = store.bijdragen(sessie.id, Kijker("begeleider"))
    with pytest.raises(WijkleerError, match="niet"):  # only the entries the vote is about
        verloop.stemmen(store, anna, next(e.id for e in entries if e.fase == 2), True)
    first, second = [e for e in entries if e.fase == 0]
    for _ in range(3):
        verloop.stemmen(store, anna, first.id, True)
    with pytest.raises(WijkleerError, match="stippen zijn op"):
        verloop.stemmen(store, anna, second.id, True)
    verloop.stemmen(store, anna, first.id, False)
    verloop.stemmen(store, anna, second.id, True)
    verloop.stemmen(store, bert, second.id, True)
    assert store.stippen(sessie.id, 1) == {first.id: {"uitvoering": 2}, second.id: {"uitvoering": 1, "beleid": 1}}
    assert store.eigen_stippen(anna, 1) == {first.id: 2, second.id: 1}
    current = store.get(Sessie, sessie.id)
    result = verloop.stemuitslag(store, current, store.bijdragen(sessie.id, Kijker("begeleider")))
    assert [sum(d.values()) for _e, d in result] == [2, 2]


def test_two_pages_of_one_voter_cannot_overspend(store, kring, board):
    """The budget is checked inside the write transaction: many tries, never more than the budget."""
    sessie, _zelf, anna, _bert = board
    verloop.naar_fase(store, kring, sessie.id, 1)
    verloop.onthullen(store, kring, sessie.id)
    entry = store.bijdragen(sessie.id, Kijker("begeleider"))[0]
    import concurrent.futures

    def vote(_):
        try:
            verloop.stemmen(store, anna, entry.id, True)
            return 1
        except WijkleerError:
            return 0

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        placed = sum(pool.map(vote, range(12)))
    assert placed == 3 and sum(store.eigen_stippen(anna, 1).values()) == 3


# -- actions, knelpunten, decisions ----------------------------------------------------------------------------------
def test_actions_are_named_and_carried_into_the_next_review(store, kring, board):
    sessie, _zelf, anna, _bert = board
    verloop.naar_fase(store, kring, sessie.id, 3)
    with pytest.raises(WijkleerError) as caught:
        verloop.actie_toevoegen(store, anna, "Intake afstemmen", date.today() - timedelta(days=1), new_id())
    assert "deadline" in caught.value.fields
    with pytest.raises(WijkleerError) as caught:
        verloop.actie_toevoegen(store, anna, "Intake afstemmen", None, new_id())
    assert "deadline" in caught.value.fields
    actie = verloop.actie_toevoegen(store, anna, "Intake afstemmen met schuldhulp", date.today() + timedelta(14),
                                    new_id())  # fmt: skip
    assert actie.eigenaar == "Anna Uitvoering"
    verloop.afronden(store, kring, sessie.id)
    review = verloop.plannen(store, kring, "actiereview", "", date.today())
    assert [a.id for a in verloop.open_acties(store, review)] == [actie.id]
    _review, zelf = verloop.openen(store, kring, review.id)
    verloop.actie_bijwerken(store, kring, zelf, actie.id, "gedaan")
    assert store.get(Actie, actie.id).status == "gedaan" and verloop.open_acties(store, review) == []


def test_policy_advice_becomes_a_knelpunt_of_the_kring(store, kring):
    sessie, zelf = running(store, kring)
    anna = join(store, sessie.code, "Anna", "uitvoering")
    verloop.naar_fase(store, kring, sessie.id, 2)
    verloop.indienen(store, anna, "Eén intake voor schuldhulp en Wmo", new_id())
    entry = store.bijdragen(sessie.id, Kijker("begeleider"))[0]
    values = {"titel": "Twee intakes voor één gezin", "omschrijving": "Gezinnen doen twee keer hun verhaal.",
              "wetten": ["wmo"], "categorie": "verkokering", "ernst": "hoog", "aantal_casussen": 4,
              "team": "Wijkteam Centrum", "wijk": "Centrum", "gemeente": "Vlietdam"}  # fmt: skip
    with pytest.raises(WijkleerError) as caught:
        verloop.knelpunt_maken(store, kring, sessie.id, entry.id, dict(values, titel=""), new_id())
    assert "titel" in caught.value.fields
    knelpunt_id = verloop.knelpunt_maken(store, kring, sessie.id, entry.id, values, new_id())
    with pytest.raises(WijkleerError) as caught:  # one knelpunt per entry
        verloop.knelpunt_maken(store, kring, sessie.id, entry.id, values, new_id())
    assert "bijdrage" in caught.value.fields
    from wijkleer.model import Knelpunt

    knelpunt = store.get(Knelpunt, knelpunt_id)
    assert (knelpunt.kring_id, knelpunt.bron, knelpunt.status) == (sessie.kring_id, "leerkring", "gesignaleerd")
    assert store.bijdragen(sessie.id, Kijker("begeleider"))[0].knelpunt_id == knelpunt_id
    verloop.besluit_vastleggen(store, kring, zelf, "We brengen de dubbele intake in bij de wethouder", new_id())
    assert any(e.soort == "besluit" for e in store.bijdragen(sessie.id, Kijker("deelnemer", anna.id)))


# -- the summary ----------------------------------------------------------------------------------------------------
def test_the_summary_is_anonymous_unless_names_are_chosen(store, kring, board):
    pypdf = pytest.importorskip("pypdf")
    sessie, zelf, anna, bert = board
    store.add(Verwachting(kring_id=sessie.kring_id, belanghebbende="bestuur", tekst="Preventief werken"))
    verloop.onthullen(store, kring, sessie.id)
    verloop.naar_fase(store, kring, sessie.id, 1)
    verloop.onthullen(store, kring, sessie.id)
    entry = store.bijdragen(sessie.id, Kijker("begeleider"))[0]
    verloop.stemmen(store, anna, entry.id, True)
    verloop.stemmen(store, bert, entry.id, True)
    verloop.naar_fase(store, kring, sessie.id, 3)
    verloop.actie_toevoegen(store, anna, "Intake afstemmen met schuldhulp", date.today() + timedelta(7), new_id())
    verloop.besluit_vastleggen(store, kring, zelf, "Dubbele intake gaat naar de wethouder", new_id())
    page = samenvatting.html(store, kring, sessie.id)
    for expected in ("Agenda", "Knelpunten verzamelen", "Schuldhulp en Wmo hebben elk een eigen intake",
                     "Stemming", "Dubbele intake gaat naar de wethouder", "Intake afstemmen met schuldhulp",
                     "een deelnemer (Uitvoering)"):  # fmt: skip
        assert expected in page
    for name in ("Anna", "Bert", "Fenna"):
        assert name not in page
    assert "default-src 'none'" in page and "<script" not in page
    named = samenvatting.html(store, kring, sessie.id, namen=True)
    assert "Anna Uitvoering" in named and "Bert" not in named
    data = samenvatting.pdf(store, kring, sessie.id)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Dubbele intake gaat naar de wethouder" in text and "Anna" not in text
    student = identiteit.aanmelden(store, kring.kring_id, "Sam Student", "zonnebloem-7")
    with pytest.raises(WijkleerError, match="begeleider"):
        samenvatting.html(store, student, sessie.id)


def test_the_summary_hides_a_role_mean_of_few_raters(store, kring, monkeypatch):
    monkeypatch.setenv("WIJKLEER_K", "5")
    sessie, _ = running(store, kring, "verwachtingenronde")
    expectation = store.add(Verwachting(kring_id=sessie.kring_id, belanghebbende="bestuur", tekst="Fraude melden"))
    from wijkleer import verwachtingen

    people = [join(store, sessie.code, f"P{n}", "uitvoering" if n < 5 else "beleid") for n in range(6)]
    for n, person in enumerate(people):
        who = store.get(Deelnemer, person.deelnemer_id)
        verwachtingen.rate(store, who.model_copy(update={"rol": person.rol}), sessie.id,
                           {expectation.id: (5, 1 + n % 2)})  # fmt: skip
    _title, _onder, sections = samenvatting.delen(store, kring, sessie.id)
    rows = next(d for d in sections if d.kop == "Verwachtingen").rijen
    by_role = {row[1]: row for row in rows}
    # session guests are no enrolled people: however many join, no role's mean leaves the room
    assert "Beleid" not in by_role and "Uitvoering" not in by_role


# -- the views, without a browser ----------------------------------------------------------------------------------
def _fill(form, **values):
    for name, value in values.items():
        form.fields[name].widget.value = value
    form.submit()


def test_participant_page_joins_writes_and_never_holds_hidden_entries(store, kring, board):
    sessie, _zelf, _anna, bert = board
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="uitvoering")
    assert page.deelname is not None and "Cas Collega" in state_of(page.box)
    held = "Dit blijft in het veld staan"
    page.tekst.widget.value = held
    other = store.bijdragen(sessie.id, Kijker("begeleider"))
    assert all(e.tekst not in state_of(page.box) for e in other)  # not revealed: not on this page at all
    verloop.onthullen(store, kring, sessie.id)
    page.volger.check()
    shown = state_of(page.box)
    assert all(e.tekst in shown for e in other) and page.tekst.widget.value == held
    assert "Anna" not in shown and "Bert" not in shown  # anonymous phase: names never reach the page
    page.tekst.widget.value = "Geen plek in de maatschappelijke opvang"
    page.schrijf.button.click()
    assert "Geen plek in de maatschappelijke opvang" in state_of(page.box)


def test_participant_form_keeps_input_and_shows_errors_next_to_fields(store, kring, board):
    sessie, *_ = board
    page = sessie_deelnemer.Deelnemen(store)
    _fill(page.form, code="XXXXXX", naam="Cas", rol="")
    assert page.deelname is None
    assert page.code.error.value and page.rol.error.value and page.naam.widget.value == "Cas"


def test_console_runs_a_session_and_makes_the_summary(store, kring, board):
    sessie, _zelf, anna, _bert = board
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    html = state_of(console.box)
    assert sessie.code in html and "Anna Uitvoering" in html  # who joined, for the facilitator
    assert "Schuldhulp en Wmo hebben elk een eigen intake" in html  # the live board
    console.knoppen["onthullen"].click()
    assert store.get(Sessie, sessie.id).onthuld == [0]
    console.knoppen["volgende"].click()
    assert store.get(Sessie, sessie.id).fase == 1
    verloop.stemmen(store, anna, store.bijdragen(sessie.id, Kijker("begeleider"))[0].id, True)
    console.volger.check()
    assert "Stippen per rol" in state_of(console.box)
    console._summary()
    assert "samenvatting-" in console.downloads.value and "application/pdf" in console.downloads.value


def test_the_words_a_walk_through_stumbled_over(store, kring, board, tmp_path):
    """'Begeleider' for the role, the dots said plainly when none are left, the kring named once in the summary, a
    tooltip on 'Ik ben klaar' (not 'null'), and 'Besluiten' once on the console."""
    from wijkleer.taxonomy import taxonomy

    sessie, _zelf, _anna, _bert = board
    assert taxonomy().label("rol", "facilitator") == "Begeleider"
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="uitvoering")
    assert page.klaar.tooltip and page.klaar.tooltip != "null"
    verloop.naar_fase(store, kring, sessie.id, 1)
    page.refresh()
    for entry_id in list(page._vote_rows)[:1] * 3:
        page._vote(entry_id, True)
    assert "Je stippen zijn op." in page.budget.value and "nog 0" not in page.budget.value
    _title, onder, _sections = samenvatting.delen(store, kring, sessie.id)
    assert onder.startswith("Kring Vlietdam · ") and "Leerkring Kring" not in onder
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    console.besluit.widget.value = "Eén intake voor schuldhulp en Wmo"
    console.besluit_form.submit()
    shown = state_of(console.box)
    assert "Eén intake voor schuldhulp en Wmo" in shown and shown.count(">Besluiten<") == 1


def test_kring_store_round_trip_of_a_session(store, kring):
    sessie, _ = running(store, kring)
    stored = store.get(Sessie, sessie.id)
    assert stored.onthuld == [] and stored.code == sessie.code
    assert store.get(Kring, sessie.kring_id).naam == "Kring Vlietdam"
    assert [d.naam for d in store.list(Deelname, sessie_id=sessie.id)] == ["Fenna Begeleider"]


def test_the_demo_sessions_use_existing_templates(demo_store_url):
    from wijkleer.store import Store

    with Store(demo_store_url) as store:
        used = {s.sjabloon for s in store.list(Sessie)}
    assert used and used <= set(sjablonen.sjablonen())


@pytest.fixture
def demo_store_url():
    import os

    return os.environ["WIJKLEER_DB"]


def test_participant_rates_expectations_and_the_console_shows_them_per_role(store, kring):
    from wijkleer.model import Beoordeling

    sessie, _ = running(store, kring, "verwachtingenronde")
    store.add(Verwachting(kring_id=sessie.kring_id, belanghebbende="bestuur", tekst="Preventief werken"))
    verloop.naar_fase(store, kring, sessie.id, 1)
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="beleid")
    (belang, haalbaar) = next(iter(page.rating.widgets.values()))
    belang.value = 4
    page._save_ratings()
    assert "wijkleer-fout" in page.rate_message.value  # half a rating: not stored
    haalbaar.value = 2
    page._save_ratings()
    (rating,) = store.list(Beoordeling, sessie_id=sessie.id)
    assert (rating.rol, rating.belang, rating.haalbaarheid) == ("beleid", 4, 2)
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    shown = state_of(console.box)
    # one rater (a guest) in the role: the console shows no mean of one person
    assert "Preventief werken" not in shown and "4,0" not in shown


def test_the_round_shows_and_rates_expectations_as_the_kring_decided(store, kring):
    """The opening phase lists the kring's expectations as they stand (new wording, without the dropped one, with
    their numbers in the kring); the rating phase offers the same, and a dropped one cannot be rated."""
    from wijkleer import verwachtingen
    from wijkleer.model import Beoordeling

    sessie, _ = running(store, kring, "verwachtingenronde")
    kept, adjusted, dropped = (
        store.add(Verwachting(kring_id=sessie.kring_id, belanghebbende="bestuur", tekst=tekst))
        for tekst in ("Preventief werken", "Alle fraude melden", "Elke dag huisbezoek")
    )
    verwachtingen.decide(store, adjusted.id, None, "bijgesteld", "Signalen van fraude bespreken")
    verwachtingen.decide(store, dropped.id, None, "geschrapt")
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="beleid")
    assert verloop.fase_van(page.sessie).soort == "verwachtingen_lezen"
    board = page.bord.value
    assert '<li value="1">Preventief werken' in board and '<li value="2">Signalen van fraude bespreken' in board
    assert "Alle fraude melden" not in board and "Elke dag huisbezoek" not in board
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    on_console = state_of(console.box)
    assert "Signalen van fraude bespreken" in on_console and "Elke dag huisbezoek" not in on_console

    verloop.naar_fase(store, kring, sessie.id, 1)
    page.refresh()
    shown = state_of(page.box)
    assert set(page.rating.widgets) == {kept.id, adjusted.id}
    assert "2. Signalen van fraude bespreken" in shown and "Alle fraude melden" not in shown
    assert "Elke dag huisbezoek" not in shown
    with pytest.raises(WijkleerError, match="geschrapt"):
        verloop.beoordelen(store, page.deelname, {dropped.id: (5, 1)})
    assert store.count(Beoordeling) == 0


def test_console_turns_an_entry_into_a_knelpunt_and_reviews_actions(store, kring):
    sessie, _ = running(store, kring, "imi")
    anna = join(store, sessie.code, "Anna", "uitvoering")
    verloop.naar_fase(store, kring, sessie.id, 4)  # Beleidsadvies
    verloop.indienen(store, anna, "Eén intake voor schuldhulp en Wmo", new_id())
    console = sessie_begeleider.Begeleiden(store)
    console._signed_in(kring)
    _fill(console.open_form, sessie=sessie.id)
    form_fields = {f.name: f for f in console.k_fields if hasattr(f, "widget")}
    entry = store.bijdragen(sessie.id, Kijker("begeleider"))[0]
    form_fields["bijdrage"].widget.value = entry.id
    assert form_fields["omschrijving"].widget.value == entry.tekst  # prefilled from the entry
    form_fields["titel"].widget.value = "Twee intakes voor één gezin"
    form_fields["categorie"].widget.value = "verkokering"
    form_fields["ernst"].widget.value = "hoog"
    form = console.extra.children[1]
    submit = next(w for w in form.children if isinstance(w, widgets.Button))
    submit.click()  # no law and no team chosen: refused next to those fields, nothing typed lost
    assert form_fields["team"].error.value and form_fields["titel"].widget.value == "Twee intakes voor één gezin"
    next(f for f in console.k_fields if f.name == "wetten").value = ["wmo"]
    form_fields["team"].widget.value = next(iter(console.teams))
    submit.click()
    assert store.bijdragen(sessie.id, Kijker("begeleider"))[0].knelpunt_id
    assert "Is een knelpunt geworden." in state_of(console.box)
    verloop.naar_fase(store, kring, sessie.id, 5)
    verloop.actie_toevoegen(store, anna, "Advies naar de wethouder", date.today() + timedelta(7), new_id())
    verloop.afronden(store, kring, sessie.id)
    review = verloop.plannen(store, kring, "actiereview", "", date.today())
    console._kring_page()
    _fill(console.open_form, sessie=review.id)
    keuze = next(w for w in _walk(console.extra) if isinstance(w, widgets.Dropdown))
    keuze.value = "gedaan"
    assert store.list(Actie, kring_id=sessie.kring_id)[0].status == "gedaan"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_the_poller_follows_changes_and_stops_after_a_long_silence(store, kring, monkeypatch):
    import asyncio
    import concurrent.futures

    from wijkleer.views import sessie_bord

    monkeypatch.setattr(sessie_bord, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(sessie_bord, "STIL_SECONDS", 0.4)
    sessie, _ = running(store, kring)
    seen, stopped = [], []

    async def follow() -> None:
        volger = sessie_bord.Volger(store, sessie.id, lambda: seen.append(1), on_stop=lambda: stopped.append(1))
        await asyncio.sleep(0.1)
        assert seen == []
        verloop.naar_fase(store, kring, sessie.id, 1)  # another page changes the session
        await asyncio.sleep(0.2)
        assert seen == [1] and not volger.stopped
        await asyncio.sleep(0.6)  # nothing changes any more: the page stops asking (and its kernel may idle)
        assert stopped == [1] and volger.stopped

    # a thread of its own: a browser test's playwright may keep an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, follow()).result(timeout=30)


def test_the_personal_link_brings_a_participant_back_and_nobody_else(store, kring):
    sessie, _ = running(store, kring)
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Anna", rol="uitvoering")
    assert f"code={sessie.code}&amp;wie={page.sleutel}" in state_of(page.box)
    back = sessie_deelnemer.Deelnemen(store, sessie.code.lower(), page.sleutel)  # the link, after a reload
    assert back.deelname.id == page.deelname.id and "Je doet mee als Anna" in state_of(back.box)
    stranger = sessie_deelnemer.Deelnemen(store, sessie.code, "geraden-sleutel")
    assert stranger.deelname is None
    _fill(stranger.form, naam="Anna", rol="beleid")
    assert stranger.deelname is None and "doet al mee" in stranger.naam.error.value
    assert stranger.naam.widget.value == "Anna"  # kept, to change into another name


def test_what_a_participant_page_sends_never_holds_others_hidden_or_anonymous_writing(store, kring, monkeypatch):
    """Everything the participant's page sends to the browser during a round (also widgets replaced later): the other
    participants' entries only after the reveal, and never who wrote an anonymous entry or how anyone voted."""
    from tests.support.wire import listen

    sessie, _ = running(store, kring)
    anna = join(store, sessie.code, "Anna Uitvoering", "uitvoering")
    bert = join(store, sessie.code, "Bert Beleid", "beleid")
    wire = listen(monkeypatch)
    page = sessie_deelnemer.Deelnemen(store, sessie.code)
    _fill(page.form, naam="Cas Collega", rol="uitvoering")
    verloop.indienen(store, anna, "Schuldhulp en Wmo hebben elk een eigen intake", new_id())
    verloop.indienen(store, bert, "Budget voor collectief werk is onzeker", new_id())
    page.volger.check()
    assert "Schuldhulp en Wmo" not in wire.text() and "Budget voor collectief" not in wire.text()
    verloop.naar_fase(store, kring, sessie.id, 1)  # the vote opens the entries it is about
    page.volger.check()
    entries = store.bijdragen(sessie.id, Kijker("begeleider"))
    verloop.stemmen(store, bert, entries[0].id, True)
    page.volger.check()
    sent = wire.text()
    assert "Schuldhulp en Wmo" in sent and "Budget voor collectief" in sent
    for hidden in ("Anna Uitvoering", "Bert Beleid", anna.id, bert.id, anna.deelnemer_id, bert.deelnemer_id):
        assert hidden not in sent
