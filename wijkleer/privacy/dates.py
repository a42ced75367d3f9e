"""Detector for dates of birth.

A date counts as a date of birth when
1. a birth cue comes shortly before it ("geboren 12-03-1984", "geb. 3 maart 1984", "geboortedatum: 1984-03-12",
   also "geboren in maart 1984"); or
2. it stands in brackets right after a name-like word ("Jansen (12-03-1984)"); or
3. it is a full date at least twelve years ago that no "per", "sinds", "op", "van", … introduces: in a
   knelpunt, such an old date is almost always someone's birthday. Meeting and decision dates ("op 12 maart",
   "besluit van 01-02-2025") and ages ("34 jaar") are not dates of birth.
A year alone counts only after "geboortejaar".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache

from wijkleer.privacy.finding import Finding
from wijkleer.privacy.lexicon import lexicon

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    rf"""(?<![\w\-/.])(?:
        (?P<d1>\d{{1,2}})(?P<s>[-/.])(?P<m1>\d{{1,2}})(?P=s)(?P<y1>\d{{4}}|\d{{2}})
      | (?P<y2>\d{{4}})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})
      | (?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTHS})\.?\s+(?P<y3>\d{{4}}|['’]\d{{2}})
      | (?P<m4>{_MONTHS})\.?\s+(?P<y4>\d{{4}})
    )(?![\w\-/])""",
    re.IGNORECASE | re.VERBOSE,
)
_YEAR = r"((?:19|20)\d{2}|['’]\d{2})(?![\d\-/.]\d)(?!\d)"
# a year of birth: "geboortejaar 1984", "geb. 1952", "geb '38", "geboren in 1948", "°1938", "hij is van '64"
_BIRTH_YEAR = re.compile(
    rf"(?:(?<![\w])(?:geboortejaar|geboren(?:\s+in)?|geb\.?|gb\.)\s*:?\s*|(?<!\d)°\s?|(?<![\w])(?:is|ben|was)\s+van\s+(?=['’])){_YEAR}",
    re.IGNORECASE,
)
# "geboren" after a group is a cohort, not a person: "jongeren geboren in 2006"
_COHORT = re.compile(
    r"(?:jongeren|kinderen|mensen|inwoners|ouderen|babyboomers|generatie|cohort|iedereen|allen|alle|die|personen"
    r"|leerlingen|cliënten|vrouwen|mannen|meisjes|jongens)\s+$"
    r"|(?:idee|plan|project|initiatief|concept|voorstel)\s+(?:is\s+|was\s+)?$",
    re.IGNORECASE,
)
# "geboren op 15-3": a birthday without the year
_DAY_MONTH = re.compile(r"(?<![\w])(?:geboren|geb\.?)\s+(?:op\s+)?(\d{1,2}[-/]\d{1,2})(?![\d\-/])", re.IGNORECASE)
# "is van 2 december 2009": a person "is of" the date they were born
_IS_OF = re.compile(r"(?<![\w])(?:is|ben|zijn|was)\s+van\s*$", re.IGNORECASE)
_BRACKET_AFTER_NAME = re.compile(r"[A-ZÀ-Þ][^\W\d_]+\s*\(\s*$")


@cache
def _cue_pattern() -> re.Pattern[str]:
    cues = "|".join(re.escape(cue) for cue in lexicon().birth_cues)
    return re.compile(rf"(?<![\w])(?:{cues})(?![\w])[^.!?;]*$|(?<![\w])(?:{cues})$", re.IGNORECASE)


@cache
def _cue_after() -> re.Pattern[str]:
    cues = "|".join(re.escape(cue) for cue in lexicon().birth_cues)
    return re.compile(rf"[^.!?;]{{0,30}}(?<![\w])(?:{cues})(?![\w])", re.IGNORECASE)


@cache
def _no_birth_before() -> re.Pattern[str]:
    words = "|".join(re.escape(word) for word in sorted(lexicon().no_birth_before, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{words})\s*:?\s*$", re.IGNORECASE)


def _year(match: re.Match[str]) -> int | None:
    raw = (match.group("y1") or match.group("y2") or match.group("y3") or match.group("y4")).lstrip("'’")
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year <= date.today().year % 100 else 1900
    return year if 1900 <= year <= date.today().year else None


def _valid_day_month(match: re.Match[str]) -> bool:
    day = match.group("d1") or match.group("d2") or match.group("d3")
    month = match.group("m1") or match.group("m2")
    if day is not None and not 1 <= int(day) <= 31:
        return False
    return month is None or 1 <= int(month) <= 12


def find_birthdate(text: str) -> Iterator[Finding]:
    for match in _BIRTH_YEAR.finditer(text):  # "geboortejaar 1984": a year of birth alone also identifies
        if not _COHORT.search(text, max(0, match.start() - 20), match.start()):
            yield Finding("birthdate", match.start(1), match.end(1), match.group(1))
    for match in _DAY_MONTH.finditer(text):
        yield Finding("birthdate", match.start(1), match.end(1), match.group(1))
    for match in _DATE.finditer(text):
        year = _year(match)
        if year is None or not _valid_day_month(match):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        full = match.group("m4") is None
        if _COHORT.search(text, max(0, match.start() - 40), match.start()):
            continue
        if (
            _cue_pattern().search(before)
            or (full and year <= date.today().year - 12 and _IS_OF.search(before))
            or _cue_after().match(text, match.end())
            or (full and _BRACKET_AFTER_NAME.search(before))
            or (full and year <= date.today().year - 12 and not _no_birth_before().search(before))
        ):
            yield Finding("birthdate", match.start(), match.end(), match.group())
