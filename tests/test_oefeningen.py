"""Exercises: every file loads, every checker gives Dutch feedback with a hint for right, wrong and malformed
answers, progress is saved per student, the teacher sees counts only, and the views keep students apart."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.support.widgets import chart_specs, html_of
from wijkleer import privacy
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring, Voortgang
from wijkleer.oefeningen import alle, controleer, juist, laden, oefening, voortgang
from wijkleer.oefeningen.controle import Feedback
from wijkleer.oefeningen.notebook import TAG, tekst
from wijkleer.privacy import disclosure

ROOT = Path(__file__).resolve().parents[1]
CODES = {"classificeren", "persoonsgegevens", "afschalen_opschalen", "collectief_plan", "lusgrafiek", "ont_moeten",
         "knelpunt_schrijven", "afgeschermde_cel"}  # fmt: skip
QUESTIONS = [(o.code, v.code) for o in alle() for v in o.vragen]


def _dutch(feedback: Feedback) -> None:
    assert feedback.uitleg.strip() and not feedback.uitleg.startswith("oefening.")
    assert "Traceback" not in feedback.uitleg


# -- loading -------------------------------------------------------------------------------------------------


def test_every_exercise_loads_with_questions_and_a_notebook():
    found = {o.code for o in alle()}
    assert found >= CODES and len(found) >= 8
    for exercise in alle():
        assert exercise.titel and exercise.doel and exercise.casus and exercise.vragen
        assert (ROOT / "exercises" / f"{exercise.code}.ipynb").exists()
    kinds = {v.soort for o in alle() for v in o.vragen}
    assert kinds == {"keuze", "meerkeuze", "getal", "tekst"}


def test_unknown_exercise_is_a_dutch_error():
    with pytest.raises(WijkleerError, match="bestaat niet"):
        oefening("bestaat_niet")
    with pytest.raises(WijkleerError, match="geen vraag"):
        oefening("classificeren").vraag("zzz")


GOOD_FILE = (laden.folder() / "lusgrafiek.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (lambda s: s.replace('code = "te_laat"', 'code = "te_laat'), 'code = "te_laat', ""),
        (lambda s: s.replace('soort = "getal"', 'soort = "raadsel"', 1), 'soort = "raadsel"', "raadsel"),
        (lambda s: s.replace('goed = "werk_inkomen"', 'goed = "niemand"'), 'goed = "niemand"', "goed"),
        (lambda s: s.replace("goed = 21", 'goed = "21"'), 'goed = "21"', "getal"),
    ],
)
def test_a_broken_file_names_file_and_line(tmp_path, change, needle, message):
    broken = change(GOOD_FILE)
    path = tmp_path / "lusgrafiek.toml"
    path.write_text(broken, encoding="utf-8")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if needle in text)
    with pytest.raises(WijkleerError) as caught:
        laden.parse(path)
    assert str(path) in caught.value.message and f"regel {line}" in caught.value.message
    assert message in caught.value.message and caught.value.hint


def test_a_file_without_questions_or_with_an_unknown_source_is_refused(tmp_path):
    path = tmp_path / "leeg.toml"
    path.write_text('titel = "x"\ndoel = "y"\ncasus = "z"\n', encoding="utf-8")
    with pytest.raises(WijkleerError, match="geen vragen"):
        laden.parse(path)
    source = GOOD_FILE.replace('soort = "keuze"\n', 'soort = "keuze"\nbron = "sterrenbeelden"\n', 1)
    path.write_text(source, encoding="utf-8")
    with pytest.raises(WijkleerError, match="sterrenbeelden"):
        laden.parse(path)


# -- checkers: right, wrong, malformed ------------------------------------------------------------------------


def _wrong_answer(vraag):
    if vraag.soort == "keuze":
        return next(o.code for o in vraag.opties if o.code not in vraag.goed)
    if vraag.soort == "meerkeuze":
        wrong = [o.code for o in vraag.opties if o.code not in vraag.goed]
        return [*list(vraag.goed)[1:], wrong[0]]
    if vraag.soort == "getal":
        step = vraag.marge + 1
        return vraag.goed + step if vraag.maximum is None or vraag.goed + step <= vraag.maximum else vraag.goed - step
    return "Ik weet het niet."


@pytest.mark.parametrize(("code", "vraag"), QUESTIONS)
def test_the_right_answer_is_right_with_an_explanation(code, vraag):
    answer = oefening(code).vraag(vraag).juist_antwoord()
    feedback = controleer(code, vraag, answer)
    assert feedback.goed, feedback
    _dutch(feedback)
    assert juist(code, vraag, answer)


@pytest.mark.parametrize(("code", "vraag"), QUESTIONS)
def test_a_wrong_answer_says_why_and_gives_a_hint(code, vraag):
    feedback = controleer(code, vraag, _wrong_answer(oefening(code).vraag(vraag)))
    assert not feedback.goed and feedback.beantwoord
    _dutch(feedback)
    assert feedback.hint.strip()
    assert not juist(code, vraag, _wrong_answer(oefening(code).vraag(vraag)))


MALFORMED = {
    "keuze": [42, ["a"], {"a": 1}, "onbekende_optie", 3.5, True],
    "meerkeuze": [42, [1, 2], ["onbekende_optie"], {"a": 1}, ("onbekende_optie",)],
    "getal": ["veel", "12 dagen", math.nan, math.inf, -math.inf, 10**12, -(10**12), [3], True, "1,2,3"],
    "tekst": [42, ["tekst"], {"a": 1}, "x" * 5000],
}


@pytest.mark.parametrize(("code", "vraag"), QUESTIONS)
def test_malformed_answers_get_a_dutch_message_never_an_exception(code, vraag):
    kind = oefening(code).vraag(vraag).soort
    for answer in MALFORMED[kind]:
        feedback = controleer(code, vraag, answer)
        assert not feedback.goed, (answer, feedback)
        _dutch(feedback)
        assert feedback.hint.strip(), answer
    for empty in (None, "", "   ", []):
        feedback = controleer(code, vraag, empty)
        assert not feedback.goed and not feedback.beantwoord
        assert "nog niet beantwoord" in feedback.uitleg and feedback.hint


def test_malformed_messages_name_the_problem():
    assert "geen getal" in controleer("lusgrafiek", "mediaan_k2", "veel").uitleg
    absurd = controleer("lusgrafiek", "mediaan_k2", 5000)
    assert "kan hier niet" in absurd.uitleg and "365" in absurd.uitleg
    assert "geen van de mogelijke antwoorden" in controleer("classificeren", "categorie_a", "zzz").uitleg
    assert "wetten_botsen" in controleer("classificeren", "categorie_a", "zzz").hint
    assert "maximum" in controleer("collectief_plan", "plan", "x" * 5000).uitleg


def test_answers_as_people_type_them():
    assert juist("classificeren", "categorie_a", "Wetten botsen")  # the label, not the code
    assert juist("classificeren", "categorie_a", " WETTEN_BOTSEN ")
    assert juist("collectief_plan", "aandeel", "35%")
    assert juist("collectief_plan", "aandeel", "34,5")  # within the margin, Dutch decimal comma
    assert juist("ont_moeten", "kloof", "2,7")
    assert not juist("ont_moeten", "kloof", "2,5")


def test_wrong_options_have_their_own_explanation():
    feedback = controleer("classificeren", "categorie_a", "verkokering")
    assert "samenwerken" in feedback.uitleg and "afdelingen" in feedback.hint
    other = controleer("classificeren", "categorie_a", "financiering")  # no own text: the question's general one
    assert other.uitleg == oefening("classificeren").vraag("categorie_a").fout


# -- the exercises' own content is consistent with wijkleer ---------------------------------------------------


def test_personal_data_answer_matches_the_privacy_gate():
    exercise = oefening("persoonsgegevens")
    vraag = exercise.vraag("fragmenten")
    findings = privacy.scan(exercise.casus)
    flagged = set()
    for option in vraag.opties:
        start = exercise.casus.find(option.tekst)
        if any(f.start < start + len(option.tekst) and start < f.end for f in findings):
            flagged.add(option.code)
    assert flagged == set(vraag.goed)
    assert {f.text for f in findings} == {vraag.optie(c).tekst for c in vraag.goed}
    missed = controleer("persoonsgegevens", "fragmenten", ["naam", "adres", "postcode", "email"])
    assert "06-41234567" in missed.uitleg and "telefoonnummer" in missed.uitleg


def test_expectation_answers_are_computed_from_the_exercise_data():
    exercise = oefening("ont_moeten")
    table = pd.DataFrame([row[1:] for row in exercise.tabel.rijen],
                         columns=["tekst", "wie", "belang", "haalbaarheid"])  # fmt: skip
    gap = table["belang"].str.replace(",", ".").astype(float) - table["haalbaarheid"].str.replace(",", ".").astype(
        float
    )
    largest = exercise.vraag("grootste").opties[int(gap.idxmax())].code
    assert exercise.vraag("grootste").goed == (largest,) == ("eerste_contact",)
    assert exercise.vraag("kloof").goed == pytest.approx(gap.max())


def test_loop_chart_answers_match_its_data():
    exercise = oefening("lusgrafiek")
    data = pd.DataFrame(exercise.grafiek["rijen"], columns=["periode", *exercise.grafiek["reeksen"]]).set_index(
        "periode"
    )
    norm = exercise.grafiek["norm"]
    always_late = [s for s in data.columns if (data[s] > norm).all()]
    assert always_late == ["Werk en Inkomen"] and exercise.vraag("te_laat").goed == ("werk_inkomen",)
    assert exercise.vraag("mediaan_k2").goed == data.loc["2026-K2", "Werk en Inkomen"]
    assert exercise.vraag("overschrijding").goed == data.loc["2026-K4", "Werk en Inkomen"] - norm


def test_loop_chart_is_a_vega_lite_spec_with_the_term_as_a_rule():
    from wijkleer.oefeningen.grafiek import lusgrafiek

    spec = lusgrafiek(oefening("lusgrafiek")).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "rule"]
    assert len(spec["layer"][0]["data"]["values"]) == 12


def test_suppressed_table_is_what_wijkleer_itself_would_show():
    exercise = oefening("afgeschermde_cel")
    true_counts = pd.DataFrame({"Wachtlijst": [24, 7, 13], "Caseload": [15, 18, 11], "Bureaucratie": [12, 16, 16]},
                               index=["Noord", "Centrum", "Zuid"])  # fmt: skip
    shown = disclosure.protect(true_counts, disclosure.rule(10)).with_margins("Totaal")
    expected = [[str(i), *("x" if pd.isna(v) else str(int(v)) for v in row)] for i, row in shown.iterrows()]
    assert [list(r) for r in exercise.tabel.rijen] == expected
    column = shown["Wachtlijst"]
    assert exercise.vraag("samen").goed == column["Totaal"] - column["Noord"]


def test_written_knelpunt_feedback_per_missing_element():
    vraag = "omschrijving"
    good = oefening("knelpunt_schrijven").vraag(vraag).voorbeeld
    assert juist("knelpunt_schrijven", vraag, good)
    with_name = good.replace("In de afgelopen", "Mevrouw Jansen belde ons. In de afgelopen")
    assert "persoonsgegevens" in controleer("knelpunt_schrijven", vraag, with_name).uitleg
    no_number = good.replace("11 huishoudens", "een aantal huishoudens")
    assert "aantal casussen" in controleer("knelpunt_schrijven", vraag, no_number).uitleg
    no_question = good.replace("?", ".")
    feedback = controleer("knelpunt_schrijven", vraag, no_question)
    assert "vraag waar beleid" in feedback.uitleg and "Kan Werk en Inkomen" in feedback.hint
    assert juist("knelpunt_schrijven", "titel", "Bankafschriften bijzondere bijstand")
    assert "minstens 15" in controleer("knelpunt_schrijven", "titel", "Bankafschrift").uitleg
    assert "maximum" in controleer("knelpunt_schrijven", "titel", "Bijzondere bijstand " * 6).uitleg


PLAN = {
    "vraag": "Veel inwoners hebben vragen. Samen met de woningcorporatie organiseren we elke maand een "
    "informatieavond. "
    "We tellen het aantal bezoekers en vergelijken na drie maanden de aanmeldingen.",
    "partner": "Veel inwoners vragen wat samenwonen betekent voor hun huurtoeslag. We organiseren elke maand een "
    "informatieavond. We tellen het aantal bezoekers en vergelijken na drie maanden de aanmeldingen.",
    "vorm": "Veel inwoners vragen wat samenwonen betekent voor hun huurtoeslag. Samen met de woningcorporatie pakken "
    "we dit op. We tellen het aantal bezoekers en vergelijken na drie maanden de aanmeldingen erover.",
    "meten": "Veel inwoners vragen wat samenwonen betekent voor hun huurtoeslag. Samen met de woningcorporatie "
    "organiseren we elke maand een informatieavond, zodat iedereen weet waar hij aan toe is.",
}


@pytest.mark.parametrize("element", sorted(PLAN))
def test_collective_plan_names_each_missing_element(element):
    vraag = oefening("collectief_plan").vraag("plan")
    feedback = controleer("collectief_plan", "plan", PLAN[element])
    names = {e.code: e for e in vraag.elementen}
    assert not feedback.goed
    assert f"Ontbreekt: {names[element].naam}" in feedback.uitleg, feedback.uitleg
    assert feedback.uitleg.count("Ontbreekt:") == 1 and feedback.hint == names[element].hint


# -- notebooks ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CODES))
def test_notebook_is_generated_from_the_exercise_file_with_nbgrader_markup(code):
    path = ROOT / "exercises" / f"{code}.ipynb"
    assert path.read_text(encoding="utf-8") == tekst(oefening(code)), "regenerate: wijkleer.oefeningen.notebook"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert "".join(code_cells[-1]["source"]) == f'from wijkleer.views import oefening\n\noefening.app("{code}")'
    grading = [c["metadata"]["nbgrader"] for c in code_cells[:-1]]
    for vraag in oefening(code).vragen:
        solution = next(g for g in grading if g["grade_id"] == f"{code}-{vraag.code}-antwoord")
        check = next(g for g in grading if g["grade_id"] == f"{code}-{vraag.code}-toets")
        assert solution == {"grade": False, "solution": True, "locked": False, "grade_id": solution["grade_id"],
                            "schema_version": 3, "task": False}  # fmt: skip
        assert check["grade"] and check["locked"] and check["points"] == 1 and not check["solution"]
    sources = ["".join(c["source"]) for c in code_cells]
    assert sum("### BEGIN SOLUTION" in s and "### END SOLUTION" in s for s in sources) == len(oefening(code).vragen)
    questions = [c for c in notebook["cells"] if c["cell_type"] == "markdown" and c["id"].startswith("vraag-")]
    assert len(questions) == len(oefening(code).vragen) and all(TAG in c["metadata"]["tags"] for c in questions)


# -- progress and the teacher overview ------------------------------------------------------------------------


def _people(store, names=("Sanne", "Tom"), kring_naam="Klas 2B"):
    kring = store.add(Kring.make(naam=kring_naam))
    return kring, [store.add(Deelnemer.make(kring_id=kring.id, naam=n, rol="student")) for n in names]


def test_progress_keeps_every_attempt_and_reads_the_latest(store):
    _kring, (sanne, tom) = _people(store)
    wrong = controleer("classificeren", "categorie_a", "verkokering")
    voortgang.opslaan(store, sanne, "classificeren", "categorie_a", "verkokering", wrong)
    right = controleer("classificeren", "categorie_a", "wetten_botsen")
    voortgang.opslaan(store, sanne, "classificeren", "categorie_a", "wetten_botsen", right)
    answers = ["naam", "adres"]
    voortgang.opslaan(store, sanne, "persoonsgegevens", "fragmenten", answers,
                      controleer("persoonsgegevens", "fragmenten", answers))  # fmt: skip
    assert (
        voortgang.opslaan(store, tom, "classificeren", "wet_a", None, controleer("classificeren", "wet_a", None))
        is None
    )
    assert store.count(Voortgang, deelnemer_id=sanne.id) == 3 and store.count(Voortgang, deelnemer_id=tom.id) == 0
    latest = voortgang.laatste(store, sanne.id)
    assert voortgang.antwoord(latest[("classificeren", "categorie_a")]) == "wetten_botsen"
    assert latest[("classificeren", "categorie_a")].goed
    assert voortgang.antwoord(latest[("persoonsgegevens", "fragmenten")]) == answers
    assert set(voortgang.laatste(store, sanne.id, "classificeren")) == {("classificeren", "categorie_a")}
    assert voortgang.stand(store, sanne.id) == {"classificeren": (1, 1), "persoonsgegevens": (1, 0)}
    assert voortgang.laatste(store, tom.id) == {}


def test_teacher_overview_counts_latest_answers_per_question_without_names(store):
    kring, (sanne, tom, ayla) = _people(store, ("Sanne", "Tom", "Ayla"))
    _other, (elders,) = _people(store, ("Elders",), "Andere klas")
    for person, answers in ((sanne, ["verkokering", "wetten_botsen"]), (tom, ["wachtlijst"]),
                            (elders, ["wetten_botsen"])):  # fmt: skip
        for answer in answers:
            feedback = controleer("classificeren", "categorie_a", answer)
            voortgang.opslaan(store, person, "classificeren", "categorie_a", answer, feedback)
    frame = voortgang.overzicht(store, kring.id)
    assert list(frame.columns) == voortgang.COLUMNS
    row = frame[(frame.oefening == "classificeren") & (frame.vraag == "categorie_a")].iloc[0]
    assert (row.beantwoord, row.goed, row.aandeel_goed) == (2, 1, 0.5)  # Sanne's latest is right, Tom's is not
    assert len(frame) == len(QUESTIONS)
    untouched = frame[(frame.oefening == "lusgrafiek")].iloc[0]
    assert untouched.beantwoord == 0 and pd.isna(untouched.aandeel_goed)
    text = frame.to_csv()
    assert not any(name in text for name in ("Sanne", "Tom", "Ayla", sanne.id, tom.id))
    assert voortgang.actief(store, kring.id) == 2
    assert voortgang.overzicht(store, store.add(Kring.make(naam="Leeg")).id)["beantwoord"].sum() == 0


# -- views ----------------------------------------------------------------------------------------------------


@pytest.fixture
def klas(store, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("QUERY_STRING", "")
    kring = store.add(Kring.make(naam="Klas 2B"))
    return store, kring


def _sign_in(pagina, kring, naam, code="geheim-123"):
    pagina.aanmelden._sign_in({"kring_id": kring.id, "naam": naam, "code": code})


def test_student_answers_gets_feedback_and_progress_is_stored(klas):
    from wijkleer.views.oefening import Pagina

    store, kring = klas
    pagina = Pagina(store, "classificeren")
    assert pagina.scherm is None and pagina.body.children == ()
    _sign_in(pagina, kring, "Sanne")
    screen = pagina.scherm
    screen.antwoorden["categorie_a"].widget.value = "verkokering"
    screen.button.click()
    shown = screen.antwoorden["categorie_a"].feedback.value
    assert "Nog niet goed." in shown and "Tip:" in shown and 'role="alert"' in shown
    assert "nog niet beantwoord" in screen.antwoorden["wet_a"].feedback.value
    assert "0 van de 4" in screen.summary.value
    screen.antwoorden["categorie_a"].widget.value = "wetten_botsen"
    screen.antwoorden["wet_a"].widget.value = "meerdere"
    screen.button.click()
    assert "Goed." in screen.antwoorden["categorie_a"].feedback.value
    assert "2 van de 4" in screen.summary.value
    sanne = pagina.deelnemer
    rows = store.list(Voortgang, deelnemer_id=sanne.id, order_by="tijdstip")
    assert [(r.vraag, r.goed) for r in rows] == [("categorie_a", False), ("categorie_a", True), ("wet_a", True)]
    screen.button.click()  # the same answers again: no duplicate rows
    assert store.count(Voortgang, deelnemer_id=sanne.id) == 3


def test_a_second_student_does_not_see_the_first_ones_answers_and_the_first_sees_her_own(klas):
    from wijkleer.views.oefening import Pagina

    store, kring = klas
    first = Pagina(store, "classificeren")
    _sign_in(first, kring, "Sanne")
    first.scherm.antwoorden["categorie_a"].widget.value = "verkokering"
    first.scherm.button.click()

    second = Pagina(store, "classificeren")
    _sign_in(second, kring, "Tom")
    assert all(a.value in (None, "", []) for a in second.scherm.antwoorden.values())
    assert "verkokering" not in html_of(second.box) and "Nog niet goed" not in html_of(second.box)

    again = Pagina(store, "classificeren")
    _sign_in(again, kring, "Sanne")
    restored = again.scherm.antwoorden["categorie_a"]
    assert restored.value == "verkokering" and "Nog niet goed." in restored.feedback.value
    assert "Welkom terug" in again.scherm.summary.value
    with pytest.raises(WijkleerError):  # someone else's name with a wrong code is refused
        _sign_in(Pagina(store, "classificeren"), kring, "Sanne", code="verkeerd-1")


def test_every_exercise_view_builds_and_checks(klas):
    from wijkleer.views.oefening import Pagina

    store, kring = klas
    for exercise in alle():
        pagina = Pagina(store, exercise.code)
        _sign_in(pagina, kring, "Sanne")
        for vraag in exercise.vragen:
            answer = pagina.scherm.antwoorden[vraag.code]
            answer.restore(vraag.juist_antwoord() if vraag.soort != "getal" else str(vraag.juist_antwoord()))
        pagina.scherm.button.click()
        assert "Alle" in pagina.scherm.summary.value, (exercise.code, html_of(pagina.scherm.box))
    assert set(voortgang.stand(store, pagina.deelnemer.id)) == CODES


def test_loop_exercise_draws_its_chart_offline_with_a_table(klas):
    from wijkleer.views.oefening import Pagina

    store, kring = klas
    pagina = Pagina(store, "lusgrafiek")
    _sign_in(pagina, kring, "Sanne")
    specs = chart_specs(pagina.box)
    assert len(specs) == 1 and specs[0]["layer"][0]["mark"]["type"] == "line"
    assert "2026-K4" in html_of(pagina.box)
    assert pagina.scherm.vega.children  # the Vega bundle comes with the page, not from a CDN


def test_chooser_lists_progress_and_opens_an_exercise(klas):
    from wijkleer.views.oefening import Pagina

    store, kring = klas
    pagina = Pagina(store)
    _sign_in(pagina, kring, "Sanne")
    assert "nog niet begonnen" in html_of(pagina.box)
    buttons = [w for row in pagina.body.children for w in row.children if hasattr(w, "on_click")]
    assert len(buttons) == len(alle())
    buttons[0].click()
    assert pagina.scherm.oefening.code == alle()[0].code
    pagina.scherm.antwoorden["categorie_a"].widget.value = "wetten_botsen"
    pagina.scherm.button.click()
    pagina.show_list()
    assert "1 van de 4 vragen goed" in html_of(pagina.box)


def test_app_with_an_unknown_code_shows_a_dutch_error(klas):
    from wijkleer.views import oefening as view

    store, _kring = klas
    shown = html_of(view.app("bestaat_niet", store=store))
    assert 'role="alert"' in shown and "bestaat niet" in shown


def test_teacher_view_shows_counts_per_question_and_no_names(klas):
    from wijkleer.views.docent import Overzicht
    from wijkleer.views.oefening import Pagina

    store, kring = klas
    for naam, answer in (("Sanne", "wetten_botsen"), ("Tom", "caseload")):
        pagina = Pagina(store, "classificeren")
        _sign_in(pagina, kring, naam)
        pagina.scherm.antwoorden["categorie_a"].widget.value = answer
        pagina.scherm.button.click()
    shown = html_of(Overzicht(store, kring.id).box)
    assert "Sanne" not in shown and "Tom" not in shown and "wetten_botsen" not in shown
    assert "2 deelnemers; 2 van hen" in shown
    assert '<td class="getal">2</td><td class="getal">1</td><td>50%</td>' in shown
