"""Form building blocks: a labelled field with help text and its own error line, and a form that
shows a WijkleerError's per-field messages next to the fields while keeping what was typed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as widgets

from wijkleer.errors import WijkleerError
from wijkleer.text import t
from wijkleer.views.common import error_html, esc, success_html

log = logging.getLogger(__name__)

DOUBLE_CLICK_SECONDS = 3.0
LABEL_STYLE = {"description_width": "13rem"}
AREA_ROWS = 6  # a text area's height in lines: it grows with its label above it on a phone (no fixed height)


def _wide() -> widgets.Layout:
    """A fresh layout per widget: a shared Layout object would make every widget change together."""
    return widgets.Layout(width="100%", max_width="48rem")


def _short() -> widgets.Layout:
    """For a date or a number: room for the label and the whole value (a day, month and year), no wider."""
    return widgets.Layout(width="100%", max_width="26rem")


class Field:
    """One input: the widget (its ``description`` is the label, linked to the input), help text
    under it, and an error line that screen readers announce."""

    def __init__(self, name: str, widget: widgets.Widget, help: str = "") -> None:
        self.name = name
        self.widget = widget
        self.help = widgets.HTML(f'<div class="wijkleer-hulp">{esc(help)}</div>' if help else "")
        self.error = widgets.HTML("")
        self.box = widgets.VBox([widget, self.help, self.error], layout=widgets.Layout(margin="0 0 0.6rem 0"))

    @property
    def value(self) -> Any:
        return self.widget.value

    def show_error(self, message: str | None) -> None:
        self.error.value = f'<div class="wijkleer-veldfout" role="alert">{esc(message)}</div>' if message else ""


class Choices:
    """A group of checkboxes for a multiple choice (laws, leefgebieden): readable and keyboard-friendly.
    ``per_line`` puts each option on a line of its own, for options that are whole sentences."""

    def __init__(
        self, name: str, label: str, options: list[tuple[str, str]], help: str = "", per_line: bool = False
    ) -> None:
        self.name = name
        width = "100%" if per_line else "auto"
        self.boxes = {
            code: widgets.Checkbox(description=text, value=False, indent=False, layout=widgets.Layout(width=width))
            for text, code in options
        }
        title = widgets.HTML(f'<div class="wijkleer-groepkop">{esc(label)}</div>')
        if per_line:
            group = widgets.VBox(list(self.boxes.values()), layout=widgets.Layout(max_width="48rem"))
        else:
            group = widgets.GridBox(
                list(self.boxes.values()),
                layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(14rem, 1fr))", max_width="48rem"),
            )
        self.field = Field(name, widgets.VBox([title, group]), help)

    @property
    def value(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.value]

    @value.setter
    def value(self, codes: object) -> None:
        """Tick exactly ``codes`` (a list of option codes; anything else ticks nothing)."""
        chosen = set(codes) if isinstance(codes, list) else set()
        for code, box in self.boxes.items():
            box.value = code in chosen

    def clear(self) -> None:
        self.value = []


def text(label: str, placeholder: str = "", area: bool = False) -> widgets.Widget:
    kind = widgets.Textarea if area else widgets.Text
    widget = kind(
        description=label, placeholder=placeholder, style=LABEL_STYLE, layout=_wide(), continuous_update=False
    )
    if area:
        widget.rows = AREA_ROWS
    return widget


def dropdown(label: str, options: list[tuple[str, Any]], value: Any = None) -> widgets.Dropdown:
    """A labelled list; without ``value`` the first option (e.g. '– kies –') is shown."""
    if value is None and options:
        value = options[0][1]
    return widgets.Dropdown(description=label, options=options, value=value, style=LABEL_STYLE, layout=_wide())


def date_picker(label: str, value: date | None = None) -> widgets.DatePicker:
    """A labelled date field that shows the whole date (ipywidgets' default width hides the year)."""
    return widgets.DatePicker(description=label, value=value, style=LABEL_STYLE, layout=_short())


def number(label: str, value: int = 0) -> widgets.IntText:
    """A labelled field for a whole number."""
    return widgets.IntText(description=label, value=value, style=LABEL_STYLE, layout=_short())


class Form:
    """Fields plus a submit button and a message line. ``on_submit(values)`` may raise WijkleerError:
    its field messages appear next to the fields, its message above the button, nothing typed is lost. Any other
    exception (a bug) is logged and shown as one plain sentence, the form kept as it was."""

    def __init__(self, fields: list[Field | Choices], submit_label: str, on_submit: Callable[[dict], str]) -> None:
        self.fields = {f.name: f for f in fields}
        self.button = widgets.Button(description=submit_label, button_style="primary", icon="")
        self.message = widgets.HTML("")
        self.on_submit = on_submit
        self._saved: tuple[float, dict[str, Any]] = (float("-inf"), {})
        self.button.on_click(lambda _button: self.submit())
        boxes = [self._field(f.name).box for f in fields]
        self.box = widgets.VBox([*boxes, self.button, self.message])

    def values(self) -> dict[str, Any]:
        return {name: f.value for name, f in self.fields.items()}

    def _field(self, name: str) -> Field:
        f = self.fields[name]
        return f.field if isinstance(f, Choices) else f

    def show_errors(self, error: WijkleerError) -> None:
        for name in self.fields:
            self._field(name).show_error(error.fields.get(name))
        unplaced = [m for n, m in error.fields.items() if n not in self.fields]
        self.message.value = error_html(error, unplaced)

    def clear_errors(self) -> None:
        for name in self.fields:
            self._field(name).show_error(None)
        self.message.value = ""

    def submit(self, handler: Callable[[dict], str] | None = None) -> None:
        """Run ``handler`` (default: the form's own) on the values; a second button can pass its own."""
        values = self.values()
        if self._echo_of_last_save(values):
            return  # the second click of a double click, on the form emptied by the first: not an error
        self.button.disabled = True  # one submit at a time; the id makes a repeat harmless anyway
        try:
            done = (handler or self.on_submit)(values)
        except WijkleerError as error:
            self.show_errors(error)
        except Exception:  # a bug: the details go to the server's log, the person gets a sentence and keeps the form
            log.exception("onverwachte fout bij het opslaan van een formulier")
            self.show_errors(WijkleerError(t("app.onverwacht"), t("app.onverwacht_hint")))
        else:
            self.clear_errors()
            self.message.value = success_html(done)
            self._saved = (time.monotonic(), self.values())
        finally:
            self.button.disabled = False

    def _echo_of_last_save(self, values: dict[str, Any]) -> bool:
        saved_at, emptied = self._saved
        return time.monotonic() - saved_at < DOUBLE_CLICK_SECONDS and values == emptied
