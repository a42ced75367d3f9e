"""The session summary for the municipality, as HTML and PDF: agenda, expectations, knelpunten raised,
decisions, what was written and voted, and actions.

It is written for a policy audience: entries come from the store as ``Kijker("beleid")`` (revealed ones only,
never a name or role); dots and expectation ratings only from at least k people (``WIJKLEER_K``, as in the policy
overview). Action owners appear by name only when the facilitator chose so (``namen``); otherwise as their role."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape as _escape

from wijkleer import verwachtingen
from wijkleer.document import Pdf, html_page
from wijkleer.model import Actie, Deelname, Deelnemer, Knelpunt, Kring, Sessie, Uitkomst, Verwachting
from wijkleer.privacy.disclosure import rule
from wijkleer.sessies import verloop
from wijkleer.store import Kijker, Store
from wijkleer.taxonomy import taxonomy
from wijkleer.text import decimaal, t


@dataclass
class Deel:
    """One section: a heading, lines of text and/or a table (headers, rows)."""

    kop: str
    regels: list[str] = field(default_factory=list)
    kolommen: list[str] = field(default_factory=list)
    rijen: list[list[str]] = field(default_factory=list)


def _agenda(sessie: Sessie) -> Deel:
    fasen = verloop.sjabloon_van(sessie).fasen
    rows = [[str(n), f.titel, f.doel, t("sessies.minuten", aantal=f.minuten)] for n, f in enumerate(fasen, 1)]
    return Deel(t("sessies.sv.agenda"), kolommen=[t(f"sessies.sv.kolom.{c}") for c in ("nr", "fase", "doel", "tijd")],
                rijen=rows)  # fmt: skip


def _verwachtingen(store: Store, sessie: Sessie) -> Deel:
    deel = Deel(t("sessies.sv.verwachtingen"))
    k = rule().k  # leaves the room: a role's mean only from k enrolled raters (smaller roles merged or left out)
    per_role = verwachtingen.matrix(verwachtingen.ratings(store, sessie.kring_id, sessie.id), minimum=k)
    for r in per_role.itertuples():
        shown = r.aantal >= k
        deel.rijen.append([r.tekst, taxonomy().label("rol", r.rol), decimaal(r.belang) if shown else "x",
                           decimaal(r.haalbaarheid) if shown else "x", str(r.aantal)])  # fmt: skip
    if deel.rijen:
        deel.kolommen = [t(f"verwachtingen.kolom.{c}") for c in ("tekst", "rol", "belang", "haalbaarheid", "aantal")]
        deel.regels.append(t("sessies.sv.verwachtingen_uitleg", minimum=k))
    else:
        deel.regels.append(t("sessies.sv.geen_beoordelingen"))
    return deel


def _besluiten(store: Store, sessie: Sessie, entries) -> Deel:
    deel = Deel(t("sessies.sv.besluiten"))
    deel.regels += [e.tekst for e in entries if e.soort == "besluit"]
    texts = {v.id: v.tekst for v in store.list(Verwachting, kring_id=sessie.kring_id)}
    for outcome in store.list(Uitkomst, sessie_id=sessie.id, order_by="tijdstip"):
        wording = f" → {outcome.herziene_tekst}" if outcome.herziene_tekst else ""
        label = verwachtingen.outcome_label(outcome.uitkomst)
        deel.regels.append(t("sessies.sv.uitkomst", verwachting=texts.get(outcome.verwachting_id, ""), uitkomst=label)
                           + wording)  # fmt: skip
    if not deel.regels:
        deel.regels.append(t("sessies.sv.geen_besluiten"))
    return deel


def _knelpunten(store: Store, sessie: Sessie) -> Deel:
    # every knelpunt made in the session, also from an entry that was never revealed (only its link is read)
    ids = [e.knelpunt_id for e in store.bijdragen(sessie.id, Kijker("begeleider")) if e.knelpunt_id]
    found = store.list(Knelpunt, id=ids) if ids else []
    rows = [[k.titel, taxonomy().label("categorie", k.categorie), t(f"status.{k.status}")] for k in found]
    if not rows:
        return Deel(t("sessies.sv.knelpunten"), [t("sessies.sv.geen_knelpunten")])
    columns = [t(f"sessies.sv.kolom.{c}") for c in ("titel", "categorie", "status")]
    return Deel(t("sessies.sv.knelpunten"), kolommen=columns, rijen=rows)


def _bijdragen(store: Store, sessie: Sessie, entries) -> list[Deel]:
    sjabloon = verloop.sjabloon_van(sessie)
    parts = []
    for index, fase in enumerate(sjabloon.fasen):
        written = [e for e in entries if e.fase == index and e.soort == "tekst"]
        if fase.soort == "stemmen":
            parts += _stemming(store, sessie, index, fase.titel, verloop.stemuitslag(store, sessie, entries, index))
        elif written:
            parts.append(Deel(t("sessies.sv.bijdragen", fase=fase.titel), regels=[e.tekst for e in written]))
    return parts


def _stemming(store: Store, sessie: Sessie, index: int, titel: str, voted) -> list[Deel]:
    """A vote for the municipality: dots per role only when every voting role had at least k voters (a hidden role
    would follow from the total), else only the total, and no numbers at all with fewer than k voters."""
    voters = store.stemmers(sessie.id, index)  # enrolled people only: guests never lift a role over k
    if not voted:
        return []
    k = rule().k
    deel = Deel(t("sessies.sv.stemmen", fase=titel))
    if sum(voters.values()) < k:
        deel.regels = [t("sessies.sv.stemmen_te_weinig", k=k), *(e.tekst for e, _d in voted)]
        return [deel]
    rollen = [r for r in taxonomy().codes("rol") if r in voters] if min(voters.values()) >= k else []
    if not rollen:
        deel.regels.append(t("sessies.sv.stemmen_alleen_totaal", k=k))
    deel.kolommen = [t("sessies.bijdrage"), *(taxonomy().label("rol", r) for r in rollen), t("sessies.totaal")]
    deel.rijen = [[e.tekst, *(str(d.get(r, 0)) for r in rollen), str(sum(d.values()))] for e, d in voted]
    return [deel]


def _acties(store: Store, sessie: Sessie, namen: bool) -> Deel:
    roles = {d.naam: d.rol for d in store.list(Deelname, sessie_id=sessie.id)}
    rows = []
    for actie in store.list(Actie, sessie_id=sessie.id, order_by="aangemaakt"):
        wie = actie.eigenaar if namen else t("sessies.sv.een_deelnemer", rol=taxonomy().label(
            "rol", roles.get(actie.eigenaar, "uitvoering")))  # fmt: skip
        due = actie.deadline.strftime("%d-%m-%Y") if actie.deadline else ""
        rows.append([actie.omschrijving, wie, due, t(f"sessies.actie_status.{actie.status}")])
    if not rows:
        return Deel(t("sessies.sv.acties"), [t("sessies.nog_geen_acties")])
    columns = [t(f"sessies.actie_kolom.{c}") for c in ("wat", "wie", "wanneer", "status")]
    return Deel(t("sessies.sv.acties"), kolommen=columns, rijen=rows)


def delen(store: Store, begeleider: Deelnemer, sessie_id: str, namen: bool = False) -> tuple[str, str, list[Deel]]:
    """Title, subtitle and sections of the summary; only the kring's facilitator may make it."""
    sessie = store.get(Sessie, sessie_id)
    verloop.begeleider_van(store, begeleider, sessie.kring_id)
    kring = store.get(Kring, sessie.kring_id)
    entries = store.bijdragen(sessie.id, Kijker("beleid"))
    title = t("sessies.sv.titel", sessie=sessie.titel, datum=sessie.datum.strftime("%d-%m-%Y"))
    onder = t("sessies.sv.onder", kring=kring.naam, sjabloon=verloop.sjabloon_van(sessie).naam,
              anoniem=t("sessies.sv.met_namen" if namen else "sessies.sv.zonder_namen"))  # fmt: skip
    sections = [
        _agenda(sessie),
        _verwachtingen(store, sessie),
        _knelpunten(store, sessie),
        _besluiten(store, sessie, entries),
        *_bijdragen(store, sessie, entries),
        _acties(store, sessie, namen),
    ]
    return title, onder, sections


def html(store: Store, begeleider: Deelnemer, sessie_id: str, namen: bool = False) -> str:
    return _html(*delen(store, begeleider, sessie_id, namen))


def pdf(store: Store, begeleider: Deelnemer, sessie_id: str, namen: bool = False) -> bytes:
    return _pdf(*delen(store, begeleider, sessie_id, namen))


def bestanden(store: Store, begeleider: Deelnemer, sessie_id: str, namen: bool = False) -> tuple[str, bytes]:
    """The summary as HTML and as PDF, from one reading of the session."""
    parts = delen(store, begeleider, sessie_id, namen)
    return _html(*parts), _pdf(*parts)


def _html(title: str, onder: str, sections: list[Deel]) -> str:
    e = _escape
    body = [f'<p class="meta">{e(onder)}</p>']
    for deel in sections:
        body.append(f"<section><h2>{e(deel.kop)}</h2>")
        body += [f'<p class="tekst">{e(line)}</p>' for line in deel.regels]
        if deel.rijen:
            head = "".join(f'<th scope="col">{e(c)}</th>' for c in deel.kolommen)
            rows = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in deel.rijen)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        body.append("</section>")
    return html_page(title, body)


def _pdf(title: str, onder: str, sections: list[Deel]) -> bytes:
    document = Pdf(title)
    document.write(title, 16, "B", 1)
    document.write(onder, 9, "", 4)
    for deel in sections:
        document.write(deel.kop, 13, "B", 1)
        for line in deel.regels:
            document.write(line, 11, "", 1.5)
        for row in deel.rijen:  # a table as lines: 'column: value' keeps long texts readable on A4
            document.write(" · ".join(f"{c}: {v}" for c, v in zip(deel.kolommen, row, strict=True)), 10, "", 1.2)
        document.space(3)
    return document.bytes()


def bestandsnaam(sessie: Sessie) -> str:
    """A file name from the session's date and title (letters, digits, dashes)."""
    plain = unicodedata.normalize("NFKD", sessie.titel.lower()).encode("ascii", "ignore").decode("ascii")  # ë -> e
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "sessie"
    return f"samenvatting-{sessie.datum:%Y-%m-%d}-{slug}"
