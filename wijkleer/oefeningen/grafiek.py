"""The chart of an exercise (``[grafiek]`` in its file): a small fixed dataset drawn as lines over periods, with
the reaction term as a dashed rule. Built and returned, never displayed; Altair is imported only when drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wijkleer.oefeningen.laden import Oefening

if TYPE_CHECKING:
    import altair as alt

# Okabe-Ito, as in wijkleer.charts: distinguishable with the common forms of colour blindness
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]


def gegevens(oefening: Oefening) -> list[dict]:
    """The chart's rows in long form: one per period and series (also shown as a table next to the chart)."""
    spec = oefening.grafiek or {}
    series = spec["reeksen"]
    return [{"periode": str(row[0]), "reeks": name, "waarde": value}
            for row in spec["rijen"] for name, value in zip(series, row[1:], strict=True)]  # fmt: skip


def lusgrafiek(oefening: Oefening) -> alt.LayerChart:
    """Lines per series over the periods; a dashed rule at ``norm`` (e.g. the term of 10 working days)."""
    import altair as alt

    spec = oefening.grafiek or {}
    data = alt.Data(values=gegevens(oefening))
    order = [str(row[0]) for row in spec["rijen"]]
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("periode:O", title=spec.get("x_titel"), sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("waarde:Q", title=spec.get("y_titel")),
            color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=spec["reeksen"], range=COLOURS)),
            strokeDash=alt.StrokeDash("reeks:N", title=None, scale=alt.Scale(domain=spec["reeksen"])),
            tooltip=[
                alt.Tooltip("periode:O", title=spec.get("x_titel", "")),
                alt.Tooltip("reeks:N", title=""),
                alt.Tooltip("waarde:Q", title=spec.get("y_titel", "")),
            ],  # fmt: skip
        )
    )
    layers = [lines]
    if spec.get("norm") is not None:
        rule = alt.Chart(alt.Data(values=[{"norm": spec["norm"]}])).mark_rule(strokeDash=[6, 4], color="#555")
        layers.append(rule.encode(y="norm:Q"))
    return alt.layer(*layers).properties(title=spec.get("titel", oefening.titel), width=480, height=260)
