"""Names that are not a person: institutions, shops, streets, schools and commissions named after one.

"het Antoni van Leeuwenhoek", "Albert Heijn", "De Jan Steenstraat", "Pieter Baan Centrum", "rapport-Van Dam",
"Max Havelaar-koffie". A form of address right before the name ("meneer Hans Anders") keeps it a person.
"""

from __future__ import annotations

import re
from functools import cache

from wijkleer.privacy.lexicon import Lexicon, lexicon

# words for an institution after a name: "Catharina Ziekenhuis", "Pieter Baan Centrum", "Koning Willem I College"
_INSTITUTION_WORDS = (
    r"(?:\w*ziekenhuis|\w*kliniek|gasthuis|godshuis|huis|centrum|college|school|stichting|fonds|foundation"
    r"|instituut|academie|lyceum|gymnasium|mc|umc|ggz|zorg|kerk|moskee|bibliotheek|museum|theater|prijs|lezing)"
)
_INSTITUTION_AFTER = re.compile(
    rf"(?:\s+(?:[IVX]{{1,3}}|[A-Z][\w'’\-]*))?[\s\-]+{_INSTITUTION_WORDS}(?![\w])", re.IGNORECASE
)
# a compound place after or as the last word of the name: "Jan Steenstraat", "Jan Ligthartschool", "Kannerhuis"
# (only endings no Dutch surname has: "Hoogendijk", "Westerveld", "Van der Wal" and "Nijhuis" are people)
_PLACE_SUFFIX = ("school", "kliniek", "college", "centrum", "ziekenhuis", "fonds")
_STREET_SUFFIX = ("straat", "straatje", "laan", "laantje", "plein", "pleintje", "gracht", "kade", "singel", "steeg")
_STREET_SUFFIX += ("dreef", "plantsoen", "boulevard", "allee", "burgwal", "promenade")
# "rapport-Van Dam", "commissie-Donner", "motie-Omtzigt", "wet-Klijnsma": a document or body named after someone
_NAMED_AFTER = re.compile(
    r"(?:commissie|rapport|motie|wet|amendement|kabinet|akkoord|plan|advies|regeling|norm|methode|model|prijs)-\s*$",
    re.IGNORECASE,
)
# "het Antoni van Leeuwenhoek" (an article before a name makes it a thing), "de Prins Bernhard brug" (royals and saints)
_NOT_PERSON_FIRST = ("het", "'t", "prins", "prinses", "koning", "koningin", "sint", "st.")
_NEXT_WORD = re.compile(r"[ \t]+([\w'’\-]+)")


@cache
def _organisation_pattern() -> re.Pattern[str] | None:
    names = lexicon().organisations
    if not names:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.IGNORECASE)


@cache
def _title_start() -> re.Pattern[str]:
    titles = "|".join(re.escape(title) for title in lexicon().titles)
    return re.compile(rf"(?i:{titles})(?![\w])")


def organisation_spans(text: str) -> list[tuple[int, int]]:
    pattern = _organisation_pattern()
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def _street_or_place(word: str, lex: Lexicon) -> bool:
    lower = word.lower()
    if lower in lex.not_streets:
        return False
    return len(lower) > 5 and lower.endswith(_STREET_SUFFIX + _PLACE_SUFFIX)


def not_a_person(text: str, start: int, end: int, organisations: list[tuple[int, int]]) -> bool:
    """Whether the name span ``text[start:end]`` names an institution, a place or a commission, not a person."""
    lex = lexicon()
    span = text[start:end]
    if _title_start().match(span):
        return False
    words = span.split()
    if any(s < end and start < e for s, e in organisations):
        return True
    leading = [word.lower() for word in words[:2]]
    if (
        leading[0] in _NOT_PERSON_FIRST
        or leading[-1] in _NOT_PERSON_FIRST[2:]
        or _NAMED_AFTER.search(text, max(0, start - 20), start)
    ):
        return True
    if words[0].lower() in lex.street_words or _street_or_place(words[0], lex) or _street_or_place(words[-1], lex):
        return True
    if re.search(r"-[a-zà-ÿ]{4,}$", words[-1]) and words[-1].split("-")[-1] not in lex.particles:
        return True  # "Max Havelaar-koffie"
    next_word = _NEXT_WORD.match(text, end)
    if next_word and next_word.group(1)[0].isupper() and _street_or_place(next_word.group(1), lex):
        return not re.match(r"\s*\d", text[next_word.end() :])  # "Jan Steenstraat", but "… Steenstraat 5" lives there
    return bool(_INSTITUTION_AFTER.match(text, end))
