"""Charts are built here and returned, never displayed: Altair charts from aggregated frames, with one
house style (Dutch titles, colour-blind-safe colours). Views render them offline as SVG."""

from __future__ import annotations

import altair as alt
import pandas as pd

from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

# Okabe-Ito: distinguishable with the common forms of colour blindness
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SCALE = alt.Scale(domain=[1, 5], nice=False)


def _roles(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(rol_naam=[taxonomy().label("rol", code) for code in frame["rol"]])


def expectation_matrix(per_role: pd.DataFrame, numbers: dict[str, int]) -> alt.FacetChart:
    """Importance × feasibility per expectation, one panel per role side by side (never pooled).
    Points carry the expectation's number; the table next to the chart gives the text."""
    data = _roles(per_role).assign(nummer=[numbers[v] for v in per_role["verwachting_id"]])
    base = alt.Chart().encode(
        x=alt.X("haalbaarheid:Q", title=t("verwachtingen.as_haalbaarheid"), scale=SCALE),
        y=alt.Y("belang:Q", title=t("verwachtingen.as_belang"), scale=SCALE),
    )
    points = base.mark_circle(size=260, opacity=0.85).encode(
        color=alt.Color("rol_naam:N", title=t("verwachtingen.rol"), scale=alt.Scale(range=COLOURS))
    )
    labels = base.mark_text(color="white", fontWeight="bold", fontSize=11).encode(text="nummer:N")
    middle = alt.Chart().mark_rule(strokeDash=[4, 4], color="#888").encode(x=alt.datum(3))
    return (
        alt.layer(middle, points, labels, data=data)
        .properties(width=210, height=210)
        .facet(facet=alt.Facet("rol_naam:N", title=None), columns=3)
        .properties(title=t("verwachtingen.matrix_titel"))
    )


def expectation_trend(over_time: pd.DataFrame, numbers: dict[str, int]) -> alt.FacetChart:
    """Mean feasibility per session date, one line per expectation, one panel per role."""
    data = _roles(over_time).assign(
        nummer=[str(numbers.get(v, "?")) for v in over_time["verwachting_id"]],
        datum=pd.to_datetime(over_time["datum"]),
    )
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X("datum:T", title=t("verwachtingen.as_sessie"), axis=alt.Axis(format="%d-%m-%Y", labelAngle=-30)),
            y=alt.Y("haalbaarheid:Q", title=t("verwachtingen.as_haalbaarheid"), scale=SCALE),
            color=alt.Color("nummer:N", title=t("verwachtingen.nummer"), scale=alt.Scale(range=COLOURS)),
        )
    )
    return (
        alt.layer(line, data=data)
        .properties(width=210, height=180)
        .facet(facet=alt.Facet("rol_naam:N", title=None), columns=3)
        .properties(title=t("verwachtingen.verloop_titel"))
    )


def bars(frame: pd.DataFrame, title: str, value_title: str) -> alt.Chart:
    """Horizontal bars, largest on top: ``frame`` has the label as its index and the value as its only
    column. Rows without a value (afgeschermd) are left out; the table next to the chart lists them."""
    column = frame.columns[0]
    data = pd.DataFrame({"label": [str(i) for i in frame.index], "waarde": pd.to_numeric(frame[column])}).dropna()
    return (
        alt.Chart(data)
        .mark_bar(color=COLOURS[0])
        .encode(
            x=alt.X("waarde:Q", title=value_title),
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
            tooltip=[alt.Tooltip("label:N", title=frame.index.name or ""), alt.Tooltip("waarde:Q", title=value_title)],
        )
        .properties(title=title, width=420, height=alt.Step(18))
    )


def lines(frame: pd.DataFrame, title: str, value_title: str) -> alt.Chart:
    """One line per column over the index (periods in order), gaps where a value is missing (afgeschermd)."""
    long = frame.reset_index(names="periode").melt("periode", var_name="reeks", value_name="waarde")
    long["waarde"] = pd.to_numeric(long["waarde"])
    order = [str(p) for p in frame.index]
    return (
        alt.Chart(long)  # a hidden value stays in as null: the line breaks there instead of bridging it
        .mark_line(point=True)
        .encode(
            x=alt.X("periode:O", title=frame.index.name or None, sort=order, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("waarde:Q", title=value_title),
            # colour and dash pattern both tell the lines apart (colour blindness); one shared legend
            color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=list(frame.columns), range=COLOURS)),
            strokeDash=alt.StrokeDash("reeks:N", title=None, scale=alt.Scale(domain=list(frame.columns))),
            tooltip=[
                alt.Tooltip("periode:O", title=frame.index.name or ""),
                alt.Tooltip("reeks:N", title=frame.columns.name or ""),
                alt.Tooltip("waarde:Q", title=value_title),
            ],
        )
        .properties(title=title, width=520, height=260)
    )
