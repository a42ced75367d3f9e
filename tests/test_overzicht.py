"""The policy overview's figures against a hand-counted fixture (SQLite and PostgreSQL), and the promise
that every table it hands out has passed disclosure control."""

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from tests.support.widgets import html_of
from wijkleer import loop, overzicht
from wijkleer.model import StatusEvent, Team
from wijkleer.overzicht import Filter, Gegevens
from wijkleer.privacy import disclosure
from wijkleer.privacy.disclosure import Rule
from wijkleer.store import open_store
from wijkleer.text import t
from wijkleer.views.common import esc

TODAY = date(2026, 6, 30)
RULE = disclosure.Rule(k=10)
TOTAL = t("overzicht.totaal")


@pytest.fixture
def fixture_store(store, make_knelpunt):
    """30 knelpunten, counted by hand:
    Dijkhoven: 12 'wetten_botsen' (Wmo + Jeugdwet, 2026-K1), 3 'caseload' (Jeugdwet, 2026-K2);
    Rietmeer: 15 'bureaucratie' (Participatiewet, 2025-K4). The first 11 of Dijkhoven's 'wetten_botsen' were
    acknowledged 2 working days after signalling (afdeling Wmo); 10 of those answered 22 working days after signalling;
    the rest never acknowledged."""
    store.add_many(
        [
            Team(naam="Wijkteam Dijkhoven Noord", wijk="Noord", gemeente="Dijkhoven", regio="Regio West"),
            Team(naam="Wijkteam Rietmeer Oost", wijk="Oost", gemeente="Rietmeer", regio="Regio Oost"),
        ]
    )
    made = []
    for _ in range(12):
        made.append(make_knelpunt(categorie="wetten_botsen", wetten=["wmo", "jeugd"], datum=date(2026, 2, 2),
                                  aangemaakt=datetime(2026, 2, 2, 9)))  # fmt: skip
    for _ in range(3):
        made.append(make_knelpunt(categorie="caseload", wetten=["jeugd"], datum=date(2026, 4, 6),
                                  aangemaakt=datetime(2026, 4, 6, 9)))  # fmt: skip
    for _ in range(15):
        made.append(make_knelpunt(categorie="bureaucratie", wetten=["participatiewet"], team="Wijkteam Rietmeer Oost",
                                  wijk="Oost", gemeente="Rietmeer", datum=date(2025, 11, 3),
                                  aangemaakt=datetime(2025, 11, 3, 9)))  # fmt: skip
    store.add_many(made)
    for knelpunt in made[:11]:
        _step(store, knelpunt.id, "ontvangen", datetime(2026, 2, 4, 10))  # Wednesday: 2 working days
        store.update(store.get(type(knelpunt), knelpunt.id).model_copy(update={"afdeling": "wmo"}))
    for knelpunt in made[:10]:
        _step(store, knelpunt.id, "besluit", datetime(2026, 2, 20, 10), besluit="opgepakt")
        _step(store, knelpunt.id, "teruggekoppeld", datetime(2026, 3, 4, 10))  # 22 working days after Monday 2 Feb
    return store


def _step(store, knelpunt_id, status, moment, **extra):
    event = StatusEvent(knelpunt_id=knelpunt_id, status=status, rol="beleid", tijdstip=moment, tekst="Toelichting.",
                        **extra)  # fmt: skip
    store.append_event(event, loop.check)


@pytest.fixture
def data(fixture_store):
    return Gegevens.load(fixture_store, TODAY)


def test_raw_counts_match_the_hand_count(data):
    everything = data.select(Filter())
    assert len(data) == 30
    assert data.count(everything, "categorie").to_dict() == {"wetten_botsen": 12, "caseload": 3, "bureaucratie": 15}
    assert data.count(everything, "wet").to_dict() == {"wmo": 12, "jeugd": 15, "participatiewet": 15}
    assert data.count(everything, "gemeente").to_dict() == {"Dijkhoven": 15, "Rietmeer": 15}
    q = {quarter: n for quarter, n in data.count(everything, "kwartaal").items() if n}
    assert q == {2025 * 4 + 3: 15, 2026 * 4 + 0: 12, 2026 * 4 + 1: 3}
    grid = data.count2(everything, "kwartaal", "categorie")
    assert grid.loc[2026 * 4, "wetten_botsen"] == 12 and grid.loc[2026 * 4 + 1, "caseload"] == 3
    assert int(grid.to_numpy().sum()) == 30


def test_filters_select_region_municipality_category_and_whole_quarters(data):
    def n(**chosen):
        return data.size(data.select(Filter(**chosen)))

    assert n(regio="Regio West") == 15 and n(regio="Regio Oost") == 15
    assert n(gemeente="Dijkhoven", categorie="caseload") == 3
    assert n(van=2026 * 4) == 15 and n(tot=2025 * 4 + 3) == 15 and n(van=2026 * 4 + 1, tot=2026 * 4 + 1) == 3
    assert n(gemeente="Nergenshuizen") == 0


def test_loop_figures_match_the_hand_count(data):
    figures = data.loop(data.select(Filter()), "afdeling").loc["wmo"]
    assert figures["knelpunten"] == 11 and figures["ontvangen"] == 11 and figures["beantwoord"] == 10
    assert figures["ontvangst_dagen"] == 2 and figures["antwoord_dagen"] == 22
    assert figures["te_laat_antwoord"] == 1  # the one acknowledged but never answered, long past its term
    not_sent = data.loop(data.select(Filter()), "afdeling").loc[overzicht.GEEN]
    assert not_sent["knelpunten"] == 19 and not_sent["te_laat_ontvangst"] == 19


def test_the_protected_table_hides_the_small_cell_and_one_more(data):
    table = overzicht.per_dimensie(data, Filter(), "categorie", RULE).frame.iloc[:, 0]
    shown = {label: (None if pd.isna(v) else int(v)) for label, v in table.items()}
    assert "Caseload" not in shown and shown[t("overzicht.overige")] is None  # 3 < k: not even named
    trend_row = overzicht.trend(data, Filter(), RULE).frame.loc[TOTAL]
    assert trend_row.isna().sum() >= 2  # else the total minus the others gives the 3 back
    assert all(v >= RULE.k for v in shown.values() if v is not None)
    assert abs(shown["Proces en bureaucratie"] - 15) <= 2  # published with the cell-key noise


def test_a_small_selection_shows_no_headline_figures(data):
    assert overzicht.kop(data, Filter(gemeente="Dijkhoven", categorie="caseload"), RULE).knelpunten is None
    head = overzicht.kop(data, Filter(gemeente="Rietmeer"), RULE)
    assert abs(head.knelpunten - 15) <= 2 and head.casussen == 60  # the same cell-key noise as the tables
    # everything: the 3 'caseload' stand alone in their quarter and category, so only the grand total can hide
    # them; the trend hides it, and so does the headline (one suppression for every cell)
    grand = overzicht.trend(data, Filter(), RULE).frame.loc[TOTAL, TOTAL]
    assert pd.isna(grand) and overzicht.kop(data, Filter(), RULE).knelpunten is None


def test_a_period_is_a_whole_year_or_quarter_never_a_free_range(data):
    from wijkleer.errors import WijkleerError

    for van, tot in ((2026 * 4, None), (None, 2026 * 4), (2025 * 4 + 3, 2026 * 4), (2026 * 4 + 1, 2026 * 4 + 3)):
        with pytest.raises(WijkleerError):
            overzicht.kop(data, Filter(van=van, tot=tot), RULE)
    assert overzicht.kop(data, Filter(van=2025 * 4, tot=2025 * 4 + 3), RULE).knelpunten is not None  # a year
    blocks = overzicht.periodes(data.quarters())
    assert blocks[0] == overzicht.Periode() and overzicht.Periode("jaar", 2026) in blocks


def test_loop_table_gives_medians_and_shares_only_above_the_minimum(data):
    frame = overzicht.lus(data, Filter(), RULE).frame
    wmo = frame.loc["Wmo"]
    assert wmo[t("overzicht.kolom.ontvangst_dagen")] == 2 and wmo[t("overzicht.kolom.antwoord_dagen")] == 22
    assert pd.isna(wmo[t("overzicht.kolom.aandeel_beantwoord")])  # 10 of 11 would say: one not answered
    assert wmo[t("overzicht.kolom.aandeel_getoetst")] == 0  # 10 answered: enough to say none was confirmed
    small = overzicht.lus(data, Filter(categorie="wetten_botsen"), RULE).frame
    assert pd.isna(small.loc[t("overzicht.geen.afdeling"), t("overzicht.kolom.knelpunten")])  # 1 < k


NOT_COUNTS = {t(f"overzicht.kolom.{name}") for name in ("ontvangst_dagen", "antwoord_dagen", "aandeel_beantwoord",
              "aandeel_getoetst", "belang", "haalbaarheid", "kloof", "teams", "gemeenten", "kringen", "categorie",
              "laatste")}  # fmt: skip


def _published_numbers(frame: pd.DataFrame) -> list[float]:
    """Every published count of knelpunten or ratings (not shares, medians, means or numbers of places)."""
    values = []
    for column in frame.columns:
        if column in NOT_COUNTS:
            continue
        values += [float(v) for v in pd.to_numeric(frame[column], errors="coerce").dropna()]
    return values


@pytest.fixture(scope="module")
def demo_store():
    return open_store()  # the 300-knelpunt demo database tests/conftest.py made for this run


@pytest.mark.parametrize(
    "selection",
    [
        Filter(),
        Filter(gemeente="Dijkhoven"),
        Filter(gemeente="Vlietdam", categorie="caseload"),
        Filter(van=2026 * 4, tot=2026 * 4 + 3),
        Filter(gemeente="Dijkhoven", van=2025 * 4 + 3, tot=2025 * 4 + 3),
    ],
)
def test_no_table_a_policy_view_gets_shows_a_count_below_k(demo_store, selection):
    data = Gegevens.load(demo_store, TODAY)
    tables = [overzicht.per_dimensie(data, selection, d, RULE) for d in (*overzicht.SINGLE, *overzicht.MULTI)]
    tables += [overzicht.trend(data, selection, RULE), overzicht.lus(data, selection, RULE),
               overzicht.lus(data, selection, RULE, by="gemeente"), overzicht.themas(demo_store, data, selection, RULE),
               overzicht.verwachtingen(demo_store, data, selection, RULE)]  # fmt: skip
    for table in tables:
        small = [v for v in _published_numbers(table.frame) if 0 < v < RULE.k]
        assert not small, f"{table.naam}: {small}"


def test_the_dashboard_page_holds_only_protected_figures(demo_store, monkeypatch):
    from wijkleer.views import overzicht as view

    monkeypatch.setenv("QUERY_STRING", "gemeente=Vlietdam")
    dashboard = view.Dashboard(demo_store, TODAY, RULE)
    assert dashboard.filters["gemeente"].value == "Vlietdam"
    for index in range(len(view.TABS) - 1):
        dashboard.tabs.selected_index = index
    page = html_of(dashboard.box)
    assert '<td class="getal afgeschermd"' in page
    for tables in dashboard.shown.values():
        for table, _chart in tables:
            assert not [v for v in _published_numbers(table.frame) if 0 < v < RULE.k], table.naam


def test_the_filter_lists_tell_nothing_about_small_numbers(tmp_path):
    """Categories from the taxonomy and municipalities from the teams, whatever the knelpunten hold: that a choice
    is offered never says a category or municipality has a few knelpunten."""
    import os
    import sqlite3

    from wijkleer.model import Team
    from wijkleer.taxonomy import taxonomy
    from wijkleer.views import overzicht as view

    copy = tmp_path / "kopie.db"  # the suite's demo database stays as it is
    with sqlite3.connect(os.environ["WIJKLEER_DB"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    store = open_store(str(copy))
    store.add(Team(naam="Wijkteam Nieuwdorp", wijk="Nieuwdorp", gemeente="Nieuwdorp", regio="Lingestroom"))
    dashboard = view.Dashboard(store, TODAY, RULE)
    categories = [value for _label, value in dashboard.filters["categorie"].options if value != view.ALL]
    assert sorted(categories) == sorted(taxonomy().codes("categorie"))
    assert "Nieuwdorp" in dict(dashboard.filters["gemeente"].options).values()  # no knelpunt there, still listed
    store.close()


def test_the_period_list_offers_only_whole_years_and_quarters(demo_store):
    from wijkleer.views import overzicht as view

    dashboard = view.Dashboard(demo_store, TODAY, RULE)
    before = dashboard.headline.value
    options = dashboard.filters["periode"].options
    assert options[0] == (t("overzicht.periode_alles"), view.ALL)
    for _label, value in options[1:]:
        van, tot = value
        assert van == tot or (van % 4 == 0 and tot == van + 3)
    dashboard.filters["periode"].value = options[1][1]  # the newest year
    assert dashboard.selection.van == options[1][1][0] and dashboard.headline.value != before


def test_every_dimension_column_and_tab_has_a_dutch_name():
    from wijkleer.views import overzicht as view

    for name in (*overzicht.SINGLE, *overzicht.MULTI, "kwartaal", "regio"):
        assert t(f"overzicht.dimensie.{name}")
    for name in (*overzicht.LOOP_COLUMNS, "categorie", "teams", "gemeenten", "open", "laatste"):
        assert t(f"overzicht.kolom.{name}")
    for name in view.TABS:
        assert t(f"overzicht.tab.{name}")


def test_numbers_are_written_the_dutch_way():
    from wijkleer.views.overzicht import number

    assert number(1234) == "1.234" and number(4.5) == "4,5" and number(0.456, share=True) == "46%"
    assert number(np.int64(12345)) == "12.345" and number(np.float32(2.0)) == "2"
    assert number(pd.NA) == "x" and number(float("nan")) == "x" and number(None) == "x"
    assert number(np.float32("nan")) == "x" and number("Wmo") == "Wmo"


def test_an_empty_database_shows_a_clear_page_on_every_tab(tmp_path):
    from wijkleer.views import overzicht as view

    dashboard = view.Dashboard(open_store(str(tmp_path / "leeg.db")), TODAY, RULE)
    assert t("overzicht.leeg") in dashboard.headline.value
    for index in range(len(view.TABS) - 1):
        dashboard.tabs.selected_index = index
    assert html_of(dashboard.box).count(esc(t("overzicht.leeg"))) == len(view.TABS)  # headline and every tab
    assert dashboard._downloads().count("<li>") >= 1  # the Excel file, with its explanation sheet


def test_the_chart_bundle_is_made_once_and_kept(tmp_path, monkeypatch):
    from wijkleer.views import chart

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = chart.make_bundle()
    assert made.parent == tmp_path / "wijkleer" and "window.vegaEmbed" in made.read_text(encoding="utf-8")
    stamp = made.stat().st_mtime_ns
    assert chart.make_bundle() == made and made.stat().st_mtime_ns == stamp
    assert not list(made.parent.glob("*.tmp"))


@pytest.mark.parametrize("gemeente", [None, "Dijkhoven", "Vlietdam"])
def test_category_totals_are_hidden_alike_in_the_category_and_the_trend_table(demo_store, gemeente):
    data = Gegevens.load(demo_store, TODAY)
    selection = Filter(gemeente=gemeente)
    per_category = overzicht.per_dimensie(data, selection, "categorie", RULE).frame.iloc[:, 0]
    bottom_row = overzicht.trend(data, selection, RULE).frame.loc[TOTAL]
    published = per_category.drop(index=t("overzicht.overige"), errors="ignore")
    assert set(published.index) == set(bottom_row.dropna().index)  # hidden ones share the unnamed row
    for name, value in published.items():
        assert value == bottom_row[name], name


def test_choosing_a_region_keeps_the_municipality_it_contains(demo_store, monkeypatch):
    from wijkleer.views import overzicht as view

    monkeypatch.setenv("QUERY_STRING", "gemeente=Dijkhoven")
    dashboard = view.Dashboard(demo_store, TODAY, RULE)
    regio = dashboard.data.regio_of["Dijkhoven"]
    dashboard.filters["regio"].value = regio
    assert dashboard.filters["gemeente"].value == "Dijkhoven"
    assert dashboard.selection == Filter(regio=regio, gemeente="Dijkhoven")


def test_downloads_follow_the_dimension_and_name_the_filters_the_figures_were_made_with(demo_store):
    from wijkleer.views import overzicht as view

    dashboard = view.Dashboard(demo_store, TODAY, RULE)
    dashboard.tabs.selected_index = view.TABS.index("downloaden")
    dashboard.dimension.value = "team"
    assert "downloaden" in dashboard.stale
    dashboard.filters["periode"].value = dashboard.filters["periode"].options[-1][1]  # the oldest quarter
    lines = dict(dashboard._filter_lines())
    assert lines[t("overzicht.filter_periode")] == dashboard.filters["periode"].options[-1][0]
    assert lines[t("overzicht.toon_als")] == t("overzicht.dimensie.team")


def test_theme_table_keeps_themes_with_the_same_title_and_numbers_screened_titles(demo_store):
    data = Gegevens.load(demo_store, TODAY)
    table = overzicht.themas(demo_store, data, Filter(), Rule(k=5)).frame
    assert len(table) > 1 and table.index.name == t("overzicht.kolom.thema")
    assert not [v for v in _published_numbers(table) if 0 < v < 5]


def test_expectations_need_enough_different_people_not_only_enough_ratings(demo_store):
    data = Gegevens.load(demo_store, TODAY)
    strict = overzicht.verwachtingen(demo_store, data, Filter(), Rule(k=50)).frame
    counted = strict[t("overzicht.kolom.beoordelingen")]
    assert counted.isna().all() or (counted.dropna() >= 50).all()
    assert strict[t("overzicht.kolom.belang")].isna().tolist() == counted.isna().tolist()


def test_a_chart_with_every_value_hidden_is_one_sentence_not_an_empty_axis(demo_store):
    """All a chart would draw is afgeschermd (another column of the table is not): no empty chart with only a '0'
    axis, but 'te weinig gegevens voor deze keuze' once, with the table."""
    from wijkleer.rapport import Tabel
    from wijkleer.views import overzicht as view
    from wijkleer.views.chart import Grafiek

    dashboard = view.Dashboard(demo_store, TODAY, RULE)
    frame = pd.DataFrame({view.COUNT_COLUMN: [None, None], "Ander": [12, 15]}, index=["Wmo", "Jeugd"])
    shown = dashboard._section("overzicht", Tabel("Per wet", frame), dashboard._bars(view.COUNT_COLUMN))
    assert not [w for w in shown if isinstance(w, Grafiek)]
    text = "".join(html_of(w) for w in shown)
    assert text.count("Te weinig gegevens voor deze keuze") == 1 and "<table" in text
