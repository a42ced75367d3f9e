"""The word lists behind the privacy gate, read once from ``data/privacy/``.

Everything ships with the package data; nothing is downloaded. An organisation can add its own team,
neighbourhood and place names to ``geen_namen.txt``, and its own institutions, schools and shops named after
a person to ``organisaties.txt``, without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wijkleer.paths import data_dir


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]  # capitalised, as written
    surnames: frozenset[str]  # last word of a known surname, capitalised
    ambiguous: frozenset[str]  # names that are also ordinary words
    not_names: frozenset[str]  # capitalised words that never count as a name
    titles: tuple[str, ...]
    relation_words: frozenset[str]
    particles: tuple[str, ...]  # longest first
    not_initials: frozenset[str]
    no_initial_after: frozenset[str]
    no_person_before: frozenset[str]
    street_suffixes: tuple[str, ...]
    not_streets: frozenset[str]
    street_words: frozenset[str]
    street_prefixes: frozenset[str]
    birth_cues: tuple[str, ...]
    no_birth_before: frozenset[str]
    professions: frozenset[str] = frozenset()
    ordinary_words: frozenset[str] = frozenset()  # never a lower-case name: "mevrouw belde", "meneer is"
    organisations: tuple[str, ...] = ()  # lower case, longest first: "albert heijn", "antoni van leeuwenhoek"


def _words(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@cache
def lexicon() -> Lexicon:
    folder = data_dir() / "privacy"
    with (folder / "regels.toml").open("rb") as handle:
        rules = tomllib.load(handle)
    surnames = {name.split()[-1] for name in _words(folder / "achternamen.txt")}
    return Lexicon(
        first_names=frozenset(_words(folder / "voornamen.txt")),
        surnames=frozenset(surnames),
        ambiguous=frozenset(_words(folder / "dubbelzinnig.txt")),
        not_names=frozenset(_words(folder / "geen_namen.txt")),
        titles=tuple(sorted(rules["titels"], key=len, reverse=True)),
        relation_words=frozenset(rules["familiewoorden"]),
        particles=tuple(sorted(rules["tussenvoegsels"], key=len, reverse=True)),
        not_initials=frozenset(rules["geen_initialen"]),
        no_initial_after=frozenset(rules["geen_initiaal_na"]),
        no_person_before=frozenset(rules["geen_persoon_ervoor"]),
        street_suffixes=tuple(sorted(rules["straat_achtervoegsels"], key=len, reverse=True)),
        not_streets=frozenset(rules["geen_straat"]),
        street_words=frozenset(rules["straat_woorden"]),
        street_prefixes=frozenset(rules["straat_voorvoegsels"]),
        birth_cues=tuple(sorted(rules["geboorte_signalen"], key=len, reverse=True)),
        no_birth_before=frozenset(rules["geen_geboorte_ervoor"]),
        professions=frozenset(rules.get("beroepen", [])),
        ordinary_words=frozenset(rules.get("gewone_woorden", [])),
        organisations=tuple(sorted({w.lower() for w in _words(folder / "organisaties.txt")}, key=len, reverse=True)),
    )
