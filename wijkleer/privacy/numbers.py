"""Detectors for numbers and codes: BSN, IBAN, phone number, e-mail address and postcode.

BSN and IBAN are only reported when their checksum holds (``python-stdnum``): a 9-digit order number that
fails the elfproef is not a BSN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from wijkleer.privacy.addresses import organisation_context
from wijkleer.privacy.finding import Finding

# a run of digit groups joined by single separators, not part of an amount ("123.456,50"); letters may touch it
# ("bsn123456782"), but a longer run of digits is never split
_DIGIT_RUN = re.compile(r"(?<![\d,])\d+(?:(?:[ .\-/–]| ?[\-–/] ?)\d+)*(?!\d)(?!,\d)")
_DIGITS = re.compile(r"\d+")
_BSN_CUE = re.compile(r"(?:bsn|burgerservice|sofi)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:€|eur|euro)\s*$", re.IGNORECASE)


def find_bsn(text: str) -> Iterator[Finding]:
    """Nine digits (or eight, after the word BSN) passing the elfproef, in groups that are never split."""
    for run in _DIGIT_RUN.finditer(text):
        if _MONEY_BEFORE.search(text, max(0, run.start() - 6), run.start()):
            continue
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _DIGITS.finditer(run.group())]
        cue = None
        i = 0
        while i < len(groups):
            total = 0
            for j in range(i, len(groups)):
                total += groups[j][1] - groups[j][0]
                if total > 9:
                    break
                if total == 8:
                    if cue is None:
                        cue = bool(_BSN_CUE.search(text, max(0, run.start() - 40), run.start()))
                    if not cue:
                        continue
                elif total != 9:
                    continue
                start, end = groups[i][0], groups[j][1]
                if stdnum_bsn.is_valid(re.sub(r"\D", "", text[start:end])):
                    yield Finding("bsn", start, end, text[start:end])
                    i = j
                    break
            i += 1


_IBAN_CANDIDATE = re.compile(r"(?<![0-9])[A-Za-z]{2} ?\d{2}(?:[ \-]?[A-Za-z0-9]){10,32}")


def find_iban(text: str) -> Iterator[Finding]:
    """A country code, two check digits and an account, with or without spaces; mod-97 must hold."""
    position = 0
    while match := _IBAN_CANDIDATE.search(text, position):
        found = _iban_at(text, match)
        if found:
            yield found
        position = found.end if found else match.start() + 1


def _iban_at(text: str, match: re.Match[str]) -> Finding | None:
    chars = [(match.start() + k) for k, c in enumerate(match.group()) if c.isalnum()]
    compact = "".join(text[k] for k in chars).upper()
    # the longest valid prefix that is not followed by more digits
    for length in range(len(compact), 11, -1):
        end = chars[length - 1] + 1
        if end < len(text) and text[end].isdigit():
            continue
        if stdnum_iban.is_valid(compact[:length], check_country=False):
            return Finding("iban", match.start(), end, text[match.start() : end])
    return None


_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+\s?|00|\(0|0)\d[\d \-–./()]{6,24}\d")
_DATE_START = re.compile(r"(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\1\d{2,4}(?!\d)")
# free, paid and company-wide service numbers belong to organisations, never to a person
_SERVICE = ("0800", "0900", "0906", "0909", "088")


def _phone_end(candidate: str, counts: tuple[int, ...]) -> int | None:
    """Index just after the last digit that completes one of ``counts`` digits where a group of digits ends."""
    seen = 0
    found = None
    for index, char in enumerate(candidate):
        if char.isdigit():
            seen += 1
            if seen in counts and (index + 1 == len(candidate) or not candidate[index + 1].isdigit()):
                found = index + 1
    return found


def _dutch_digits(candidate: str) -> tuple[str, int]:
    """The national digits ("0612345678") and how many leading characters the country code took."""
    match = re.match(r"(?:\+\s?|00)31[ \-.]?(?:\(0\)[ \-.]?|0[ \-.]?)?", candidate)
    if match:
        return "0" + re.sub(r"\D", "", candidate[match.end() :]), match.end()
    return re.sub(r"\D", "", candidate), 0


def find_phone(text: str) -> Iterator[Finding]:
    """Dutch mobile and landline numbers (06…, 0xx…, +31, 0031, "(0)") and other +xx numbers.

    Service numbers (0800, 0900, 088, 14 0xx) are an organisation's, not a person's, and are left alone, as is a
    landline in a sentence about an office ("SVB servicecentrum: 030 …") that mentions no one who lives there.
    """
    position = 0
    while match := _PHONE_CANDIDATE.search(text, position):
        end = _phone_at(match.group().split("  ")[0])
        if end is None:
            position = match.start() + 1
            continue
        found = Finding("phone", match.start(), match.start() + end, text[match.start() : match.start() + end])
        # a landline in a sentence about an office or service, with no one living or called there
        if found.text.lstrip("(").startswith("06") or not organisation_context(text, found.start, found.end):
            yield found
        position = match.start() + end


def _phone_at(candidate: str) -> int | None:
    """How long the phone number at the start of ``candidate`` is, or None if it is not one."""
    if _DATE_START.match(candidate) and not candidate.startswith("06"):
        return None
    international = re.match(r"(?:\+\s?|00)(\d{2,3})", candidate)
    if international and not international.group(1).startswith("31"):
        skip, counts = 0, tuple(range(10, 16))
    else:
        national, skip = _dutch_digits(candidate)
        if len(national) < 8 or national[1] == "0" or national.startswith(_SERVICE):
            return None
        counts = (10,)
        if skip:  # the "0" that +31 stands for is not written
            counts = tuple(n - 1 for n in counts)
    rest = _phone_end(candidate[skip:], counts)
    return None if rest is None else skip + rest


_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?![\w@])")
# written so a machine would not read it: "jan punt jansen at home punt nl", "j.jansen(at)ziggo(dot)nl",
# "j.jansen @ gmail . com"; the top-level domain must then be a common one
_DOT = r"(?:\s*\.\s*|\s+(?:punt|dot)\s+|\s*[(\[]\s*(?:punt|dot)\s*[)\]]\s*)"
_AT = r"(?:\s*@\s*|\s*[(\[]\s*at\s*[)\]]\s*|\s+(?:at|apenstaartje)\s+)"
_TLD = r"(?:nl|com|net|org|be|de|eu|info|fr|uk|pl|tr|ma|sr|biz|online|email)"
_EMAIL_WRITTEN = re.compile(
    rf"(?<![\w.%+\-])[\w%+\-]+(?:{_DOT}[\w%+\-]+)*{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*?{_DOT}{_TLD}(?![\w@])",
    re.IGNORECASE,
)
_OBFUSCATED = re.compile(r"@|\bat\b|apenstaartje", re.IGNORECASE)
# the start of a functional mailbox: a team or service desk, not a person
_FUNCTIONAL = re.compile(
    r"(?:info|privacy|fg|wijkteam|buurtteam|jeugdteam|gebiedsteam|team|servicedesk|helpdesk|klantenservice"
    r"|contact|secretariaat|administratie|aanmeld|aanvragen|post|noreply|no-reply|receptie|planning|loket"
    r"|gemeente|klachten|meldpunt|support|zorgloket|wmo|schuldhulp|intake|algemeen|office|mail)(?![a-z])",
    re.IGNORECASE,
)


def find_email(text: str) -> Iterator[Finding]:
    """A person's e-mail address, also when written out ("at", "(at)", "apenstaartje", "punt", spaces).

    Functional mailboxes (info@, privacy@, wijkteam-noord@) are left alone.
    """
    patterns = (_EMAIL, _EMAIL_WRITTEN) if _OBFUSCATED.search(text) else ()
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not _FUNCTIONAL.match(match.group()):
                yield Finding("email", match.start(), match.end(), match.group())


_POSTCODE = re.compile(r"(?<![\w€$.,/\-])([1-9]\d{3})(\s?|\s?-\s?)([A-Za-z]{2})(?![\w])")
_POSTCODE_CUE = re.compile(
    r"(?:postcode|adres|woont|woonachtig|verhuisd|wonend|woning|inschrijving|ingeschreven|woonplaats|\bpc|\bpost)"
    r"\b[^.!?;]*$",
    re.IGNORECASE,
)
# an organisation's post box or reply number: "Postbus 8, 3300 AA Dordrecht"
_POST_BOX = re.compile(r"(?:postbus|antwoordnummer)\s*\d+\s*,?\s*$", re.IGNORECASE)
_PLACE_AFTER = re.compile(r"\s+[A-Z][a-z]{2,}")
# lowercase two-letter words that often follow a number in ordinary Dutch ("2024 en", "12 op")
_SMALL_WORDS = set(
    ["en", "op", "in", "na", "om", "te", "of", "ze", "je", "de", "al", "nu", "zo", "er", "is", "ik", "we", "ca", "pp"]
)
_UNITS = set(
    ["km", "kg", "mg", "ml", "cm", "mm", "gr", "kb", "mb", "gb", "kw", "pk", "uu", "st", "cc", "hz", "ha", "nm", "ct"]
)
# letter pairs no postcode has (SA, SD, SS) and abbreviations that follow a number in capitals ("1800 HH" households)
_NOT_POSTCODE_LETTERS = {"SA", "SD", "SS"}
_ABBREVIATIONS = {"HH", "EU", "PP", "KG", "KM", "MG", "BV", "NV", "CM", "MM", "ML", "KB", "MB", "GB", "KW"}


def find_postcode(text: str) -> Iterator[Finding]:
    """Postcodes "1234 AB", "1234AB" and "1234-AB"; lowercase only written together, before a place or after a cue.

    A post box or reply number ("Postbus 8, 3300 AA") is an organisation's and is left alone.
    """
    for match in _POSTCODE.finditer(text):
        digits, space, letters = match.groups()
        post_box = _POST_BOX.search(text, max(0, match.start() - 30), match.start())
        if letters.upper() in _NOT_POSTCODE_LETTERS or post_box:
            continue
        cue = bool(_POSTCODE_CUE.search(text, max(0, match.start() - 30), match.start()))
        together = space.strip() == "-" or not space
        place = bool(_PLACE_AFTER.match(text, match.end()))
        if letters.isupper():
            ok = together or cue or place or letters not in _ABBREVIATIONS
        elif letters.islower():
            ok = letters not in _UNITS | _SMALL_WORDS and (cue or together or place)
            # "ca" is also "circa": a postcode only after a cue and without the abbreviation's full stop
            ok = ok or (cue and letters in _UNITS | {"ca"} and not text.startswith(".", match.end()))
        else:
            ok = cue
        if ok:
            yield Finding("postcode", match.start(), match.end(), match.group())
