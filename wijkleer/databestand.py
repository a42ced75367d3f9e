"""Reading the editable data files (``data/*.toml``): where in a file something is, so an error can name the line."""

from __future__ import annotations

import re


def line_of(text: str, pattern: str, occurrence: int = 0) -> int:
    """1-based line of the ``occurrence``-th line matching ``pattern`` (0 if not found)."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line.strip()):
            if seen == occurrence:
                return number
            seen += 1
    return 0
