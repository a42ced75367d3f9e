"""Charts on a page without any outside request, drawn in the browser by Vega from a bundle this package makes
offline (vl-convert), never from a CDN (closed networks).

The kernel only sends the chart's specification with its aggregated rows: a few kB, a millisecond or two, so a
filter change redraws at once. The Vega bundle (~0.9 MB) goes to the page once, in one ``VegaLader`` widget;
every ``Grafiek`` waits for it. The bundle is made once per vl-convert version and kept in the user's cache
folder (``wijkleer serve`` makes it before the first tab opens), so no kernel starts vl-convert's JavaScript
engine just to show a chart. Files for reports (SVG, PNG) are rendered on the server: ``wijkleer.rapport``.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import anywidget
import traitlets

from wijkleer.paths import cached
from wijkleer.text import t

log = logging.getLogger(__name__)

_DRAW = """
const LOCALE = { decimal: ",", thousands: ".", grouping: [3], currency: ["\u20ac\u00a0", ""] };  // nl-NL

// Vega tells screen readers about titles, axes and legends in English ('Title text …', 'X-axis titled …'): those
// stay silent. The figure's Dutch label names the chart, every mark says its own values (Dutch field titles), and
// the table next to the chart holds them all.
function quietGuides(scope) {
  if (typeof scope.title === "string") scope.title = { text: scope.title };
  if (scope.title && typeof scope.title === "object") scope.title.aria = false;
  for (const guide of [...(scope.axes || []), ...(scope.legends || [])]) guide.aria = false;
  for (const mark of scope.marks || []) if (mark.type === "group") quietGuides(mark);
  return scope;
}

async function vegaReady() {
  for (let waited = 0; !window.vegaEmbed; waited += 25) {
    if (waited > 20000) throw new Error("Vega bundle did not arrive");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return window.vegaEmbed;
}

export default {
  async render({ model, el }) {
    const figure = document.createElement("figure");
    figure.className = "wijkleer-grafiek";
    figure.setAttribute("role", "group");
    const target = document.createElement("div");  // vega-embed sets its own role and label on its target
    figure.appendChild(target);
    el.appendChild(figure);
    let shown = null;
    let turn = 0;
    const draw = async () => {
      const mine = ++turn;
      figure.setAttribute("aria-label", model.get("label"));
      const spec = model.get("spec");
      try {
        const embed = await vegaReady();
        if (mine !== turn) return;  // a newer specification arrived while waiting
        if (!spec || !Object.keys(spec).length) {
          if (shown) shown.finalize();
          shown = null;
          target.replaceChildren();
          return;
        }
        const options = { renderer: "svg", actions: false, formatLocale: LOCALE, patch: quietGuides };
        const drawn = await embed(target, { description: model.get("label"), ...spec }, options);
        if (mine !== turn) { drawn.finalize(); return; }  // overtaken while drawing: the newer one stays
        if (shown && shown !== drawn) shown.finalize();
        shown = drawn;
      } catch (error) {
        if (mine !== turn) return;
        const note = document.createElement("p");
        note.className = "wijkleer-fout";
        note.textContent = model.get("failed");
        target.replaceChildren(note);
      }
    };
    model.on("change:spec", draw);
    await draw();
    return () => {
      turn++;
      model.off("change:spec", draw);
      if (shown) shown.finalize();
    };
  },
};
"""

# The bundle runs once the page is idle (its ~0.1 s of parsing would otherwise hold up the filters and buttons
# appearing); every chart waits for it.
_LOAD = """
export default {
  async render({ model, el }) {
    el.hidden = true;
    if (window.vegaEmbed || window.wijkleerVegaLaden) return;  // one page, one bundle
    window.wijkleerVegaLaden = true;
    await new Promise((go) => window.requestIdleCallback ? requestIdleCallback(go, { timeout: 1000 }) : setTimeout(go));
    const url = URL.createObjectURL(new Blob([model.get("bundel")], { type: "text/javascript" }));
    try {
      await import(url);  // sets window.vegaEmbed
    } finally {
      URL.revokeObjectURL(url);
    }
  },
};
"""


def make_bundle() -> Path:
    """The Vega bundle's file, made when missing (Vega, Vega-Lite and vega-embed as window globals)."""

    def make() -> str:
        import vl_convert

        return vl_convert.javascript_bundle()

    return cached(f"vega-{version('vl-convert-python')}.js", make)


@cache
def _bundle() -> str:
    """The bundle's text; empty when it can be neither found nor made (then each chart says so after a while,
    and its table still shows the figures)."""
    try:
        return make_bundle().read_text(encoding="utf-8")
    except OSError:
        log.exception("Vega-bundel niet beschikbaar")
        return ""


class VegaLader(anywidget.AnyWidget):
    """Brings the Vega bundle to the page once; invisible."""

    _esm = traitlets.Unicode(_LOAD).tag(sync=True)
    bundel = traitlets.Unicode().tag(sync=True)

    def __init__(self) -> None:
        super().__init__(bundel=_bundle())


class Grafiek(anywidget.AnyWidget):
    """One chart: a Vega-Lite specification (data inline), drawn as SVG in the browser; ``label`` names it for
    screen readers. Change ``spec`` to redraw in place."""

    _esm = traitlets.Unicode(_DRAW).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    failed = traitlets.Unicode().tag(sync=True)  # said in place of the chart if it cannot be drawn

    @traitlets.default("failed")
    def _failed(self) -> str:
        return t("app.grafiek_niet_getekend")


class Chart(Protocol):
    """A chart of ``wijkleer.charts``: a ``Figuur`` or an Altair chart."""

    def to_dict(self, validate: bool = ...) -> dict[str, Any]: ...


def spec_of(chart: Chart) -> dict:
    # charts are built by wijkleer.charts from checked code, not typed by users: skip Altair's schema validation
    return chart.to_dict(validate=False)


def chart_widget(chart: Chart, label: str = "") -> Grafiek:
    return Grafiek(spec=spec_of(chart), label=label)


def ensure_loader(place) -> None:
    """Put the bundle on the page (in ``place``, an empty Box in the view) before the view's first chart."""
    if not place.children:
        place.children = (VegaLader(),)
