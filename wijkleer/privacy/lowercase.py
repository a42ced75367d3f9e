"""Names typed in lower case: "mw kaya", "meneer van den berg", "moeder van jayden", "kind (noah)".

A lower-case word is only a name where the context says a person is meant (a title, a relation word, brackets
after one) and the word is a known first name or surname that is not also an ordinary word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from wijkleer.privacy.lexicon import Lexicon, lexicon

_LOWER_WORD = r"[a-zß-öø-ÿ][a-zß-öø-ÿ'’\-]+"
# particles that only occur in surnames: after a title they make the next word a name whatever it is
_STRONG = r"(?:van der|van den|van 't|in 't|den|ter|ten|'t)"


def _known(word: str, lex: Lexicon) -> bool:
    cap = word[:1].upper() + word[1:]
    return (
        word not in lex.ordinary_words
        and cap not in lex.ambiguous
        and cap not in lex.not_names
        and (cap in lex.first_names or cap in lex.surnames)
    )


_SURNAME_ENDINGS = ("dijk", "berg", "stra", "sma", "inga", "kamp", "veld", "horst", "hout", "bosch", "broek", "beek")
_SURNAME_ENDINGS += ("ink", "meijer", "huis", "hof", "gaard", "wijk")


def _surname(word: str, lex: Lexicon) -> bool:
    """After a title: a known surname even if it is also a word ("fam. bakker"), or a surname's typical ending."""
    cap = word[:1].upper() + word[1:]
    if word in lex.ordinary_words or cap in lex.not_names:
        return False
    return cap in lex.surnames or (len(word) > 6 and word.endswith(_SURNAME_ENDINGS))


def _first_name(word: str, lex: Lexicon) -> bool:
    cap = word[:1].upper() + word[1:]
    return (
        word not in lex.ordinary_words
        and cap in lex.first_names
        and cap not in lex.ambiguous
        and cap not in lex.not_names
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    titles = "|".join(re.escape(title) for title in lex.titles)
    relations = "|".join(re.escape(w) for w in sorted(lex.relation_words | lex.professions, key=len, reverse=True))
    parts = "|".join(re.escape(p) for p in lex.particles)
    title = re.compile(
        rf"(?<![\w])(?i:{titles})(?![\w])\s*(?P<parts>(?:(?:{parts})\s+)*)(?P<w>{_LOWER_WORD})(?:\s+(?P<w2>{_LOWER_WORD}))?"
    )
    relation = re.compile(rf"(?<![\w])(?i:{relations})\s+(?:van\s+)?(?P<w>{_LOWER_WORD})(?![\w])")
    bracket = re.compile(rf"(?:(?<![\w])(?:met|en)\s+|\(\s*)(?P<w>{_LOWER_WORD})(?![\w])")
    return title, relation, bracket


def lower_case_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of lower-case names; the caller merges them with the other name spans."""
    lex = lexicon()
    title, relation, bracket = _patterns()
    for match in title.finditer(text):
        word, second = match.group("w"), match.group("w2")
        strong = re.fullmatch(rf"(?:{_STRONG}\s+)+", match.group("parts").lower() or "-")
        surname_after_particle = match.group("parts") and word[:1].upper() + word[1:] in lex.surnames  # "fam. de jong"
        if (
            (strong and word not in lex.ordinary_words)
            or surname_after_particle
            or _known(word, lex)
            or _surname(word, lex)
        ):
            end = match.end("w2") if second and _known(second, lex) else match.end("w")
            yield match.start("parts") if match.group("parts") else match.start("w"), end
        elif second and _known(second, lex) and word not in lex.ordinary_words:  # "mevrouw ngoc tran"
            yield match.start("w"), match.end("w2")
    for match in relation.finditer(text):
        if _first_name(match.group("w"), lex):
            yield match.start("w"), match.end("w")
    for match in bracket.finditer(text):  # "kind (noah)", "gesprek met ilona"
        if _first_name(match.group("w"), lex):
            yield match.start("w"), match.end("w")
