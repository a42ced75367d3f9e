"""Reading what a widget tree shows, without a browser."""

import ipywidgets as widgets


def html_of(widget: widgets.Widget) -> str:
    """All HTML the widget and its children put on the page, in order."""
    if isinstance(widget, widgets.HTML):
        return widget.value
    return "".join(html_of(child) for child in getattr(widget, "children", ()))
