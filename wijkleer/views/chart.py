"""Charts on a page without any outside request: rendered to SVG on the server (vl-convert), shown as
HTML. No CDN (closed networks), no JavaScript bundle per chart; vl-convert escapes every text it draws."""

from __future__ import annotations

import altair as alt
import ipywidgets as widgets
import vl_convert


def svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.to_dict())


def chart_widget(chart: alt.TopLevelMixin) -> widgets.HTML:
    return widgets.HTML(f'<figure class="wijkleer-grafiek" role="group">{svg(chart)}</figure>')
