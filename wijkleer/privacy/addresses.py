"""Detector for street addresses: a street name with a house number.

"Dorpsstraat 12", "Kerkweg 3a", "Oude Gracht 112-bis", "Laan van Meerdervoort 45", "Burgemeester de Withstraat
4 hs", "Kerkstraat nr. 7". A street is a capitalised word ending in a street word (straat, laan, weg, plein, …,
see ``data/privacy/regels.toml``) or starting with one ("Laan van …"). "artikel 12", "Wmo 2015", "team Noord 3"
and "week 12" are not addresses; nor is a street after "team" or "wijk" ("team Rozenhof 2").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wijkleer.privacy.finding import Finding
from wijkleer.privacy.lexicon import Lexicon, lexicon
from wijkleer.privacy.words import UPPER, word_before

_HOUSE_NUMBER = re.compile(
    r"(?<![\w.,\-])(?P<nr>(?:nr\.?|nummer|huisnummer)\s*)?(?P<num>\d{1,4})"
    r"(?:\s?-?\s?(?:bis|hs|huis|bg|[a-zA-Z])(?![\w])|[-/]\d{1,3}(?!\d)|\s(?:I{1,3}|hs|bis)(?![\w]))?"
    r"(?![\w]|[.,:]\d|-\d|\s?%)"
)
_CAPITALISED = re.compile(rf"[{UPPER}][\w'’.\-]*")


def _is_street(word: str, lex: Lexicon) -> bool:
    lower = word.lower().rstrip(",")
    base = lower.split("-")[0]
    if lower in lex.street_words:
        return True
    return any(
        part not in lex.not_streets and part.endswith(lex.street_suffixes) and len(part) > 4 for part in (lower, base)
    )


def _street_start(text: str, number_start: int, lex: Lexicon) -> int | None:
    """Where the street name before a house number starts, or None if no street name comes before it."""
    chain: list[tuple[str, int]] = []
    position = number_start
    for _ in range(6):
        before = word_before(text, position)
        if before is None:
            break
        word, start = before
        lower = word.lower()
        if lower in lex.particles or lower in lex.street_prefixes or _CAPITALISED.fullmatch(word):
            chain.insert(0, (word, start))
            position = start
            continue
        break
    streets = [index for index, (word, _) in enumerate(chain) if _CAPITALISED.fullmatch(word) and _is_street(word, lex)]
    if not streets:
        return None
    first = streets[0]
    # words before the street word belong to it when they are prefixes ("Burgemeester de …", "Oude …")
    while first > 0:
        word = chain[first - 1][0].lower()
        if word in lex.street_prefixes or (word in lex.particles and first > 1):
            first -= 1
        else:
            break
    while first < len(chain) and chain[first][0].lower() in lex.particles and chain[first][0][0].islower():
        first += 1
    start = chain[first][1]
    before = word_before(text, start)
    if before is not None and before[0].lower() in lex.no_person_before:
        return None
    return start


def find_address(text: str) -> Iterator[Finding]:
    lex = lexicon()
    for match in _HOUSE_NUMBER.finditer(text):
        number = int(match.group("num"))
        if number == 0 or (1900 <= number <= 2100 and not match.group("nr") and match.end() - match.start() == 4):
            continue
        start = _street_start(text, match.start(), lex)
        if start is not None:
            yield Finding("address", start, match.end(), text[start : match.end()])
