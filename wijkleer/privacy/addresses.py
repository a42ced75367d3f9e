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
    r"(?:\s?-?\s?(?:bis|hs|huis|bg|IV|I{1,3}|[a-zA-Z])(?![\w])|[-/]\d{1,3}(?!\d)|\s(?:I{1,3}|hs|bis)(?![\w]))?"
    r"(?![\w]|[.,:]\d|-\d|\s?%)"
)
_CAPITALISED = re.compile(rf"[{UPPER}][\w'’.\-]*")
_OPENING = "([\"'“‘"
# a street without a street word ("aan de Bree 126", "adres cliënt Ruigeplaatbos 55") counts after such a cue
_CUE = re.compile(
    r"(?:(?<![\w])(?:aan|op)\s+(?:de|het)|(?:woont|wonen|woonachtig|wonend|verblijft|adres|flat|woning)\b[^.!?;]{0,40})\s*:?\s*$",
    re.IGNORECASE,
)
# a number of years, times or money is no house number: "woont al 20 jaar"
_NOT_HOUSE_NUMBER_AFTER = re.compile(
    r"\d+\s*(?:jaar|jr|keer|uur|dagen|dag|weken|week|maanden|maand|minuten|euro|procent|%|kinderen|mensen)(?![\w])",
    re.IGNORECASE,
)
# street words that only name a street: "kerkstraat 12" in lower case still is one
_PLAIN_STREETS = ("straat", "laan", "plein", "gracht", "singel", "kade", "steeg", "dreef", "straatje")
_NOT_STREET_WORDS = frozenset(
    [
        "week",
        "artikel",
        "lid",
        "fase",
        "versie",
        "hoofdstuk",
        "pagina",
        "bus",
        "lijn",
        "tram",
        "spoor",
        "perron",
        "havo",
        "vwo",
        "vmbo",
        "mbo",
        "hbo",
        "klas",
        "groep",
        "niveau",
        "stap",
        "ronde",
        "periode",
        "kwartaal",
        "dag",
        "postbus",
        "antwoordnummer",
    ]
)


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
        stripped = word.lstrip(_OPENING)
        word, start = stripped, start + len(word) - len(stripped)
        lower = word.lower()
        if lower in lex.particles or lower in lex.street_prefixes or _CAPITALISED.fullmatch(word):
            chain.insert(0, (word, start))
            position = start
            continue
        break
    streets = [index for index, (word, _) in enumerate(chain) if _CAPITALISED.fullmatch(word) and _is_street(word, lex)]
    if not streets:
        return _cued_street(text, number_start, chain, lex)
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


def _cued_street(text: str, number_start: int, chain: list[tuple[str, int]], lex: Lexicon) -> int | None:
    """A street without a street word, or in lower case, right after "aan de", "op de", "woont", "adres" …"""
    if _NOT_HOUSE_NUMBER_AFTER.match(text, number_start):
        return None
    if not chain:  # "woont op de kade 210", "kerkstraat 12, utrecht": a lowercase street
        before = word_before(text, number_start)
        if before is None or not _is_street(before[0], lex):
            return None
        compound = before[0].lower().endswith(_PLAIN_STREETS) and before[0].lower() not in _PLAIN_STREETS
        return before[1] if compound or _CUE.search(text, 0, before[1]) else None
    first = 0
    while first < len(chain) - 1 and chain[first][0].lower() in lex.particles:
        first += 1
    words = [word for word, _ in chain[first:] if word.lower() not in lex.street_prefixes]
    if not any(_CAPITALISED.fullmatch(word) for word in words):
        return None
    if any(word in lex.not_names or word.lower() in _NOT_STREET_WORDS for word in words):
        return None
    start = chain[first][1]
    return start if _CUE.search(text, max(0, start - 80), start) else None


# an organisation's building: "Bibliotheek aan het Hofplein 2", "het gebouw aan de Hoofdstraat 1 is het gemeentehuis"
_BUILDING = re.compile(
    r"(?<![\w])(?:gebouw|buurthuis|wijkcentrum|bibliotheek|gemeentehuis|stadhuis|stadskantoor|loket|kantoor"
    r"|spreekuur|inloop\w*|school|kerk|moskee|ziekenhuis|apotheek|politiebureau|voedselbank|kringloop\w*"
    r"|supermarkt|huisartsenpraktijk|servicepunt|informatiepunt|\w*servicecentrum|inloophuis|svb|uwv|cak|duo"
    r"|belastingdienst|receptie|secretariaat|helpdesk|klantenservice|algemene\s+nummer)(?![\w])",
    re.IGNORECASE,
)
_RESIDENCE = re.compile(
    r"(?<![\w])(?:woont|wonen|woning|bewoner\w*|thuis|verhuis\w*|verblijft|cliënt\w*|client\w*|mevrouw|meneer|mw|dhr"
    r"|mevr|gezin|haar|zijn|hij|ze|zij|afgeleverd|bezorgd|huisbezoek)(?![\w])",
    re.IGNORECASE,
)


def organisation_context(text: str, start: int, end: int) -> bool:
    """A building word in the same sentence and no sign of someone living there."""
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 80, -1) + 1
    right = min(i for i in (text.find(".", end), text.find("\n", end), end + 60, len(text)) if i >= 0)
    sentence = text[left:start] + " " + text[end:right]
    return bool(_BUILDING.search(sentence)) and not _RESIDENCE.search(sentence)


def find_address(text: str) -> Iterator[Finding]:
    lex = lexicon()
    for match in _HOUSE_NUMBER.finditer(text):
        number = int(match.group("num"))
        if number == 0 or (1900 <= number <= 2100 and not match.group("nr") and match.end() - match.start() == 4):
            continue
        start = _street_start(text, match.start(), lex)
        if start is not None and not organisation_context(text, start, match.end()):
            yield Finding("address", start, match.end(), text[start : match.end()])
