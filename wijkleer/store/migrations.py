"""Schema migrations: small functions, applied in order, recorded in ``wijkleer_schema``.

A migration is never changed once released; a new schema version is a new function appended to
MIGRATIONS. Opening an older database upgrades it; a database from a newer wijkleer is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
    text,
)

from wijkleer.errors import WijkleerError
from wijkleer.text import t

VERSION_TABLE = "wijkleer_schema"
CHANGE_TABLE = "wijkleer_wijziging"


def _id(name: str = "id", ref: str | None = None, nullable: bool = False, **kw) -> Column:
    args = [ForeignKey(ref)] if ref else []
    return Column(name, String(64), *args, nullable=nullable, **kw)


def _m001_initial(connection: Connection) -> None:
    md = MetaData()
    Table(
        "team",
        md,
        _id(primary_key=True),
        Column("naam", String(80), nullable=False),
        Column("wijk", String(80), nullable=False),
        Column("gemeente", String(80), nullable=False),
        Column("regio", String(80), nullable=False),
    )
    Table(
        "kring",
        md,
        _id(primary_key=True),
        Column("naam", String(80), nullable=False),
        Column("gemeente", String(80), nullable=False),
        Column("beschrijving", Text, nullable=False),
        Column("aangemaakt", DateTime, nullable=False),
    )
    Table(
        "deelnemer",
        md,
        _id(primary_key=True),
        _id("kring_id", "kring.id"),
        Column("naam", String(80), nullable=False),
        Column("rol", String(40), nullable=False),
        Column("aangemaakt", DateTime, nullable=False),
    )
    Table(
        "sessie",
        md,
        _id(primary_key=True),
        _id("kring_id", "kring.id"),
        Column("titel", String(120), nullable=False),
        Column("datum", Date, nullable=False),
        Column("sjabloon", String(40), nullable=False),
        Column("status", String(20), nullable=False),
    )
    Table(
        "verwachting",
        md,
        _id(primary_key=True),
        _id("kring_id", "kring.id"),
        _id("sessie_id", "sessie.id", nullable=True),
        Column("belanghebbende", String(40), nullable=False),
        Column("tekst", Text, nullable=False),
        Column("uitkomst", String(20)),
        Column("herziene_tekst", Text),
        Column("aangemaakt", DateTime, nullable=False),
    )
    Table(
        "beoordeling",
        md,
        _id(primary_key=True),
        _id("verwachting_id", "verwachting.id"),
        _id("sessie_id", "sessie.id", nullable=True),
        _id("deelnemer_id", "deelnemer.id", nullable=True),
        Column("rol", String(40), nullable=False),
        Column("belang", Integer, nullable=False),
        Column("haalbaarheid", Integer, nullable=False),
        Column("aangemaakt", DateTime, nullable=False),
    )
    knelpunt = Table(
        "knelpunt",
        md,
        _id(primary_key=True),
        Column("titel", String(120), nullable=False),
        Column("omschrijving", Text, nullable=False),
        Column("wetten", Text, nullable=False),
        Column("categorie", String(40), nullable=False),
        Column("leefgebieden", Text, nullable=False),
        Column("ernst", String(40), nullable=False),
        Column("aantal_casussen", Integer, nullable=False),
        Column("bron", String(40), nullable=False),
        Column("team", String(80), nullable=False),
        Column("wijk", String(80), nullable=False),
        Column("gemeente", String(80), nullable=False),
        Column("datum", Date, nullable=False),
        Column("status", String(20), nullable=False),
        Column("besluit", String(40)),
        Column("afdeling", String(40)),
        _id("samengevoegd_in", "knelpunt.id", nullable=True),
        _id("kring_id", "kring.id", nullable=True),
        Column("aangemaakt", DateTime, nullable=False),
    )
    Index("ix_knelpunt_gemeente_datum", knelpunt.c.gemeente, knelpunt.c.datum)
    Index("ix_knelpunt_status", knelpunt.c.status)
    Index("ix_knelpunt_team", knelpunt.c.team)
    event = Table(
        "status_event",
        md,
        _id(primary_key=True),
        _id("knelpunt_id", "knelpunt.id"),
        Column("volgnummer", Integer, nullable=False),
        Column("status", String(20), nullable=False),
        Column("rol", String(40), nullable=False),
        Column("door", String(80), nullable=False),
        Column("tekst", Text, nullable=False),
        Column("besluit", String(40)),
        _id("samengevoegd_in", "knelpunt.id", nullable=True),
        Column("tijdstip", DateTime, nullable=False),
    )
    Index("ix_status_event_knelpunt", event.c.knelpunt_id, event.c.volgnummer, unique=True)
    Table(
        "actie",
        md,
        _id(primary_key=True),
        _id("kring_id", "kring.id"),
        _id("sessie_id", "sessie.id", nullable=True),
        Column("omschrijving", Text, nullable=False),
        Column("eigenaar", String(80), nullable=False),
        Column("deadline", Date),
        Column("status", String(20), nullable=False),
        _id("knelpunt_id", "knelpunt.id", nullable=True),
        Column("aangemaakt", DateTime, nullable=False),
    )
    Table(
        "reflectie",
        md,
        _id(primary_key=True),
        _id("deelnemer_id", "deelnemer.id"),
        Column("model", String(20), nullable=False),
        Column("stappen", Text, nullable=False),
        _id("sessie_id", "sessie.id", nullable=True),
        _id("knelpunt_id", "knelpunt.id", nullable=True),
        Column("gedeeld", Boolean, nullable=False),
        Column("aangemaakt", DateTime, nullable=False),
        Column("bijgewerkt", DateTime, nullable=False),
    )
    md.create_all(connection)


def _m002_uitkomst(connection: Connection) -> None:
    """The outcome history of expectations: each session's decision is a row, never overwritten."""
    md = MetaData()
    md.reflect(connection, only=["verwachting", "sessie"])
    Table(
        "uitkomst",
        md,
        _id(primary_key=True),
        _id("verwachting_id", "verwachting.id"),
        _id("sessie_id", "sessie.id", nullable=True),
        Column("uitkomst", String(20), nullable=False),
        Column("herziene_tekst", String(300), nullable=True),
        Column("tijdstip", DateTime, nullable=False),
        Index("ix_uitkomst_verwachting", "verwachting_id"),
    )
    md.create_all(connection, tables=[md.tables["uitkomst"]])


def _m003_studenten(connection: Connection) -> None:
    """Students: a personal code per participant (only its hash) with failed attempts and a lockout, and
    progress on exercises."""
    connection.execute(text("ALTER TABLE deelnemer ADD COLUMN code_hash VARCHAR(128)"))
    connection.execute(text("ALTER TABLE deelnemer ADD COLUMN pogingen INTEGER NOT NULL DEFAULT 0"))
    moment = "TIMESTAMP" if connection.dialect.name == "postgresql" else "DATETIME"
    connection.execute(text(f"ALTER TABLE deelnemer ADD COLUMN geblokkeerd_tot {moment}"))
    md = MetaData()
    md.reflect(connection, only=["deelnemer"])
    Table(
        "voortgang",
        md,
        _id(primary_key=True),
        _id("deelnemer_id", "deelnemer.id"),
        Column("oefening", String(40), nullable=False),
        Column("vraag", String(40), nullable=False),
        Column("antwoord", Text, nullable=False),
        Column("goed", Boolean, nullable=False),
        Column("tijdstip", DateTime, nullable=False),
        Index("ix_voortgang_deelnemer_oefening", "deelnemer_id", "oefening"),
    )
    md.create_all(connection, tables=[md.tables["voortgang"]])


def _m004_sessies(connection: Connection) -> None:
    """Running a session: the session's join code, phase, reveals, spotlight and change counter; who joined;
    the entries on the board and the dots of a dot vote."""
    moment = "TIMESTAMP" if connection.dialect.name == "postgresql" else "DATETIME"
    for column in (
        "code VARCHAR(6)",
        "fase INTEGER NOT NULL DEFAULT 0",
        f"fase_sinds {moment}",
        "onthuld TEXT NOT NULL DEFAULT '[]'",
        "uitgelicht VARCHAR(64)",
        "versie INTEGER NOT NULL DEFAULT 0",
    ):
        connection.execute(text(f"ALTER TABLE sessie ADD COLUMN {column}"))
    connection.execute(text("CREATE UNIQUE INDEX ix_sessie_code ON sessie (code)"))
    md = MetaData()
    md.reflect(connection, only=["sessie", "deelnemer", "knelpunt"])
    Table(
        "deelname",
        md,
        _id(primary_key=True),
        _id("sessie_id", "sessie.id"),
        _id("deelnemer_id", "deelnemer.id"),
        Column("naam", String(80), nullable=False),
        Column("rol", String(40), nullable=False),
        Column("klaar", Integer, nullable=True),
        Column("sleutel", String(128), nullable=True),
        Column("aangemaakt", DateTime, nullable=False),
        Index("ix_deelname_sessie_naam", "sessie_id", "naam", unique=True),
    )
    Table(
        "bijdrage",
        md,
        _id(primary_key=True),
        _id("sessie_id", "sessie.id"),
        Column("fase", Integer, nullable=False),
        _id("deelname_id", "deelname.id"),
        Column("soort", String(20), nullable=False),
        Column("tekst", Text, nullable=False),
        Column("anoniem", Boolean, nullable=False),
        _id("knelpunt_id", "knelpunt.id", nullable=True),
        Column("aangemaakt", DateTime, nullable=False),
        Index("ix_bijdrage_sessie_fase", "sessie_id", "fase"),
    )
    Table(
        "stip",
        md,
        _id(primary_key=True),
        _id("sessie_id", "sessie.id"),
        Column("fase", Integer, nullable=False),
        _id("bijdrage_id", "bijdrage.id"),
        _id("deelname_id", "deelname.id"),
        Column("rol", String(40), nullable=False),
        Column("aangemaakt", DateTime, nullable=False),
        Index("ix_stip_sessie_fase", "sessie_id", "fase"),
    )
    md.create_all(connection, tables=[md.tables[name] for name in ("deelname", "bijdrage", "stip")])


def _m005_sessie_timer_scherm(connection: Connection) -> None:
    """The facilitator starts and pauses a phase's timer (seconds counted before the last pause), and opens a
    projector screen with a key of its own (only its hash is stored)."""
    connection.execute(text("ALTER TABLE sessie ADD COLUMN timer_verstreken INTEGER NOT NULL DEFAULT 0"))
    connection.execute(text("ALTER TABLE sessie ADD COLUMN scherm_sleutel VARCHAR(64)"))


def _m006_wijziging(connection: Connection) -> None:
    """A high-water mark for what the policy overview counts: one counter per database (with a random id of the
    database), raised by every change to a knelpunt or its history; each knelpunt keeps the counter of its last
    change, so a snapshot reads again only what changed since it was made."""
    number = "BIGINT" if connection.dialect.name == "postgresql" else "INTEGER"
    connection.execute(text(f"ALTER TABLE knelpunt ADD COLUMN wijziging {number} NOT NULL DEFAULT 0"))
    connection.execute(text("CREATE INDEX ix_knelpunt_wijziging ON knelpunt (wijziging)"))
    if connection.dialect.name == "postgresql":  # statistics now: else 'changed since' plans a full scan until
        connection.execute(text("ANALYZE knelpunt"))  # autovacuum gets to it (5.8 s instead of 0.3 s at 1M)
    md = MetaData()
    Table(
        CHANGE_TABLE,
        md,
        Column("id", Integer, primary_key=True),
        Column("database_id", String(32), nullable=False),
        Column("teller", Integer if connection.dialect.name == "sqlite" else BigInteger, nullable=False),
    )
    md.create_all(connection)
    connection.execute(md.tables[CHANGE_TABLE].insert().values(id=1, database_id=uuid.uuid4().hex, teller=0))


def _m007_bijdrage_groep(connection: Connection) -> None:
    """The facilitator groups similar entries: a member points at the group's head entry, which gets the dots."""
    connection.execute(text("ALTER TABLE bijdrage ADD COLUMN groep_id VARCHAR(64)"))


MIGRATIONS: list[Callable[[Connection], None]] = [
    _m001_initial,
    _m002_uitkomst,
    _m003_studenten,
    _m004_sessies,
    _m005_sessie_timer_scherm,
    _m006_wijziging,
    _m007_bijdrage_groep,
]
LATEST = len(MIGRATIONS)

_version_table = Table(
    VERSION_TABLE,
    MetaData(),
    Column("versie", Integer, primary_key=True),
    Column("toegepast", DateTime, nullable=False, server_default=func.current_timestamp()),
)


def current_version(connection: Connection) -> int:
    """Schema version of the database (0: empty). A foreign database is refused."""
    names = set(inspect(connection).get_table_names())
    if VERSION_TABLE not in names:
        if names:
            raise WijkleerError(t("store.geen_wijkleer_database"), t("store.geen_database_hint"))
        return 0
    return connection.execute(select(func.max(_version_table.c.versie))).scalar() or 0


def refuse_newer(version: int) -> None:
    if version > LATEST:
        raise WijkleerError(t("store.schema_nieuwer", versie=version, bekend=LATEST), t("store.schema_nieuwer_hint"))


def upgrade(connection: Connection) -> int:
    """Apply missing migrations inside the caller's write transaction; returns the new version."""
    if connection.dialect.name == "postgresql":
        # one migrator at a time across processes; released at the end of the transaction
        connection.execute(text("SELECT pg_advisory_xact_lock(4711)"))
    _version_table.create(connection, checkfirst=True)
    version = current_version(connection)
    refuse_newer(version)
    for number in range(version + 1, LATEST + 1):
        MIGRATIONS[number - 1](connection)
        connection.execute(_version_table.insert().values(versie=number))
    return LATEST
