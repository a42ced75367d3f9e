"""The chart of an exercise (``[grafiek]`` in its file): a small fixed dataset drawn as lines over periods, with
the reaction term as a dashed rule. Built and returned, never displayed, in the house style of
``wijkleer.charts`` (plain Vega-Lite: no Altair import when an exercise opens)."""

from __future__ import annotations

from wijkleer import charts
from wijkleer.oefeningen.laden import Oefening


def gegevens(oefening: Oefening) -> list[dict]:
    """The chart's rows in long form: one per period and series (also shown as a table next to the chart)."""
    spec = oefening.grafiek or {}
    series = spec["reeksen"]
    return [{"periode": str(row[0]), "reeks": name, "waarde": value}
            for row in spec["rijen"] for name, value in zip(series, row[1:], strict=True)]  # fmt: skip


def lusgrafiek(oefening: Oefening) -> charts.Figuur:
    """Lines per series over the periods; a dashed rule at ``norm`` (e.g. the term of 10 working days)."""
    spec = oefening.grafiek or {}
    order = [str(row[0]) for row in spec["rijen"]]
    lines = charts.series_layer(order, list(spec["reeksen"]), spec.get("x_titel"), spec.get("y_titel"), 0)
    layers = [{"data": {"values": gegevens(oefening)}, **lines}]
    if spec.get("norm") is not None:
        layers.append({"data": {"values": [{"norm": spec["norm"]}]},
                       "mark": {"type": "rule", "color": "#555", "strokeDash": [6, 4]},
                       "encoding": {"y": charts.field("norm", "quantitative")}})  # fmt: skip
    return charts.figuur({"layer": layers, "height": 260, "title": spec.get("titel", oefening.titel), "width": 480})
