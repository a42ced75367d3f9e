"""The pages a participant, team member or student uses, on a phone (390 × 844, and again at 360 px wide).

Each page is opened in Voilà in a phone-sized window and brought to its forms the way a person would (a session
joined with its code, signed in for reflections and exercises, every tab of the logbook opened). In every state,
at both widths, the page must work without zooming or sideways scrolling:

- nothing is clipped: every visible input, select, textarea, button and tab, table, chart and picture lies within
  the page (a wide table may scroll inside its own box), and no button or tab cuts its label off (its text is not
  wider than the box it is drawn in);
- text fields use the width there is: none is narrower than 80% of the window minus the page's own padding
  (so labels stand above the fields, not beside them);
- touch targets are at least 44 px high (a checkbox counts with its label, which is what a finger taps);
- the page does not scroll sideways, nor does any part of it (a wide table may, inside its own box);
- at 390 px, axe-core finds nothing serious or critical (WCAG 2.0/2.1 A and AA), as test_a11y.py asks on a desktop.

A screenshot of each state lands in test-artifacts/telefoon/ for people to look at; the test asserts on the
measurements only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.support.dagen import DEMO_UNTIL
from tests.support.kernel_watch import KernelWatch
from tests.support.pages import TABS_JS
from wijkleer import demo, identiteit, reflectie, terugkoppeling
from wijkleer.model import Deelnemer, Kring, Team
from wijkleer.sessies import verloop
from wijkleer.store import Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "telefoon"
RENDER_TIMEOUT = 90.0
PHONE = {"width": 390, "height": 844}
NARROW = 360  # the narrowest phone in common use
WIDTHS = (PHONE["width"], NARROW)
MIN_TARGET_PX = 44  # WCAG 2.5.5 / Apple and Android guidance for something a finger taps
MIN_FIELD_SHARE = 0.8  # of the window minus the page's padding
KRING = "Kring Telefoon"
FACILITATOR, FACILITATOR_CODE = "Fenna Telefoon", "kring-telefoon-2026"
STUDENT, STUDENT_CODE = "Sanne Telefoon", "sanne-geheim-42"
FIRST_STEP = next(iter(reflectie.modellen().values())).stappen[0].titel  # of the model the form shows first
# exercises that together hold a choice list, a multiple choice, a number, a free text, a table and a chart
EXERCISES = ("Een knelpunt schrijven voor beleid", "Een afgeschermde cel lezen", "Een lusgrafiek lezen")

MAX_SHOT_PX = 8000
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"  # as in test_a11y.py
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map((n) => n.html.slice(0, 160)) }));
}
"""
_PAGE_HEIGHT_JS = """
() => {
  let el = document.getElementById("rendered_cells") || document.body;
  let tallest = document.scrollingElement.scrollHeight;
  for (; el; el = el.parentElement) tallest = Math.max(tallest, el.scrollHeight);
  return tallest;
}
"""

# Every visible control that does not fit a phone, as sentences; and the page's sideways scroll.
_MEASURE_JS = """
([minTarget, minShare]) => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const cells = document.getElementById("rendered_cells") || document.body;
  // the page's own padding: from the window's edge to where the notebook's outputs start and end
  const outputs = [...cells.querySelectorAll(".jp-OutputArea-output")].filter((a) => a.checkVisibility());
  const areas = outputs.length ? outputs : [cells]; // a page the server answers itself has no output areas
  const left = Math.min(...areas.map((a) => a.getBoundingClientRect().left), vw);
  const right = Math.max(...areas.map((a) => a.getBoundingClientRect().right), 0);
  const usable = vw - Math.max(left, 0) - Math.max(vw - right, 0);
  const name = (el) => {
    const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
    const text = label || el.getAttribute("aria-label") || el.innerText || el.placeholder || el.value || "";
    return `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} '${text.trim().slice(0, 40)}'`;
  };
  const TEXT = 'textarea, select, input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"])'
    + ':not([type="button"]):not([type="submit"]):not([type="range"]):not([type="color"])';
  const CONTROLS = 'input:not([type="hidden"]), select, textarea, button, [role="tab"], summary,'
    + " .jupyter-widget-Collapse-header";
  const PICTURES = "svg, img, canvas, table, figure, video, iframe";
  const SIDEWAYS = ".wijkleer-opzij";
  const ancestors = (el) => { const up = []; while ((el = el.parentElement)) up.push(el); return up; };
  // what lies beyond the page's content edge is cut off (Voilà's output areas hide what sticks out) or off screen
  const edge = { left: Math.max(left, 0), right: Math.min(right, vw) };
  const outside = (box) => `buiten beeld (${Math.round(box.left)}..${Math.round(box.right)} px,`
    + ` pagina ${Math.round(edge.left)}..${Math.round(edge.right)})`;
  for (const el of cells.querySelectorAll(PICTURES)) {
    if (!el.checkVisibility() || el.closest(SIDEWAYS) || el.closest("button")) continue;
    const box = el.getBoundingClientRect();
    if (box.width && (box.left < edge.left - 0.5 || box.right > edge.right + 0.5)) {
      problems.push(`${el.tagName.toLowerCase()}${el.className.baseVal === undefined && el.className
        ? "." + el.className.split(" ")[0] : ""}: ${outside(box)}`);
    }
  }
  let checked = 0;
  for (const el of cells.querySelectorAll(CONTROLS)) {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    checked += 1;
    const what = name(el);
    if (box.left < edge.left - 0.5 || box.right > edge.right + 0.5) problems.push(`${what}: ${outside(box)}`);
    if (el.matches('button, [role="tab"], summary, .jupyter-widget-Collapse-header')) {
      for (const part of [el, ...el.querySelectorAll("*")]) {
        if (part.scrollWidth > part.clientWidth + 1 && getComputedStyle(part).overflowX !== "visible") {
          problems.push(`${what}: tekst afgekapt (${part.scrollWidth} px tekst in ${part.clientWidth} px)`);
          break;
        }
      }
    }
    const target = el.matches('[type="checkbox"], [type="radio"]') ? el.closest("label") || el : el;
    const height = target.getBoundingClientRect().height;
    if (height < minTarget - 0.5) problems.push(`${what}: ${Math.round(height)} px hoog (minder dan ${minTarget})`);
    if (el.matches(TEXT) && box.width < minShare * usable) {
      problems.push(`${what}: ${Math.round(box.width)} px breed, minder dan ${Math.round(minShare * 100)}%`
        + ` van ${Math.round(usable)} px`);
    }
  }
  const scroll = document.scrollingElement.scrollWidth;
  if (scroll > window.innerWidth) problems.push(`de pagina scrolt opzij: ${scroll} px breed in ${window.innerWidth}`);
  // Voilà's page scrolls in a box of its own (the document never does), and each widget box can scroll too: none
  // may scroll sideways, except a box made to (a wide table in its own scroll box)
  for (const el of [cells, ...cells.querySelectorAll("*")].concat(ancestors(cells))) {
    const overflow = getComputedStyle(el).overflowX;
    if (!["auto", "scroll"].includes(overflow) || el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.matches(SIDEWAYS) || !el.checkVisibility()) continue;
    problems.push(`${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join(".")} scrolt opzij:`
      + ` ${el.scrollWidth} px inhoud in ${el.clientWidth} px`);
  }
  return { problems, checked, usable: Math.round(usable) };
}
"""


@dataclass
class Phone:
    """The page at phone size, with what went wrong in each state it was measured in."""

    page: Page
    watch: KernelWatch
    problems: dict[str, list[str]]

    def measure(self, where: str) -> None:
        """Measure the page as it is now at every width of ``WIDTHS`` (and keep a screenshot of each)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": PHONE["height"]})
            self.page.wait_for_timeout(150)  # a layout pass after the resize
            found = self.page.evaluate(_MEASURE_JS, [MIN_TARGET_PX, MIN_FIELD_SHARE])
            assert found["checked"] or where.startswith("start"), f"{where}: geen bedieningselementen gevonden"
            if width == PHONE["width"]:
                found["problems"] += self.accessibility()
            if found["problems"]:
                self.problems[f"{where} @ {width} px"] = found["problems"]
            self.screenshot(f"{where}-{width}", width)
        self.page.set_viewport_size(PHONE)

    def accessibility(self) -> list[str]:
        """Serious and critical axe-core findings (WCAG 2.0/2.1 A and AA) on the page as a phone shows it."""
        if not AXE.exists():
            pytest.fail(f"axe-core ontbreekt ({AXE.relative_to(ROOT)}): installeer het met `make axe`")
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            # evaluated, not added as a script tag: a page with a strict Content-Security-Policy refuses inline scripts
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        return [f"axe {v['id']} ({v['impact']}): {v['help']}: {html}"
                for v in self.page.evaluate(_AXE_JS, WCAG_TAGS) if v["impact"] in ("critical", "serious")
                for html in v["nodes"]]  # fmt: skip

    def screenshot(self, name: str, width: int) -> None:
        """The whole page: Voilà scrolls it in a box of its own, so the window is made as tall as that box's
        content for the picture (a full-page screenshot would stop at the window's height)."""
        height = self.page.evaluate(_PAGE_HEIGHT_JS)
        self.page.set_viewport_size({"width": width, "height": min(max(height, PHONE["height"]), MAX_SHOT_PX)})
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        self.page.screenshot(path=str(SCREENSHOTS / f"{safe}.png"))

    def tabs(self, where: str) -> None:
        """Measure the page, then each further tab opened in turn."""
        self.measure(where)
        for name in self.page.evaluate(TABS_JS)[1:]:
            self.page.get_by_role("tab", name=name, exact=True).click()
            self.watch.wait()
            self.measure(f"{where}, tab {name}")

    def sign_in(self, naam: str, code: str) -> None:
        self.page.get_by_label(t("identiteit.kring")).select_option(label=KRING)
        self.page.get_by_label(t("identiteit.naam")).fill(naam)
        self.page.get_by_label(t("identiteit.code")).fill(code)
        self.page.get_by_role("button", name=t("identiteit.aanmelden")).click()
        self.watch.wait()
        expect(self.page.get_by_text(naam).first).to_be_visible(timeout=30_000)

    def assert_fits(self) -> None:
        report = "\n".join(f"- {where}:\n    " + "\n    ".join(found) for where, found in self.problems.items())
        assert not self.problems, f"past niet op een telefoon:\n{report}"


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory, start_voila):
    """Voilà on a demo database of its own, with a kring whose session is open, a student with a code, and a team
    whose logbook has an answer to respond to."""
    path = tmp_path_factory.mktemp("telefoon") / "telefoon.db"
    with Store(str(path)) as store:
        demo.generate(store, demo.Plan(size=200, until=DEMO_UNTIL))
        # a team with an answer from policy: its logbook shows the card to confirm or reopen
        team = next(tm for tm in store.list(Team, order_by="naam") if terugkoppeling.answers_for(store, tm.naam))
        begeleider = verloop.kring_maken(store, KRING, team.gemeente, FACILITATOR, FACILITATOR_CODE)
        sessie = verloop.plannen(store, begeleider, "knelpuntenronde", "Knelpunten op de telefoon", date.today())
        sessie, _deelname = verloop.openen(store, begeleider, sessie.id)
        kring = store.list(Kring, naam=KRING)[0]
        student = store.add(Deelnemer.make(kring_id=kring.id, naam=STUDENT, rol="student"))
        identiteit.stel_code_in(store, student, STUDENT_CODE)
    return start_voila(name="telefoon", db_url=str(path)), team, sessie.code


@pytest.fixture
def phone(page: Page, phone_server, open_voila) -> Phone:
    watch = KernelWatch(page)  # before the page opens: it follows the kernel's websocket
    page.set_viewport_size(PHONE)
    return Phone(page, watch, {})


def _open(phone: Phone, open_voila, server, target: str) -> None:
    open_voila(server.url(f"voila/render/{target}"), timeout=RENDER_TIMEOUT)
    phone.watch.wait(start_grace=0)


def test_start_page_fits_a_phone(phone, phone_server, open_voila):
    server, _team, _code = phone_server
    _open(phone, open_voila, server, "start.ipynb")
    phone.measure("start")
    phone.assert_fits()


def test_session_fits_a_phone(phone, phone_server, open_voila):
    """The join form (code from the link), then the phase's writing form after joining."""
    server, _team, code = phone_server
    _open(phone, open_voila, server, f"sessie.ipynb?code={code}")
    phone.measure("sessie meedoen")
    page = phone.page
    page.get_by_label(t("sessies.naam")).fill("Anna Telefoon")
    page.get_by_label(t("sessies.rol"), exact=True).select_option(label=taxonomy().label("rol", "uitvoering"))
    page.get_by_role("button", name=t("sessies.meedoen")).click()
    phone.watch.wait()
    expect(page.get_by_label(t("sessies.jouw_bijdrage"))).to_be_visible(timeout=20_000)
    phone.measure("sessie fase")
    phone.assert_fits()


def test_session_page_without_a_kernel_fits_a_phone(phone, phone_server, kernels):
    """The page the join link and QR code lead to (answered by the server, no kernel): join form, then writing."""
    server, _team, code = phone_server
    before = set(kernels(server))
    page = phone.page
    page.goto(server.url(f"wijkleer/sessie?code={code}"))
    page.wait_for_selector("body[data-klaar=meedoen]", timeout=30_000)
    expect(page.get_by_label(t("sessies.code"))).to_have_value(code)
    phone.measure("sessiepagina meedoen")
    page.get_by_label(t("sessies.naam")).fill("Bea Telefoon")
    page.get_by_label(t("sessies.rol"), exact=True).select_option(label=taxonomy().label("rol", "beleid"))
    page.get_by_role("button", name=t("sessies.meedoen")).click()
    expect(page.get_by_label(t("sessies.jouw_bijdrage"))).to_be_visible(timeout=20_000)
    phone.measure("sessiepagina fase")
    assert set(kernels(server)) <= before  # the page started no kernel
    phone.assert_fits()


def test_logbook_fits_a_phone(phone, phone_server, open_voila):
    """The team's logbook: the new-knelpunt form and every other tab."""
    server, team, _code = phone_server
    _open(phone, open_voila, server, f"logboek.ipynb?team={quote(team.naam)}")
    phone.tabs("logboek")
    phone.assert_fits()


def test_reflection_fits_a_phone(phone, phone_server, open_voila):
    """The sign-in form, the reflection form, then a saved reflection in the list and the portfolio's links."""
    server, _team, _code = phone_server
    _open(phone, open_voila, server, "reflectie.ipynb")
    phone.measure("reflectie aanmelden")
    phone.sign_in(STUDENT, STUDENT_CODE)
    phone.measure("reflectie schrijven")
    page = phone.page
    page.get_by_label(FIRST_STEP).fill("Ik belde de huisarts terug over een verwijzing.")
    page.get_by_role("button", name=t("reflectie.opslaan")).click()
    phone.watch.wait()
    expect(page.get_by_role("button", name=t("reflectie.openen"))).to_be_visible(timeout=20_000)
    page.get_by_role("button", name=t("reflectie.portfolio.knop")).click()
    phone.watch.wait()
    expect(page.get_by_role("link", name=t("reflectie.portfolio.pdf"))).to_be_visible(timeout=30_000)
    phone.measure("reflectie opgeslagen")  # the list with open and share, and the download links
    phone.assert_fits()


def test_exercises_fit_a_phone(phone, phone_server, open_voila):
    """The sign-in form, the list of exercises, and exercises with every kind of answer field, a table and a chart."""
    server, _team, _code = phone_server
    _open(phone, open_voila, server, "oefeningen.ipynb")
    phone.measure("oefeningen aanmelden")
    phone.sign_in(STUDENT, STUDENT_CODE)
    phone.measure("oefeningen lijst")
    page = phone.page
    for titel in EXERCISES:
        page.get_by_role("button", name=t("oefening.open", titel=titel), exact=True).click()
        phone.watch.wait()
        expect(page.get_by_role("button", name=t("oefening.controleer"))).to_be_visible(timeout=30_000)
        phone.measure(f"oefening {titel}")
        page.get_by_role("button", name=t("oefening.terug_naar_lijst")).click()
        phone.watch.wait()
    phone.assert_fits()
