"""Which characters a stored text may hold: only those every file wijkleer writes can carry.

XML 1.0 (inside every .xlsx) forbids C0 controls other than tab, newline and carriage return, lone surrogates
and the noncharacters U+FFFE/U+FFFF; UTF-8 (CSV, HTML, PDF metadata) cannot encode a lone surrogate at all; and
PostgreSQL stores no NUL. One such character in one knelpunt would break the Excel export of the whole database.

The model refuses these characters when text is typed or imported (``unsafe``); every export writer also passes
text through ``readable``, so a database written before this rule still exports (a visible U+FFFD in place of
each such character)."""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"  # the replacement character: visible, and valid in every format
KEPT_CONTROLS = "\t\n\r"

# C0 and C1 controls (but tab, newline, carriage return), DEL, lone surrogates, and the noncharacters: U+FDD0–U+FDEF
# and the last two code points of every plane (U+FFFE/U+FFFF, U+1FFFE/U+1FFFF, …)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def unsafe(text: str) -> bool:
    """Whether ``text`` holds a character that some export format cannot carry."""
    return _UNSAFE.search(text) is not None


def readable(text: str) -> str:
    """``text`` with every such character replaced by a visible U+FFFD: what the export writers write."""
    return _UNSAFE.sub(REPLACEMENT, text)


__all__ = ["REPLACEMENT", "readable", "unsafe"]
