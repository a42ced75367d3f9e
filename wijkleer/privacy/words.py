"""Small text helpers shared by the name and address detectors."""

from __future__ import annotations

import re

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēĕėęěğġģĥħĩīĭįıĵķĺļľŀłńņňŉōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž"
# a capitalised word ("Jansen", "Öztürk", "El-Amrani", "O'Neill"); acronyms (UWV, GGD) are not
CAP = rf"[{UPPER}](?:['’][{UPPER}])?[{LOWER}]+(?:-[{UPPER}{LOWER}][{LOWER}]+)*"
CAP_WORD = re.compile(rf"(?<![\w'’\-]){CAP}(?:(?=['’]s(?!\w))|(?![\w'’]))")  # also "Oumaima's"

_ABBREVIATIONS = set(
    [
        "mw",
        "mevr",
        "dhr",
        "fam",
        "dr",
        "mr",
        "drs",
        "ir",
        "ing",
        "prof",
        "geb",
        "nr",
        "st",
        "burg",
        "ca",
        "bijv",
        "o.a",
        "evt",
        "tel",
        "vs",
        "nl",
    ]
)


def sentence_start(text: str, position: int) -> bool:
    """Whether ``position`` opens a sentence, line or list item (where any word has a capital)."""
    k = position - 1
    while k >= 0 and (text[k].isspace() or text[k] in "\"'“”‘’([-*•–"):
        if text[k] == "\n":
            return True
        k -= 1
    if k < 0:
        return True
    char = text[k]
    if char in "!?:;\n":
        return True
    if char == ".":
        word = re.search(r"([\w.]*)$", text[:k]).group(1).lower()
        if re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", word):  # initials: "J. Jansen", "A.B. Jansen"
            return False
        return word not in _ABBREVIATIONS
    return False


def word_before(text: str, position: int) -> tuple[str, int] | None:
    """The whitespace-separated word just before ``position`` and where it starts."""
    match = re.search(r"(\S+)\s+$", text[max(0, position - 60) : position])
    if not match:
        return None
    return match.group(1), max(0, position - 60) + match.start(1)
