"""Exercises in the browser: sign in, read the case, answer, press 'Controleer', and read per answer why it is
right or not with a hint. Every checked answer is saved for the signed-in student (kept in Python, never taken
from widget state); a returning student sees their last answers and the feedback on them. ``kies()`` lists
every exercise with the student's progress and opens one in place."""

from __future__ import annotations

import ipywidgets as widgets

from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring, Voortgang
from wijkleer.oefeningen import controle, laden, voortgang
from wijkleer.oefeningen.controle import Feedback
from wijkleer.oefeningen.laden import Oefening, Vraag
from wijkleer.store import Store, open_store
from wijkleer.text import t
from wijkleer.views.aanmelden import Aanmelden
from wijkleer.views.common import error_box, error_html, esc, heading, paragraph, table
from wijkleer.views.form import Choices, dropdown, text

WIDE = {"width": "100%", "max_width": "48rem"}


def feedback_html(feedback: Feedback) -> str:
    """Right: why. Not right: why, and a hint. Screen readers hear a wrong answer at once (role=alert)."""
    hint = f"<br>{esc(t('oefening.feedback.tip', hint=feedback.hint))}" if feedback.hint else ""
    if not feedback.beantwoord:
        return f'<div role="status" class="wijkleer-hulp-feedback">{esc(feedback.uitleg)}{hint}</div>'
    if feedback.goed:
        return (f'<div role="status" class="wijkleer-gelukt"><strong>{esc(t("oefening.feedback.goed"))}</strong> '
                f"{esc(feedback.uitleg)}</div>")  # fmt: skip
    points = "".join(f"<li>{esc(punt)}</li>" for punt in feedback.punten)
    listed = f"<ul>{points}</ul>" if points else ""
    tip = f"<p>{esc(t('oefening.feedback.tip', hint=feedback.hint))}</p>" if points and feedback.hint else hint
    return (f'<div role="alert" class="wijkleer-fout"><strong>{esc(t("oefening.feedback.fout"))}</strong> '
            f"{esc(feedback.uitleg)}{listed}{tip}</div>")  # fmt: skip


def _note_html(note: str) -> str:
    """What happened to the answer itself (not stored), next to the question."""
    return f'<div role="status" class="wijkleer-hulp-feedback wijkleer-niet-bewaard">{esc(note)}</div>'


def _casus_html(casus: str) -> str:
    paragraphs = [p.strip() for p in casus.strip().split("\n\n") if p.strip()]
    return '<div class="wijkleer-casus">' + "".join(f"<p>{esc(p)}</p>" for p in paragraphs) + "</div>"


class _Antwoord:
    """The input for one question and what it shows; ``value`` is the answer as the checker takes it."""

    def __init__(self, vraag: Vraag, n: int) -> None:
        self.vraag = vraag
        label = t("oefening.antwoord_n", n=n)
        if vraag.soort == "keuze":
            self.widget = dropdown(label, [(t("oefening.kies"), ""), *((o.tekst, o.code) for o in vraag.opties)])
            self.box = self.widget
        elif vraag.soort == "meerkeuze":
            self.widget = Choices(vraag.code, label, [(o.tekst, o.code) for o in vraag.opties], per_line=True)
            self.box = self.widget.field.box
        else:
            self.widget = text(label, vraag.eenheid, area=vraag.soort == "tekst")
            self.box = self.widget
        self.feedback = widgets.HTML("")

    @property
    def value(self) -> object:
        value = self.widget.value
        return (value or None) if self.vraag.soort == "keuze" else value

    def restore(self, answer: object) -> None:
        if self.vraag.soort == "keuze":
            self.widget.value = answer if self.vraag.optie(str(answer)) else ""
        elif self.vraag.soort == "meerkeuze":
            self.widget.value = answer
        else:
            self.widget.value = "" if answer is None else str(answer)


class Scherm:
    """One exercise for one signed-in participant."""

    def __init__(self, store: Store, oefening: Oefening, deelnemer: Deelnemer) -> None:
        self.store, self.oefening, self.deelnemer = store, oefening, deelnemer
        self.vega = widgets.Box()  # the chart library, brought to the page with the chart
        self.antwoorden: dict[str, _Antwoord] = {}
        parts: list[widgets.Widget] = [paragraph(oefening.doel), heading(t("oefening.casus"), 3),
                                       widgets.HTML(_casus_html(oefening.casus))]  # fmt: skip
        if oefening.tabel:
            parts.append(table(list(oefening.tabel.koppen), [list(r) for r in oefening.tabel.rijen]))
        if oefening.grafiek:
            parts += self._chart()
        for n, vraag in enumerate(oefening.vragen, start=1):
            answer = self.antwoorden[vraag.code] = _Antwoord(vraag, n)
            parts += [heading(t("oefening.vraag_n", n=n), 3), paragraph(vraag.tekst), answer.box, answer.feedback]
        self.button = widgets.Button(description=t("oefening.controleer"), button_style="primary")
        self.button.on_click(lambda _b: self.check())
        self.summary = widgets.HTML("")
        self.box = widgets.VBox([*parts, self.button, self.summary, self.vega],
                                layout=widgets.Layout(max_width="60rem"))  # fmt: skip
        self._restore()

    def _chart(self) -> list[widgets.Widget]:
        from wijkleer.oefeningen.grafiek import gegevens, lusgrafiek
        from wijkleer.views.chart import chart_widget, ensure_loader

        ensure_loader(self.vega)
        spec = self.oefening.grafiek
        rows = [[r["periode"], r["reeks"], r["waarde"]] for r in gegevens(self.oefening)]
        headers = [spec.get("x_titel", ""), t("oefening.kolom.reeks"), spec.get("y_titel", "")]
        figures = widgets.Accordion([table(headers, rows)], titles=(t("oefening.tabel_bij_grafiek"),))
        return [chart_widget(lusgrafiek(self.oefening), spec.get("titel", self.oefening.titel)), figures]

    def _restore(self) -> None:
        latest = voortgang.laatste(self.store, self.deelnemer.id, self.oefening.code)
        right = 0
        for code, answer in self.antwoorden.items():
            row = latest.get((self.oefening.code, code))
            if row is None:
                continue
            kept = voortgang.niet_bewaard(row)
            if kept:  # only the verdict was stored: the answer itself is not shown again, nor checked
                answer.feedback.value = _note_html(kept)
                right += row.goed
                continue
            value = voortgang.antwoord(row)
            answer.restore(value)
            feedback = controle.controleer(self.oefening.code, code, value)
            answer.feedback.value = feedback_html(feedback)
            right += feedback.goed
        if latest:
            self.summary.value = esc(t("oefening.terug", goed=right, totaal=len(self.antwoorden)))

    def check(self) -> None:
        """Check every answer, show the feedback next to each question, save what was answered. Each question
        on its own: one that cannot be checked or saved gets its message, and every other one is still checked
        and saved."""
        latest = voortgang.laatste(self.store, self.deelnemer.id, self.oefening.code)
        right = failed = 0
        for code, answer in self.antwoorden.items():
            try:
                right += self._check_one(code, answer, latest.get((self.oefening.code, code)))
            except WijkleerError as error:
                answer.feedback.value = error_html(error)
                failed += 1
        total = len(self.antwoorden)
        key = "oefening.alles_goed" if right == total else "oefening.samenvatting"
        summary = f'<p role="status">{esc(t(key, goed=right, totaal=total))}</p>'
        if failed:
            summary += f'<p role="alert">{esc(t("oefening.opslag.niet_alles", aantal=failed))}</p>'
        self.summary.value = summary

    def _check_one(self, code: str, answer: _Antwoord, before: Voortgang | None) -> bool:
        """Check and save one answer; True when it is right. Says next to the question when only the verdict
        was stored (personal data, or too long to keep)."""
        value = answer.value
        feedback = controle.controleer(self.oefening.code, code, value)
        answer.feedback.value = feedback_html(feedback)
        if not feedback.beantwoord:
            return False
        stored, note = voortgang.bewaren(self.oefening.code, code, value)
        if before is None or before.antwoord != stored or before.goed != feedback.goed:
            voortgang.opslaan(self.store, self.deelnemer, self.oefening.code, code, value, feedback)
        if note:
            answer.feedback.value += _note_html(note)
        return feedback.goed


class Pagina:
    """Sign in, then one exercise (``code``) or, without a code, the list of every exercise."""

    def __init__(self, store: Store, code: str | None = None) -> None:
        self.store, self.code = store, code
        self.oefening = laden.oefening(code) if code else None
        self.deelnemer: Deelnemer | None = None
        self.scherm: Scherm | None = None
        self.aanmelden = Aanmelden(store, on_login=self._signed_in)
        self.login = widgets.VBox([self.aanmelden.box])
        self.body = widgets.VBox([])
        intro = paragraph(t("oefening.intro") if self.oefening else t("oefening.kies_intro"))
        self.box = widgets.VBox([intro, self.login, self.body], layout=widgets.Layout(max_width="60rem"))

    def _signed_in(self, deelnemer: Deelnemer) -> None:
        self.deelnemer = deelnemer  # the identity for every save from now on
        kring = self.store.get(Kring, deelnemer.kring_id)
        self.login.children = [paragraph(t("identiteit.aangemeld", naam=deelnemer.naam, kring=kring.naam))]
        if self.oefening:
            self.open(self.oefening.code)
        else:
            self.show_list()

    def show_list(self) -> None:
        progress = voortgang.stand(self.store, self.deelnemer.id)
        rows = []
        for exercise in laden.alle():
            answered, right = progress.get(exercise.code, (0, 0))
            total = len(exercise.vragen)
            state = t("oefening.stand", goed=right, totaal=total) if answered else t("oefening.niet_begonnen")
            button = widgets.Button(description=t("oefening.open", titel=exercise.titel),
                                    layout=widgets.Layout(width="auto"))  # fmt: skip
            button.on_click(lambda _b, code=exercise.code: self.open(code))
            info = widgets.HTML(f"<strong>{esc(exercise.titel)}</strong> — {esc(exercise.doel)} "
                                f'<em class="wijkleer-stand">({esc(state)})</em>')  # fmt: skip
            rows.append(widgets.VBox([info, button], layout=widgets.Layout(margin="0 0 0.8rem 0")))
        self.body.children = rows

    def open(self, code: str) -> None:
        self.scherm = Scherm(self.store, laden.oefening(code), self.deelnemer)
        parts = [self.scherm.box]
        if not self.oefening:  # opened from the list: a way back to it
            back = widgets.Button(description=t("oefening.terug_naar_lijst"), layout=widgets.Layout(width="auto"))
            back.on_click(lambda _b: self.show_list())
            parts = [back, heading(self.scherm.oefening.titel), *parts]
        self.body.children = parts


def app(code: str, store: Store | None = None) -> widgets.Widget:
    """One exercise (``data/oefeningen/<code>.toml``) for the active database: sign in first."""
    try:
        return Pagina(store or open_store(), code).box
    except WijkleerError as error:
        return error_box(error)


def kies(store: Store | None = None) -> widgets.Widget:
    """Every exercise with the signed-in student's progress; one opens in place."""
    try:
        return Pagina(store or open_store()).box
    except WijkleerError as error:
        return error_box(error)
