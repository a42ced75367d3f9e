"""The start page: what wijkleer is, links to every workbook, and what the database holds. Which database and its
schema version are for the beheerder (``wijkleer info``), not for the people using the workbooks."""

from __future__ import annotations

import ipywidgets as widgets

from wijkleer.errors import WijkleerError
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t
from wijkleer.views.common import error_box, esc, heading, paragraph
from wijkleer.workbooks.catalog import workbooks


def _role(code: str) -> str:
    """The audience as people say it ('Uitvoering'); a free text stays as written."""
    return taxonomy().label("rol", code) if code in taxonomy().codes("rol") else code


def _links() -> widgets.Widget:
    found = workbooks()
    if not found:
        return paragraph(t("start.geen_werkboeken"))
    items = "".join(
        f'<li><a href="{esc(w.file)}"><strong>{esc(w.titel)}</strong></a> — {esc(w.beschrijving)}'
        + (f" <em>({esc(t('start.voor', doelgroep=_role(w.voor)))})</em>" if w.voor else "")
        + "</li>"
        for w in found
    )
    return widgets.HTML(f'<ul class="wijkleer-werkboeken">{items}</ul>')


def _database() -> widgets.Widget:
    from wijkleer.store import open_store

    try:
        with open_store() as store:
            info = store.info()
    except WijkleerError as error:
        return error_box(error)
    counts = info["tellingen"]
    if counts["knelpunt"] or counts["kring"]:
        line = t("start.inhoud", knelpunten=counts["knelpunt"], teams=counts["team"], kringen=counts["kring"])
    else:
        line = t("start.leeg")
    return widgets.HTML(f"<p>{esc(line)}</p>")


def app() -> widgets.Widget:
    return widgets.VBox(
        [
            paragraph(t("app.onderschrift"), "wijkleer-onderschrift"),
            paragraph(t("start.intro")),
            heading(t("start.werkboeken")),
            _links(),
            heading(t("start.database_kop")),
            _database(),
        ],
        layout=widgets.Layout(max_width="60rem"),
    )
