"""Beleidsoverzicht: what practice signals across teams and municipalities, and how well the loop works —
for policy staff, only as protected aggregates (``wijkleer.overzicht``). Filters re-aggregate in memory; only
the open tab is redrawn, the others when they are opened. Every chart has its table next to it."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets
import pandas as pd

from wijkleer import charts, overzicht
from wijkleer.errors import WijkleerError
from wijkleer.overzicht import Filter, Gegevens
from wijkleer.privacy import disclosure
from wijkleer.rapport import MARKER, PERCENT_SUFFIX, Tabel
from wijkleer.store import Store, open_store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import decimaal, t
from wijkleer.views.common import error_box, error_html, esc, paragraph, query_value

ALL = ""  # the value of 'Alle …' in a filter list
DIMENSIONS = ("categorie", "wet", "leefgebied", "ernst", "bron", "gemeente", "wijk", "team", "status")
TABS = ("overzicht", "knelpunten", "trend", "themas", "lus", "verwachtingen", "downloaden")
COUNT_COLUMN, LATE_COLUMN = t("overzicht.kolom.knelpunten"), t("overzicht.kolom.te_laat_antwoord")
TREND_LINES = 4  # the trend chart draws the total and the largest categories; the table has them all


def number(value: object, share: bool = False) -> str:
    """A cell as Dutch text: 1.234 and 4,5; shares as whole percentages; a hidden cell as the marker."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MARKER
    if share:
        return f"{round(float(value) * 100)}%"
    if isinstance(value, numbers.Real) and not float(value).is_integer():
        return decimaal(value)
    if isinstance(value, numbers.Real):  # numpy's integers too
        return f"{int(value):,}".replace(",", ".")
    return str(value)


def table_html(tabel: Tabel) -> str:
    """A protected table as accessible HTML: header cells with scope, the marker explained for screen readers."""
    frame = tabel.frame
    head = f'<th scope="col">{esc(frame.index.name or "")}</th>' + "".join(
        f'<th scope="col">{esc(c)}</th>' for c in frame.columns
    )
    shares = [str(c).endswith(PERCENT_SUFFIX) for c in frame.columns]
    rows = []
    for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = "".join(_cell(value, share) for value, share in zip(values, shares, strict=True))
        rows.append(f'<tr><th scope="row">{esc(label)}</th>{cells}</tr>')
    note = f'<p class="wijkleer-toelichting">{esc(tabel.toelichting)}</p>' if tabel.toelichting else ""
    return (
        f'<table class="wijkleer-tabel"><caption>{esc(tabel.naam)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def _cell(value: object, share: bool) -> str:
    shown = number(value, share)
    if shown == MARKER:
        return f'<td class="getal afgeschermd" title="{esc(t("rapport.legenda_tekst", marker=MARKER))}">{MARKER}</td>'
    numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return f'<td class="getal">{esc(shown)}</td>' if numeric else f"<td>{esc(shown)}</td>"


class Dashboard:
    """The policy overview page: filters, a headline, and one tab per question."""

    def __init__(
        self, store: Store, today: date | None = None, rule: disclosure.Rule | None = None, data: Gegevens | None = None
    ) -> None:
        self.store, self.rule = store, rule or disclosure.rule()
        self.data = data or Gegevens.load(store, today)
        self.shown: dict[str, list[tuple[Tabel, object | None]]] = {}
        self.figures: dict[tuple[str, int], object] = {}
        self.narrowing = False
        self.filters = self._filters()
        self.headline = widgets.HTML()
        self.boxes = {name: widgets.VBox([]) for name in TABS}
        self.dimension = widgets.Dropdown(
            description=t("overzicht.toon_als"),
            options=[(t(f"overzicht.dimensie.{d}"), d) for d in DIMENSIONS],
            value="categorie",
            style={"description_width": "initial"},
        )
        self.dimension.observe(self._dimension_changed, names="value")
        self.tabs = widgets.Tab(children=[self.boxes[name] for name in TABS],
                                titles=[t(f"overzicht.tab.{name}") for name in TABS])  # fmt: skip
        self.tabs.observe(lambda _c: self._draw_open(), names="selected_index")
        for widget in self.filters.values():
            widget.observe(self._filter_changed, names="value")
        intro = paragraph(t("overzicht.intro", k=self.rule.k, teken=MARKER))
        bar = widgets.HBox(list(self.filters.values()), layout=widgets.Layout(flex_flow="row wrap", gap="0.5rem"))
        from wijkleer.views.chart import VegaLader

        self.box = widgets.VBox([intro, bar, self.headline, self.tabs, VegaLader()],
                                layout=widgets.Layout(max_width="72rem"))  # fmt: skip
        self.selection = self._selection()
        self.stale = set(TABS)
        self._refresh()

    # -- filters ---------------------------------------------------------------------------------------
    def _filters(self) -> dict[str, widgets.Dropdown]:
        # the lists come from the teams and the taxonomy, not from the knelpunten: a choice never tells that a
        # category or municipality has a few knelpunten (a selection under k then shows nothing at all)
        regions, gemeenten = sorted(set(self.data.regio_of.values())), sorted(self.data.regio_of)
        blocks = overzicht.periodes(self.data.quarters())
        chosen_gemeente = query_value("gemeente")
        lists = {
            "regio": [(t("overzicht.alle_regios"), ALL), *((r, r) for r in regions)],
            "gemeente": [(t("overzicht.alle_gemeenten"), ALL), *((g, g) for g in gemeenten)],
            "categorie": [(t("overzicht.alle_categorieen"), ALL),
                          *sorted((overzicht.label("categorie", c), c) for c in taxonomy().codes("categorie"))],
            # fixed blocks, no free range: every other range would be one more equation to average noise away
            "periode": [(overzicht.periode_label(block), ALL if block.soort == "alles" else block.kwartalen)
                        for block in blocks] or [(t("overzicht.periode_alles"), ALL)],
        }  # fmt: skip
        return {
            name: widgets.Dropdown(
                description=t(f"overzicht.filter_{name}"),
                options=options,
                value=chosen_gemeente if name == "gemeente" and chosen_gemeente in dict(options).values() else ALL,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            for name, options in lists.items()
        }

    def _selection(self) -> Filter:
        value = {name: (None if widget.value == ALL else widget.value) for name, widget in self.filters.items()}
        van, tot = value.pop("periode") or (None, None)
        return Filter(**value, van=van, tot=tot)

    def _filter_changed(self, change) -> None:
        if self.narrowing:  # the gemeente list is being replaced: one refresh, after it
            return
        if change["owner"] is self.filters["regio"]:
            self._limit_gemeenten()
        self.selection = self._selection()
        self.stale = set(TABS)
        self._refresh()

    def _limit_gemeenten(self) -> None:
        regio = self.filters["regio"].value
        names = sorted(g for g, r in self.data.regio_of.items() if regio in (ALL, r))
        widget = self.filters["gemeente"]
        keep = widget.value if widget.value in names else ALL
        self.narrowing = True
        try:
            widget.options = [(t("overzicht.alle_gemeenten"), ALL), *((g, g) for g in names)]
            widget.value = keep
        finally:
            self.narrowing = False

    def _dimension_changed(self, _change) -> None:
        self.stale.add("downloaden")  # its files follow what the tabs show
        self._draw("knelpunten")

    def _filter_lines(self) -> list[tuple[str, str]]:
        """The filters as the figures were made (not as a refused period in the lists says)."""
        chosen = self.selection
        every = {
            "regio": "overzicht.alle_regios",
            "gemeente": "overzicht.alle_gemeenten",
            "categorie": "overzicht.alle_categorieen",
        }
        lines = []
        for name, key in every.items():
            value = getattr(chosen, name)
            lines.append((t(f"overzicht.filter_{name}"), t(key) if value is None else overzicht.label(name, value)))
        lines.append((t("overzicht.filter_periode"), overzicht.periode_label(overzicht.periode(chosen))))
        return [*lines, (t("overzicht.toon_als"), self.dimension.label)]  # fmt: skip

    # -- drawing ---------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        head = overzicht.kop(self.data, self.selection, self.rule)
        # under k (or nothing at all) the headline says so and every tab says the same, showing nothing else
        self.closed = None
        if not len(self.data):
            self.closed = t("overzicht.leeg")
        elif head.knelpunten is None:
            self.closed = t("overzicht.kop_afgeschermd", k=self.rule.k)
        if self.closed is not None:
            self.headline.value = f'<p class="wijkleer-kop">{esc(self.closed)}</p>'
        else:
            text = t("overzicht.kop", knelpunten=number(head.knelpunten), casussen=number(head.casussen))
            self.headline.value = f'<p class="wijkleer-kop" role="status">{esc(text)}</p>'
        self._draw_open()

    def _draw_open(self) -> None:
        name = TABS[self.tabs.selected_index or 0]
        if name in self.stale:
            self._draw(name)

    def _draw(self, name: str) -> None:
        self.stale.discard(name)
        self.shown[name] = []  # the tables (and charts) this tab shows, for the downloads
        if self.closed is not None and name != "downloaden":  # under k: not even which teams or values occur
            self.boxes[name].children = [paragraph(self.closed)]
            return
        try:
            self.boxes[name].children = getattr(self, f"_tab_{name}")()
        except WijkleerError as error:
            self.boxes[name].children = [error_box(error)]

    def _section(self, name: str, tabel: Tabel, chart_of: Callable[[pd.DataFrame, str], object] | None) -> list:
        """One table with its chart (drawn from the same protected figures) and the table as alternative."""
        from wijkleer.views.chart import Grafiek, spec_of

        body = tabel.frame.drop(index=t("overzicht.totaal"), errors="ignore")
        chart = chart_of(body, tabel.naam) if chart_of is not None and body.notna().any().any() else None
        if chart is not None and not _drawable(spec_of(chart)):
            chart = None  # every value it would draw is afgeschermd: no empty chart with a lone '0' axis
        slot = len(self.shown[name])
        self.shown[name].append((tabel, chart))
        if body.empty:  # e.g. no theme reaches k: say so, no empty table
            note = f"<p>{esc(t('overzicht.niets_te_tonen', k=self.rule.k))}</p>"
            extra = f'<p class="wijkleer-toelichting">{esc(tabel.toelichting)}</p>' if tabel.toelichting else ""
            return [widgets.HTML(note + extra)]
        if chart is None:
            note = f"<p>{esc(t('overzicht.geen_grafiek', k=self.rule.k))}</p>"
            return [widgets.HTML(note + table_html(tabel))]
        # one chart widget per place on the page, kept: a filter change sends only the new specification
        figure = self.figures.get((name, slot))
        if figure is None:
            figure = self.figures[(name, slot)] = Grafiek()
        figure.label, figure.spec = tabel.naam, spec_of(chart)
        details = f"<details><summary>{esc(t('overzicht.tabel_tonen'))}</summary>{table_html(tabel)}</details>"
        return [figure, widgets.HTML(details)]

    @staticmethod
    def _bars(column: str, value_title: str | None = None) -> Callable[[pd.DataFrame, str], object]:
        """A bar chart of one column of a table's body, titled like the table."""
        return lambda body, title: charts.bars(body[[column]], title, value_title or column)

    def _tab_overzicht(self) -> list:
        per_category = overzicht.per_dimensie(self.data, self.selection, "categorie", self.rule)
        loop = overzicht.lus(self.data, self.selection, self.rule)
        return [
            widgets.HTML(self._answer(per_category, loop)),
            *self._section("overzicht", per_category, self._bars(COUNT_COLUMN)),
            *self._section("overzicht", loop, self._bars(LATE_COLUMN)),
        ]

    def _answer(self, per_category: Tabel, loop: Tabel) -> str:
        k = self.rule.k
        counts = per_category.frame.drop(index=t("overzicht.totaal"), errors="ignore").iloc[:, 0].dropna()
        late = loop.frame[t("overzicht.kolom.te_laat_antwoord")].dropna()
        late = late[late > 0]
        lines = [
            t("overzicht.meest_gemeld", categorie=counts.index[0], knelpunten=number(counts.iloc[0]))
            if len(counts) else t("overzicht.niets_gemeld", k=k),
            t("overzicht.meest_te_laat", afdeling=late.idxmax(), knelpunten=number(late.max()))
            if len(late) else t("overzicht.niets_te_laat", k=k),
        ]  # fmt: skip
        items = "".join(f"<li>{esc(line)}</li>" for line in lines)
        title = esc(t("overzicht.antwoord_vraag"))
        return f'<section aria-label="{title}"><h3>{title}</h3><ul>{items}</ul></section>'

    def _tab_knelpunten(self) -> list:
        tabel = overzicht.per_dimensie(self.data, self.selection, self.dimension.value, self.rule)
        return [self.dimension, *self._section("knelpunten", tabel, self._bars(COUNT_COLUMN))]

    def _tab_trend(self) -> list:
        tabel = overzicht.trend(self.data, self.selection, self.rule)
        return self._section("trend", tabel, self._trend_lines)

    def _trend_lines(self, body: pd.DataFrame, title: str):
        total = t("overzicht.totaal")
        series = body.drop(columns=[total], errors="ignore")
        drawn = series.loc[:, (series.fillna(0) > 0).any()]  # a series that is all hidden or zero draws nothing
        largest = drawn.sum(skipna=True).sort_values(ascending=False).index[: TREND_LINES - 1]
        chosen = [total] if total in body.columns else []
        return charts.lines(body[chosen + list(largest)], title, COUNT_COLUMN)

    def _tab_themas(self) -> list:
        tabel = overzicht.themas(self.store, self.data, self.selection, self.rule)
        return self._section("themas", tabel, self._bars(COUNT_COLUMN))

    def _tab_lus(self) -> list:
        late = self._bars(LATE_COLUMN)
        by_department = overzicht.lus(self.data, self.selection, self.rule)
        by_gemeente = overzicht.lus(self.data, self.selection, self.rule, by="gemeente")
        return [*self._section("lus", by_department, late), *self._section("lus", by_gemeente, late)]

    def _tab_verwachtingen(self) -> list:
        tabel = overzicht.verwachtingen(self.store, self.data, self.selection, self.rule)
        return self._section("verwachtingen", tabel, self._bars(t("overzicht.kolom.kloof")))

    def _tab_downloaden(self) -> list:
        make = widgets.Button(description=t("overzicht.download_maken"), button_style="primary")
        links = widgets.HTML()
        make.on_click(lambda _b: setattr(links, "value", self._downloads()))
        return [paragraph(t("overzicht.download_intro")), make, links]

    def _downloads(self) -> str:
        from wijkleer import grafiekbestanden, rapport
        from wijkleer.views.common import download_link

        for name in TABS[:-1]:
            if name in self.stale or name not in self.shown:
                self._draw(name)
        sections = [item for name in TABS[:-1] for item in self.shown.get(name, [])]
        tables = list({tabel.naam: tabel for tabel, _chart in sections}.values())
        note = t("overzicht.afscherming", k=self.rule.k)
        xlsx = rapport.excel(tables, self._filter_lines(), note)
        links = [download_link(xlsx, rapport.bestandsnaam(t("overzicht.titel"), "xlsx"),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               t("overzicht.download_excel"))]  # fmt: skip
        for tabel in tables:
            links.append(download_link(rapport.csv(tabel), rapport.bestandsnaam(tabel.naam, "csv"), "text/csv",
                                       t("overzicht.download_csv", naam=tabel.naam)))  # fmt: skip
        drawn = {tabel.naam: chart for tabel, chart in sections if chart is not None}
        try:  # rendered in a process of its own: its memory is not kept by this tab
            files = grafiekbestanden.maken(list(drawn.values()))
        except WijkleerError as error:
            links.append(error_html(error))
            files = []
        for naam, (svg, png) in zip(drawn, files, strict=False):
            links.append(download_link(svg, rapport.bestandsnaam(naam, "svg"), "image/svg+xml",
                                       t("overzicht.download_svg", naam=naam)))  # fmt: skip
            links.append(download_link(png, rapport.bestandsnaam(naam, "png"), "image/png",
                                       t("overzicht.download_png", naam=naam)))  # fmt: skip
        return '<ul class="wijkleer-downloads">' + "".join(f"<li>{link}</li>" for link in links) + "</ul>"


def app(store: Store | None = None) -> widgets.Widget:
    """The Beleidsoverzicht page, on the store of ``$WIJKLEER_DB`` unless one is given."""
    try:
        return Dashboard(store or open_store()).box
    except WijkleerError as error:
        return widgets.VBox([error_box(error)])


def _drawable(spec: dict) -> bool:
    """Whether a chart has a value to draw: a row whose ``waarde`` is there (hidden cells are left out or null)."""
    rows = [row for dataset in spec.get("datasets", {}).values() for row in dataset]
    return any(row.get("waarde", 0) is not None for row in rows)
