"""Signing in for personal work (reflections, exercises): group, name and personal code — or, under
JupyterHub, the hub's account. The signed-in participant lives in Python (``Aanmelden.deelnemer``); a view
passes it to every save, so nothing a browser changes in widget state can make someone else."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from wijkleer import identiteit
from wijkleer.model import Deelnemer, Kring
from wijkleer.store import Store
from wijkleer.text import t
from wijkleer.views.common import paragraph, query_value
from wijkleer.views.form import LABEL_STYLE, Field, Form, dropdown, text


class Aanmelden:
    """The sign-in form; ``on_login(deelnemer)`` runs after a successful sign-in."""

    def __init__(self, store: Store, on_login: Callable[[Deelnemer], None]) -> None:
        self.store, self.on_login = store, on_login
        self.deelnemer: Deelnemer | None = None
        kringen = store.list(Kring, order_by="naam")
        chosen = query_value("kring")
        options = [(t("logboek.kies"), ""), *((k.naam, k.id) for k in kringen)]
        self.kring = Field("kring_id", dropdown(t("identiteit.kring"), options,
                                                chosen if any(k.id == chosen for k in kringen) else None))  # fmt: skip
        fields = [self.kring]
        hub = identiteit.hub_user()
        if hub:
            intro = paragraph(t("identiteit.hub", naam=hub))
        else:
            intro = paragraph(t("identiteit.code_hulp"))
            self.naam = Field("naam", text(t("identiteit.naam")))
            code = widgets.Password(description=t("identiteit.code"), style=LABEL_STYLE,
                                    layout=widgets.Layout(width="100%", max_width="32rem"))  # fmt: skip
            self.code = Field("code", code)
            fields += [self.naam, self.code]
        self.form = Form(fields, t("identiteit.aanmelden"), self._sign_in)
        self.status = widgets.HTML()
        self.box = widgets.VBox([intro, self.form.box] if kringen else [paragraph(t("identiteit.geen_kring"))])

    def _sign_in(self, values: dict) -> str:
        person = identiteit.aanmelden(self.store, values["kring_id"], values.get("naam") or "", values.get("code"))
        self.deelnemer = person
        if "code" in self.form.fields:
            self.code.widget.value = ""  # the code does not stay on the page
        kring = self.store.get(Kring, person.kring_id)
        self.on_login(person)
        return t("identiteit.aangemeld", naam=person.naam, kring=kring.naam)
