"""Detector for person names.

A name is found through
- a title or form of address: "mevrouw De Vries", "dhr. Jansen", "mw. A. Bakker", "de familie Yilmaz";
- initials: "J. de Vries", "A.B. Jansen", "Th. van der Meer";
- a known first name (``data/privacy/voornamen.txt``): "Fatima", "Jan de Vries". A first name that is also an
  ordinary word ("Roos", "Mark", "Bas") counts only mid-sentence, after a title, or with a surname after it;
- a known surname (``achternamen.txt``), mid-sentence or when it is not also an ordinary word;
- a relation word: "zoon Noah", "cliënt Bakker", "buurvrouw Öztürk";
- a surname particle mid-sentence: "met De Groot", "van der Linden belde".
Words in ``geen_namen.txt`` (teams, wijken, laws, agencies, places, days, months) never count as a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from wijkleer.privacy.finding import Finding
from wijkleer.privacy.lexicon import Lexicon, lexicon
from wijkleer.privacy.lowercase import lower_case_spans
from wijkleer.privacy.places import not_a_person, organisation_spans
from wijkleer.privacy.words import CAP, CAP_WORD, UPPER, sentence_start, word_before

_INITIALS = rf"(?:(?:[{UPPER}]\.\s?){{1,4}}|(?:Th|Chr|Ch|Ph|Joh|Jac|Corn|Hendr|Wm|Fr)\.\s?)"
_CAPITAL_PARTICLES = r"(?:Van der|Van den|Van de|Van het|Van 't|Van|De|Den|Der|Ter|Ten|El|Al)"
_LOWER_PARTICLES = r"(?:van der|van den|van 't|ter|ten)"
# "Hans van de Woningstichting": the words after a first name are no surname
_ORGANISATION_ENDINGS = (
    "stichting",
    "corporatie",
    "groep",
    "team",
    "dienst",
    "bank",
    "raad",
    "school",
    "centrum",
    "loket",
)
_WITH_AGE = re.compile(
    rf"(?<![\w'’\-])(?P<cap>{CAP})\s*\(\s*(?:\d{{1,2}}(?:\s*(?:jr|jaar)\.?)?|cliënte?|client|moeder|vader|zoon|dochter)\s*[,)]"
)
_NUMBER_AFTER = re.compile(r"\s*(?:nr\.?\s*)?\d")
_INITIALS_TIGHT = _INITIALS.replace(r"\s?", "")


@dataclass(frozen=True)
class _Patterns:
    title: re.Pattern[str]
    initials: re.Pattern[str]
    relation: re.Pattern[str]
    profession: re.Pattern[str]
    capital_particle: re.Pattern[str]
    lower_particle: re.Pattern[str]
    right: re.Pattern[str]
    left_word: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    lex = lexicon()
    part = "(?i:" + "|".join(re.escape(p) for p in lex.particles) + ")"
    titles = "|".join(re.escape(title) for title in lex.titles)
    relations = "|".join(re.escape(word) for word in sorted(lex.relation_words, key=len, reverse=True))
    professions = "|".join(re.escape(word) for word in sorted(lex.professions, key=len, reverse=True))
    return _Patterns(
        title=re.compile(
            rf"(?<![\w])(?i:{titles})(?![\w])\s*(?:{_INITIALS}\s*)?(?P<parts>(?:{part}\s+)*)(?P<cap>{CAP})"
        ),
        initials=re.compile(rf"(?<![\w.])(?P<ini>{_INITIALS})\s*(?:{part}\s+)*(?P<cap>{CAP})"),
        relation=re.compile(rf"(?<![\w])(?i:{relations})\s+(?P<rest>(?:{part}\s+)*)(?P<cap>{CAP})"),
        profession=re.compile(rf"(?<![\w])(?i:{professions})\s+(?P<cap>{CAP})(?![\w'’])"),
        capital_particle=re.compile(rf"(?<![\w]){_CAPITAL_PARTICLES}\s+(?:{part}\s+)*(?P<cap>{CAP})"),
        lower_particle=re.compile(rf"(?<![\w]){_LOWER_PARTICLES}\s+(?P<cap>{CAP})"),
        right=re.compile(rf"[ \t]+(?:{part}[ \t]+)*(?P<cap>{CAP})(?![\w'’])"),
        left_word=re.compile(rf"(?:{part}|{_INITIALS_TIGHT})$"),
    )


def _street_like(word: str, lex: Lexicon) -> bool:
    lower = word.lower()
    return lower in lex.street_words or (lower not in lex.not_streets and lower.endswith(lex.street_suffixes))


def _surname_like(word: str, lex: Lexicon, text: str = "", end: int = 0) -> bool:
    """Could be a surname: not a listed non-name, and not a street name with a house number after it."""
    if word in lex.not_names or word.lower().endswith(_ORGANISATION_ENDINGS):
        return False
    return not (_street_like(word, lex) and _NUMBER_AFTER.match(text, end))


def _after_place_word(text: str, start: int, lex: Lexicon) -> bool:
    """Whether a word like "buurthuis" or "team" comes just before (particles in between are skipped)."""
    before = word_before(text, start)
    while before is not None and before[0].lower() in lex.particles:
        before = word_before(text, before[1])
    return before is not None and before[0].lower().strip(",") in lex.no_person_before


def _in_organisation_name(text: str, start: int, lex: Lexicon) -> bool:
    """An organisation ("Woonstichting De Key"): a capitalised word that is no name comes before the particle."""
    before = word_before(text, start)
    if before is None or not CAP_WORD.fullmatch(before[0]):
        return False
    if sentence_start(text, before[1]) and before[0] in lex.not_names:  # "Met De Groot …"
        return False
    return before[0] not in lex.first_names and before[0].lower() not in lex.titles


def _initial_after_label(text: str, match: re.Match[str], lex: Lexicon) -> bool:
    """A single letter after a labelling word is no initial: "bijlage B. Overzicht", "groep A. Daarna"."""
    if len(match.group("ini").strip()) != 2:
        return False
    before = word_before(text, match.start())
    return before is not None and before[0].lower() in lex.no_initial_after


def _extend_right(text: str, end: int, lex: Lexicon) -> int:
    patterns = _patterns()
    for _ in range(3):
        match = patterns.right.match(text, end)
        if not match or not _surname_like(match.group("cap"), lex, text, match.end()):
            break
        end = match.end()
    return end


def _extend_left(text: str, start: int) -> int:
    patterns = _patterns()
    for _ in range(4):
        before = word_before(text, start)
        if before is None or not patterns.left_word.fullmatch(before[0]):
            break
        start = before[1]
    return start


def _core_spans(text: str, lex: Lexicon) -> Iterator[tuple[int, int]]:
    patterns = _patterns()
    for match in patterns.title.finditer(text):
        if match.group("cap") not in lex.not_names or match.group("parts"):  # "Mw. Van Rijn"
            yield match.start(), match.end()
    for match in _WITH_AGE.finditer(text):  # "Kofi (19)", "Jan-Willem (cliënt)"
        if match.group("cap") not in lex.not_names:
            yield match.start("cap"), match.end("cap")
    yield from lower_case_spans(text)
    for match in patterns.initials.finditer(text):
        compact = re.sub(r"\s", "", match.group("ini")).lower()
        if (
            compact not in lex.not_initials
            and _surname_like(match.group("cap"), lex, text, match.end())
            and not _initial_after_label(text, match, lex)
        ):
            yield match.start(), match.end()
    for match in patterns.relation.finditer(text):
        if _surname_like(match.group("cap"), lex, text, match.end()) and (
            match.group("rest") or match.group("cap") not in lex.ambiguous
        ):
            yield match.start("rest"), match.end()
    for match in patterns.profession.finditer(text):
        cap = match.group("cap")
        if cap not in lex.ambiguous and _surname_like(cap, lex, text, match.end()):
            yield match.start("cap"), match.end()
    for pattern in (patterns.capital_particle, patterns.lower_particle):
        for match in pattern.finditer(text):
            if (
                _surname_like(match.group("cap"), lex, text, match.end())
                and not sentence_start(text, match.start())
                and not _after_place_word(text, match.start(), lex)
                and not _in_organisation_name(text, match.start(), lex)
            ):
                yield match.start(), match.end()
    yield from _word_spans(text, lex)


def _word_spans(text: str, lex: Lexicon) -> Iterator[tuple[int, int]]:
    """Known first names and surnames."""
    for match in CAP_WORD.finditer(text):
        word = match.group()
        is_first = word in lex.first_names
        if (not is_first and word not in lex.surnames) or word in lex.not_names:
            continue
        if word not in lex.ambiguous:
            yield match.start(), match.end()
            continue
        extended = _extend_right(text, match.end(), lex)
        if extended > match.end() and is_first:
            yield match.start(), extended
        elif not sentence_start(text, match.start()) and not _after_place_word(text, match.start(), lex):
            yield match.start(), match.end()


def find_name(text: str) -> Iterator[Finding]:
    lex = lexicon()
    spans = sorted((_extend_left(text, start), _extend_right(text, end, lex)) for start, end in _core_spans(text, lex))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1] : start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    organisations = organisation_spans(text)
    for start, end in merged:
        if not not_a_person(text, start, end, organisations):
            yield Finding("name", start, end, text[start:end])
