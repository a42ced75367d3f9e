"""The board verbs of the store: what a running session shares between the pages of its participants.

Every page is its own kernel, so the session lives in the database. Each change (a phase, a reveal, an entry, a
dot) raises the session's ``versie`` in the same transaction; a page polls that one number (``versie_van``) and
only reads the board again when it moved.

Entries and dots are read only through these verbs, never with ``list``/``get``/``frame``: ``bijdragen`` decides
per viewer (``Kijker``) what their page may receive. Who wrote an anonymous entry never leaves the store; a
participant sees other people's entries only once their phase is revealed; a policy audience sees revealed entries
without any name or role; dots are only ever counted per role.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, Delete, Update, case, delete, exists, func, literal, null, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wijkleer.errors import WijkleerError
from wijkleer.model import Bijdrage, Deelname, Deelnemer, Sessie, Stip
from wijkleer.store import engine as eng
from wijkleer.text import t

Publiek = Literal["deelnemer", "begeleider", "beleid"]


@dataclass(frozen=True)
class Kijker:
    """Who looks at the board: a participant (with their ``deelname_id``), the facilitator, or a policy audience
    (the session summary sent to the municipality)."""

    publiek: Publiek
    deelname_id: str | None = None


@dataclass(frozen=True)
class Zichtbaar:
    """An entry as one viewer may see it: ``auteur`` and ``rol`` only for an entry written under a name."""

    id: str
    fase: int
    soort: str
    tekst: str
    auteur: str | None
    rol: str | None
    eigen: bool
    knelpunt_id: str | None
    aangemaakt: datetime
    groep_id: str | None = None  # grouped under this entry (the head gets the dots)


class BordVerbs:
    """Mixed into ``Store``: uses its engine, tables and row helpers."""

    def _bump(self, connection: Connection, sessie_id: str) -> None:
        sessies = self._table(Sessie)
        statement = sessies.update().where(sessies.c.id == sessie_id).values(versie=sessies.c.versie + 1)
        if connection.execute(statement).rowcount == 0:
            raise eng.not_found(Sessie)

    # -- the session ------------------------------------------------------------------------------------
    def sessie_bij_code(self, code: str) -> Sessie | None:
        """The session a join code belongs to (codes are stored in capitals), or None."""
        code = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()  # as read aloud: 'K7M 2QX', 'k7m-2qx'
        found = self.list(Sessie, code=code, limit=1) if code else []
        return found[0] if found else None

    def versie_van(self, sessie_id: str) -> int:
        """The session's change counter: the cheap question a page asks a few times a second."""
        sessies = self._table(Sessie)
        query = select(sessies.c.versie).where(sessies.c.id == sessie_id)
        found = eng.run(self.engine, lambda c: c.execute(query).scalar(), write=False)
        if found is None:
            raise eng.not_found(Sessie)
        return found

    def sessie_wijzigen(self, sessie_id: str, change: Callable[[Sessie], dict] | None = None, **changes) -> Sessie:
        """Change the running session (phase, reveal, spotlight, status …) and tell every page (without changes:
        only tell them, e.g. after an action was added). ``change(sessie)`` computes changes from the session as it
        is inside the write transaction, so two facilitator tabs never undo each other's reveal or phase."""
        sessies = self._table(Sessie)

        def work(connection: Connection) -> None:
            query = select(sessies).where(sessies.c.id == sessie_id)
            if connection.dialect.name == "postgresql":
                query = query.with_for_update()
            found = connection.execute(query).first()
            if found is None:
                raise eng.not_found(Sessie)
            current = self._from_row(Sessie, found)
            wanted = dict(changes, **(change(current) if change else {}))
            if wanted:
                row = self._to_row(current.model_copy(update=wanted))
                values = {name: row[name] for name in wanted}
                connection.execute(sessies.update().where(sessies.c.id == sessie_id).values(**values))
            self._bump(connection, sessie_id)

        eng.run(self.engine, work, write=True)
        return self.get(Sessie, sessie_id)

    # -- who is there -------------------------------------------------------------------------------------
    def deelnemen(self, deelname: Deelname) -> tuple[Deelname, bool]:
        """Join a session under a name that is free in it. Returns the stored participation and whether it is new:
        a name already taken returns the earlier participation (the caller decides if this is the same person)."""
        table = self._table(Deelname)

        def work(connection: Connection) -> bool:
            insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
            # no conflict target: a name taken (unique per session) by a page at the same moment is no error either
            statement = insert(table).values(**self._to_row(deelname)).on_conflict_do_nothing().returning(table.c.id)
            added = connection.execute(statement).first() is not None
            if added:
                self._bump(connection, deelname.sessie_id)
            return added

        new = eng.run(self.engine, work, write=True)
        return self.list(Deelname, sessie_id=deelname.sessie_id, naam=deelname.naam)[0], new

    def klaar_melden(self, deelname: Deelname, fase: int | None) -> None:
        """``deelname`` is done with phase ``fase`` (None: not done after all)."""
        table = self._table(Deelname)

        def work(connection: Connection) -> None:
            connection.execute(table.update().where(table.c.id == deelname.id).values(klaar=fase))
            self._bump(connection, deelname.sessie_id)

        eng.run(self.engine, work, write=True)

    # -- entries ----------------------------------------------------------------------------------------------
    def bijdrage_plaatsen(self, bijdrage: Bijdrage) -> None:
        """Put an entry on the board (once: a repeated id is a no-op)."""

        def work(connection: Connection) -> None:
            self._insert_ignore(connection, self._table(Bijdrage), [self._to_row(bijdrage)])
            self._bump(connection, bijdrage.sessie_id)

        eng.run(self.engine, work, write=True)

    def bijdrage_koppelen(self, sessie_id: str, bijdrage_id: str, knelpunt_id: str) -> None:
        """Record that an entry became a knelpunt."""
        table = self._table(Bijdrage)

        def work(connection: Connection) -> None:
            where = (table.c.id == bijdrage_id) & (table.c.sessie_id == sessie_id)
            if connection.execute(table.update().where(where).values(knelpunt_id=knelpunt_id)).rowcount == 0:
                raise eng.not_found(Bijdrage)
            self._bump(connection, sessie_id)

        eng.run(self.engine, work, write=True)

    def bijdrage_herschrijven(self, deelname: Deelname, bijdrage_id: str, tekst: str) -> bool:
        """Give ``deelname``'s own entry a new text while nobody else has seen it (see ``_nog_eigen``). Returns
        whether it changed: False when it is not theirs or was revealed, spotlighted or voted on meanwhile."""
        return self._eigen_wijzigen(deelname, bijdrage_id, self._table(Bijdrage).update().values(tekst=tekst))

    def bijdrage_intrekken(self, deelname: Deelname, bijdrage_id: str) -> bool:
        """Take ``deelname``'s own entry off the board while nobody else has seen it; as ``bijdrage_herschrijven``."""
        return self._eigen_wijzigen(deelname, bijdrage_id, delete(self._table(Bijdrage)))

    def _eigen_wijzigen(self, deelname: Deelname, bijdrage_id: str, statement: Update | Delete) -> bool:
        sessies = self._table(Sessie)

        def work(connection: Connection) -> bool:
            query = select(sessies.c.onthuld, sessies.c.uitgelicht).where(sessies.c.id == deelname.sessie_id)
            if connection.dialect.name == "postgresql":  # one at a time with a reveal (sessie_wijzigen locks too)
                query = query.with_for_update()
            found = connection.execute(query).first()
            if found is None or found.uitgelicht == bijdrage_id:
                return False
            where = self._nog_eigen(deelname, bijdrage_id, _decode(found.onthuld))
            if connection.execute(statement.where(where)).rowcount == 0:
                return False
            self._bump(connection, deelname.sessie_id)
            return True

        return eng.run(self.engine, work, write=True)

    def _nog_eigen(self, deelname: Deelname, bijdrage_id: str, onthuld: list[int]):
        """The entry, if it is ``deelname``'s own text that nobody else has seen: its phase not revealed, no dots on
        it, not a knelpunt (the spotlight is checked by the caller)."""
        entries, dots = self._table(Bijdrage), self._table(Stip)
        return (
            (entries.c.id == bijdrage_id)
            & (entries.c.sessie_id == deelname.sessie_id)
            & (entries.c.deelname_id == deelname.id)
            & (entries.c.soort == "tekst")
            & entries.c.knelpunt_id.is_(None)
            & entries.c.fase.not_in(onthuld)
            & ~exists().where(dots.c.bijdrage_id == bijdrage_id)
        )

    def bijdragen(self, sessie_id: str, kijker: Kijker, fase: int | None = None) -> list[Zichtbaar]:
        """The entries of a session (or one phase) that ``kijker`` may see, oldest first, with a name only where
        the entry was written under one and the viewer is not a policy audience. The choice is made in the query:
        what a viewer may not see is never read into their kernel, not even to be filtered out."""
        entries, people, sessies = self._table(Bijdrage), self._table(Deelname), self._table(Sessie)
        me = kijker.deelname_id if kijker.publiek == "deelnemer" else None
        named = literal(False) if kijker.publiek == "beleid" else ~entries.c.anoniem
        columns = [entries.c[c] for c in ("id", "fase", "soort", "tekst", "knelpunt_id", "aangemaakt", "groep_id")]
        columns += [
            case((named, people.c.naam), else_=null()).label("auteur"),
            case((named, people.c.rol), else_=null()).label("rol"),
            (entries.c.deelname_id == me).label("eigen") if me else literal(False).label("eigen"),
        ]

        def work(connection: Connection):
            session = connection.execute(
                select(sessies.c.onthuld, sessies.c.uitgelicht).where(sessies.c.id == sessie_id)
            )
            found = session.first()
            if found is None:
                raise eng.not_found(Sessie)
            query = (
                select(*columns)
                .join(people, people.c.id == entries.c.deelname_id)
                .where(entries.c.sessie_id == sessie_id)
                .order_by(entries.c.aangemaakt, entries.c.id)
            )
            if fase is not None:
                query = query.where(entries.c.fase == fase)
            if kijker.publiek != "begeleider":  # revealed phases, decisions, the spotlighted entry, one's own
                allowed = [entries.c.fase.in_(_decode(found.onthuld)), entries.c.soort == "besluit"]
                allowed += [entries.c.id == found.uitgelicht] if found.uitgelicht else []
                allowed += [entries.c.deelname_id == me] if me else []
                query = query.where(or_(*allowed))
            return connection.execute(query).all()

        rows = eng.run(self.engine, work, write=False)
        return [_zichtbaar(row) for row in rows]

    # -- dot votes --------------------------------------------------------------------------------------------
    def stip_zetten(self, stip: Stip, budget: int) -> None:
        """Put one dot on an entry of the same session; refused once the voter's ``budget`` for the phase is spent
        (checked inside the write transaction, so two pages of one voter cannot both spend the last dot)."""
        dots, entries, people = self._table(Stip), self._table(Bijdrage), self._table(Deelname)

        def work(connection: Connection) -> None:
            voter = select(people.c.id).where(people.c.id == stip.deelname_id)
            if connection.dialect.name == "postgresql":  # one voter's dots one at a time (SQLite: BEGIN IMMEDIATE)
                voter = voter.with_for_update()
            if connection.execute(voter).first() is None:
                raise eng.not_found(Deelname)
            target = select(entries.c.groep_id).where(
                entries.c.id == stip.bijdrage_id, entries.c.sessie_id == stip.sessie_id
            )
            found = connection.execute(target).first()
            if found is None:
                raise eng.not_found(Bijdrage)
            if found.groep_id is not None:  # dots go to the group's head, never to a member
                raise WijkleerError(t("sessies.stem_op_groep"), t("sessies.stem_op_groep_hint"))
            spent = select(func.count()).where(dots.c.deelname_id == stip.deelname_id, dots.c.fase == stip.fase)
            if connection.execute(spent).scalar_one() >= budget:
                raise WijkleerError(t("store.stippen_op", budget=budget), t("store.stippen_op_hint"))
            connection.execute(dots.insert().values(**self._to_row(stip)))
            self._bump(connection, stip.sessie_id)

        eng.run(self.engine, work, write=True)

    # -- grouping similar entries -----------------------------------------------------------------------------
    def bijdragen_groeperen(self, sessie_id: str, kop_id: str, leden: list[str]) -> bool:
        """Put the entries ``leden`` in the group headed by ``kop_id``: all text entries of one session and phase, the
        head not itself a member, no dots on any of them yet (a vote already cast would change meaning). A member that
        heads a group brings its members along. False, and nothing changed, when a condition fails."""
        entries, dots = self._table(Bijdrage), self._table(Stip)
        ids = {kop_id, *leden}

        def work(connection: Connection) -> bool:
            rows = connection.execute(
                select(entries.c.id, entries.c.fase, entries.c.soort, entries.c.groep_id).where(
                    entries.c.sessie_id == sessie_id, entries.c.id.in_(ids)
                )
            ).all()
            one_phase = len(rows) == len(ids) and len({r.fase for r in rows}) == 1
            if not one_phase or any(r.soort != "tekst" or (r.id == kop_id and r.groep_id) for r in rows):
                return False
            under = select(entries.c.id).where(entries.c.sessie_id == sessie_id, entries.c.groep_id.in_(leden))
            voted = select(func.count()).where(or_(dots.c.bijdrage_id.in_(ids), dots.c.bijdrage_id.in_(under)))
            if connection.execute(voted).scalar_one():
                return False
            moved = entries.c.groep_id.in_(leden) | entries.c.id.in_(leden)
            connection.execute(entries.update().where(entries.c.sessie_id == sessie_id, moved).values(groep_id=kop_id))
            self._bump(connection, sessie_id)
            return True

        return eng.run(self.engine, work, write=True)

    def groep_opheffen(self, sessie_id: str, kop_id: str) -> bool:
        """Undo the group headed by ``kop_id`` while no dots are on it; False when there were."""
        entries, dots = self._table(Bijdrage), self._table(Stip)

        def work(connection: Connection) -> bool:
            members = select(entries.c.id).where(entries.c.sessie_id == sessie_id, entries.c.groep_id == kop_id)
            voted = select(func.count()).where(or_(dots.c.bijdrage_id == kop_id, dots.c.bijdrage_id.in_(members)))
            if connection.execute(voted).scalar_one():
                return False
            statement = entries.update().where(entries.c.sessie_id == sessie_id, entries.c.groep_id == kop_id)
            if connection.execute(statement.values(groep_id=None)).rowcount:
                self._bump(connection, sessie_id)
            return True

        return eng.run(self.engine, work, write=True)

    def stip_weghalen(self, deelname: Deelname, fase: int, bijdrage_id: str) -> None:
        """Take back one of ``deelname``'s dots from an entry (nothing happens when there is none)."""
        dots = self._table(Stip)

        def work(connection: Connection) -> None:
            mine = (dots.c.deelname_id == deelname.id) & (dots.c.fase == fase) & (dots.c.bijdrage_id == bijdrage_id)
            one = connection.execute(select(dots.c.id).where(mine).limit(1)).scalar()
            if one is not None:
                connection.execute(delete(dots).where(dots.c.id == one))
                self._bump(connection, deelname.sessie_id)

        eng.run(self.engine, work, write=True)

    def stippen(self, sessie_id: str, fase: int) -> dict[str, dict[str, int]]:
        """Dots per entry and role in one phase: ``{bijdrage_id: {rol: n}}``; never who put them."""
        dots = self._table(Stip)
        query = (
            select(dots.c.bijdrage_id, dots.c.rol, func.count())
            .where(dots.c.sessie_id == sessie_id, dots.c.fase == fase)
            .group_by(dots.c.bijdrage_id, dots.c.rol)
        )
        result: dict[str, dict[str, int]] = {}
        for bijdrage_id, rol, n in eng.run(self.engine, lambda c: c.execute(query).all(), write=False):
            result.setdefault(bijdrage_id, {})[rol] = n
        return result

    def stemmers(self, sessie_id: str, fase: int, ingeschreven: bool = True) -> dict[str, int]:
        """How many different people put dots in one phase, per role. With ``ingeschreven`` (the default) only
        people enrolled by a facilitator or the administrator count (``identiteit.ingeschreven``, here in SQL):
        session guests and self-made names never lift a role over a threshold."""
        from wijkleer import identiteit

        dots = self._table(Stip)
        query = (
            select(dots.c.rol, func.count(dots.c.deelname_id.distinct()))
            .where(dots.c.sessie_id == sessie_id, dots.c.fase == fase)
            .group_by(dots.c.rol)
        )
        if ingeschreven:
            joined, people = self._table(Deelname), self._table(Deelnemer)
            query = (
                query.join(joined, joined.c.id == dots.c.deelname_id)
                .join(people, people.c.id == joined.c.deelnemer_id)
                .where(
                    ~people.c.id.startswith(identiteit.GAST_ID, autoescape=True),
                    or_(people.c.code_hash.is_(None), people.c.code_hash.startswith(identiteit.INGESCHREVEN,
                                                                                    autoescape=True)),
                )
            )  # fmt: skip
        return dict(eng.run(self.engine, lambda c: c.execute(query).all(), write=False))

    def eigen_stippen(self, deelname: Deelname, fase: int) -> dict[str, int]:
        """The viewer's own dots per entry in one phase."""
        dots = self._table(Stip)
        query = (
            select(dots.c.bijdrage_id, func.count())
            .where(dots.c.deelname_id == deelname.id, dots.c.fase == fase)
            .group_by(dots.c.bijdrage_id)
        )
        return dict(eng.run(self.engine, lambda c: c.execute(query).all(), write=False))


def _decode(value: str | list) -> list[int]:
    import json

    return json.loads(value) if isinstance(value, str) else list(value)


def _zichtbaar(row) -> Zichtbaar:
    data = dict(row._mapping)
    return Zichtbaar(**dict(data, eigen=bool(data["eigen"])))
