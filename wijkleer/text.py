"""All user-facing text, from one catalogue per language (``data/teksten/<taal>.toml``).

``t("store.niet_bereikbaar")`` returns the Dutch text; placeholders use ``str.format`` names:
``t("model.te_lang", max=200)``. An organisation can reword the catalogue without touching code.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache

from wijkleer.paths import data_dir

DEFAULT_LANGUAGE = "nl"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(language: str | None = None) -> dict[str, str]:
    language = language or os.environ.get("WIJKLEER_TAAL") or DEFAULT_LANGUAGE
    path = data_dir() / "teksten" / f"{language}.toml"
    with path.open("rb") as handle:
        texts = _flatten(tomllib.load(handle))
    if language != DEFAULT_LANGUAGE:
        return {**catalogue(DEFAULT_LANGUAGE), **texts}
    return texts


def t(key: str, **values: object) -> str:
    """The text for ``key``, with ``values`` filled in. A missing key is a bug: it raises."""
    template = catalogue()[key]
    return template.format(**values) if values else template


def t_aantal(key: str, aantal: int, **values: object) -> str:
    """``t(key)`` for a count: ``<key>_een`` when there is exactly one (1 casus, 2 casussen), else ``key``."""
    texts = catalogue()
    chosen = f"{key}_een" if aantal == 1 and f"{key}_een" in texts else key
    return t(chosen, aantal=aantal, **values)


def decimaal(value: float) -> str:
    """A figure as Dutch text with one decimal: 4,5 (a mean score, a number of working days)."""
    return f"{float(value):.1f}".replace(".", ",")
