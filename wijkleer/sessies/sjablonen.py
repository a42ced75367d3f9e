"""Session templates as data (``data/sessies.toml``): per template its phases, each with a goal, a prompt, a
timebox and a kind. A reflection round names a reflection model instead; its phases are that model's steps."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wijkleer.databestand import CODE_PATTERN, broken, line_of, read
from wijkleer.model import invalid
from wijkleer.paths import data_dir
from wijkleer.text import t

Soort = Literal[
    "uitleg",
    "schrijven",
    "stemmen",
    "delen",
    "knelpunt",
    "acties",
    "actiereview",
    "terugkoppeling",
    "verwachtingen",
    "verwachtingen_lezen",
]
SOORTEN: tuple[str, ...] = get_args(Soort)
SCHRIJVEN = ("schrijven", "knelpunt")  # the kinds where participants put entries on the board
TONEN = ("stemmen", "delen")  # the kinds that show (and reveal) an earlier phase's entries
VOORTBOUWEN = ("knelpunt",)  # the kinds that show the result of the last vote before them
REFLECTIE_MINUTEN = 8


class Fase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    titel: str = Field(min_length=1, max_length=120)
    doel: str = Field(min_length=1)
    vraag: str = Field(min_length=1)
    minuten: int = Field(ge=1, le=240)
    soort: Soort
    anoniem: bool = True
    budget: int = Field(default=3, ge=1, le=20)
    bron: int | None = Field(default=None, ge=1)  # 1-based, as people count phases in the file

    @property
    def op_naam(self) -> bool:
        """Entries of this phase carry their writer's name (actions always do)."""
        return self.soort == "acties" or not self.anoniem


class Sjabloon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    code: str
    naam: str = Field(min_length=1)
    beschrijving: str = ""
    reflectiemodel: str | None = None
    fase: tuple[Fase, ...] = ()

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE_PATTERN.match(value):
            raise ValueError(t("sessies.data.code_ongeldig", code=value))
        return value

    @property
    def fasen(self) -> tuple[Fase, ...]:
        return self.fase

    def bron(self, index: int) -> int | None:
        """The (0-based) phase whose entries phase ``index`` shows: its ``bron``, else the last writing phase
        before it; None for a phase that shows no earlier entries."""
        fase = self.fasen[index]
        if fase.soort not in TONEN:
            return None
        if fase.bron is not None:
            return fase.bron - 1
        earlier = [i for i in range(index) if self.fasen[i].soort in SCHRIJVEN]
        return earlier[-1] if earlier else None

    def uitslag_bron(self, index: int) -> int | None:
        """The (0-based) vote phase whose result phase ``index`` shows: for a knelpunt phase the last vote before
        it (the knelpuntenronde formulates what was chosen); None for other phases or without an earlier vote."""
        if self.fasen[index].soort not in VOORTBOUWEN:
            return None
        earlier = [i for i in range(index) if self.fasen[i].soort == "stemmen"]
        return earlier[-1] if earlier else None


def _reflectie_fasen(code: str) -> tuple[Fase, ...]:
    from wijkleer.reflectie import modellen

    model = modellen()[code]
    return tuple(
        Fase(titel=stap.titel, doel=stap.uitleg or model.naam, vraag=" ".join(stap.vragen), minuten=REFLECTIE_MINUTEN,
             soort="schrijven")
        for stap in model.stappen
    )  # fmt: skip


def _check(path: Path, text: str, index: int, sjabloon: Sjabloon) -> Sjabloon:
    line = line_of(text, r"^\[\[sjabloon\]\]", index)
    if sjabloon.reflectiemodel is not None:
        from wijkleer.reflectie import modellen

        if sjabloon.reflectiemodel not in modellen():
            detail = t("sessies.data.model_onbekend", code=sjabloon.reflectiemodel, codes=", ".join(modellen()))
            raise broken("sessies.data", path, line, detail)
        return sjabloon.model_copy(update={"fase": _reflectie_fasen(sjabloon.reflectiemodel)})
    if not sjabloon.fasen:
        raise broken("sessies.data", path, line, t("sessies.data.geen_fasen", code=sjabloon.code))
    for number, fase in enumerate(sjabloon.fasen, start=1):
        if fase.bron is not None and not (fase.bron < number and sjabloon.fasen[fase.bron - 1].soort in SCHRIJVEN):
            raise broken("sessies.data", path, line, t("sessies.data.bron_ongeldig", code=sjabloon.code, fase=number))
    return sjabloon


def parse(path: Path) -> dict[str, Sjabloon]:
    """Read and check a templates file. Raises WijkleerError naming the file and the template's line."""
    text, raw = read("sessies.data", path)
    entries = raw.get("sjabloon")
    if set(raw) - {"sjabloon"} or not isinstance(entries, list) or not entries:
        raise broken("sessies.data", path, 0, t("sessies.data.geen_sjablonen"))
    found: dict[str, Sjabloon] = {}
    for index, entry in enumerate(entries):
        try:
            sjabloon = _check(path, text, index, Sjabloon.model_validate(entry))
        except ValidationError as exc:
            where, message = next(iter(invalid(exc).fields.items()))
            detail = t("sessies.data.veld", veld=where, fout=message)
            raise broken("sessies.data", path, line_of(text, r"^\[\[sjabloon\]\]", index), detail) from None
        if sjabloon.code in found:
            line = line_of(text, r"^\[\[sjabloon\]\]", index)
            raise broken("sessies.data", path, line, t("sessies.data.code_dubbel", code=sjabloon.code))
        found[sjabloon.code] = sjabloon
    return found


@cache
def _load(path: Path) -> dict[str, Sjabloon]:
    return parse(path)


def sjablonen() -> dict[str, Sjabloon]:
    """The session templates of this installation, by code, in file order."""
    return _load(data_dir() / "sessies.toml")
