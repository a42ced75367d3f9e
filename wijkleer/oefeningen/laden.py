"""Exercises as data: one TOML file per exercise in ``data/oefeningen/`` (a teacher edits the file, not code).

A file has a title, a learning goal, a case vignette and questions. A question has a ``soort``: ``keuze`` (one
option), ``meerkeuze`` (a set of options), ``getal`` (a number, with a margin and the range of sensible
answers) or ``tekst`` (free text checked with a rubric of elements). Options come inline (``[[vraag.optie]]``)
or from a taxonomy list (``bron = "categorie"``); every option can carry its own explanation and hint.
A broken file gives a WijkleerError naming the file and the line, like ``wijkleer.taxonomy`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wijkleer.databestand import CODE_PATTERN, broken, line_of, read
from wijkleer.errors import WijkleerError
from wijkleer.paths import data_dir
from wijkleer.taxonomy import taxonomy
from wijkleer.text import decimaal, t

SOORTEN = ("keuze", "meerkeuze", "getal", "tekst")
ELEMENTEN = ("woorden", "getal", "vraag", "privacy")
BEREKENINGEN = ("grootste_kloof", "grootste_kloof_waarde")
MAX_CODE = 40


@dataclass(frozen=True)
class Optie:
    code: str
    tekst: str
    uitleg: str = ""  # why this option is (or is not) right
    hint: str = ""


@dataclass(frozen=True)
class Element:
    """One element of a text rubric: ``woorden`` (one of the words), ``getal`` (a number of cases: at least 2, in
    digits or words, not a year or a period such as 'drie maanden'), ``vraag`` (a sentence with a '?' that opens
    with or holds a question word) or ``privacy`` (no personal data, ``wijkleer.privacy``)."""

    code: str
    naam: str
    soort: str = "woorden"
    woorden: tuple[str, ...] = ()
    uitleg: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Vraag:
    code: str
    soort: str
    tekst: str
    opties: tuple[Optie, ...] = ()
    goed: tuple[str, ...] | float | None = None  # codes (keuze: any of them; meerkeuze: exactly these) or a number
    uitleg: str = ""  # why the right answer is right
    fout: str = ""  # why, when no option-specific explanation applies
    hint: str = ""
    marge: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    eenheid: str = ""
    te_laag: str = ""
    te_hoog: str = ""
    elementen: tuple[Element, ...] = ()
    min_tekens: int = 0
    max_tekens: int = 2000
    voorbeeld: str = ""  # a model answer for a text question
    privacy: bool = False  # the options are fragments of the case: personal data or not

    def optie(self, code: str) -> Optie | None:
        return next((o for o in self.opties if o.code == code), None)

    def juist_antwoord(self) -> str | list[str] | float:
        """The right answer as a student would give it (for the nbgrader solution cells and tests)."""
        if self.soort == "keuze":
            return self.goed[0]
        if self.soort == "meerkeuze":
            return sorted(self.goed)
        if self.soort == "getal":
            return int(self.goed) if float(self.goed).is_integer() else self.goed
        return self.voorbeeld


@dataclass(frozen=True)
class Tabel:
    koppen: tuple[str, ...]
    rijen: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Oefening:
    code: str
    titel: str
    volgorde: int
    doel: str
    casus: str
    vragen: tuple[Vraag, ...]
    tabel: Tabel | None = None
    grafiek: dict | None = None  # the data of a chart (wijkleer.oefeningen.grafiek)
    bron: Path | None = None

    def vraag(self, code: str) -> Vraag:
        for vraag in self.vragen:
            if vraag.code == code:
                return vraag
        raise WijkleerError(t("oefening.vraag_onbekend", oefening=self.code, vraag=code), t("oefening.onbekend_hint"))


class _Reader:
    """Reads one file; ``broken(line, detail)`` makes the error that names file and line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.counts: dict[str, int] = {}

    def broken(self, line: int, detail: str) -> WijkleerError:
        return broken("oefening", self.path, line, detail)

    def next_line(self, header: str) -> int:
        """The line of the next ``[[header]]`` table (tables are read in file order)."""
        index = self.counts.get(header, 0)
        self.counts[header] = index + 1
        return line_of(self.text, rf"^\[\[{re.escape(header)}\]\]", index)

    def line_of_key(self, key: str, near: int = 0) -> int:
        for number, line in enumerate(self.text.splitlines(), start=1):
            if number >= near and re.match(rf"^{re.escape(key)}\s*=", line.strip()):
                return number
        return near

    def string(self, raw: dict, key: str, line: int, required: bool = True) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.broken(self.line_of_key(key, line) if key in raw else line, t("oefening.veld_tekst", veld=key))
        return value.strip()

    def number(self, raw: dict, key: str, line: int) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.broken(self.line_of_key(key, line), t("oefening.veld_getal", veld=key))
        return float(value)


def _code(reader: _Reader, raw: dict, line: int) -> str:
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code) or len(code) > MAX_CODE:
        raise reader.broken(line, t("oefening.code_ongeldig", code=code))
    return code


def _options(reader: _Reader, raw: dict, line: int, extra: dict) -> tuple[Optie, ...]:
    given = []
    for entry in raw.get("optie", []):
        at = reader.next_line("vraag.optie")
        code = _code(reader, entry, at)
        tekst = entry.get("tekst") or ""
        given.append(Optie(code, tekst.strip(), reader.string(entry, "uitleg", at, False),
                           reader.string(entry, "hint", at, False)))  # fmt: skip
    source = raw.get("bron")
    if source is None:
        if any(not o.tekst for o in given):
            raise reader.broken(line, t("oefening.optie_zonder_tekst"))
        return tuple(given)
    if source == "verwachtingen":
        listed = [(f"{n}. {v['tekst']}", v["code"]) for n, v in enumerate(extra.get("verwachting", []), start=1)]
    elif source in taxonomy().lists:
        listed = taxonomy().options(source)
    else:
        raise reader.broken(reader.line_of_key("bron", line), t("oefening.bron_onbekend", bron=source))
    own = {o.code: o for o in given}
    unknown = set(own) - {code for _, code in listed}
    if unknown:
        raise reader.broken(line, t("oefening.optie_onbekend", codes=", ".join(sorted(unknown))))
    return tuple(Optie(code, label, own[code].uitleg if code in own else "", own[code].hint if code in own else "")
                 for label, code in listed)  # fmt: skip


def _computed(kind: str, extra: dict) -> str | float:
    """An answer computed from the exercise's own data (so the file cannot contradict itself)."""
    rows = extra.get("verwachting", [])
    best = max(rows, key=lambda v: v["belang"] - v["haalbaarheid"])
    return best["code"] if kind == "grootste_kloof" else round(best["belang"] - best["haalbaarheid"], 1)


def _answer(reader: _Reader, raw: dict, line: int, soort: str, opties: tuple[Optie, ...], extra: dict):
    if raw.get("berekening") is not None:
        if raw["berekening"] not in BEREKENINGEN or not extra.get("verwachting"):
            raise reader.broken(reader.line_of_key("berekening", line), t("oefening.berekening_onbekend"))
        value = _computed(raw["berekening"], extra)
        return (value,) if isinstance(value, str) else value
    goed = raw.get("goed")
    if soort == "tekst":
        return None
    if soort == "getal":
        if isinstance(goed, bool) or not isinstance(goed, int | float):
            raise reader.broken(reader.line_of_key("goed", line), t("oefening.veld_getal", veld="goed"))
        return float(goed)
    codes = [goed] if isinstance(goed, str) else goed
    known = {o.code for o in opties}
    if not isinstance(codes, list) or not codes or any(c not in known for c in codes):
        raise reader.broken(reader.line_of_key("goed", line), t("oefening.goed_onbekend"))
    return tuple(codes)


def _elements(reader: _Reader, raw: dict, line: int) -> tuple[Element, ...]:
    found = []
    for entry in raw.get("element", []):
        at = reader.next_line("vraag.element")
        soort = entry.get("soort", "woorden")
        words = entry.get("woorden", [])
        if soort not in ELEMENTEN or not isinstance(words, list) or (soort == "woorden" and not words):
            raise reader.broken(at, t("oefening.element_ongeldig"))
        found.append(Element(_code(reader, entry, at), reader.string(entry, "naam", at), soort,
                             tuple(str(w).casefold() for w in words), reader.string(entry, "uitleg", at),
                             reader.string(entry, "hint", at)))  # fmt: skip
    if not found:
        raise reader.broken(line, t("oefening.rubric_leeg"))
    return tuple(found)


def _question(reader: _Reader, raw: dict, extra: dict) -> Vraag:
    line = reader.next_line("vraag")
    code = _code(reader, raw, line)
    soort = raw.get("soort")
    if soort not in SOORTEN:
        raise reader.broken(reader.line_of_key("soort", line), t("oefening.soort_onbekend", soort=soort))
    opties = _options(reader, raw, line, extra) if soort in ("keuze", "meerkeuze") else ()
    if soort in ("keuze", "meerkeuze") and len(opties) < 2:
        raise reader.broken(line, t("oefening.te_weinig_opties"))
    elementen = _elements(reader, raw, line) if soort == "tekst" else ()
    common = dict(uitleg=reader.string(raw, "uitleg", line), hint=reader.string(raw, "hint", line),
                  fout=reader.string(raw, "fout", line, False))  # fmt: skip
    numbers = {key: reader.number(raw, key, line) for key in ("marge", "minimum", "maximum")}
    vraag = Vraag(code=code, soort=soort, tekst=reader.string(raw, "tekst", line), opties=opties,
                  goed=_answer(reader, raw, line, soort, opties, extra), elementen=elementen,
                  marge=numbers["marge"] or 0.0, minimum=numbers["minimum"], maximum=numbers["maximum"],
                  eenheid=reader.string(raw, "eenheid", line, False), min_tekens=int(raw.get("min_tekens", 0)),
                  te_laag=reader.string(raw, "te_laag", line, False),
                  te_hoog=reader.string(raw, "te_hoog", line, False),
                  max_tekens=int(raw.get("max_tekens", 2000)), voorbeeld=reader.string(raw, "voorbeeld", line, False),
                  privacy=bool(raw.get("privacy", False)), **common)  # fmt: skip
    if soort == "tekst" and not vraag.voorbeeld:
        raise reader.broken(line, t("oefening.veld_tekst", veld="voorbeeld"))
    if vraag.privacy and any(o.tekst not in extra["casus"] for o in opties):
        raise reader.broken(line, t("oefening.fragment_niet_in_casus"))
    return vraag


def _table(reader: _Reader, raw: dict) -> Tabel | None:
    if "tabel" in raw:
        table = raw["tabel"]
        koppen, rijen = table.get("koppen"), table.get("rijen")
        if not koppen or not isinstance(rijen, list) or any(len(r) != len(koppen) for r in rijen):
            raise reader.broken(line_of(reader.text, r"^\[tabel\]"), t("oefening.tabel_ongeldig"))
        return Tabel(tuple(map(str, koppen)), tuple(tuple(map(str, r)) for r in rijen))
    if "verwachting" in raw:
        koppen = tuple(t(f"oefening.kolom.{k}") for k in ("nummer", "verwachting", "van_wie", "belang", "haalbaar"))
        rijen = tuple((str(n), v["tekst"], v["wie"], decimaal(v["belang"]), decimaal(v["haalbaarheid"]))
                      for n, v in enumerate(raw["verwachting"], start=1))  # fmt: skip
        return Tabel(koppen, rijen)
    return None


def _expectations(reader: _Reader, raw: dict) -> None:
    for entry in raw.get("verwachting", []):
        at = reader.next_line("verwachting")
        _code(reader, entry, at)
        for key in ("tekst", "wie"):
            reader.string(entry, key, at)
        for key in ("belang", "haalbaarheid"):
            value = reader.number(entry, key, at)
            if value is None or not 1 <= value <= 5:
                raise reader.broken(at, t("oefening.score_ongeldig", veld=key))


def parse(path: Path) -> Oefening:
    """Read and check one exercise file. Raises WijkleerError naming the file and line."""
    text, raw = read("oefening", path)
    reader = _Reader(path, text)
    casus = reader.string(raw, "casus", 1)
    _expectations(reader, raw)
    extra = {"casus": casus, "verwachting": raw.get("verwachting", [])}
    vragen = tuple(_question(reader, entry, extra) for entry in raw.get("vraag", []))
    if not vragen:
        raise reader.broken(0, t("oefening.geen_vragen"))
    codes = [v.code for v in vragen]
    if len(set(codes)) != len(codes):
        raise reader.broken(0, t("oefening.vraag_dubbel"))
    grafiek = raw.get("grafiek")
    if grafiek is not None and (not isinstance(grafiek.get("rijen"), list) or not grafiek.get("reeksen")):
        raise reader.broken(line_of(text, r"^\[grafiek\]"), t("oefening.grafiek_ongeldig"))
    return Oefening(code=path.stem, titel=reader.string(raw, "titel", 1), volgorde=int(raw.get("volgorde", 99)),
                    doel=reader.string(raw, "doel", 1), casus=casus, vragen=vragen, tabel=_table(reader, raw),
                    grafiek=grafiek, bron=path)  # fmt: skip


def folder() -> Path:
    return data_dir() / "oefeningen"


@cache
def _load(path: Path) -> Oefening:
    return parse(path)


def oefening(code: str) -> Oefening:
    """The exercise ``code`` (``data/oefeningen/<code>.toml``), read once per process."""
    path = folder() / f"{code}.toml"
    if not CODE_PATTERN.match(code or "") or not path.exists():
        raise WijkleerError(t("oefening.onbekend", code=code), t("oefening.onbekend_hint"))
    return _load(path)


def alle() -> list[Oefening]:
    """Every exercise, in the order the files give (``volgorde``)."""
    return sorted((oefening(p.stem) for p in folder().glob("*.toml")), key=lambda o: (o.volgorde, o.code))
