"""The reflection workbook for students: sign in, write a reflection step by step following a model (ALACT,
Gibbs), save it as a draft and reopen it later, share one entry with the facilitator, and download the whole
portfolio (HTML, PDF). A facilitator also sees, read-only, what the participants of their kring shared.

The signed-in participant stays in Python (``self.person``) and goes into every save and read; the reflection
being edited is known by an id kept in Python too. Widget state only ever holds the viewer's own reflections
and, for a facilitator, the entries shared with them.
"""

from __future__ import annotations

import ipywidgets as widgets

from wijkleer import identiteit, reflectie
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Knelpunt, Kring, Reflectie, Sessie, new_id
from wijkleer.store import Store, open_store
from wijkleer.text import t
from wijkleer.views.aanmelden import Aanmelden
from wijkleer.views.common import download_link, error_box, error_html, esc, heading, paragraph, success_html
from wijkleer.views.form import Field, Form, dropdown, text

KNELPUNTEN_IN_LIJST = 30
NONE = ""


def _field_name(model: str, stap: str) -> str:
    return f"{model}.{stap}"


def _link_value(item: Reflectie) -> str:
    if item.sessie_id:
        return f"sessie:{item.sessie_id}"
    return f"knelpunt:{item.knelpunt_id}" if item.knelpunt_id else NONE


def link_options(store: Store, person: Deelnemer) -> list[tuple[str, str]]:
    """What a reflection can be about: the sessions of the person's kring and the knelpunten of that kring and
    its municipality (the newest first). Titles only; nothing about other people."""
    options = [(t("reflectie.geen_koppeling"), NONE)]
    for sessie in store.list(Sessie, kring_id=person.kring_id, order_by="datum", descending=True):
        label = t("reflectie.koppeling.sessie", titel=f"{sessie.titel} ({sessie.datum.strftime('%d-%m-%Y')})")
        options.append((label, f"sessie:{sessie.id}"))
    kring = store.list(Kring, id=person.kring_id)
    found = store.list(Knelpunt, kring_id=person.kring_id, order_by="datum", descending=True)
    if kring and kring[0].gemeente:
        found += store.list(Knelpunt, gemeente=kring[0].gemeente, order_by="datum", descending=True,
                            limit=KNELPUNTEN_IN_LIJST)  # fmt: skip
    seen: set[str] = set()
    for knelpunt in found:
        if knelpunt.id not in seen:
            seen.add(knelpunt.id)
            options.append((t("reflectie.koppeling.knelpunt", titel=knelpunt.titel), f"knelpunt:{knelpunt.id}"))
    return options


def _entry_html(store: Store, item: Reflectie, writer: str = "") -> str:
    """One reflection, read-only: header line and each step's title and text (all escaped)."""
    kop = t("reflectie.portfolio.kop", model=reflectie.model_naam(item.model), datum=reflectie.datum(item.bijgewerkt))
    meta = " · ".join(filter(None, (writer, reflectie.koppeling_titel(store, item))))
    steps = "".join(
        f'<dt>{esc(titel)}</dt><dd style="white-space:pre-wrap">{esc(tekst or t("reflectie.portfolio.leeg"))}</dd>'
        for titel, tekst in reflectie.stappen_van(item)
    )
    return f'<section class="wijkleer-reflectie"><h4>{esc(kop)}</h4><p>{esc(meta)}</p><dl>{steps}</dl></section>'


def _close(widget: widgets.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


class Reflectiewerkboek:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.person: Deelnemer | None = None
        self.aanmelden = Aanmelden(store, on_login=self._start)
        self.main = widgets.VBox([])
        self.box = widgets.VBox(
            [paragraph(t("reflectie.intro")), self.aanmelden.box, self.main], layout=widgets.Layout(max_width="64rem")
        )

    # -- after signing in ------------------------------------------------------------------------
    def _start(self, person: Deelnemer) -> None:
        """Build the page for ``person``; signing in again as someone else replaces all of it."""
        self.person = person
        for old in self.main.children:
            _close(old)  # the previous person's texts leave the browser too, not only the page
        self.main.children = []
        self.modellen = reflectie.modellen()
        self.current_id, self.current_model = new_id(), None
        self.form = self._form()
        self.status = widgets.HTML(paragraph(t("reflectie.nieuw_bezig")).value)
        new_button = widgets.Button(description=t("reflectie.nieuwe"), icon="")
        new_button.on_click(lambda _b: self._new())
        self.list_box, self.download_box, self.shared_box = widgets.VBox([]), widgets.HTML(""), widgets.VBox([])
        download = widgets.Button(description=t("reflectie.portfolio.knop"), icon="")
        download.on_click(lambda _b: self._download())
        parts = [heading(t("reflectie.schrijven"), 3), self.status, new_button, self.form.box,
                 heading(t("reflectie.mijn"), 3), self.list_box,
                 heading(t("reflectie.portfolio.kopje"), 3), paragraph(t("reflectie.portfolio.uitleg")), download,
                 self.download_box]  # fmt: skip
        if person.rol == identiteit.BEGELEIDER:
            parts += [heading(t("reflectie.gedeeld_kop"), 3), self.shared_box]
        self.main.children = parts
        self._show_model()
        self._refresh()

    def _form(self) -> Form:
        models = [(m.naam, m.code) for m in self.modellen.values()]
        self.model = Field("model", dropdown(t("reflectie.model"), models), t("reflectie.model_hulp"))
        self.link = Field("koppeling", dropdown(t("reflectie.koppeling.label"), link_options(self.store, self.person)),
                          t("reflectie.koppeling.hulp"))  # fmt: skip
        self.steps = {
            _field_name(m.code, s.code): Field(_field_name(m.code, s.code), text(s.titel, area=True), s.hulp)
            for m in self.modellen.values()
            for s in m.stappen
        }
        self.model.widget.observe(lambda _change: self._model_changed(), names="value")
        return Form([self.model, self.link, *self.steps.values()], t("reflectie.opslaan"), self._save)

    def _show_model(self) -> None:
        chosen = self.model.value
        for name, field in self.steps.items():
            field.box.layout.display = None if name.startswith(f"{chosen}.") else "none"

    def _model_changed(self) -> None:
        if self.current_model and self.model.value != self.current_model:
            # another model is another reflection: the saved one keeps its own steps
            self.current_id, self.current_model = new_id(), None
            self.status.value = paragraph(t("reflectie.ander_model")).value
        self._show_model()

    def _new(self) -> None:
        self.current_id, self.current_model = new_id(), None
        for field in self.steps.values():
            field.widget.value = ""
        self.link.widget.value = NONE
        self.form.clear_errors()
        self.status.value = paragraph(t("reflectie.nieuw_bezig")).value

    def _open(self, item: Reflectie) -> None:
        """Reopen one of your own reflections (``item`` came from ``store.reflecties`` for this person)."""
        self.current_id, self.current_model = item.id, None
        self.model.widget.value = item.model if item.model in self.modellen else self.model.value
        value = _link_value(item)
        if value not in [v for _label, v in self.link.widget.options]:
            title = reflectie.koppeling_titel(self.store, item)
            self.link.widget.options = [*self.link.widget.options, (title, value)]
        self.link.widget.value = value
        for name, field in self.steps.items():
            model, _, stap = name.partition(".")
            if model == item.model:
                field.widget.value = item.stappen.get(stap, "")
        self.current_model = item.model
        self.form.clear_errors()
        self.status.value = paragraph(t("reflectie.open_bezig", datum=reflectie.datum(item.bijgewerkt))).value

    def _save(self, values: dict) -> str:
        model = values["model"]
        prefix = f"{model}."
        stappen = {name.removeprefix(prefix): v for name, v in values.items() if name.startswith(prefix)}
        kind, _, ident = (values.get("koppeling") or "").partition(":")
        links = {"sessie_id": ident if kind == "sessie" else None, "knelpunt_id": ident if kind == "knelpunt" else None}
        try:
            saved = reflectie.opslaan(self.store, self.person, self.current_id, model, stappen, **links)
        except WijkleerError as error:
            fields = {("koppeling" if k in links else k if k == "model" else prefix + k): m
                      for k, m in error.fields.items()}  # fmt: skip
            raise WijkleerError(error.message, error.hint, fields) from None
        self.current_model = saved.model
        self.status.value = paragraph(t("reflectie.open_bezig", datum=reflectie.datum(saved.bijgewerkt))).value
        self._refresh()
        return t("reflectie.opgeslagen", tijd=saved.bijgewerkt.strftime("%H:%M"))

    # -- lists -------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        try:
            own = reflectie.mijn(self.store, self.person)
            shared = reflectie.gedeeld_in_kring(self.store, self.person) if self._begeleider() else []
        except WijkleerError as error:
            self.list_box.children = [error_box(error)]
            return
        self.list_box.children = [self._row(item) for item in own] or [paragraph(t("reflectie.geen"))]
        if self._begeleider():
            shown = [widgets.HTML(_entry_html(self.store, s.reflectie, s.schrijver)) for s in shared]
            self.shared_box.children = shown or [paragraph(t("reflectie.gedeeld_geen"))]

    def _begeleider(self) -> bool:
        return self.person is not None and self.person.rol == identiteit.BEGELEIDER

    def _row(self, item: Reflectie) -> widgets.Widget:
        filled = sum(1 for _titel, tekst in reflectie.stappen_van(item) if tekst)
        total = len(reflectie.stappen_van(item))
        about = reflectie.koppeling_titel(self.store, item)
        summary = t("reflectie.regel", model=reflectie.model_naam(item.model), datum=reflectie.datum(item.bijgewerkt),
                    ingevuld=filled, stappen=total)  # fmt: skip
        label = widgets.HTML(f"<strong>{esc(summary)}</strong>" + (f"<br>{esc(about)}" if about else ""))
        open_button = widgets.Button(description=t("reflectie.openen"), icon="")
        open_button.on_click(lambda _b, item=item: self._open(item))
        share = widgets.Checkbox(value=item.gedeeld, description=t("reflectie.delen"), indent=False)
        message = widgets.HTML("")
        share.observe(lambda change, ident=item.id: self._share(ident, change["new"], share, message), names="value")
        layout = widgets.Layout(align_items="center", gap="1rem", margin="0 0 0.5rem 0")
        return widgets.VBox([widgets.HBox([label, open_button, share], layout=layout), message])

    def _share(self, ident: str, value: bool, box: widgets.Checkbox, message: widgets.HTML) -> None:
        try:
            saved = reflectie.delen(self.store, self.person, ident, bool(value))
        except WijkleerError as error:
            message.value = error_html(error)
            return
        message.value = success_html(t("reflectie.gedeeld_ja" if saved.gedeeld else "reflectie.gedeeld_nee"))
        if box.value != saved.gedeeld:
            box.value = saved.gedeeld

    def _download(self) -> None:
        try:
            page = reflectie.portfolio_html(self.store, self.person).encode("utf-8")
            pdf = reflectie.portfolio_pdf(self.store, self.person)
        except WijkleerError as error:
            self.download_box.value = error_html(error)
            return
        stem = "portfolio-reflecties"
        self.download_box.value = (
            download_link(page, f"{stem}.html", "text/html", t("reflectie.portfolio.html"))
            + " "
            + download_link(pdf, f"{stem}.pdf", "application/pdf", t("reflectie.portfolio.pdf"))
        )


def app(store: Store | None = None) -> widgets.Widget:
    """The reflection workbook for the active database (``$WIJKLEER_DB``)."""
    try:
        return Reflectiewerkboek(store or open_store()).box
    except WijkleerError as error:
        return error_box(error)
