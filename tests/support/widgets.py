"""Reading what a widget tree shows, without a browser."""

import ipywidgets as widgets


def html_of(widget: widgets.Widget) -> str:
    """All HTML the widget and its children put on the page, in order."""
    if isinstance(widget, widgets.HTML):
        return widget.value
    return "".join(html_of(child) for child in getattr(widget, "children", ()))


def buttons_of(widget: widgets.Widget) -> list[str]:
    """The words on every visible button in the widget tree (shown as text by the browser, never as HTML)."""
    if isinstance(widget, widgets.Button):
        return [widget.description] if widget.layout.display != "none" else []
    if getattr(widget, "layout", None) is not None and widget.layout.display == "none":
        return []
    return [text for child in getattr(widget, "children", ()) for text in buttons_of(child)]


def chart_specs(widget: widgets.Widget) -> list[dict]:
    """The Vega-Lite specifications of every chart the widget tree draws (``wijkleer.views.chart.Grafiek``)."""
    from wijkleer.views.chart import Grafiek

    if isinstance(widget, Grafiek):
        return [widget.spec]
    return [spec for child in getattr(widget, "children", ()) for spec in chart_specs(child)]
