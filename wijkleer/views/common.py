"""Building blocks every view shares: escaped HTML, headings, and the error box."""

from __future__ import annotations

import base64
import html
import os
from urllib.parse import parse_qs

import ipywidgets as widgets

from wijkleer.errors import WijkleerError
from wijkleer.text import t


def esc(value: object) -> str:
    """Every user or database string goes through this before it is put into HTML."""
    return html.escape(str(value), quote=True)


def heading(text: str, level: int = 2) -> widgets.HTML:
    return widgets.HTML(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str, css_class: str = "") -> widgets.HTML:
    attr = f' class="{esc(css_class)}"' if css_class else ""
    return widgets.HTML(f"<p{attr}>{esc(text)}</p>")


# hints that point at fields marked in a form: said only where a form marked at least one field
MARKED_HINTS = ("model.ongeldig_hint", "logboek.niet_opgeslagen_hint")


def error_html(error: WijkleerError, details: list[str] | tuple[str, ...] | None = None) -> str:
    """The message, any ``details`` and the 'Probeer: …' hint, announced to screen readers. A form passes as
    ``details`` its field messages it has no field for (maybe none); without ``details`` no field is marked. Where
    no field is marked, a hint about marked fields would send people looking for one: they get one that points at
    this message instead."""
    lines = "".join(f"<br>{esc(detail)}" for detail in details or ())
    marked = details is not None and len(details) < len(error.fields)
    shown = error.hint
    if error.fields and not marked and shown in {t(key) for key in MARKED_HINTS}:
        shown = t("app.niets_gemarkeerd_hint")
    hint = f"<br>{esc(t('app.probeer', hint=shown))}" if shown else ""
    return f'<div role="alert" class="wijkleer-fout"><strong>{esc(error.message)}</strong>{lines}{hint}</div>'


def error_box(error: WijkleerError) -> widgets.HTML:
    return widgets.HTML(error_html(error))


def success_html(text: str) -> str:
    """A confirmation that something was stored, announced politely to screen readers."""
    return f'<div role="status" class="wijkleer-gelukt">{esc(text)}</div>'


def forget_success(message: widgets.HTML, inputs: list[widgets.Widget]) -> None:
    """A success line ('Opgeslagen: …') is about what was saved, not about what is typed now: it goes as soon as
    the person changes one of ``inputs`` (a text field when it loses focus). Error lines stay until the next try."""

    def clear(_change: dict) -> None:
        if 'class="wijkleer-gelukt"' in message.value:
            message.value = ""

    for widget in inputs:
        widget.observe(clear, names="value")


SHOWN_PREFIX = "wijkleer-toont-"


def table_html(headers: list[str], rows: list[list[object]]) -> str:
    """A plain, escaped HTML table; numbers are right-aligned."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    return sideways(f'<table class="wijkleer-tabel"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def sideways(inner: str) -> str:
    """``inner`` (trusted HTML, e.g. a table) in a box of its own that scrolls sideways when it is wider than the
    screen (a phone), so the page itself never does. The box takes keyboard focus (arrow keys scroll it) and says
    what it is (WCAG 2.1.1)."""
    label = esc(t("app.tabel_opzij"))
    return f'<div class="wijkleer-opzij" tabindex="0" role="group" aria-label="{label}">{inner}</div>'


def table(headers: list[str], rows: list[list[object]]) -> widgets.HTML:
    """``table_html`` as a widget of its own."""
    return widgets.HTML(table_html(headers, rows))


def _cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="getal">{esc(value)}</td>'
    return f"<td>{esc(value)}</td>"


def mark_shown(box: widgets.DOMWidget, *choice: str) -> None:
    """Name on ``box`` what it shows now, as the class ``wijkleer-toont-<choice>``, set after each redraw: a browser
    (test) can wait for the new state instead of reading what was on screen before the kernel redrew."""
    for name in [c for c in box._dom_classes if c.startswith(SHOWN_PREFIX)]:
        box.remove_class(name)
    box.add_class(SHOWN_PREFIX + "-".join(choice))


def query_value(name: str) -> str | None:
    """A value from the page's URL (``?team=…``): Voilà gives the kernel the query string."""
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get(name)
    return values[0] if values else None


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """A download link that carries the file itself as a base64 ``data:`` URL: works offline in Voilà without a
    server route. Filename, type and label are escaped; style it with the class ``wijkleer-download``."""
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<a class="wijkleer-download" download="{esc(filename)}" href="{esc(href)}">{esc(label)}</a>'
