"""Accessibility of every workbook, checked with axe-core (WCAG 2.0/2.1 A and AA) in a real browser.

The start page and every workbook the catalogue lists (``wijkleer.workbooks.catalog.workbooks()``, so a workbook
added later is checked without touching this file) are opened in Voilà; every tab of the page is opened in turn,
and the workbooks with a sign-in form are checked again after signing in (as a facilitator: that page holds what
a student sees and more); on the list of exercises, a few exercises that together hold every kind of field are
opened too. A check fails on any axe violation of impact serious or critical, and on any visible control (input,
select, textarea, button, link, tab …) without an accessible name.

axe-core comes from npm, locked in tests/browser/package-lock.json: ``make axe`` (part of ``make test``) installs
it. A per-page summary (violations by impact, minor and moderate included) is printed and appended to
test-artifacts/browser-figures.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.support.dagen import DEMO_UNTIL
from tests.support.kernel_watch import KernelWatch
from tests.support.pages import TABS_JS, pages
from wijkleer import demo, identiteit
from wijkleer.model import Deelnemer, Knelpunt, Kring, Team
from wijkleer.oefeningen import laden
from wijkleer.store import Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
FIGURES = ROOT / "test-artifacts" / "browser-figures.txt"  # as in conftest.py
RENDER_TIMEOUT = 90.0
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
FACILITATOR, CODE = "Toegankelijkheid Begeleider", "axe-proef-9271"
# a page with this button is checked again after signing in (as the facilitator above)
SIGN_IN = t("identiteit.aanmelden")

_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 200),
                                 summary: n.failureSummary })),
  }));
}
"""

# Every visible control and its accessible name, computed as assistive technology does (axe-core's implementation
# of the W3C accessible-name algorithm on the live DOM).
_NAMELESS_JS = """
() => {
  const CONTROLS = 'input:not([type="hidden"]), select, textarea, button, a[href], [role="button"], [role="tab"],'
    + ' [role="checkbox"], [role="radio"], [role="combobox"], [role="textbox"], [role="listbox"], [role="slider"],'
    + ' [role="spinbutton"], [role="switch"], [role="link"], [role="menuitem"]';
  axe.setup(document);
  try {
    const nameless = [];
    for (const el of document.querySelectorAll(CONTROLS)) {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const name = axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(el)).trim();
      if (!name) nameless.push({ target: axe.utils.getSelector(el), html: el.outerHTML.slice(0, 200) });
    }
    return nameless;
  } finally {
    axe.teardown();
  }
}
"""


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory, start_voila):
    """Voilà on a demo database of its own (signing in writes to it), with a facilitator who has a known code."""
    path = tmp_path_factory.mktemp("a11y") / "a11y.db"
    with Store(str(path)) as store:
        demo.generate(store, demo.Plan(size=200, until=DEMO_UNTIL))
        kring = store.list(Kring, order_by="naam")[0]
        person = store.add(Deelnemer.make(kring_id=kring.id, naam=FACILITATOR, rol=identiteit.BEGELEIDER))
        identiteit.stel_code_in(store, person, CODE)
    return start_voila(name="a11y", db_url=str(path)), kring


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(f"axe-core ontbreekt ({AXE.relative_to(ROOT)}): installeer het met `make axe`")
    return AXE


@pytest.fixture
def watch(page: Page) -> KernelWatch:
    return KernelWatch(page)


@dataclass(frozen=True)
class Problem:
    """One element that breaks one rule; the same element seen again (another tab, after signing in) is the same
    problem (axe's selector for it may differ from one run to the next, its HTML does not)."""

    rule: str  # an axe rule id, or NAMELESS
    impact: str
    help: str
    html: str
    summary: str


NAMELESS = "naamloos"


def check(page: Page, axe_script: Path, where: str, found: dict[Problem, list[str]]) -> None:
    """Run axe and the name check on the page as it is now; add the problems to ``found`` (problem -> where seen,
    with the element's selector) and print the summary line."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(_AXE_JS, WCAG_TAGS)
    counts = {impact: sum(len(v["nodes"]) for v in violations if v["impact"] == impact) for impact in IMPACTS}
    rules = ", ".join(sorted(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x)" for v in violations)) or "-"
    nameless = page.evaluate(_NAMELESS_JS)
    line = (f"axe {where}: " + " ".join(f"{impact} {n}" for impact, n in counts.items())
            + f" | {rules} | zonder naam: {len(nameless)}")  # fmt: skip
    print(line)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a", encoding="utf-8") as figures:
        figures.write(f"{datetime.now().isoformat(timespec='seconds')} {line}\n")
    for v in violations:
        if v["impact"] in BLOCKING:
            for node in v["nodes"]:
                problem = Problem(v["id"], v["impact"], v["help"], node["html"], node["summary"])
                found.setdefault(problem, []).append(f"{where} ({node['target']})")
    for element in nameless:
        problem = Problem(NAMELESS, "serious", "bedieningselement zonder toegankelijke naam", element["html"], "")
        found.setdefault(problem, []).append(f"{where} ({element['target']})")


def report(found: dict[Problem, list[str]]) -> str:
    lines = [f"{len(found)} ernstige toegankelijkheidsproblemen (axe-core {WCAG_TAGS}):"]
    for p, where in found.items():
        lines.append(f"- {p.rule} ({p.impact}): {p.help}\n    html: {p.html}")
        if p.summary:
            lines.append("    " + " ".join(p.summary.split()))
        lines += [f"    op: {place}" for place in where]
    return "\n".join(lines)


def check_every_tab(page: Page, watch: KernelWatch, axe_script: Path, where: str, found: dict) -> None:
    """The page as it is, then each further tab opened (tabs draw their content when opened), then the first tab
    again."""
    check(page, axe_script, where, found)
    tabs = page.evaluate(TABS_JS)
    for name in [*tabs[1:], *tabs[:1]]:
        page.get_by_role("tab", name=name, exact=True).click()
        watch.wait()
        if name != tabs[0]:
            check(page, axe_script, f"{where}, tab '{name}'", found)


def sign_in(page: Page, watch: KernelWatch, kring: Kring) -> None:
    page.get_by_label(t("identiteit.kring")).select_option(label=kring.naam)
    page.get_by_label(t("identiteit.naam")).fill(FACILITATOR)
    page.get_by_label(t("identiteit.code")).fill(CODE)
    page.get_by_role("button", name=SIGN_IN).click()
    watch.wait()
    # each workbook greets in its own words ("Aangemeld als …", "Je beoordeelt als …"), all with the name
    expect(page.get_by_text(FACILITATOR).first).to_be_visible(timeout=30_000)


def exercises_to_open() -> list[str]:
    """Titles of few exercises that together show every kind of answer field, a chart and a table (the others
    are built from the same parts): greedily, the one that adds the most kinds first."""
    parts: dict[str, set[str]] = {}
    for ex in laden.alle():
        parts[ex.titel] = {v.soort for v in ex.vragen} | {kind for kind in ("grafiek", "tabel") if getattr(ex, kind)}
    chosen: list[str] = []
    covered: set[str] = set()
    while best := max(parts, key=lambda titel: len(parts[titel] - covered), default=None):
        if not parts[best] - covered:
            break
        chosen.append(best)
        covered |= parts.pop(best)
    return chosen


def open_exercises(page: Page, watch: KernelWatch, axe_script: Path, where: str, found: dict) -> None:
    """On the list of exercises (after signing in): open each of ``exercises_to_open()`` in place, check it, and go
    back to the list."""
    if not page.get_by_role("button", name=re.compile("^" + re.escape(t("oefening.open", titel="")))).count():
        return  # not the list of exercises
    for titel in exercises_to_open():
        page.get_by_role("button", name=t("oefening.open", titel=titel), exact=True).click()
        watch.wait()
        check(page, axe_script, f"{where}, {titel}", found)
        page.get_by_role("button", name=t("oefening.terug_naar_lijst")).click()
        watch.wait()


@pytest.mark.parametrize("notebook", pages())
def test_workbook_has_no_serious_accessibility_problems(notebook, a11y_server, axe_script, page, watch, open_voila):
    server, kring = a11y_server
    open_voila(server.url(f"voila/render/{notebook}"), timeout=RENDER_TIMEOUT)
    watch.wait(start_grace=0)
    found: dict[Problem, list[str]] = {}
    check_every_tab(page, watch, axe_script, notebook, found)
    if page.get_by_role("button", name=SIGN_IN, exact=True).count():
        sign_in(page, watch, kring)  # what signing in changes is where the form was: the other tabs stay the same
        check(page, axe_script, f"{notebook} na aanmelden", found)
        open_exercises(page, watch, axe_script, f"{notebook} na aanmelden", found)
    assert not found, report(found)


# --------------------------------------------------------------------------- the logbook by keyboard only

# the focused element: what a screen reader would call it, and whether focus can be seen
_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { name: "", tag: "BODY", outline: false };
  const label = el.labels && el.labels.length ? el.labels[0].innerText
    : el.getAttribute("aria-label") || el.innerText || el.value || "";
  const style = getComputedStyle(el);
  // not :focus while it is the active element: focus is on the browser's own part of the field (the calendar
  // button of a date field), which draws its own focus ring
  const outline = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || !el.matches(":focus");
  return { name: label.trim(), tag: el.tagName, outline };
}
"""
_SELECTED_JS = "() => document.activeElement.options[document.activeElement.selectedIndex].text"
MAX_TABS = 60
KEYBOARD_TITLE = "Geen vervoer naar dagbesteding in de avond"
KEYBOARD_TEXT = "Avondactiviteiten vallen weg omdat het Wmo-vervoer na 18 uur niet rijdt."


class Keyboard:
    """Moves through the page with Tab (or Shift+Tab) only, and remembers where focus went."""

    def __init__(self, page: Page, watch: KernelWatch) -> None:
        self.page, self.watch = page, watch
        self.path: list[str] = []
        self.unseen: set[str] = set()  # focused controls without a visible focus outline

    def focused(self) -> dict:
        return self.page.evaluate(_FOCUS_JS)

    def to(self, name: str, back: bool = False) -> None:
        """Press Tab until the control called ``name`` has focus."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            now = self.focused()
            self.path.append(f"{now['tag'].lower()} {now['name'][:30]!r}")
            if now["tag"] != "BODY" and not now["outline"]:
                self.unseen.add(f"{now['tag'].lower()} {now['name'][:40]!r}")
            if now["name"] == name:
                return
        raise AssertionError(f"'{name}' niet bereikt met {'Shift+' if back else ''}Tab; focus ging langs:\n"
                             + " -> ".join(self.path[-MAX_TABS:]))  # fmt: skip

    def type(self, name: str, text: str) -> None:
        self.to(name)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, name: str, option: str) -> None:
        """In a list (select): arrow down to ``option``."""
        self.to(name)
        seen = []
        while (shown := self.page.evaluate(_SELECTED_JS).replace("\xa0", " ")) != option:
            seen.append(shown)
            assert len(seen) < 40 and seen.count(shown) == 1, f"'{option}' niet gevonden in '{name}': {seen}"
            self.page.keyboard.press("ArrowDown")
        self.watch.wait()

    def tick(self, name: str) -> None:
        self.to(name)
        self.page.keyboard.press("Space")


def test_logbook_by_keyboard_only(a11y_server, page, watch, open_voila):
    """Tab, Shift+Tab, typing, arrows, Space and Enter: every required field, saved, and seen in the list."""
    server, _kring = a11y_server
    db = server.options.db_url
    tax = taxonomy()
    with Store(db) as store:
        team = store.list(Team, order_by="naam")[0]
    open_voila(server.url(f"voila/render/logboek.ipynb?team={quote(team.naam)}"), timeout=RENDER_TIMEOUT)
    watch.wait(start_grace=0)
    keys = Keyboard(page, watch)

    keys.type(t("logboek.titel"), KEYBOARD_TITLE)
    keys.type(t("logboek.omschrijving"), KEYBOARD_TEXT)
    keys.tick(tax.label("wet", "wmo"))
    keys.choose(t("logboek.categorie"), tax.label("categorie", "samenwerking"))
    keys.choose(t("logboek.ernst"), tax.label("ernst", "hoog"))
    keys.type(t("logboek.aantal"), "3")
    keys.choose(t("logboek.bron"), tax.label("bron", "casusbespreking"))
    keys.to(t("logboek.datum"))
    page.keyboard.type("10102026")  # day = month: the same date whether chromium's field is dd-mm or mm-dd
    keys.to(t("logboek.ernst"), back=True)  # back, and forward again: nothing typed is lost on the way
    assert page.evaluate(_SELECTED_JS) == tax.label("ernst", "hoog")
    keys.to(t("logboek.opslaan"))
    page.keyboard.press("Enter")
    watch.wait()

    expect(page.get_by_text(t("logboek.opgeslagen", titel=KEYBOARD_TITLE))).to_be_visible(timeout=20_000)
    with Store(db) as store:
        (saved,) = store.list(Knelpunt, titel=KEYBOARD_TITLE)
    assert (saved.team, saved.omschrijving, saved.wetten, saved.categorie, saved.ernst, saved.aantal_casussen,
            saved.bron, saved.datum) == (team.naam, KEYBOARD_TEXT, ["wmo"], "samenwerking", "hoog", 3,
            "casusbespreking", date(2026, 10, 10))  # fmt: skip

    # the tabs: arrow keys move between them, Enter opens one; the team's list shows the new knelpunt
    keys.to(t("logboek.tab_nieuw"), back=True)
    page.keyboard.press("ArrowRight")
    assert keys.focused()["name"] == t("logboek.tab_onze")
    page.keyboard.press("Enter")
    watch.wait()
    expect(page.get_by_role("button", name=KEYBOARD_TITLE)).to_be_visible()  # a row opens from its title
    assert not keys.unseen, f"focus niet zichtbaar (geen outline) op: {sorted(keys.unseen)}"
