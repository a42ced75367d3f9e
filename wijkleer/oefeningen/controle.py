"""Checking answers: every checker returns a ``Feedback`` in Dutch — right or not, why, and a hint — and never
raises on a malformed answer (empty, wrong type, unknown option, absurd number): that gets its own message.

``juist(oefening, vraag, antwoord)`` is the one-line yes or no; the nbgrader autograder cells use
``controleer(…)`` and put ``Feedback.tekst()`` (the explanation and the tip) into their assertion message.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal

from wijkleer import privacy
from wijkleer.oefeningen.laden import Element, Optie, Vraag, oefening
from wijkleer.text import t

# A question to policy: a sentence with a '?' that opens with one of these words (a verb first is how Dutch asks)
QUESTION_STARTS = ("waarom", "hoeveel", "welk", "welke", "waar", "wanneer", "hoe", "wie", "wat", "kan", "kunt",
                   "kunnen", "moet", "moeten", "mag", "mogen", "zou", "zouden", "wil", "willen", "is", "zijn",
                   "heeft", "hebben", "wordt", "worden", "gaat", "gaan", "graag")  # fmt: skip
# ... or that holds one of these anywhere ('Onze vraag aan beleid: kan dit anders?'); not 'is' or 'heeft', which
# every statement has
QUESTION_WORDS = frozenset(QUESTION_STARTS) - {"is", "zijn", "heeft", "hebben", "wordt", "worden", "gaat", "gaan"}
UNITS = ("dagen", "dag", "werkdagen", "werkdag", "procent", "%", "knelpunten", "knelpunt", "huishoudens",
         "huishouden")  # fmt: skip
# a number followed by one of these is a period, not a number of cases ('drie maanden', 'twee weken')
DURATIONS = frozenset({"dag", "dagen", "werkdag", "werkdagen", "week", "weken", "maand", "maanden", "jaar", "jaren",
                       "kwartaal", "kwartalen", "uur", "uren", "minuut", "minuten", "seconden", "procent"})  # fmt: skip
_DIGITS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_TENS = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")
_TEENS = ("tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien")
_BELOW_100 = (rf"(?:{'|'.join(_DIGITS[1:])}|{'|'.join(_TEENS)}"
              rf"|(?:(?:{'|'.join(_DIGITS)})(?:en|ën))?(?:{'|'.join(_TENS)}))")  # fmt: skip
# 'twee' … 'negentien', 'twintig', 'drieëntwintig', 'honderd', 'tweehonderdvijftig', 'duizend'
NUMBER_WORD = re.compile(rf"(?:(?:{_BELOW_100})?(?:honderd|duizend))*(?:en)?(?:{_BELOW_100})?")


@dataclass(frozen=True)
class Feedback:
    """``beantwoord`` is False for an empty answer (nothing to save); ``uitleg`` says why, ``hint`` what to try."""

    goed: bool
    uitleg: str
    hint: str = ""
    beantwoord: bool = True
    punten: tuple[str, ...] = ()  # more than one thing to mend: one line each, under ``uitleg``

    def tekst(self) -> str:
        """The feedback as plain text, one point a line, with the tip: for a notebook's assertion message."""
        lines = [self.uitleg, *(f"- {punt}" for punt in self.punten)]
        if self.hint:
            lines.append(t("oefening.feedback.tip", hint=self.hint))
        return "\n".join(lines)


def _leeg() -> Feedback:
    return Feedback(False, t("oefening.feedback.leeg"), t("oefening.feedback.leeg_hint"), beantwoord=False)


def _right(vraag: Vraag) -> Feedback:
    return Feedback(True, vraag.uitleg)


def _wrong(uitleg: str, hint: str) -> Feedback:
    return Feedback(False, uitleg, hint)


def _wrong_points(points: list[str], hint: str) -> Feedback:
    """Not right for more than one reason: one short line per point, not one run-on paragraph."""
    if len(points) == 1:
        return _wrong(points[0], hint)
    return Feedback(False, t("oefening.feedback.meerdere", aantal=len(points)), hint, punten=tuple(points))


def _option_list(vraag: Vraag) -> str:
    return ", ".join(f"{o.code} ({o.tekst})" if o.tekst != o.code else o.code for o in vraag.opties)


def _find_option(vraag: Vraag, value: str) -> Optie | None:
    wanted = value.strip().casefold()
    return next((o for o in vraag.opties if wanted in (o.code.casefold(), o.tekst.casefold())), None)


def _unknown(vraag: Vraag, value: object) -> Feedback:
    shown = str(value)[:60]
    return _wrong(t("oefening.feedback.onbekende_optie", antwoord=shown),
                  t("oefening.feedback.onbekende_optie_hint", opties=_option_list(vraag)))  # fmt: skip


def check_keuze(vraag: Vraag, antwoord: object) -> Feedback:
    if antwoord is None or (isinstance(antwoord, str) and not antwoord.strip()):
        return _leeg()
    if not isinstance(antwoord, str):
        return _wrong(t("oefening.feedback.geen_keuze"), t("oefening.feedback.onbekende_optie_hint",
                                                           opties=_option_list(vraag)))  # fmt: skip
    chosen = _find_option(vraag, antwoord)
    if chosen is None:
        return _unknown(vraag, antwoord)
    if chosen.code in vraag.goed:
        return _right(vraag)
    return _wrong(chosen.uitleg or vraag.fout or t("oefening.feedback.niet_deze"), chosen.hint or vraag.hint)


def _as_codes(vraag: Vraag, antwoord: object) -> list[Optie] | Feedback:
    if isinstance(antwoord, str):
        antwoord = [antwoord] if antwoord.strip() else []
    if antwoord is None or (isinstance(antwoord, list | tuple | set | frozenset) and not antwoord):
        return _leeg()
    if not isinstance(antwoord, list | tuple | set | frozenset) or not all(isinstance(a, str) for a in antwoord):
        return _wrong(t("oefening.feedback.geen_lijst"), t("oefening.feedback.onbekende_optie_hint",
                                                           opties=_option_list(vraag)))  # fmt: skip
    found = []
    for value in antwoord:
        chosen = _find_option(vraag, value)
        if chosen is None:
            return _unknown(vraag, value)
        found.append(chosen)
    return found


def _fragment_kind(vraag: Vraag, casus: str, optie: Optie) -> str:
    """What the privacy gate calls this fragment of the case ('een telefoonnummer'), or ''."""
    start = casus.find(optie.tekst)
    end = start + len(optie.tekst)
    labels = [f.label for f in privacy.scan(casus) if f.start < end and start < f.end]
    return labels[0] if labels else ""


def check_meerkeuze(vraag: Vraag, antwoord: object, casus: str = "") -> Feedback:
    chosen = _as_codes(vraag, antwoord)
    if isinstance(chosen, Feedback):
        return chosen
    codes = {o.code for o in chosen}
    missed = [o for o in vraag.opties if o.code in vraag.goed and o.code not in codes]
    extra = [o for o in vraag.opties if o.code in codes and o.code not in vraag.goed]
    if not missed and not extra:
        return _right(vraag)
    lines = []
    for optie in missed:
        kind = _fragment_kind(vraag, casus, optie) if vraag.privacy and casus else ""
        why = t("oefening.feedback.volgens_privacy", soort=kind) if kind else optie.uitleg
        lines.append(t("oefening.feedback.gemist", optie=optie.tekst, uitleg=why))
    lines += [t("oefening.feedback.teveel", optie=o.tekst, uitleg=o.uitleg or vraag.fout) for o in extra]
    first = (missed or extra)[0]
    return _wrong_points(lines, first.hint or vraag.hint)


def _strip_unit(text: str, eenheid: str = "") -> str:
    """'21 werkdagen', '35 procent', '35%' and '35 %' without their unit: the question's own or a common one."""
    folded = text.strip().casefold()
    units = sorted({u.casefold() for u in (eenheid, *UNITS) if u.strip()}, key=len, reverse=True)
    for unit in units:
        if folded.endswith(unit) and (not unit[-1].isalpha() or len(folded) == len(unit)
                                      or not folded[-len(unit) - 1].isalpha()):  # fmt: skip
            return text.strip()[: len(folded) - len(unit)].strip()
    return text.strip()


def _number(antwoord: object, eenheid: str = "") -> float | None:
    """The answer as a float: any real number (int, float, numpy, Decimal, Fraction) or a text as people type
    it. None when it is no number; a number too large for a float comes back as inf (never an exception)."""
    if isinstance(antwoord, bool):
        return None
    try:
        if isinstance(antwoord, numbers.Real | Decimal):
            return float(antwoord)
        if isinstance(antwoord, str):
            cleaned = _strip_unit(antwoord, eenheid).replace(" ", "")
            if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):  # 1.250 or 1.250,5: Dutch thousands
                cleaned = cleaned.replace(".", "")
            return float(cleaned.replace(",", "."))
    except OverflowError:  # 10**400, Fraction(10**400): a number, but not one a float can hold
        return math.inf
    except (ValueError, TypeError, ArithmeticError):  # 'veel', Decimal('sNaN')
        return None
    return None


def _shown(antwoord: object) -> str:
    """At most 40 characters of an answer, even of an integer too long for ``str`` (Python limits it)."""
    try:
        text = str(antwoord)
    except ValueError:  # an int of more than 4300 digits
        return "…"
    return text if len(text) <= 40 else text[:39] + "…"


def _fmt(value: float) -> str:
    return (f"{value:g}" if abs(value) < 1e9 else f"{value:.3g}").replace(".", ",")


def check_getal(vraag: Vraag, antwoord: object) -> Feedback:
    if antwoord is None or (isinstance(antwoord, str) and not antwoord.strip()):
        return _leeg()
    value = _number(antwoord, vraag.eenheid)
    shown = _shown(antwoord)
    if value is None:
        return _wrong(t("oefening.feedback.geen_getal", antwoord=shown), t("oefening.feedback.geen_getal_hint"))
    if not math.isfinite(value):
        return _wrong(t("oefening.controle.onbruikbaar", antwoord=shown), t("oefening.feedback.geen_getal_hint"))
    low = vraag.minimum if vraag.minimum is not None else -math.inf
    high = vraag.maximum if vraag.maximum is not None else math.inf
    if not low <= value <= high:
        return _wrong(t("oefening.feedback.absurd", antwoord=_fmt(value), minimum=_fmt(low), maximum=_fmt(high)),
                      t("oefening.feedback.absurd_hint"))  # fmt: skip
    if abs(value - vraag.goed) <= vraag.marge + 1e-9:
        return _right(vraag)
    if value < vraag.goed:
        return _wrong(vraag.te_laag or t("oefening.feedback.te_laag"), vraag.hint)
    return _wrong(vraag.te_hoog or t("oefening.feedback.te_hoog"), vraag.hint)


def _has_element(element: Element, text: str) -> bool:
    folded = text.casefold()
    words = set(re.findall(r"\w+", folded))
    if element.soort == "woorden":
        return any((w in words) if " " not in w and len(w) <= 3 else (w in folded) for w in element.woorden)
    if element.soort == "getal":
        return _has_count(folded)
    if element.soort == "vraag":
        return _has_question(folded)
    return not privacy.scan(text)


def _is_count(token: str) -> bool:
    """A number of at least 2, in digits or in words, that is not a year (19xx, 20xx)."""
    if token.isdigit():
        return int(token) >= 2 and not re.fullmatch(r"(19|20)\d\d", token)
    return token not in ("", "een", "en") and NUMBER_WORD.fullmatch(token) is not None


def _has_count(folded: str) -> bool:
    """A number of cases: a count not followed by a period ('drie maanden', 'twee weken') and not a year."""
    tokens = re.findall(r"\d+(?:[.,]\d+)*%?|\w+", folded)
    for n, token in enumerate(tokens):
        following = tokens[n + 1] if n + 1 < len(tokens) else ""
        number = token.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", token) else token
        if _is_count(number) and following not in DURATIONS:
            return True
    return False


def _has_question(folded: str) -> bool:
    """A question: a sentence (or clause, after ':' or ';') with a '?' that opens with a question word or a
    verb, or holds a question word."""
    for sentence in re.findall(r"[^.!?]*\?", folded):
        clauses = [re.findall(r"\w+", part) for part in re.split(r"[:;]", sentence)]
        if any(words and words[0] in QUESTION_STARTS for words in clauses):
            return True
        if any(w in QUESTION_WORDS for words in clauses for w in words):
            return True
    return False


def check_tekst(vraag: Vraag, antwoord: object) -> Feedback:
    if antwoord is None or (isinstance(antwoord, str) and not antwoord.strip()):
        return _leeg()
    if not isinstance(antwoord, str):
        return _wrong(t("oefening.feedback.geen_tekst"), vraag.hint)
    text = antwoord.strip()
    if len(text) > vraag.max_tekens:
        return _wrong(t("oefening.feedback.te_lang", lengte=len(text), maximum=vraag.max_tekens),
                      t("oefening.feedback.te_lang_hint"))  # fmt: skip
    problems = []
    if len(text) < vraag.min_tekens:
        problems.append((t("oefening.feedback.te_kort", lengte=len(text), minimum=vraag.min_tekens), vraag.hint))
    for element in vraag.elementen:
        if not _has_element(element, text):
            problems.append((_missing(element), element.hint))
    if not problems:
        return _right(vraag)
    return _wrong_points([message for message, _ in problems], problems[0][1])


def _missing(element: Element) -> str:
    """What a text still lacks; personal data found is said as it is, not as 'Ontbreekt: geen persoonsgegevens'."""
    if element.soort == "privacy":
        return t("oefening.feedback.nog_persoonsgegevens", uitleg=element.uitleg)
    return t("oefening.feedback.ontbreekt", naam=element.naam, uitleg=element.uitleg)


def _empty(antwoord: object) -> bool:
    if isinstance(antwoord, str):
        return not antwoord.strip()
    return antwoord is None or (isinstance(antwoord, list | tuple | set | frozenset | dict) and not antwoord)


def controleer(code: str, vraag_code: str, antwoord: object) -> Feedback:
    """Check one answer to question ``vraag_code`` of exercise ``code``."""
    exercise = oefening(code)
    vraag = exercise.vraag(vraag_code)
    if _empty(antwoord):
        return _leeg()
    if vraag.soort == "keuze":
        return check_keuze(vraag, antwoord)
    if vraag.soort == "meerkeuze":
        return check_meerkeuze(vraag, antwoord, exercise.casus)
    if vraag.soort == "getal":
        return check_getal(vraag, antwoord)
    return check_tekst(vraag, antwoord)


def juist(code: str, vraag_code: str, antwoord: object) -> bool:
    """True when the answer is right: the assertion in an nbgrader autograder cell."""
    return controleer(code, vraag_code, antwoord).goed
