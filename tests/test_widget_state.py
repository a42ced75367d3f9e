"""What each policy-facing or shared view sends to the browser holds nothing that view may not show.

Widget state is readable (and changeable) in the browser, shown or not: a hidden tab, a collapsed table, the
options of a list, a chart's rows, a download packed in a link, a widget that was replaced later. So these tests
do not look at the page but record everything that goes out (tests/support/wire.py), while the view is used the
way people use it, and look there for strings planted in the database that the view must never carry:

- Beleidsoverzicht (policy staff): no description (omschrijving) of any knelpunt, no participant or other person's
  name, no answer text, no title of a knelpunt in no theme, no name of a team or wijk with fewer than k
  knelpunten, and no count of knelpunten from 1 to k-1 in any table or chart;
- Inbox beleid (one municipality): nothing of another municipality's knelpunten, no names;
- Knelpuntenlogboek (one wijkteam): no description of another team's knelpunt, nothing of another municipality,
  no answer policy gave to another team, no names;
- Verwachtingen in kaart (one kring, on the shared screen): no person's rating tied to their name (the map and its
  history carry roles, never persons; a signed-in participant sees no one else's ratings or name), nothing of
  another kring;
- Docent overview (the facilitator's own group): no student's name or answer;
- Start page: no knelpunt's title or description, no names.

Reflections have their own such test in tests/test_reflectie.py.
"""

from __future__ import annotations

import random
import re
import string
from datetime import date, datetime, timedelta

import pytest

from tests.support.widgets import html_of
from tests.support.wire import Wire, listen
from wijkleer import loop
from wijkleer.model import Beoordeling, Deelnemer, Knelpunt, Kring, Sessie, StatusEvent, Team, Verwachting
from wijkleer.privacy import disclosure
from wijkleer.text import t

K = 5
RULE = disclosure.Rule(k=K)
TODAY = date.today()
G1, G2 = "Dijkhoven", "Rietmeer"
GROOT, BUUR, ELDERS = "Wijkteam Dijkhoven Noord", "Wijkteam Dijkhoven Zuid", "Wijkteam Rietmeer Oost"
NOT_COUNTS = {t(f"overzicht.kolom.{name}") for name in ("ontvangst_dagen", "antwoord_dagen", "aandeel_beantwoord",
              "aandeel_getoetst", "belang", "haalbaarheid", "kloof", "teams", "gemeenten", "kringen", "categorie",
              "laatste")}  # fmt: skip
COUNT_TITLES = {t("overzicht.kolom.knelpunten"), t("overzicht.kolom.te_laat_antwoord"),
                t("overzicht.kolom.te_laat_ontvangst"), t("overzicht.kolom.beoordelingen")}  # fmt: skip

_rng = random.Random()


def secret(kind: str) -> str:
    """A planted marker: lower case letters only, so no privacy gate mistakes it for a name or a number."""
    return f"{kind}-{''.join(_rng.choice(string.ascii_lowercase) for _ in range(10))}"


@pytest.fixture
def wire(monkeypatch) -> Wire:
    return listen(monkeypatch)


class Planted:
    """A small region with a marker in every place a view may not show."""

    def __init__(self, store) -> None:
        self.store = store
        self.small_team, self.small_wijk = f"Wijkteam {secret('klein')}", f"Wijk {secret('kleinewijk')}"
        store.add_many([
            Team(naam=GROOT, wijk="Noord", gemeente=G1, regio="Regio West"),
            Team(naam=BUUR, wijk="Zuid", gemeente=G1, regio="Regio West"),
            Team(naam=self.small_team, wijk=self.small_wijk, gemeente=G1, regio="Regio West"),
            Team(naam=ELDERS, wijk="Oost", gemeente=G2, regio="Regio Oost"),
        ])  # fmt: skip
        self.omschrijving: dict[str, list[str]] = {}  # team -> its knelpunten's description markers
        self.titles: dict[str, list[str]] = {}
        self.knelpunten: dict[str, list[Knelpunt]] = {}
        self._knelpunten(GROOT, G1, "Noord", 14, "Wachtlijst specialistische GGZ te lang", "wachtlijst")
        self._knelpunten(GROOT, G1, "Noord", 6, "Huurtoeslag stopt bij samenwonen", "wetten_botsen")
        self._knelpunten(BUUR, G1, "Zuid", 10, "Wachtlijst specialistische GGZ voor jongeren", "wachtlijst")
        self._knelpunten(self.small_team, G1, self.small_wijk, 2, None, "caseload")  # fewer than k: never named
        self._knelpunten(ELDERS, G2, "Oost", 8, None, "bureaucratie")
        # policy's steps and answers (with who took them) on a knelpunt of GROOT, of BUUR and of ELDERS
        self.door_names: list[str] = []
        self.step_texts: list[str] = []
        self.answers = {team: self._answer(self.knelpunten[team][0]) for team in (GROOT, BUUR, ELDERS)}
        # a kring with people who rated expectations, and another kring
        self.kring = store.add(Kring.make(naam="Leerkring Dijkhoven", gemeente=G1))
        self.sessie = store.add(Sessie.make(kring_id=self.kring.id, titel="Eerste bijeenkomst",
                                            datum=TODAY - timedelta(days=7), status="afgerond"))  # fmt: skip
        roles = ("beleid", "beleid", "uitvoering", "uitvoering", "uitvoering", "facilitator")
        self.people = [store.add(Deelnemer.make(kring_id=self.kring.id, naam=f"Mevrouw {secret('naam')}", rol=rol))
                       for rol in roles]  # fmt: skip
        self.expectations = [store.add(Verwachting.make(kring_id=self.kring.id, belanghebbende=b, tekst=text))
                             for b, text in (("bestuur", "Preventief werken in elke wijk"),
                                             ("partners", "Binnen twee weken een eerste gesprek"))]  # fmt: skip
        self.rating_ids: list[str] = []
        for n, person in enumerate(self.people[:5]):
            for m, expectation in enumerate(self.expectations):
                self.rating_ids.append(secret("beoordeling"))
                store.add(Beoordeling.make(id=self.rating_ids[-1], verwachting_id=expectation.id,
                                           sessie_id=self.sessie.id, deelnemer_id=person.id, rol=person.rol,
                                           belang=1 + (n + m) % 5, haalbaarheid=1 + (n * 2 + m) % 5))  # fmt: skip
        self.other_kring = store.add(Kring.make(naam="Leerkring Rietmeer", gemeente=G2))
        self.other_people = [store.add(Deelnemer.make(kring_id=self.other_kring.id, naam=f"Meneer {secret('naam')}",
                                                      rol="uitvoering"))]  # fmt: skip
        self.other_expectation = store.add(Verwachting.make(kring_id=self.other_kring.id, belanghebbende="bestuur",
                                                            tekst=f"Verwachting {secret('anderekring')}"))  # fmt: skip

    def _knelpunten(self, team: str, gemeente: str, wijk: str, n: int, title: str | None, categorie: str) -> None:
        made = []
        for i in range(n):
            text = secret("oms")
            made.append(Knelpunt.make(
                titel=f"{title} ({i + 1})" if title else f"Zeldzaam {secret('titel')}",
                omschrijving=f"Beschrijving {text} van de situatie.", wetten=["wmo"], categorie=categorie,
                leefgebieden=["psychisch"], ernst="hoog", aantal_casussen=2, bron="casusbespreking", team=team,
                wijk=wijk, gemeente=gemeente, datum=TODAY - timedelta(days=3 + i),
            ))  # fmt: skip
            self.omschrijving.setdefault(team, []).append(text)
        self.store.add_many(made)
        self.knelpunten.setdefault(team, []).extend(made)
        self.titles.setdefault(team, []).extend(k.titel for k in made)

    def _answer(self, knelpunt: Knelpunt) -> str:
        """Policy's steps on ``knelpunt``, each with a text and who took it; returns the answer's marker."""
        moment = datetime.now() - timedelta(days=1)
        texts = {status: secret(status) for status in ("besluit", "teruggekoppeld")}
        for n, (status, extra) in enumerate((("ontvangen", {}), ("besluit", {"besluit": "opgepakt"}),
                                             ("teruggekoppeld", {}))):  # fmt: skip
            door = secret("door")
            tekst = f"Toelichting {texts[status]}." if status in texts else ""
            event = StatusEvent(knelpunt_id=knelpunt.id, status=status, rol="beleid", door=f"Meneer {door}",
                                tekst=tekst, tijdstip=moment + timedelta(minutes=n), **extra)  # fmt: skip
            self.store.append_event(event, loop.check)
            self.door_names.append(door)
        self.step_texts.append(texts["besluit"])
        return texts["teruggekoppeld"]

    def names(self) -> list[str]:
        return [p.naam for p in self.people + self.other_people] + self.door_names


@pytest.fixture
def store(tmp_path):
    """SQLite only: what a view sends does not depend on the database (tests/test_store.py covers both)."""
    from wijkleer.store import Store

    with Store(f"sqlite:///{tmp_path / 'wijkleer.db'}") as opened:
        yield opened


@pytest.fixture
def planted(store) -> Planted:
    return Planted(store)


def assert_absent(sent: str, forbidden: list[str], view: str) -> None:
    leaked = sorted({marker for marker in forbidden if marker in sent})
    assert not leaked, f"{view} sent {len(leaked)} markers it may not hold, e.g. {leaked[:3]}"


def _number(cell: str) -> float | None:
    cell = cell.strip()
    if not re.fullmatch(r"-?\d{1,3}(\.\d{3})*", cell):  # Dutch thousands; shares (%) and decimals (,) are no counts
        return None
    return float(cell.replace(".", ""))


def small_counts(wire: Wire) -> list[tuple[str, str]]:
    """Every count of knelpunten or ratings from 1 to k-1 that went out in a table or a chart."""
    found = []
    for rows in wire.tables():
        header = rows[0] if rows else []
        for row in rows[1:]:
            for name, cell in zip(header[1:], row[1:], strict=False):
                value = _number(cell)
                if name not in NOT_COUNTS and value is not None and 0 < value < K:
                    found.append((name, cell))
    for spec in wire.specs:
        titles = {str(e.get("title")) for e in _encodings(spec)}
        if titles & COUNT_TITLES:
            for rows in spec.get("datasets", {}).values():
                for row in rows:
                    found += [(key, str(v)) for key, v in row.items() if isinstance(v, int | float) and 0 < v < K
                              and not isinstance(v, bool)]  # fmt: skip
    return found


def _encodings(spec: dict) -> list[dict]:
    found = []
    for key, value in spec.items():
        if key == "encoding" and isinstance(value, dict):
            found += [v for v in value.values() if isinstance(v, dict)]
        elif isinstance(value, dict):
            found += _encodings(value)
        elif isinstance(value, list):
            found += [e for item in value if isinstance(item, dict) for e in _encodings(item)]
    return found


# -- Beleidsoverzicht ----------------------------------------------------------------------------------------------


def test_the_policy_overview_sends_only_protected_aggregates(planted, wire, monkeypatch):
    from wijkleer.views import overzicht as view

    monkeypatch.setenv("QUERY_STRING", "")
    dashboard = view.Dashboard(planted.store, TODAY, RULE)
    for index in range(len(view.TABS)):
        dashboard.tabs.selected_index = index
    dashboard.tabs.selected_index = view.TABS.index("knelpunten")
    for dimension, _label in [(v, k) for k, v in dashboard.dimension.options]:
        dashboard.dimension.value = dimension
    for gemeente in (G1, G2, view.ALL):
        dashboard.filters["gemeente"].value = gemeente
        for index in range(len(view.TABS) - 1):
            dashboard.tabs.selected_index = index
    dashboard.filters["categorie"].value = "caseload"  # only the small team's: under k, nothing shown
    dashboard.filters["categorie"].value = view.ALL
    dashboard.tabs.selected_index = view.TABS.index("downloaden")
    make = next(w for w in dashboard.boxes["downloaden"].children if hasattr(w, "click"))
    make.click()  # the Excel, CSV, SVG and PNG files travel inside the page as data: links
    sent = wire.text()

    assert "wijkleer-downloads" in sent and "Wachtlijst specialistische GGZ" in sent  # the control: it was all sent
    forbidden = [m for markers in planted.omschrijving.values() for m in markers]
    forbidden += planted.names() + list(planted.answers.values()) + planted.step_texts
    forbidden += [planted.small_team, planted.small_wijk, *planted.titles[planted.small_team]]
    forbidden += [e.tekst for e in planted.expectations] + [planted.other_expectation.tekst]
    assert_absent(sent, forbidden, "Beleidsoverzicht")
    assert wire.tables() and wire.specs
    assert small_counts(wire) == []


# -- Inbox beleid --------------------------------------------------------------------------------------------------


def test_the_policy_inbox_sends_one_municipality_only(planted, wire):
    from wijkleer.views.inbox import Inbox

    inbox = Inbox(planted.store, G1)
    for value in list(inbox.rows.index):  # every knelpunt opened in turn, as its row in the list
        inbox.open(value)
        inbox.next_step.widget.value = "samengevoegd"  # the merge choices: the other knelpunten of G1
    sent = wire.text()

    assert planted.omschrijving[BUUR][1] in sent and planted.omschrijving[GROOT][1] in sent  # the control: G1
    forbidden = planted.omschrijving[ELDERS] + planted.titles[ELDERS] + [planted.answers[ELDERS]] + planted.names()
    assert_absent(sent, forbidden, "Inbox")


# -- Knelpuntenlogboek ---------------------------------------------------------------------------------------------


def test_the_logbook_sends_only_the_teams_own_knelpunten_and_titles_to_compare(planted, wire, monkeypatch):
    from wijkleer.views.logboek import THEMES_TAB, Logboek

    monkeypatch.setenv("QUERY_STRING", "")
    book = Logboek(planted.store, GROOT)
    for index in range(len(book.tabs.children)):
        book.tabs.selected_index = index
    book.tabs.selected_index = THEMES_TAB
    book.titel.widget.value = "Wachtlijst specialistische GGZ voor jongeren"  # similar ones of other teams offered
    book.omschrijving.widget.value = "Lange wachttijd voor jongeren."
    book.since.moment.value = TODAY - timedelta(days=365)
    sent = wire.text()

    # the control: the team's own knelpunten and answer, and a neighbour team's title to compare with
    assert planted.titles[GROOT][0] in sent and planted.answers[GROOT] in sent
    assert any(title in html_of(book.similar_box) for title in planted.titles[BUUR])
    forbidden = planted.omschrijving[BUUR] + planted.omschrijving[planted.small_team] + planted.omschrijving[ELDERS]
    forbidden += planted.titles[ELDERS] + [planted.answers[BUUR], planted.answers[ELDERS]] + planted.names()
    forbidden += planted.step_texts[1:]  # BUUR's and ELDERS' decisions (GROOT's is its own)
    assert_absent(sent, forbidden, "Logboek")


# -- Verwachtingen in kaart ----------------------------------------------------------------------------------------


def test_the_expectation_map_ties_no_rating_to_a_name(planted, wire, monkeypatch):
    from wijkleer.identiteit import stel_code_in
    from wijkleer.views.verwachtingen import Kaart

    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    me = stel_code_in(planted.store, planted.people[2], "mijn-code-123")
    page = Kaart(planted.store, planted.kring.id)
    page.sessie.value = planted.sessie.id
    for index in (1, 2, 0):  # the map and its history, as the shared screen shows them before anyone signs in
        page.tabs.selected_index = index
    page.aanmelden._sign_in({"kring_id": planted.kring.id, "naam": me.naam, "code": "mijn-code-123"})
    assert page.person is not None and page.person.id == me.id
    mine = {r.verwachting_id: (r.belang, r.haalbaarheid) for r in planted.store.list(Beoordeling, deelnemer_id=me.id)}
    for verwachting_id, (belang, haalbaar) in page.scores.items():  # empty, or one's own: nobody else's
        assert (belang.value, haalbaar.value) in {(0, 0), mine[verwachting_id]}
    sent = wire.text()

    assert planted.expectations[0].tekst in sent and me.naam in sent  # the control: the map, one's own name
    chart_rows = [row for spec in wire.specs for rows in spec.get("datasets", {}).values() for row in rows]
    assert chart_rows and {str(v) for row in chart_rows for v in row.values()} & {"Beleid", "Uitvoering"}
    others = [p for p in planted.people + planted.other_people if p.id != me.id]
    forbidden = [p.naam for p in others] + [p.id for p in planted.people + planted.other_people]
    forbidden += [planted.other_expectation.tekst, *planted.rating_ids]
    assert_absent(sent, forbidden, "Verwachtingen")


# -- Docent overview -----------------------------------------------------------------------------------------------


def test_the_teacher_overview_sends_no_student_name_or_answer(store, wire, monkeypatch):
    from wijkleer.identiteit import stel_code_in
    from wijkleer.oefeningen import controleer, voortgang
    from wijkleer.views.docent import Overzicht

    monkeypatch.setenv("WIJKLEER_K", str(K))
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    kring = store.add(Kring.make(naam="Klas 2B"))
    students = [store.add(Deelnemer.make(kring_id=kring.id, naam=f"Student {secret('naam')}", rol="student"))
                for _ in range(7)]  # fmt: skip
    answers = []
    for n, student in enumerate(students):
        choice = "wetten_botsen" if n < 5 else "caseload"
        voortgang.opslaan(store, student, "classificeren", "categorie_a", choice,
                          controleer("classificeren", "categorie_a", choice))  # fmt: skip
        answers.append(f"Huurtoeslag {secret('antwoord')}")
        voortgang.opslaan(store, student, "knelpunt_schrijven", "titel", answers[-1],
                          controleer("knelpunt_schrijven", "titel", answers[-1]))  # fmt: skip
    teacher = stel_code_in(store, store.add(Deelnemer.make(kring_id=kring.id, naam="Docent", rol="facilitator")),
                           "begeleider-1")  # fmt: skip
    overview = Overzicht(store)
    overview.aanmelden._sign_in({"kring_id": kring.id, "naam": teacher.naam, "code": "begeleider-1"})
    overview.refresh.click()
    sent = wire.text()

    assert "Klas 2B" in sent and t("docent.kolom.beantwoord") in sent  # the control: the figures went out
    assert_absent(sent, [s.naam for s in students] + [s.id for s in students] + answers, "Docent")


# -- Start page ----------------------------------------------------------------------------------------------------


def test_the_start_page_sends_counts_only(planted, wire, monkeypatch):
    from wijkleer.workbooks import start

    monkeypatch.setenv("WIJKLEER_DB", planted.store.url)
    start.app()
    sent = wire.text()

    assert t("start.database_kop") in sent
    forbidden = [m for markers in planted.omschrijving.values() for m in markers] + planted.names()
    forbidden += [title for titles in planted.titles.values() for title in titles]
    assert_absent(sent, forbidden, "Start")
