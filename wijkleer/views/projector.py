"""The projector screen: a page of its own that the facilitator opens from the console (``projector.ipynb?code=…
&scherm=…``) in a new window and drags to the projector. Large, for the back of the room: the join code, the join
link with its QR code (made here, offline, as inline SVG), how many joined and are ready, the phase with its timer,
and the spotlighted entry. What it shows comes from ``wijkleer.sessies.scherm``: only what every participant may
see."""

from __future__ import annotations

import os
from urllib.parse import urlencode, urlsplit, urlunsplit

import ipywidgets as widgets
import segno

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.sessies import scherm
from wijkleer.store import Store, open_store
from wijkleer.text import t
from wijkleer.views import sessie_bord as bord
from wijkleer.views.common import error_box, esc, paragraph, query_value

SESSIE_PAGINA = "wijkleer/sessie"  # wijkleer.web: no kernel per participant
VOILA_PAGES = "/voila/render/"
HUB_PAGINA = "sessie.ipynb"
STIJL = """<style>
.wijkleer-projector{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}
.wijkleer-projector p{font-size:1.6rem;line-height:1.3;margin:.3em 0}
.wijkleer-projector h2{font-size:2.6rem;line-height:1.15;margin:.2em 0}
.wijkleer-projector .wijkleer-projector-fase{flex:3 1 28rem;min-width:0}
.wijkleer-projector .wijkleer-projector-meedoen{flex:2 1 18rem;text-align:center}
.wijkleer-projector p.wijkleer-projector-code{font-size:4.5rem;line-height:1.1;font-weight:700;letter-spacing:.12em;
  margin:.1em 0 .3em}
.wijkleer-projector .wijkleer-projector-qr svg{width:100%;max-width:22rem;height:auto;background:#fff}
.wijkleer-projector p.wijkleer-projector-url{font-size:1.3rem;word-break:break-all}
.wijkleer-projector p.wijkleer-projector-binnen{font-size:2.4rem;font-weight:700;margin-top:1em}
.wijkleer-projector p.wijkleer-timer{font-size:4rem;line-height:1.1;font-weight:700;margin:.3em 0}
.wijkleer-projector p.wijkleer-timer-stil{font-size:2.4rem;font-weight:400}
.wijkleer-projector p.wijkleer-vraag{font-size:2rem}
</style>"""


def deelname_url(code: str, adres: str | None = None) -> str:
    """The participants' link for join code ``code``: the session page the server answers without a kernel
    (``wijkleer/sessie``, see ``wijkleer.web``) on the same server and under the same prefix as this page, built from
    its own address (``adres``; in Voilà the request URL it gives the kernel). Without an address (tests, a kernel
    started elsewhere): the link relative to a page in ``voila/render/``."""
    adres = adres if adres is not None else os.environ.get("VOILA_REQUEST_URL", "")
    query = urlencode({"code": code})
    # a hub user's own server runs Voilà as a server extension, without wijkleer's launcher: the Voilà page there
    page = f"{VOILA_PAGES.strip('/')}/{HUB_PAGINA}" if identiteit.hub_user() else SESSIE_PAGINA
    parts = urlsplit(adres)
    if not (parts.scheme in ("http", "https") and parts.netloc):
        return f"../../{page}?{query}"
    prefix = parts.path.split(VOILA_PAGES, 1)[0].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, f"{prefix}/{page}", query, ""))


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG, made offline; it holds only drawing paths (the URL is in the modules,
    never in the markup), scales with its box and stays readable on a dark theme (white background)."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff", svgclass="wijkleer-qr")


def meedoen_html(code: str, url: str) -> str:
    """The join block: code, QR code and link; all escaped, the QR code drawn from the link."""
    return (
        f'<div class="wijkleer-projector-meedoen"><h2>{esc(t("sessies.scherm_doe_mee"))}</h2>'
        f'<p class="wijkleer-projector-code" aria-label="{esc(t("sessies.code"))}">{esc(code)}</p>'
        f'<div class="wijkleer-projector-qr" role="img" aria-label="{esc(t("sessies.scherm_qr"))}">{qr_svg(url)}</div>'
        f'<p>{esc(t("sessies.scherm_scan"))}</p><p class="wijkleer-projector-url">{esc(url)}</p></div>'
    )


def stand_html(beeld: scherm.Beeld) -> str:
    """The phase, who joined and is ready, and the spotlighted entry."""
    binnen = t("sessies.scherm_binnen_een") if beeld.binnen == 1 else t("sessies.scherm_binnen", aantal=beeld.binnen)
    klaar = t("sessies.scherm_klaar", klaar=beeld.klaar, binnen=beeld.binnen) if beeld.binnen else ""
    nummer = t("sessies.fase_van", nummer=beeld.nummer, totaal=beeld.totaal)
    lit = bord.spotlight_html([beeld.uitgelicht], beeld.uitgelicht.id) if beeld.uitgelicht else ""
    return (
        f'<p class="wijkleer-fasenummer">{esc(nummer)}</p><h2>{esc(beeld.fase.titel)}</h2>'
        f'<p class="wijkleer-vraag">{esc(beeld.fase.vraag)}</p>'
        f'<p class="wijkleer-projector-binnen" aria-live="polite">{esc(binnen)}</p><p>{esc(klaar)}</p>{lit}'
    )


class Projector:
    def __init__(self, store: Store, code: str, sleutel: str) -> None:
        self.store = store
        self.sessie = scherm.sessie_van(store, code, sleutel)
        url = deelname_url(self.sessie.code)
        self.timer, self.stand = widgets.HTML(), widgets.HTML()
        self.meedoen = widgets.HTML(meedoen_html(self.sessie.code, url))
        fase = widgets.VBox([self.stand, self.timer], layout=widgets.Layout(flex="3 1 28rem", min_width="0"))
        fase.add_class("wijkleer-projector-fase")
        self.box = widgets.HBox([widgets.HTML(STIJL), fase, self.meedoen], layout=widgets.Layout(width="100%"))
        self.box.add_class("wijkleer-projector")
        self.volger: bord.Volger | None = None
        self.refresh()
        self.volger = bord.Volger(store, self.sessie.id, self.refresh, self.tick)

    def tick(self) -> None:
        self.timer.value = bord.timer_html(self.sessie)

    def refresh(self) -> None:
        beeld = scherm.beeld(self.store, self.sessie.id)
        self.sessie = beeld.sessie
        if self.sessie.status != "bezig":
            self.stand.value = f"<h2>{esc(t('sessies.scherm_afgerond'))}</h2>"
            self.meedoen.layout.display = "none"
            if self.volger:
                self.volger.stop()
        else:
            self.stand.value = stand_html(beeld)
        self.tick()


def app(store: Store | None = None, code: str | None = None, sleutel: str | None = None) -> widgets.Widget:
    """The projector screen of the session in the link (``?code=…&scherm=…``, made by the console)."""
    code, sleutel = code or query_value("code"), sleutel or query_value("scherm")
    if not code or not sleutel:
        return paragraph(t("sessies.scherm_zonder_link"))
    try:
        return Projector(store or open_store(), code, sleutel).box
    except WijkleerError as error:
        return error_box(error)
