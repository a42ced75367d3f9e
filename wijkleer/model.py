"""The domain model: every object of domain.md as a validated pydantic model.

Bad values raise WijkleerError with a Dutch message per field (``error.fields``), never pydantic's
English. Codes (laws, categories, roles, …) are checked against the taxonomy in ``data/``.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from wijkleer import characters
from wijkleer.errors import WijkleerError
from wijkleer.taxonomy import taxonomy
from wijkleer.text import t

STATUSES = (
    "gesignaleerd",
    "ontvangen",
    "in_behandeling",
    "besluit",
    "teruggekoppeld",
    "getoetst",
    "heropend",
    "samengevoegd",
    "ingetrokken",
)
Status = Literal[
    "gesignaleerd",
    "ontvangen",
    "in_behandeling",
    "besluit",
    "teruggekoppeld",
    "getoetst",
    "heropend",
    "samengevoegd",
    "ingetrokken",
]
EARLIEST_DATE = date(2015, 1, 1)  # the year the three laws moved to the municipalities


def new_id() -> str:
    """A client-generated id: a double submit of the same object stores one row."""
    return str(uuid.uuid4())


def now() -> datetime:
    """Current time as naive UTC, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def _parse_date(value: Any) -> Any:
    """Accept Dutch dates (22-11-2026, 22/11/2026) besides ISO and date objects."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*", value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return value
    return value


def _code_of(kind: str):
    def check(value: str) -> str:
        if value not in taxonomy().codes(kind):
            raise ValueError(t(f"model.code_onbekend.{kind}", waarde=value))
        return value

    return check


def _codes_of(kind: str):
    check_one = _code_of(kind)

    def check(values: list[str]) -> list[str]:
        for value in values:
            check_one(value)
        if len(set(values)) != len(values):
            raise ValueError(t("model.dubbel_gekozen"))
        return values

    return check


def _split_list(value: Any) -> Any:
    """'wmo, jeugd' (as typed or imported) becomes ['wmo', 'jeugd']."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(t("model.datum_toekomst"))
    if value < EARLIEST_DATE:
        raise ValueError(t("model.datum_te_vroeg", datum=EARLIEST_DATE.strftime("%d-%m-%Y")))
    return value


Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


def _printable(value: str) -> str:
    """Refuse characters some export cannot carry (invisible controls, noncharacters, lone surrogates: see
    ``wijkleer.characters``): a stored text must be exactly what was typed, so it is refused, never stripped."""
    if characters.unsafe(value):
        raise ValueError(t("model.stuurteken"))
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - reads as a type in the field list
    """Typed text: at most ``max_length`` characters, only characters every export can carry."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_printable)]


Name = Text(80, min_length=1)
Title = Text(120, min_length=1)
LongText = Text(4000, min_length=1)
Day = Annotated[date, BeforeValidator(_parse_date)]
PastDay = Annotated[date, BeforeValidator(_parse_date), AfterValidator(_not_future)]
Score = Annotated[int, Field(ge=1, le=5)]


def _chosen(value: Any) -> Any:
    """A list choice left empty asks to choose, not to type."""
    if value is None or value == "":
        raise ValueError(t("model.kies_uit_lijst"))
    return value


def Code(kind: str):  # noqa: N802 - reads as a type in the field list
    return Annotated[str, BeforeValidator(_chosen), AfterValidator(_code_of(kind))]


def Codes(kind: str, min_length: int = 0):  # noqa: N802
    return Annotated[
        list[str],
        BeforeValidator(_split_list),
        Field(min_length=min_length),
        AfterValidator(_codes_of(kind)),
    ]


class Entity(BaseModel):
    """Base of every stored object: a client-generated ``id`` and the table it lives in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    table: ClassVar[str]
    json_fields: ClassVar[tuple[str, ...]] = ()

    id: Id = Field(default_factory=new_id)

    @classmethod
    def make(cls, **data: Any):
        """Build and validate; bad values raise WijkleerError with Dutch per-field messages."""
        try:
            return cls(**data)
        except ValidationError as exc:
            raise invalid(exc) from None


class Team(Entity):
    table: ClassVar[str] = "team"
    naam: Name
    wijk: Name
    gemeente: Name
    regio: Name


class Kring(Entity):
    table: ClassVar[str] = "kring"
    naam: Name
    gemeente: Text(80) = ""
    beschrijving: Text(4000) = ""
    aangemaakt: datetime = Field(default_factory=now)


class Deelnemer(Entity):
    table: ClassVar[str] = "deelnemer"
    kring_id: Id
    naam: Name
    rol: Code("rol")
    aangemaakt: datetime = Field(default_factory=now)
    code_hash: Text(128) | None = None  # the hash of a personal code (wijkleer.identiteit), never the code
    pogingen: int = Field(default=0, ge=0)  # failed sign-ins since the last good one
    geblokkeerd_tot: datetime | None = None  # no sign-in before this moment (too many failed attempts)


class Sessie(Entity):
    """A meeting of a kring, run from a template (``data/sessies.toml``). While it runs it has a join code, a
    current phase (``fase``, counted from 0) whose timer counts since ``fase_sinds`` (None: the timer stands still,
    not started by the facilitator yet or paused, after ``timer_verstreken`` seconds), the phases whose entries are
    revealed, and at most one spotlighted entry. ``scherm_sleutel`` is the hash of the key in the projector screen's
    link. ``versie`` goes up with every change to the session or its entries: open pages poll that one number to
    know when to look again."""

    table: ClassVar[str] = "sessie"
    json_fields: ClassVar[tuple[str, ...]] = ("onthuld",)
    kring_id: Id
    titel: Title
    datum: Day
    sjabloon: Text(40) = ""
    status: Literal["gepland", "bezig", "afgerond"] = "gepland"
    code: Annotated[str, Field(pattern=r"^[A-Z2-9]{6}$")] | None = None
    fase: int = Field(default=0, ge=0)
    fase_sinds: datetime | None = None
    onthuld: list[int] = Field(default_factory=list)
    uitgelicht: Id | None = None
    versie: int = Field(default=0, ge=0)
    timer_verstreken: int = Field(default=0, ge=0)
    scherm_sleutel: Text(64) | None = None


class Deelname(Entity):
    """Someone in a running session, under a name or alias of their choosing and a role, joined with the session's
    code (or as their JupyterHub account). ``klaar`` is the phase they said they are done with. ``sleutel`` is the
    hash of the key in their personal link (``hub`` for a hub account): only with it does a name join again."""

    table: ClassVar[str] = "deelname"
    sessie_id: Id
    deelnemer_id: Id
    naam: Name
    rol: Code("rol")
    klaar: int | None = None
    sleutel: Text(128) | None = None
    aangemaakt: datetime = Field(default_factory=now)


class Bijdrage(Entity):
    """One entry on the session board, written in a phase. ``anoniem`` is fixed when it is written (from the phase):
    who wrote an anonymous entry never leaves the store. Read only through the store's board verbs."""

    table: ClassVar[str] = "bijdrage"
    sessie_id: Id
    fase: int = Field(ge=0)
    deelname_id: Id
    soort: Literal["tekst", "besluit"] = "tekst"
    tekst: Text(1000, min_length=1)
    anoniem: bool = True
    knelpunt_id: Id | None = None
    groep_id: Id | None = None  # the head entry of the group the facilitator put this one in
    aangemaakt: datetime = Field(default_factory=now)


class Stip(Entity):
    """One dot of a dot vote: a participant puts it on an entry. Counted per role, never shown per person."""

    table: ClassVar[str] = "stip"
    sessie_id: Id
    fase: int = Field(ge=0)
    bijdrage_id: Id
    deelname_id: Id
    rol: Code("rol")
    aangemaakt: datetime = Field(default_factory=now)


UitkomstCode = Literal["behouden", "bijgesteld", "geschrapt", "knelpunt", "actie"]
UITKOMSTEN: tuple[str, ...] = get_args(UitkomstCode)


class _Reworded(BaseModel):
    """An expectation that is adjusted ('bijgesteld') needs its new, agreed wording."""

    @model_validator(mode="after")
    def _adjusted_needs_wording(self):
        if self.uitkomst == "bijgesteld" and not (self.herziene_tekst or "").strip():
            raise_field("herziene_tekst", t("model.herziene_tekst_nodig"))
        return self


class Verwachting(_Reworded, Entity):
    table: ClassVar[str] = "verwachting"
    kring_id: Id
    sessie_id: Id | None = None
    belanghebbende: Code("belanghebbende")
    tekst: Text(300, min_length=1)
    uitkomst: UitkomstCode | None = None
    herziene_tekst: Text(300) | None = None
    aangemaakt: datetime = Field(default_factory=now)


class Uitkomst(_Reworded, Entity):
    """What a kring decided about an expectation in a session. A new decision is a new row."""

    table: ClassVar[str] = "uitkomst"
    verwachting_id: Id
    sessie_id: Id | None = None
    uitkomst: UitkomstCode
    herziene_tekst: Text(300) | None = None
    tijdstip: datetime = Field(default_factory=now)


class Beoordeling(Entity):
    table: ClassVar[str] = "beoordeling"
    verwachting_id: Id
    sessie_id: Id | None = None
    deelnemer_id: Id | None = None
    rol: Code("rol")
    belang: Score
    haalbaarheid: Score
    aangemaakt: datetime = Field(default_factory=now)


class Knelpunt(Entity):
    table: ClassVar[str] = "knelpunt"
    json_fields: ClassVar[tuple[str, ...]] = ("wetten", "leefgebieden")
    titel: Title
    omschrijving: LongText
    wetten: Codes("wet", min_length=1)
    categorie: Code("categorie")
    leefgebieden: Codes("leefgebied") = Field(default_factory=list)
    ernst: Code("ernst")
    aantal_casussen: int = Field(ge=1, le=10000)
    bron: Code("bron")
    team: Name
    wijk: Name
    gemeente: Name
    datum: PastDay
    status: Status = "gesignaleerd"
    besluit: Code("besluit") | None = None
    afdeling: Code("afdeling") | None = None
    samengevoegd_in: Id | None = None
    kring_id: Id | None = None
    aangemaakt: datetime = Field(default_factory=now)


class StatusEvent(Entity):
    """One step in a knelpunt's loop history. Append-only: never updated or removed."""

    table: ClassVar[str] = "status_event"
    knelpunt_id: Id
    status: Status
    rol: Code("rol")
    door: Text(80) = ""
    tekst: Text(4000) = ""
    besluit: Code("besluit") | None = None
    samengevoegd_in: Id | None = None
    tijdstip: datetime = Field(default_factory=now)


class Actie(Entity):
    table: ClassVar[str] = "actie"
    kring_id: Id
    sessie_id: Id | None = None
    omschrijving: Text(500, min_length=1)
    eigenaar: Name
    deadline: Day | None = None
    status: Literal["open", "gedaan", "vervallen"] = "open"
    knelpunt_id: Id | None = None
    aangemaakt: datetime = Field(default_factory=now)


class Reflectie(Entity):
    """A private reflection following a model (ALACT, Gibbs): one text per step."""

    table: ClassVar[str] = "reflectie"
    json_fields: ClassVar[tuple[str, ...]] = ("stappen",)
    deelnemer_id: Id
    model: Literal["alact", "gibbs"]
    stappen: dict[str, Text(4000)] = Field(default_factory=dict)
    sessie_id: Id | None = None
    knelpunt_id: Id | None = None
    gedeeld: bool = False
    aangemaakt: datetime = Field(default_factory=now)
    bijgewerkt: datetime = Field(default_factory=now)


class Voortgang(Entity):
    """One checked answer of a student to one question of an exercise."""

    table: ClassVar[str] = "voortgang"
    deelnemer_id: Id
    oefening: Text(40, min_length=1)
    vraag: Text(40, min_length=1)
    antwoord: Text(4000) = ""
    goed: bool
    tijdstip: datetime = Field(default_factory=now)


ENTITIES: tuple[type[Entity], ...] = (
    Team,
    Kring,
    Deelnemer,
    Sessie,
    Verwachting,
    Beoordeling,
    Uitkomst,
    Knelpunt,
    StatusEvent,
    Actie,
    Reflectie,
    Voortgang,
    Deelname,
    Bijdrage,
    Stip,
)

# pydantic error type -> catalogue key (context values are passed into the text)
_MESSAGES = {
    "missing": "model.verplicht",
    "string_too_short": "model.verplicht",
    "string_too_long": "model.te_lang",
    "string_type": "model.tekst_verwacht",
    "string_unicode": "model.stuurteken",  # a lone surrogate: no file or database can hold it
    "string_pattern_mismatch": "model.ongeldige_tekens",
    "int_parsing": "model.heel_getal",
    "int_type": "model.heel_getal",
    "int_from_float": "model.heel_getal",
    "greater_than_equal": "model.minimaal",
    "less_than_equal": "model.maximaal",
    "date_parsing": "model.datum_ongeldig",
    "date_from_datetime_parsing": "model.datum_ongeldig",
    "date_type": "model.datum_ongeldig",
    "datetime_parsing": "model.tijdstip_ongeldig",
    "datetime_type": "model.tijdstip_ongeldig",
    "datetime_from_date_parsing": "model.tijdstip_ongeldig",
    "bool_parsing": "model.ja_nee",
    "bool_type": "model.ja_nee",
    "list_type": "model.kies_minstens_een",
    "too_short": "model.kies_minstens_een",
    "literal_error": "model.kies_uit_lijst",
    "extra_forbidden": "model.onbekend_veld",
    "dict_type": "model.onbekend_formaat",
}


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def raise_field(field: str, message: str):
    """Raise from a model validator with the message attached to one field."""
    raise _FieldError(field, message)


def _message(error: dict) -> str:
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    key = _MESSAGES.get(error["type"], "model.ongeldig")
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, int | str)}
    try:
        return t(key, **context)
    except KeyError:
        return t("model.ongeldig")


def invalid(exc: ValidationError) -> WijkleerError:
    """Translate a pydantic ValidationError into a WijkleerError with Dutch per-field messages."""
    fields: dict[str, str] = {}
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        name = cause.field if isinstance(cause, _FieldError) else str((error["loc"] or ("",))[0])
        fields.setdefault(name, _message(error))
    summary = "; ".join(f"{name}: {text}" for name, text in fields.items())
    return WijkleerError(t("model.ongeldige_invoer", details=summary), t("model.ongeldig_hint"), fields)
