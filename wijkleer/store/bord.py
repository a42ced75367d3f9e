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

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, delete, func, select

from wijkleer.errors import WijkleerError
from wijkleer.model import Bijdrage, Deelname, Sessie, Stip
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


class BordVerbs:
    """Mixed into ``Store``: uses its engine, tables and row helpers."""

    def _bump(self, connection: Connection, sessie_id: str) -> None:
        sessies = self._table(Sessie)
        statement = sessies.update().where(sessies.c.id == sessie_id).values(versie=sessies.c.versie + 1)
        if connection.execute(statement).rowcount == 0:
            raise self._missing(Sessie)

    def _missing(self, model) -> WijkleerError:
        return WijkleerError(t("store.niet_gevonden", soort=t(f"soort.{model.table}")), t("store.niet_gevonden_hint"))

    # -- the session ------------------------------------------------------------------------------------
    def sessie_bij_code(self, code: str) -> Sessie | None:
        """The session a join code belongs to (codes are stored in capitals), or None."""
        found = self.list(Sessie, code=(code or "").strip().upper(), limit=1)
        return found[0] if found else None

    def versie_van(self, sessie_id: str) -> int:
        """The session's change counter: the cheap question a page asks a few times a second."""
        sessies = self._table(Sessie)
        query = select(sessies.c.versie).where(sessies.c.id == sessie_id)
        found = eng.run(self.engine, lambda c: c.execute(query).scalar(), write=False)
        if found is None:
            raise self._missing(Sessie)
        return found

    def sessie_wijzigen(self, sessie_id: str, **changes) -> Sessie:
        """Change the running session (phase, reveal, spotlight, status …) and tell every page (without changes:
        only tell them, e.g. after an action was added)."""
        sessies = self._table(Sessie)
        row = self._to_row(self.get(Sessie, sessie_id).model_copy(update=changes))
        values = {name: row[name] for name in changes}

        def work(connection: Connection) -> None:
            if values:
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
            same = select(table.c.id).where(table.c.sessie_id == deelname.sessie_id, table.c.naam == deelname.naam)
            if connection.execute(same).first() is not None:
                return False
            self._insert_ignore(connection, table, [self._to_row(deelname)])
            self._bump(connection, deelname.sessie_id)
            return True

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
                raise self._missing(Bijdrage)
            self._bump(connection, sessie_id)

        eng.run(self.engine, work, write=True)

    def bijdragen(self, sessie_id: str, kijker: Kijker, fase: int | None = None) -> list[Zichtbaar]:
        """The entries of a session (or one phase) that ``kijker`` may see, oldest first, with a name only where
        the entry was written under one and the viewer is not a policy audience."""
        entries, people, sessies = self._table(Bijdrage), self._table(Deelname), self._table(Sessie)
        query = (
            select(entries, people.c.naam, people.c.rol)
            .join(people, people.c.id == entries.c.deelname_id)
            .where(entries.c.sessie_id == sessie_id)
            .order_by(entries.c.aangemaakt, entries.c.id)
        )
        if fase is not None:
            query = query.where(entries.c.fase == fase)

        def work(connection: Connection):
            revealed = connection.execute(select(sessies.c.onthuld).where(sessies.c.id == sessie_id)).scalar()
            return revealed, connection.execute(query).all()

        revealed, rows = eng.run(self.engine, work, write=False)
        if revealed is None:
            raise self._missing(Sessie)
        return [shown for row in rows if (shown := _as_seen(row, kijker, set(_decode(revealed)))) is not None]

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
                raise self._missing(Deelname)
            target = select(entries.c.id).where(entries.c.id == stip.bijdrage_id, entries.c.sessie_id == stip.sessie_id)
            if connection.execute(target).first() is None:
                raise self._missing(Bijdrage)
            spent = select(func.count()).where(dots.c.deelname_id == stip.deelname_id, dots.c.fase == stip.fase)
            if connection.execute(spent).scalar_one() >= budget:
                raise WijkleerError(t("store.stippen_op", budget=budget), t("store.stippen_op_hint"))
            connection.execute(dots.insert().values(**self._to_row(stip)))
            self._bump(connection, stip.sessie_id)

        eng.run(self.engine, work, write=True)

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


def _as_seen(row, kijker: Kijker, revealed: set[int]) -> Zichtbaar | None:
    """One stored entry as ``kijker`` may see it, or None when they may not see it at all."""
    own = kijker.publiek == "deelnemer" and row.deelname_id == kijker.deelname_id
    if kijker.publiek != "begeleider" and not own and row.fase not in revealed and row.soort != "besluit":
        return None
    named = not row.anoniem and kijker.publiek != "beleid"
    return Zichtbaar(
        id=row.id,
        fase=row.fase,
        soort=row.soort,
        tekst=row.tekst,
        auteur=row.naam if named else None,
        rol=row.rol if named else None,
        eigen=own,
        knelpunt_id=row.knelpunt_id,
        aangemaakt=row.aangemaakt,
    )
