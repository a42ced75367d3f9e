"""Reading the editable data files (``data/*.toml``): read and parse one, and name the file and the line of
what is wrong, in the words of the file's kind.

``soort`` is the text-catalogue section of that kind (``taxonomie``, ``reflectie.data``, ``oefening``,
``sessies.data``); it holds ``niet_leesbaar`` {bestand}, ``kapot`` {bestand, regel, detail} and ``kapot_hint``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from wijkleer.errors import WijkleerError
from wijkleer.text import t

# the kinds of data file (tests check their texts)
SOORTEN = ("taxonomie", "reflectie.data", "oefening", "sessies.data")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")  # a code in a data file: lowercase, digits, underscores


def line_of(text: str, pattern: str, occurrence: int = 0) -> int:
    """1-based line of the ``occurrence``-th line matching ``pattern`` (0 if not found)."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line.strip()):
            if seen == occurrence:
                return number
            seen += 1
    return 0


def broken(soort: str, path: Path, line: int, detail: str) -> WijkleerError:
    """The error for a data file of kind ``soort`` that is wrong at ``line`` (0: no line to name)."""
    return WijkleerError(t(f"{soort}.kapot", bestand=str(path), regel=line, detail=detail), t(f"{soort}.kapot_hint"))


def read(soort: str, path: Path) -> tuple[str, dict[str, Any]]:
    """The text of ``path`` and its parsed TOML; an unreadable file or a TOML error raises the kind's error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WijkleerError(t(f"{soort}.niet_leesbaar", bestand=str(path)), t(f"{soort}.kapot_hint")) from exc
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise broken(soort, path, int(match.group(1)) if match else 0, str(exc)) from exc
