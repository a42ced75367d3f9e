"""The facilitator's control to group similar entries on the board: one entry heads the group, the others are drawn
under it, and the group gets the dots as one (``verloop.groeperen``). Undone while nobody voted on it."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from wijkleer.sessies import verloop
from wijkleer.store import Store, Zichtbaar
from wijkleer.text import t
from wijkleer.views import sessie_bord as bord
from wijkleer.views.common import esc, heading
from wijkleer.views.form import LABEL_STYLE, dropdown

Doen = Callable[[Callable[[], object]], None]  # the console's way to run an action and show its refusal


class Groeperen:
    def __init__(self, store: Store, begeleider, sessie_id: str, doen: Doen) -> None:
        self.store, self.begeleider, self.sessie_id, self.doen = store, begeleider, sessie_id, doen
        self.kop = dropdown(t("sessies.groep_hoofd"), [])
        self.leden = widgets.SelectMultiple(
            description=t("sessies.groep_erbij"),
            options=[],
            rows=5,
            style=LABEL_STYLE,
            layout=widgets.Layout(width="100%", max_width="48rem"),
        )
        maken = bord.knop(t("sessies.groeperen"), "object-group")
        opheffen = bord.knop(t("sessies.groep_opheffen"), "object-ungroup")
        maken.on_click(lambda _b: self.doen(self._group))
        opheffen.on_click(lambda _b: self.doen(self._ungroup))
        self.kop.observe(lambda _change: self._fill_members(), names="value")
        self.in_phase: list[Zichtbaar] = []
        uitleg = widgets.HTML(f'<p class="wijkleer-meta">{esc(t("sessies.groep_uitleg"))}</p>')
        self.box = widgets.VBox(
            [
                heading(t("sessies.groep_kop"), 4),
                uitleg,
                self.kop,
                self.leden,
                widgets.HBox([maken, opheffen], layout=widgets.Layout(flex_flow="row wrap")),
            ]
        )

    def refresh(self, in_phase: list[Zichtbaar]) -> None:
        """The entries of the phase on the board now; what was chosen stays chosen where it still exists."""
        if [(e.id, e.groep_id) for e in in_phase] == [(e.id, e.groep_id) for e in self.in_phase]:
            return
        self.in_phase = in_phase
        chosen = self.kop.value
        heads = bord.koppen(in_phase)
        self.kop.options = [(t("logboek.kies"), ""), *((bord.keuze_label(e), e.id) for e in heads)]
        self.kop.value = chosen if any(e.id == chosen for e in heads) else ""
        self._fill_members()

    def _fill_members(self) -> None:
        chosen = set(self.leden.value)
        others = [e for e in self.in_phase if e.id != self.kop.value and e.groep_id != self.kop.value]
        self.leden.options = [(bord.keuze_label(e), e.id) for e in others]
        self.leden.value = tuple(e.id for e in others if e.id in chosen)

    def _group(self) -> None:
        verloop.groeperen(self.store, self.begeleider, self.sessie_id, self.kop.value or "", list(self.leden.value))
        self.leden.value = ()

    def _ungroup(self) -> None:
        verloop.groep_opheffen(self.store, self.begeleider, self.sessie_id, self.kop.value or "")
