"""Charts are built here and returned, never displayed: Vega-Lite specifications (``Figuur``) from aggregated
frames, with one house style (``THEME``: Dutch titles, colour-blind-safe colours). Views draw them in the browser
(``wijkleer.views.chart``); downloads render them on the server (``wijkleer.rapport``).

They are written as plain Vega-Lite, without Altair: importing Altair (with jsonschema and its format grammars)
costs a kernel ~2.5 s and ~45 MB, paid by every tab that shows a chart. Each comes out as Altair writes the same
chart (tests hold them to that), and Altair, when a notebook or test uses it, gets the same theme (``altair()``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd

# Okabe-Ito: distinguishable with the common forms of colour blindness
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# the house theme: every chart's ``config``, written here and registered as Altair's theme in ``altair()``
THEME: dict[str, Any] = {"view": {"continuousWidth": 300, "continuousHeight": 300}, "range": {"category": COLOURS}}
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # as the Altair in use writes it (alt.SCHEMA_URL)
SCALE = {"domain": [1, 5], "nice": False}


@dataclass(frozen=True, eq=False)
class Figuur:
    """A chart as its Vega-Lite specification, with rows inline. ``to_dict()`` as on an Altair chart, so views and
    downloads take either."""

    spec: dict[str, Any]

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        """A copy of the specification (``validate`` as in Altair's signature: there is no schema check here)."""
        return copy.deepcopy(self.spec)


@cache
def altair():  # -> the altair module
    """Altair with the house theme enabled, imported on first use: for a chart this module does not write (in a
    notebook or a test); its file exports (``wijkleer.rapport``) take it as they take a ``Figuur``."""
    import altair as alt

    @alt.theme.register("wijkleer", enable=True)
    def _theme() -> alt.theme.ThemeConfig:
        return {"config": copy.deepcopy(THEME)}

    return alt


def value(cell: object) -> object:
    """A cell as JSON holds it, the way Altair writes a frame: missing as null, numpy numbers as Python ones."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, Integral):
        return int(cell)
    if isinstance(cell, Real):
        return None if math.isnan(cell) else float(cell)
    if cell is None or type(cell).__name__ == "NAType":  # pandas.NA, without importing pandas
        return None
    return cell


def figuur(body: dict[str, Any], rows: list[dict] | None = None) -> Figuur:
    """A top-level specification: the theme, ``body``, and ``rows`` as one named dataset (as Altair names it)."""
    spec: dict[str, Any] = {"config": copy.deepcopy(THEME)}
    body = copy.deepcopy(body)  # no caller shares a part (``SCALE``, ``COLOURS``) with the chart
    if rows is not None:
        name = "data-" + hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:32]
        spec["data"] = {"name": name}
    spec.update(body)
    spec["$schema"] = SCHEMA
    if rows is not None:
        spec["datasets"] = {name: rows}
    return Figuur(spec)


def field(name: str, kind: str, **properties: object) -> dict[str, Any]:
    """One encoding channel: ``kind`` is Vega-Lite's type (``quantitative``, ``nominal``, ``ordinal``, ``temporal``)."""
    return {"field": name, "type": kind, **properties}


def series_layer(order: list[str], names: list, x_title: str | None, y_title: str, label_angle: int) -> dict:
    """Lines with points of ``waarde`` over ``periode`` (in ``order``), one per ``reeks`` (``names``), told apart
    by colour and dash pattern both (colour blindness), one shared legend."""
    return {
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": field("periode", "ordinal", title=x_title, sort=order, axis={"labelAngle": label_angle}),
            "y": field("waarde", "quantitative", title=y_title),
            "color": field("reeks", "nominal", title=None, scale={"domain": names, "range": COLOURS}),
            "strokeDash": field("reeks", "nominal", title=None, scale={"domain": names}),
            "tooltip": [
                field("periode", "ordinal", title=x_title or ""),
                field("reeks", "nominal", title=""),
                field("waarde", "quantitative", title=y_title),
            ],
        },
    }


def bars(frame: pd.DataFrame, title: str, value_title: str) -> Figuur:
    """Horizontal bars, largest on top: ``frame`` has the label as its index and the value as its only
    column. Rows without a value (afgeschermd) are left out; the table next to the chart lists them."""
    cells = [(str(label), value(cell)) for label, cell in zip(frame.index, frame.iloc[:, 0].tolist(), strict=True)]
    rows = [{"label": label, "waarde": cell, "beschrijving": f"{label}: {_figure(cell)}"}
            for label, cell in cells if cell is not None]  # fmt: skip
    body = {
        "mark": {"type": "bar", "color": COLOURS[0]},
        "encoding": {
            # what a screen reader hears per bar, in Dutch (Vega would say 'label: Wmo')
            "description": field("beschrijving", "nominal"),
            "x": field("waarde", "quantitative", title=value_title),
            "y": field("label", "nominal", title=None, sort="-x", axis={"labelLimit": 320}),
            "tooltip": [
                field("label", "nominal", title=frame.index.name or ""),
                field("waarde", "quantitative", title=value_title),
            ],
        },
        "height": {"step": 18},
        "title": title,
        "width": 420,
    }
    return figuur(body, rows)


def _figure(cell: object) -> str:
    """A bar's value as Dutch text: 12, or 2,5."""
    return str(cell) if isinstance(cell, int) or float(cell).is_integer() else f"{float(cell):.1f}".replace(".", ",")


def lines(frame: pd.DataFrame, title: str, value_title: str) -> Figuur:
    """One line per column over the index (periods in order), gaps where a value is missing (afgeschermd): a
    hidden value stays in as null, so the line breaks there instead of bridging it."""
    periods = [value(period) for period in frame.index]
    rows = [{"periode": period, "reeks": name, "waarde": value(cell)}
            for name in frame.columns for period, cell in zip(periods, frame[name].tolist(), strict=True)]  # fmt: skip
    if any(isinstance(row["waarde"], float) for row in rows):  # one column, as a frame's melt makes it: all floats
        rows = [{**row, "waarde": float(row["waarde"])} if row["waarde"] is not None else row for row in rows]
    body = series_layer([str(p) for p in frame.index], list(frame.columns), frame.index.name or None, value_title, -40)
    body["encoding"]["tooltip"][1]["title"] = frame.columns.name or ""
    return figuur({**body, "height": 260, "title": title, "width": 520}, rows)


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as Altair writes them (column by column: missing as null, numpy numbers as Python ones)."""
    columns = {str(name): [value(cell) for cell in frame[name].tolist()] for name in frame.columns}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _per_role(frame: pd.DataFrame, layers: list[dict], height: int, title: str) -> Figuur:
    """``layers`` drawn once per role, side by side (never pooled), from ``frame`` with the role's Dutch name."""
    rows = _records(frame.assign(rol_naam=[taxonomy().label("rol", code) for code in frame["rol"]]))
    body = {
        "facet": field("rol_naam", "nominal", title=None),
        "spec": {"layer": layers, "height": height, "width": 210},
        "columns": 3,
        "title": title,
    }
    return figuur(body, rows)


NEAR = 0.2  # points closer than this on both scales (1–5) overprint each other's number in a 210-pixel panel


def _labels(frame: pd.DataFrame) -> tuple[list[str | None], list[bool]]:
    """Per row: the label to draw there, and whether it names more than one expectation. Points of one role that
    (nearly) coincide share one label at the first of them, listing every number ('3, 6'), so no number is printed
    over another (a '3' over a '6' reads as an '8'); the others get none."""
    labels: list[str | None] = [None] * len(frame)
    groups: list[tuple[object, float, float, list[int]]] = []  # role, x, y, the rows at that place
    order = sorted(range(len(frame)), key=lambda i: frame["nummer"].iloc[i])
    for i in order:
        rol, x, y = frame["rol"].iloc[i], value(frame["haalbaarheid"].iloc[i]), value(frame["belang"].iloc[i])
        if x is None or y is None:  # no place on the map (a mean that is missing): no label either
            continue
        near = (g for g in groups if g[0] == rol and abs(g[1] - x) < NEAR and abs(g[2] - y) < NEAR)
        group = next(near, None)
        if group is None:
            groups.append((rol, x, y, [i]))
        else:
            group[3].append(i)
    shared = [False] * len(frame)
    for _rol, _x, _y, rows in groups:
        labels[rows[0]] = ", ".join(str(frame["nummer"].iloc[i]) for i in rows)
        shared[rows[0]] = len(rows) > 1
    return labels, shared


def expectation_matrix(per_role: pd.DataFrame, numbers: dict[str, int]) -> Figuur:
    """Importance × feasibility per expectation, one panel per role side by side (never pooled).
    Points carry the expectation's number (white, in the circle); where points coincide, one dark label beside
    them lists all their numbers ('3, 6'). The table next to the chart gives the text."""
    axes = {
        "x": field("haalbaarheid", "quantitative", title=t("verwachtingen.as_haalbaarheid"), scale=SCALE),
        "y": field("belang", "quantitative", title=t("verwachtingen.as_belang"), scale=SCALE),
    }
    colour = field("rol_naam", "nominal", title=t("verwachtingen.rol"), scale={"range": COLOURS})
    label = {"text": field("label", "nominal", title=t("verwachtingen.nummer")), **axes}
    layers = [
        # the guide line at 'haalbaar' is decoration: hidden from screen readers (it has no text of its own)
        {"mark": {"type": "rule", "color": "#888", "strokeDash": [4, 4], "aria": False},
         "encoding": {"x": {"datum": 3}}},
        {"mark": {"type": "circle", "opacity": 0.85, "size": 260}, "encoding": {"color": colour, **axes}},
        {"mark": {"type": "text", "color": "white", "fontSize": 11, "fontWeight": "bold"},
         "encoding": label, "transform": [{"filter": "isValid(datum.label) && !datum.gedeeld"}]},
        {"mark": {"type": "text", "align": "left", "color": "#222", "dx": 12, "fontSize": 11, "fontWeight": "bold"},
         "encoding": label, "transform": [{"filter": "isValid(datum.label) && datum.gedeeld"}]},
    ]  # fmt: skip
    frame = per_role.assign(nummer=[numbers[v] for v in per_role["verwachting_id"]])
    labels, shared = _labels(frame)
    frame = frame.assign(label=labels, gedeeld=shared)
    return _per_role(frame, layers, 210, t("verwachtingen.matrix_titel"))


def expectation_trend(over_time: pd.DataFrame, numbers: dict[str, int]) -> Figuur:
    """Mean feasibility per session date, one line per expectation, one panel per role."""
    import pandas as pd  # the caller has it already

    line = {
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": field("datum", "temporal", title=t("verwachtingen.as_sessie"),
                       axis={"format": "%d-%m-%Y", "labelAngle": -30}),
            "y": field("haalbaarheid", "quantitative", title=t("verwachtingen.as_haalbaarheid"), scale=SCALE),
            "color": field("nummer", "nominal", title=t("verwachtingen.nummer"), scale={"range": COLOURS}),
        },
    }  # fmt: skip
    frame = over_time.assign(
        nummer=[str(numbers.get(v, "?")) for v in over_time["verwachting_id"]],
        datum=pd.to_datetime(over_time["datum"]).dt.strftime("%Y-%m-%dT%H:%M:%S"),  # as Altair writes a datetime
    )
    return _per_role(frame, [line], 180, t("verwachtingen.verloop_titel"))
