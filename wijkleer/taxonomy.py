"""The taxonomy (laws, categories, leefgebieden, …) loaded from ``data/taxonomie.toml``.

An organisation edits that file, not code. A broken file gives a WijkleerError naming the file and
the line, so the person who edited it can find the mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from wijkleer.databestand import CODE_PATTERN, broken, line_of, read
from wijkleer.paths import data_dir
from wijkleer.text import t

LISTS = (
    "wet",
    "categorie",
    "leefgebied",
    "ernst",
    "bron",
    "belanghebbende",
    "rol",
    "besluit",
    "afdeling",
)
TERMS = ("ontvangst", "besluit")


@dataclass(frozen=True)
class Item:
    code: str
    naam: str
    uitleg: str = ""


@dataclass(frozen=True)
class Taxonomy:
    lists: dict[str, tuple[Item, ...]]
    reactietermijn: dict[str, int]
    source: Path
    # a municipality's own reaction terms: [reactietermijn.gemeente."Naam"]
    termijn_per_gemeente: dict[str, dict[str, int]] = field(default_factory=dict)

    def terms(self, gemeente: str) -> dict[str, int]:
        """Working days to acknowledge (``ontvangst``) and to answer (``besluit``) in ``gemeente``."""
        return {**self.reactietermijn, **self.termijn_per_gemeente.get(gemeente, {})}

    def items(self, kind: str) -> tuple[Item, ...]:
        return self.lists[kind]

    def codes(self, kind: str) -> tuple[str, ...]:
        return tuple(item.code for item in self.lists[kind])

    def label(self, kind: str, code: str) -> str:
        for item in self.lists[kind]:
            if item.code == code:
                return item.naam
        return code

    def options(self, kind: str) -> list[tuple[str, str]]:
        """(label, code) pairs, the shape ipywidgets selection widgets take."""
        return [(item.naam, item.code) for item in self.lists[kind]]

    def code_for(self, kind: str, value: str) -> str | None:
        """The code for a code or a label (case and surrounding space ignored), else None."""
        wanted = value.strip().casefold()
        for item in self.lists[kind]:
            if wanted in (item.code.casefold(), item.naam.casefold()):
                return item.code
        return None


_broken = partial(broken, "taxonomie")  # (path, line, detail) -> the error naming file and line


def _parse_items(path: Path, text: str, kind: str, raw: object) -> tuple[Item, ...]:
    header = rf"^\[\[{kind}\]\]"
    if not isinstance(raw, list) or not raw:
        return_line = line_of(text, rf"^{kind}\s*=") or line_of(text, header)
        raise _broken(path, return_line, t("taxonomie.lijst_leeg", lijst=kind))
    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        line = line_of(text, header, index)
        if not isinstance(entry, dict):
            raise _broken(path, line, t("taxonomie.geen_tabel", lijst=kind))
        unknown = set(entry) - {"code", "naam", "uitleg"}
        if unknown:
            raise _broken(path, line, t("taxonomie.onbekend_veld", veld=", ".join(sorted(unknown))))
        code, naam = entry.get("code"), entry.get("naam")
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            raise _broken(path, line, t("taxonomie.code_ongeldig", lijst=kind, code=code))
        if not isinstance(naam, str) or not naam.strip():
            raise _broken(path, line, t("taxonomie.naam_ontbreekt", code=code))
        if code in seen:
            raise _broken(path, line, t("taxonomie.code_dubbel", lijst=kind, code=code))
        seen.add(code)
        items.append(Item(code=code, naam=naam.strip(), uitleg=str(entry.get("uitleg", ""))))
    return tuple(items)


def _term(path: Path, line: int, name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 365:
        raise _broken(path, line, t("taxonomie.termijn_ongeldig", naam=name))
    return value


def _parse_terms(path: Path, text: str, raw: object) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    line = line_of(text, r"^\[reactietermijn\]")
    if not isinstance(raw, dict):
        raise _broken(path, line, t("taxonomie.termijn_ontbreekt"))
    terms = {name: _term(path, line_of(text, rf"^{name}\s*=") or line, name, raw.get(name)) for name in TERMS}
    own: dict[str, dict[str, int]] = {}
    for gemeente, values in (raw.get("gemeente") or {}).items():
        # an error in a municipality's own block points at that block, not at the default terms
        block = line_of(text, rf'^\[reactietermijn\.gemeente\."?{re.escape(gemeente)}"?\]') or line
        if not isinstance(values, dict) or set(values) - set(TERMS):
            raise _broken(path, block, t("taxonomie.termijn_ongeldig", naam=gemeente))
        own[gemeente] = {name: _term(path, block, name, value) for name, value in values.items()}
    return terms, own


def parse(path: Path) -> Taxonomy:
    """Read and check a taxonomy file. Raises WijkleerError naming the file and line."""
    text, raw = read("taxonomie", path)
    unknown = set(raw) - set(LISTS) - {"reactietermijn"}
    if unknown:
        name = sorted(unknown)[0]
        line = line_of(text, rf"^\[+{name}\]+") or line_of(text, rf"^{name}\s*=")
        raise _broken(path, line, t("taxonomie.onbekende_lijst", lijst=name))
    lists = {kind: _parse_items(path, text, kind, raw.get(kind)) for kind in LISTS}
    terms, own = _parse_terms(path, text, raw.get("reactietermijn"))
    return Taxonomy(lists=lists, reactietermijn=terms, source=path, termijn_per_gemeente=own)


@cache
def _load(path: Path) -> Taxonomy:
    return parse(path)


def taxonomy() -> Taxonomy:
    """The taxonomy of this installation (``data/taxonomie.toml``), read once per process."""
    return _load(data_dir() / "taxonomie.toml")
