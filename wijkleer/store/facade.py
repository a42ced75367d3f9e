"""The one store facade: ``Store(url)`` with the same verbs for every entity.

Verbs: ``add``, ``get``, ``list``, ``count``, ``update``, ``remove``, ``frame`` (a DataFrame) and,
for the append-only loop history, ``append_event`` and ``history``. Every object carries a
client-generated id, so adding the same object twice stores one row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import BigInteger, Column, Connection, Integer, MetaData, String, Table, case, func, select, type_coerce
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wijkleer.errors import WijkleerError
from wijkleer.model import ENTITIES, Bijdrage, Deelnemer, Entity, Knelpunt, Reflectie, StatusEvent, Stip
from wijkleer.store import engine as eng
from wijkleer.store import migrations
from wijkleer.store.bord import BordVerbs
from wijkleer.text import t

if TYPE_CHECKING:
    import pandas as pd

E = TypeVar("E", bound=Entity)
# fields the loop owns: changed only through append_event, never through update
LOOP_FIELDS = ("status", "besluit", "samengevoegd_in")
# read and changed only through their own verbs: a reflection by its writer (reflecties, ...), the board of a
# session through the board verbs (bijdragen, stemmen, ...) that decide per viewer what a page may receive
PRIVATE = {Reflectie: "store.reflectie_prive", Bijdrage: "store.bord_alleen", Stip: "store.bord_alleen"}


@dataclass(frozen=True)
class Mark:
    """The high-water mark of the knelpunten and their history: which database (a random id made with its schema)
    and how many changes it has seen. Equal marks: nothing the policy overview counts has changed."""

    database_id: str
    teller: int


_changes = Table(
    migrations.CHANGE_TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("database_id", String(32)),
    Column("teller", BigInteger),
)


def _bump(connection: Connection, table: Table, knelpunt_ids: Iterable[str] = ()) -> int:
    """Raise the change counter in the caller's write transaction and stamp ``knelpunt_ids`` with it. On PostgreSQL
    the counter's row lock orders the writers: every knelpunt stamped at most the mark a reader sees is committed."""
    statement = _changes.update().where(_changes.c.id == 1).values(teller=_changes.c.teller + 1)
    number = connection.execute(statement.returning(_changes.c.teller)).scalar_one()
    ids = list(knelpunt_ids)
    for start in range(0, len(ids), 10_000):
        chosen = ids[start : start + 10_000]
        connection.execute(table.update().where(table.c.id.in_(chosen)).values(wijziging=number))
    return number


@dataclass(frozen=True)
class Between:
    """A range filter: ``store.list(Knelpunt, datum=Between(first, last))`` (both ends included; None is open)."""

    low: Any = None
    high: Any = None


# the loop steps whose first moment the policy overview needs, and the ones it only needs to know happened
FIRST_STEPS = ("gesignaleerd", "ontvangen", "teruggekoppeld")
EVER_STEPS = ("getoetst", "heropend")


def _refuse_private(model: type[Entity]) -> None:
    if model in PRIVATE:
        raise WijkleerError(t(PRIVATE[model]), t(f"{PRIVATE[model]}_hint"))


class Store(BordVerbs):
    """A wijkleer database, opened from a URL or a file path (``sqlite:///…``, ``postgresql://…``)."""

    def __init__(self, url: str) -> None:
        self.url = eng.normalize_url(url)
        self.engine = eng.make_engine(self.url)
        self.version = self._open_schema()
        self.tables = self._reflect()

    # -- opening ---------------------------------------------------------------------------
    def _open_schema(self) -> int:
        version = eng.run(self.engine, migrations.current_version, write=False)
        migrations.refuse_newer(version)
        if version < migrations.LATEST:
            version = eng.run(self.engine, migrations.upgrade, write=True)
        return version

    def _reflect(self) -> dict[str, Table]:
        metadata = MetaData()
        eng.run(self.engine, lambda c: metadata.reflect(c, only=[e.table for e in ENTITIES]), write=False)
        return dict(metadata.tables)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        return eng.display_url(self.url)

    # -- rows <-> objects --------------------------------------------------------------------
    @staticmethod
    def _to_row(obj: Entity) -> dict[str, Any]:
        row = obj.model_dump()
        for name in obj.json_fields:
            row[name] = json.dumps(row[name], ensure_ascii=False)
        return row

    @staticmethod
    def _from_row(model: type[E], row: Any) -> E:
        data = dict(row._mapping)
        for name in model.json_fields:
            data[name] = json.loads(data[name])
        data.pop("volgnummer", None)  # storage order, not part of the object
        data.pop("wijziging", None)  # the high-water mark's stamp, not part of the object
        # stored rows were validated on the way in; a later taxonomy edit must not make them unreadable
        return model.model_construct(**data)

    def _table(self, model: type[Entity]) -> Table:
        return self.tables[model.table]

    def _insert_ignore(self, connection: Connection, table: Table, rows: list[dict]) -> None:
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        connection.execute(insert(table).on_conflict_do_nothing(index_elements=["id"]), rows)

    def _where(self, model: type[Entity], filters: dict[str, Any]):
        table = self._table(model)
        clauses = []
        for name, value in filters.items():
            if name not in table.c:
                raise WijkleerError(t("store.onbekend_filter", veld=name), t("store.fout_hint"))
            column = table.c[name]
            if isinstance(value, Between):
                clauses += [column >= value.low] if value.low is not None else []
                clauses += [column <= value.high] if value.high is not None else []
            elif isinstance(value, list | tuple | set | frozenset):
                clauses.append(column.in_(list(value)))
            elif value is None:
                clauses.append(column.is_(None))
            else:
                clauses.append(column == value)
        return clauses

    # -- verbs ---------------------------------------------------------------------------------
    def add(self, obj: E) -> E:
        """Store ``obj`` (once: a repeated id returns what is stored). A new knelpunt gets its
        first loop event, ``gesignaleerd``, in the same transaction."""
        self.add_many([obj])
        return self.get(type(obj), obj.id)

    def add_many(self, objects: Iterable[Entity]) -> int:
        """Store many objects in one transaction: all of them or none. Returns how many were given."""
        objects = list(objects)
        for obj in objects:
            _refuse_private(type(obj))  # a reflection is stored only by its writer: reflectie_opslaan
            if isinstance(obj, StatusEvent):
                raise WijkleerError(t("store.alleen_via_loop"), t("store.alleen_via_loop_hint"))
            if isinstance(obj, Knelpunt) and obj.status != "gesignaleerd":
                raise WijkleerError(t("store.nieuw_is_gesignaleerd"), t("store.alleen_via_loop_hint"))

        def work(connection: Connection) -> None:
            new = [obj.id for obj in objects if isinstance(obj, Knelpunt)]
            number = _bump(connection, self._table(Knelpunt)) if new else 0
            for obj in objects:
                row = self._to_row(obj) | ({"wijziging": number} if isinstance(obj, Knelpunt) else {})
                self._insert_ignore(connection, self._table(type(obj)), [row])
                if isinstance(obj, Knelpunt):
                    first = StatusEvent(
                        id=f"{obj.id}:1",
                        knelpunt_id=obj.id,
                        status="gesignaleerd",
                        rol="uitvoering",
                        tijdstip=obj.aangemaakt,
                    )
                    row = self._to_row(first) | {"volgnummer": 1}
                    self._insert_ignore(connection, self._table(StatusEvent), [row])

        eng.run(self.engine, work, write=True)
        return len(objects)

    def get(self, model: type[E], id: str) -> E:
        _refuse_private(model)
        table = self._table(model)
        row = eng.run(self.engine, lambda c: c.execute(select(table).where(table.c.id == id)).first(), False)
        if row is None:
            raise eng.not_found(model)
        return self._from_row(model, row)

    def list(
        self,
        model: type[E],
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        **filters: Any,
    ) -> list[E]:
        _refuse_private(model)
        table = self._table(model)
        query = select(table).where(*self._where(model, filters))
        if order_by:
            column = table.c[order_by]
            query = query.order_by(column.desc() if descending else column, table.c.id)
        if limit is not None:
            query = query.limit(limit)
        rows = eng.run(self.engine, lambda c: c.execute(query).all(), write=False)
        return [self._from_row(model, row) for row in rows]

    def count(self, model: type[Entity], **filters: Any) -> int:
        if filters:  # how many reflections there are is no secret; who wrote about what is
            _refuse_private(model)
        table = self._table(model)
        query = select(func.count()).select_from(table).where(*self._where(model, filters))
        return eng.run(self.engine, lambda c: c.execute(query).scalar_one(), write=False)

    def frame(self, model: type[Entity], **filters: Any) -> pd.DataFrame:
        """The rows as a DataFrame (json fields decoded), for aggregation and exports."""
        import pandas as pd

        _refuse_private(model)
        table = self._table(model)
        query = select(table).where(*self._where(model, filters))
        columns = [c.name for c in table.columns]
        rows = eng.run(self.engine, lambda c: c.execute(query).all(), write=False)
        frame = pd.DataFrame.from_records(rows, columns=columns)
        for name in model.json_fields:
            frame[name] = frame[name].map(json.loads)
        return frame

    def update(self, obj: E) -> E:
        """Save changed fields of a stored object. Loop fields only change through append_event."""
        model = type(obj)
        _refuse_private(model)
        if model is StatusEvent:
            raise WijkleerError(t("store.geschiedenis_vast"), t("store.alleen_via_loop_hint"))
        table = self._table(model)
        row = self._to_row(obj)
        row.pop("id")
        if model is Knelpunt:
            for name in LOOP_FIELDS:
                row.pop(name)

        def work(connection: Connection) -> int:
            changed = connection.execute(table.update().where(table.c.id == obj.id).values(**row)).rowcount
            if changed and model is Knelpunt:
                _bump(connection, table, [obj.id])
            return changed

        if eng.run(self.engine, work, write=True) == 0:
            raise eng.not_found(model)
        return self.get(model, obj.id)

    def increment(self, model: type[E], id: str, field: str, by: int = 1) -> E:
        """Add ``by`` to a numeric field in one statement, so two people at once both count."""
        _refuse_private(model)
        table = self._table(model)
        if field not in table.c or field in LOOP_FIELDS:
            raise WijkleerError(t("store.onbekend_filter", veld=field), t("store.fout_hint"))
        column = table.c[field]
        statement = table.update().where(table.c.id == id).values({field: column + by})

        def work(connection: Connection) -> int:
            changed = connection.execute(statement).rowcount
            if changed and model is Knelpunt:
                _bump(connection, table, [id])
            return changed

        if eng.run(self.engine, work, write=True) == 0:
            raise eng.not_found(model)
        return self.get(model, id)

    def remove(self, model: type[Entity], id: str) -> None:
        _refuse_private(model)
        if model in (StatusEvent, Knelpunt):
            raise WijkleerError(t("store.geschiedenis_vast"), t("store.intrekken_hint"))
        table = self._table(model)
        eng.run(self.engine, lambda c: c.execute(table.delete().where(table.c.id == id)), write=True)

    # -- the loop history ----------------------------------------------------------------------
    def append_event(self, event: StatusEvent, check: Callable[[str | None, StatusEvent], None]) -> StatusEvent:
        """Append one loop event. ``check(current_status, event)`` runs inside the write transaction
        (the loop rules); the knelpunt's current status follows the event. A repeated id is a no-op."""
        knelpunten, events = self._table(Knelpunt), self._table(StatusEvent)

        def work(connection: Connection) -> None:
            if connection.execute(select(events.c.id).where(events.c.id == event.id)).first():
                return
            query = select(knelpunten.c.status).where(knelpunten.c.id == event.knelpunt_id)
            if connection.dialect.name == "postgresql":
                query = query.with_for_update()
            current = connection.execute(query).scalar()
            if current is None:
                raise eng.not_found(Knelpunt)
            check(current, event)
            count = select(func.count()).where(events.c.knelpunt_id == event.knelpunt_id)
            number = connection.execute(count).scalar_one() + 1
            connection.execute(events.insert().values(**self._to_row(event), volgnummer=number))
            changes = {"status": event.status}
            if event.status == "besluit":
                changes["besluit"] = event.besluit
            if event.status == "samengevoegd":
                changes["samengevoegd_in"] = event.samengevoegd_in
            connection.execute(knelpunten.update().where(knelpunten.c.id == event.knelpunt_id).values(**changes))
            _bump(connection, knelpunten, [event.knelpunt_id])

        eng.run(self.engine, work, write=True)
        return self.get(StatusEvent, event.id)

    def mark(self) -> Mark:
        """The high-water mark now (read before what it covers: a change after it is read again next time)."""
        query = select(_changes.c.database_id, _changes.c.teller).where(_changes.c.id == 1)
        database_id, teller = eng.run(self.engine, lambda c: c.execute(query).one(), write=False)
        return Mark(database_id, int(teller))

    def history(self, knelpunt_id: str) -> list[StatusEvent]:
        return self.list(StatusEvent, knelpunt_id=knelpunt_id, order_by="volgnummer")

    def loop_summary(
        self, columns: Iterable[str], each: Callable[[pd.DataFrame], None], chunk: int = 50_000,
        since: int | None = None, **filters: Any,
    ) -> None:  # fmt: skip
        """Knelpunten (the given columns) with the first moment of each loop step and whether they were ever
        confirmed or reopened, aggregated in SQL (one pass over the history), handed to ``each`` as DataFrames
        of at most ``chunk`` rows, so a national table never sits in memory as Python objects all at once.
        ``filters`` choose knelpunten as in ``list``; ``since`` only those changed after that high-water mark."""
        import pandas as pd

        knelpunten, events = self._table(Knelpunt), self._table(StatusEvent)
        where = self._where(Knelpunt, filters)
        if since is not None:
            where.append(knelpunten.c.wijziging > since)
        # moments and dates come as the database gives them (text on SQLite): pandas parses a column at once,
        # many times faster than a Python object per value
        firsts = [
            type_coerce(func.min(case((events.c.status == s, events.c.tijdstip))), String).label(s) for s in FIRST_STEPS
        ]
        evers = [func.max(case((events.c.status == s, 1), else_=0)).label(s) for s in EVER_STEPS]
        steps = select(events.c.knelpunt_id, *firsts, *evers).group_by(events.c.knelpunt_id)
        if where:  # the history of the chosen knelpunten only, not of the whole country
            steps = steps.where(events.c.knelpunt_id.in_(select(knelpunten.c.id).where(*where)))
        steps = steps.subquery()
        chosen = [type_coerce(knelpunten.c[name], String).label(name) if name == "datum" else knelpunten.c[name]
                  for name in columns]  # fmt: skip
        query = (
            select(*chosen, *(steps.c[s] for s in FIRST_STEPS + EVER_STEPS))
            .join_from(knelpunten, steps, steps.c.knelpunt_id == knelpunten.c.id, isouter=True)
            .where(*where)
        )
        names = [c.name for c in chosen] + list(FIRST_STEPS + EVER_STEPS)

        def work(connection: Connection) -> None:
            result = connection.execution_options(stream_results=True, yield_per=chunk).execute(query)
            for rows in result.partitions(chunk):
                each(pd.DataFrame.from_records(rows, columns=names))

        eng.run(self.engine, work, write=False)

    # -- private reflections: only their writer, or what the writer shared ---------------------------
    def reflecties(self, eigenaar_id: str) -> list[Reflectie]:
        """The reflections ``eigenaar_id`` wrote, newest change first."""
        table = self._table(Reflectie)
        query = select(table).where(table.c.deelnemer_id == eigenaar_id).order_by(table.c.bijgewerkt.desc(), table.c.id)
        rows = eng.run(self.engine, lambda c: c.execute(query).all(), write=False)
        return [self._from_row(Reflectie, row) for row in rows]

    def gedeelde_reflecties(self, kring_id: str) -> list[Reflectie]:
        """The reflections participants of ``kring_id`` chose to share, one by one; never the others."""
        table, people = self._table(Reflectie), self._table(Deelnemer)
        query = (
            select(table)
            .join(people, people.c.id == table.c.deelnemer_id)
            .where(people.c.kring_id == kring_id, table.c.gedeeld.is_(True))
            .order_by(table.c.bijgewerkt.desc(), table.c.id)
        )
        rows = eng.run(self.engine, lambda c: c.execute(query).all(), write=False)
        return [self._from_row(Reflectie, row) for row in rows]

    def reflectie_opslaan(self, reflectie: Reflectie, eigenaar_id: str) -> Reflectie:
        """Store a new reflection or a new version of one, only for its own writer: another writer's
        reflection with the same id is refused, never overwritten."""
        if reflectie.deelnemer_id != eigenaar_id:
            raise WijkleerError(t("store.reflectie_prive"), t("store.reflectie_prive_hint"))
        table = self._table(Reflectie)
        row = self._to_row(reflectie)

        def work(connection: Connection) -> None:
            owner = connection.execute(select(table.c.deelnemer_id).where(table.c.id == reflectie.id)).scalar()
            if owner is None:
                connection.execute(table.insert().values(**row))
            elif owner != eigenaar_id:
                raise WijkleerError(t("store.reflectie_prive"), t("store.reflectie_prive_hint"))
            else:
                changes = {k: v for k, v in row.items() if k not in ("id", "deelnemer_id", "aangemaakt")}
                connection.execute(table.update().where(table.c.id == reflectie.id).values(**changes))

        eng.run(self.engine, work, write=True)
        query = select(table).where(table.c.id == reflectie.id, table.c.deelnemer_id == eigenaar_id)
        return self._from_row(Reflectie, eng.run(self.engine, lambda c: c.execute(query).one(), write=False))

    # -- bulk and info -------------------------------------------------------------------------
    def bulk_insert(self, rows_by_model: dict[type[Entity], list[dict[str, Any]]]) -> None:
        """Insert prepared rows of several tables in one transaction, in the given order (demo
        generation, benchmarks). Rows hold every column, json fields encoded; not validated here."""

        for model in rows_by_model:
            _refuse_private(model)

        def work(connection: Connection) -> None:
            knelpunten = rows_by_model.get(Knelpunt, [])
            touched = {row["knelpunt_id"] for row in rows_by_model.get(StatusEvent, [])} - {r["id"] for r in knelpunten}
            number = _bump(connection, self._table(Knelpunt)) if knelpunten or touched else 0
            for model, rows in rows_by_model.items():
                if rows:
                    rows = [row | {"wijziging": number} for row in rows] if model is Knelpunt else rows
                    connection.execute(self._table(model).insert(), rows)
            if touched:
                _bump(connection, self._table(Knelpunt), touched)

        eng.run(self.engine, work, write=True)

    def info(self) -> dict[str, Any]:
        counts = {e.table: self.count(e) for e in ENTITIES}
        return {"database": self.display_url, "schema_versie": self.version, "tellingen": counts}
