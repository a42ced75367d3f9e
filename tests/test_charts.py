"""The charts a page shows when it opens are written as plain Vega-Lite (no Altair import in the kernel): they must
say what Altair says for the same chart, in the one house theme that Altair charts get too."""

import subprocess
import sys

import altair as alt
import pandas as pd
import pytest

from wijkleer import charts

ROWS = pd.Index(["Wmo", "Jeugd", "Overige"], name="Wet")


def _altair():
    return charts.altair()  # Altair with the house theme, as wijkleer's own Altair charts use it


def test_bars_are_what_altair_writes_for_the_same_chart():
    frame = pd.DataFrame({"Knelpunten": pd.array([30, 12, None], dtype="Int64")}, index=ROWS)
    alt = _altair()
    data = pd.DataFrame({"label": list(ROWS), "waarde": frame["Knelpunten"]}).dropna()
    data["beschrijving"] = ["Wmo: 30", "Jeugd: 12"]  # what a screen reader hears per bar, in Dutch
    twin = (
        alt.Chart(data)
        .mark_bar(color=charts.COLOURS[0])
        .encode(
            x=alt.X("waarde:Q", title="Aantal"),
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
            tooltip=[alt.Tooltip("label:N", title="Wet"), alt.Tooltip("waarde:Q", title="Aantal")],
            description="beschrijving:N",
        )
        .properties(title="Per wet", width=420, height=alt.Step(18))
    )
    spec = charts.bars(frame, "Per wet", "Aantal").to_dict()
    assert spec == twin.to_dict()
    assert [row["label"] for row in next(iter(spec["datasets"].values()))] == ["Wmo", "Jeugd"]  # hidden: left out


def test_lines_are_what_altair_writes_for_the_same_chart_with_gaps_where_hidden():
    periods = pd.Index(["2026-K1", "2026-K2", "2026-K3"], name="Kwartaal")
    frame = pd.DataFrame({"Totaal": pd.array([40, 38, 51], dtype="Int64"), "Caseload": [12.0, float("nan"), 15.5]},
                         index=periods)  # fmt: skip
    alt = _altair()
    long = frame.reset_index(names="periode").melt("periode", var_name="reeks", value_name="waarde")
    long["waarde"] = pd.to_numeric(long["waarde"])
    names = list(frame.columns)
    twin = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("periode:O", title="Kwartaal", sort=list(periods), axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("waarde:Q", title="Knelpunten"),
            color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=names, range=charts.COLOURS)),
            strokeDash=alt.StrokeDash("reeks:N", title=None, scale=alt.Scale(domain=names)),
            tooltip=[
                alt.Tooltip("periode:O", title="Kwartaal"),
                alt.Tooltip("reeks:N", title=""),
                alt.Tooltip("waarde:Q", title="Knelpunten"),
            ],
        )
        .properties(title="Trend", width=520, height=260)
    )
    spec = charts.lines(frame, "Trend", "Knelpunten").to_dict()
    assert spec == twin.to_dict()
    assert None in [row["waarde"] for row in next(iter(spec["datasets"].values()))]  # the line breaks there


PER_ROLE = pd.DataFrame({"verwachting_id": ["a", "b", "a"], "tekst": ["Snel", "Thuis", "Snel"],
                         "rol": ["beleid", "beleid", "uitvoering"], "belang": [4.5, 3.0, 2.0],
                         "haalbaarheid": [2.0, 3.5, float("nan")], "aantal": [2, 1, 1]})  # fmt: skip


def _roles(frame):
    return frame.assign(rol_naam=[{"beleid": "Beleid", "uitvoering": "Uitvoering"}[r] for r in frame["rol"]])


def test_the_expectation_matrix_is_what_altair_writes_for_the_same_chart():
    alt = _altair()
    scale = alt.Scale(domain=[1, 5], nice=False)
    base = alt.Chart().encode(x=alt.X("haalbaarheid:Q", title="Haalbaarheid (1–5)", scale=scale),
                              y=alt.Y("belang:Q", title="Belang (1–5)", scale=scale))  # fmt: skip
    points = base.mark_circle(size=260, opacity=0.85).encode(
        color=alt.Color("rol_naam:N", title="Rol", scale=alt.Scale(range=charts.COLOURS))
    )
    labels = (
        base.mark_text(color="white", fontWeight="bold", fontSize=11)
        .encode(text=alt.Text("label:N", title="Verwachting"))
        .transform_filter("isValid(datum.label) && !datum.gedeeld")
    )
    shared = (
        base.mark_text(align="left", color="#222", dx=12, fontSize=11, fontWeight="bold")
        .encode(text=alt.Text("label:N", title="Verwachting"))
        .transform_filter("isValid(datum.label) && datum.gedeeld")
    )
    middle = alt.Chart().mark_rule(strokeDash=[4, 4], color="#888", aria=False).encode(x=alt.datum(3))
    data = _roles(PER_ROLE).assign(nummer=[1, 2, 1], label=["1", "2", None], gedeeld=[False, False, False])
    twin = (
        alt.layer(middle, points, labels, shared, data=data)
        .properties(width=210, height=210)
        .facet(facet=alt.Facet("rol_naam:N", title=None), columns=3)
        .properties(title="Belang en haalbaarheid per rol")
    )
    assert charts.expectation_matrix(PER_ROLE, {"a": 1, "b": 2}).to_dict() == twin.to_dict()


def test_the_expectation_trend_is_what_altair_writes_for_the_same_chart():
    over_time = PER_ROLE.drop(columns=["aantal"]).assign(datum=["2026-11-02", "2026-11-02", "2027-01-15"])
    alt = _altair()
    data = _roles(over_time).assign(nummer=["1", "2", "1"], datum=pd.to_datetime(over_time["datum"]))
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X("datum:T", title="Bijeenkomst", axis=alt.Axis(format="%d-%m-%Y", labelAngle=-30)),
            y=alt.Y("haalbaarheid:Q", title="Haalbaarheid (1–5)", scale=alt.Scale(domain=[1, 5], nice=False)),
            color=alt.Color("nummer:N", title="Verwachting", scale=alt.Scale(range=charts.COLOURS)),
        )
    )
    twin = (
        alt.layer(line, data=data)
        .properties(width=210, height=180)
        .facet(facet=alt.Facet("rol_naam:N", title=None), columns=3)
        .properties(title="Haalbaarheid per bijeenkomst, per rol")
    )
    assert charts.expectation_trend(over_time, {"a": 1, "b": 2}).to_dict() == twin.to_dict()


def test_one_house_theme_for_written_and_altair_charts():
    written = charts.bars(pd.DataFrame({"n": [3]}, index=["x"]), "t", "n")
    altair_chart = _altair().Chart(pd.DataFrame({"n": [3]})).mark_bar().encode(x="n:Q")
    assert altair_chart.to_dict()["config"] == written.to_dict()["config"] == charts.THEME
    assert written.to_dict()["$schema"] == alt.SCHEMA_URL
    written.to_dict()["title"] = "changed"
    assert written.to_dict()["title"] == "t"  # every caller gets its own copy, as from Altair


@pytest.mark.parametrize(
    ("page", "not_imported"),
    [
        (
            "from wijkleer.views import overzicht\nfrom tests.support.widgets import chart_specs\n"
            "assert chart_specs(overzicht.app()), 'no chart'",
            ("altair", "jsonschema", "vl_convert"),
        ),
        ("from wijkleer.views import oefening\nbox = oefening.app('lusgrafiek')", ("altair", "pandas")),
    ],
)
def test_pages_open_without_the_heavy_imports_they_do_not_need(page, not_imported):
    """Altair (with jsonschema's grammars) costs a tab ~2.5 s and ~45 MB, pandas ~0.15 s and ~45 MB: the first view
    of a page imports only what it shows. The Vega bundle is made once by the server before any tab opens
    (``wijkleer serve``), so it is made here first too: on a fresh machine the cache is empty."""
    from wijkleer.views.chart import make_bundle

    make_bundle()
    faketime = "from tests.support.dagen import sleep_that_works_under_faketime\nsleep_that_works_under_faketime()\n"
    code = f"import sys\n{faketime}{page}\nprint(sorted(m for m in {not_imported!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
