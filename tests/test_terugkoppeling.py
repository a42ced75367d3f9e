"""The feedback loop: deadlines over weekends and holidays, steps through the service, the inbox,
practice's answers and 'since last time', metrics, and a hypothesis state machine over random steps."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from wijkleer import loop, metrics, termijnen, terugkoppeling
from wijkleer.errors import WijkleerError
from wijkleer.model import STATUSES, Knelpunt, StatusEvent
from wijkleer.store import Store


# -- deadlines ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 working day: Monday
        (date(2026, 4, 24), 2, date(2026, 4, 29)),  # over King's Day (Monday 27 April)
        (date(2026, 12, 24), 2, date(2026, 12, 29)),  # over Christmas and a Sunday
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # over Ascension Day
        (date(2026, 11, 22), 10, date(2026, 12, 4)),  # a Sunday start counts from Monday
        (date(2026, 1, 2), 60, date(2026, 3, 27)),  # the default answer term from a Friday
    ],
)
def test_working_days_skip_weekends_and_dutch_holidays(start, days, due):
    assert termijnen.add_working_days(start, days) == due
    assert termijnen.working_days_between(start, due) == days


def test_on_time_late_and_three_times_late():
    start = date(2026, 1, 5)  # a Monday; 10 working days: due 19 January
    assert termijnen.judge(start, 10, date(2026, 1, 19), date(2026, 3, 1)).state == termijnen.OP_TIJD
    assert termijnen.judge(start, 10, date(2026, 1, 20), date(2026, 3, 1)).state == termijnen.TE_LAAT
    assert termijnen.judge(start, 10, None, date(2026, 1, 16)).state == termijnen.OPEN
    assert termijnen.judge(start, 10, None, date(2026, 1, 20)).state == termijnen.TE_LAAT
    assert termijnen.judge(start, 10, None, date(2026, 2, 16)).state == termijnen.DRIE_KEER  # 30 working days
    assert termijnen.judge(start, 10, None, date(2026, 3, 1), closed=True).state == termijnen.OPEN


def test_a_municipality_can_have_its_own_terms():
    assert termijnen.terms("Rietmeer") == {"ontvangst": 5, "besluit": 40}
    assert termijnen.terms("Dijkhoven") == {"ontvangst": 10, "besluit": 60}


# -- the service -----------------------------------------------------------------------------------------
def _signal(store, make_knelpunt, when: datetime, **changes):
    knelpunt = make_knelpunt(**changes).model_copy(update={"aangemaakt": when})
    return store.add(knelpunt)


def test_policy_acknowledges_decides_answers_and_practice_confirms(store, make_knelpunt):
    k = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9))
    terugkoppeling.step(store, k.id, "ontvangen", "beleid", afdeling="werk_inkomen", id="e2")
    terugkoppeling.step(store, k.id, "ontvangen", "beleid", id="e2")  # the double click
    terugkoppeling.step(store, k.id, "besluit", "beleid", "We passen de regel aan.", besluit="opgepakt")
    terugkoppeling.step(store, k.id, "teruggekoppeld", "beleid", "Vanaf 1 mei geldt de nieuwe regel.")
    [(knelpunt, answer)] = terugkoppeling.answers_for(store, k.team)
    assert knelpunt.afdeling == "werk_inkomen" and answer.tekst == "Vanaf 1 mei geldt de nieuwe regel."
    terugkoppeling.step(store, k.id, "getoetst", "uitvoering", "Het werkt: geen nieuwe schulden.")
    assert [e.status for e in store.history(k.id)] == ["gesignaleerd", "ontvangen", "besluit", "teruggekoppeld",
                                                       "getoetst"]  # fmt: skip
    assert terugkoppeling.answers_for(store, k.team) == []


def test_refused_steps_and_texts_with_personal_data(store, make_knelpunt):
    k = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9))
    with pytest.raises(WijkleerError, match="kan een knelpunt niet naar"):
        terugkoppeling.step(store, k.id, "getoetst", "uitvoering", "Goed zo.")
    with pytest.raises(WijkleerError) as caught:
        terugkoppeling.step(store, k.id, "ontvangen", "beleid", "Bel meneer Jansen op 06-12345678.")
    assert "tekst" in caught.value.fields
    with pytest.raises(WijkleerError, match="met zichzelf"):
        terugkoppeling.step(store, k.id, "samengevoegd", "beleid", "Dubbel.", samengevoegd_in=k.id)
    assert [e.status for e in store.history(k.id)] == ["gesignaleerd"]


def test_inbox_puts_new_then_late_first(store, make_knelpunt):
    # as the page promises: the new ones on top (also when many late ones wait), then the late ones
    late = _signal(store, make_knelpunt, datetime(2025, 11, 3, 9), titel="Ontvangen, antwoord te laat")
    terugkoppeling.step(store, late.id, "ontvangen", "beleid")
    old = _signal(store, make_knelpunt, datetime(2026, 1, 5, 9), titel="Nieuw en te laat")
    new = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9), titel="Nieuw")
    done = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9), titel="Ontvangen")
    terugkoppeling.step(store, done.id, "ontvangen", "beleid")
    table = terugkoppeling.inbox(store, "Dijkhoven", today=date(2026, 3, 3))
    assert list(table.index) == [old.id, new.id, late.id, done.id]
    assert list(table["nieuw"]) == [True, True, False, False]
    assert list(table["te_laat"]) == [True, False, True, False]
    assert table["afdeling"].isna().all()  # not yet assigned: missing, shown in words by the list
    assert terugkoppeling.inbox(store, "Rietmeer", today=date(2026, 3, 3)).empty


def test_since_last_time_lists_steps_after_the_date(store, make_knelpunt):
    k = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9))
    terugkoppeling.step(store, k.id, "ontvangen", "beleid")
    recent = terugkoppeling.since(store, date.today() - timedelta(days=1), team=k.team)
    assert list(recent["status"]) == ["ontvangen"] and list(recent["titel"]) == [k.titel]
    assert terugkoppeling.since(store, date.today() + timedelta(days=1), team=k.team).empty


def test_metrics_per_municipality(store, make_knelpunt):
    a = _signal(store, make_knelpunt, datetime(2026, 1, 5, 9))
    _signal(store, make_knelpunt, datetime(2026, 1, 5, 9))
    table = metrics.for_store(store, date(2026, 2, 20))
    assert set(table["ontvangst_oordeel"]) == {termijnen.DRIE_KEER}
    row = metrics.loop_metrics(table, "gemeente").loc["Dijkhoven"]
    assert (row["knelpunten"], row["te_laat_ontvangst"], row["beantwoord"]) == (2, 2, 0)
    assert row["aandeel_beantwoord"] == 0
    assert a.id in table.index


# -- random histories -----------------------------------------------------------------------------------
class LoopMachine(RuleBasedStateMachine):
    """Random steps by random roles on a few knelpunten: refused steps change nothing, accepted steps
    follow the rules, the history is never rewritten, and metrics are never negative."""

    def __init__(self):
        super().__init__()
        import tempfile

        self.folder = tempfile.TemporaryDirectory()
        self.store = Store(f"{self.folder.name}/loop.db")
        self.ids = []
        self.seen: dict[str, list[str]] = {}

    @rule(day=st.integers(0, 200))
    def signal(self, day):
        if len(self.ids) >= 4:
            return
        k = Knelpunt.make(titel="Knelpunt", omschrijving="Tekst", wetten=["wmo"], categorie="wachtlijst",
                          ernst="laag", aantal_casussen=1, bron="leerkring", team="T", wijk="W", gemeente="Dijkhoven",
                          datum=date(2026, 1, 1))  # fmt: skip
        k = k.model_copy(update={"aangemaakt": datetime(2026, 1, 1) + timedelta(days=day)})
        self.store.add(k)
        self.ids.append(k.id)
        self.seen[k.id] = [e.id for e in self.store.history(k.id)]

    @rule(which=st.integers(0, 3), status=st.sampled_from(STATUSES), text=st.sampled_from(["", "Toelichting."]),
          besluit=st.sampled_from([None, "opgepakt"]))  # fmt: skip
    def act(self, which, status, text, besluit):
        if not self.ids:
            return
        knelpunt_id = self.ids[which % len(self.ids)]
        before = self.store.get(Knelpunt, knelpunt_id).status
        target = self.ids[(which + 1) % len(self.ids)] if status == "samengevoegd" else None
        try:
            terugkoppeling.step(self.store, knelpunt_id, status, "beleid", text, besluit=besluit,
                                samengevoegd_in=target)  # fmt: skip
        except WijkleerError:
            assert self.store.get(Knelpunt, knelpunt_id).status == before
            return
        assert loop.allowed(before, status)
        assert self.store.get(Knelpunt, knelpunt_id).status == status

    @invariant()
    def histories_are_valid_and_only_grow(self):
        for knelpunt_id in self.ids:
            history = self.store.history(knelpunt_id)
            ids = [e.id for e in history]
            assert ids[: len(self.seen[knelpunt_id])] == self.seen[knelpunt_id]
            self.seen[knelpunt_id] = ids
            current = None
            for event in history:
                loop.check(current, StatusEvent.model_construct(**event.model_dump()))
                current = event.status
            assert self.store.get(Knelpunt, knelpunt_id).status == current

    @invariant()
    def metrics_are_never_negative(self):
        if not self.ids:
            return
        figures = metrics.loop_metrics(metrics.for_store(self.store, date(2026, 12, 31)), "gemeente")
        numeric = figures.select_dtypes("number").fillna(0)
        assert (numeric >= 0).all().all()

    def teardown(self):
        self.store.close()
        self.folder.cleanup()


TestLoopMachine = LoopMachine.TestCase
TestLoopMachine.settings = settings(max_examples=25, stateful_step_count=20, deadline=None,
                                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


def test_a_refused_step_does_not_assign_the_department(store, make_knelpunt):
    k = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9))
    with pytest.raises(WijkleerError):
        terugkoppeling.step(store, k.id, "besluit", "beleid", "", besluit="opgepakt", afdeling="jeugd")
    assert store.get(Knelpunt, k.id).afdeling is None


def test_the_latest_answer_is_the_one_practice_sees(store, make_knelpunt):
    k = _signal(store, make_knelpunt, datetime(2026, 3, 2, 9))
    for status, tekst in (("ontvangen", ""), ("besluit", "Besluit."), ("teruggekoppeld", "Eerste antwoord."),
                          ("heropend", "Helpt niet."), ("ontvangen", ""), ("besluit", "Nieuw besluit."),
                          ("teruggekoppeld", "Tweede antwoord.")):  # fmt: skip
        terugkoppeling.step(store, k.id, status, "beleid", tekst, besluit="deels" if status == "besluit" else None)
    [(_knelpunt, answer)] = terugkoppeling.answers_for(store, k.team)
    assert answer.tekst == "Tweede antwoord."


@pytest.mark.parametrize(("first", "last"), [(2015, 2027), (2008, 2012), (2040, 2050)])
def test_the_holiday_calendar_kept_on_disk_is_the_packages_own(tmp_path, monkeypatch, first, last):
    """Working days skip Dutch public holidays: read from a file made once (a tab then needs no ``holidays``
    import), the same dates as the package gives, also for years outside the kept range."""
    import holidays
    import numpy as np

    from wijkleer import paths, termijnen

    monkeypatch.setattr(paths, "cache_folders", lambda: [tmp_path / "cache"])
    termijnen._holidays.cache_clear()
    expected = np.array(sorted(holidays.country_holidays("NL", years=range(first, last + 1))), dtype="datetime64[D]")
    assert (termijnen._holidays(first, last) == expected).all()
    termijnen._holidays.cache_clear()
    assert (termijnen._holidays(first, last) == expected).all()  # the second time from the file (when in range)
    assert (tmp_path / "cache").exists() == (first >= 2010 and last <= 2045)
    termijnen._holidays.cache_clear()
