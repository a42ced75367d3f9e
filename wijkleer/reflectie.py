"""Reflections: private per person, guided by a model (ALACT, Gibbs) from ``data/reflectie.toml``, saved as
drafts, shared one by one with the facilitator, and exported as a portfolio (HTML, PDF) the student owns.

Every function takes the signed-in participant (``eigenaar``) from Python; the store only gives a writer
their own reflections (``store.reflecties``) and a kring only what was shared (``store.gedeelde_reflecties``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import NamedTuple, get_args

from wijkleer import characters, identiteit, privacy
from wijkleer.databestand import CODE_PATTERN, broken, line_of, read
from wijkleer.document import Pdf, html_page
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Knelpunt, Kring, Reflectie, Sessie, now
from wijkleer.paths import data_dir
from wijkleer.store import Store
from wijkleer.text import t

MODEL_CODES: tuple[str, ...] = get_args(Reflectie.model_fields["model"].annotation)
MAX_STAP = 4000


# -- the models, as data ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stap:
    code: str
    titel: str
    vragen: tuple[str, ...]
    uitleg: str = ""

    @property
    def hulp(self) -> str:
        """The guiding prompt shown under the step's text field."""
        return " ".join(filter(None, (self.uitleg, *self.vragen)))


@dataclass(frozen=True)
class Model:
    code: str
    naam: str
    stappen: tuple[Stap, ...]
    uitleg: str = ""


_broken = partial(broken, "reflectie.data")  # (path, line, detail) -> the error naming file and line


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _parse_stap(path: Path, line: int, entry: object) -> Stap:
    if not isinstance(entry, dict):
        raise _broken(path, line, t("reflectie.data.geen_tabel"))
    unknown = set(entry) - {"code", "titel", "uitleg", "vragen"}
    if unknown:
        raise _broken(path, line, t("reflectie.data.onbekend_veld", veld=", ".join(sorted(unknown))))
    code, titel, vragen = entry.get("code"), _text(entry.get("titel")), entry.get("vragen")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise _broken(path, line, t("reflectie.data.code_ongeldig", code=code))
    if not titel:
        raise _broken(path, line, t("reflectie.data.titel_ontbreekt", code=code))
    if not isinstance(vragen, list) or not vragen or not all(_text(v) for v in vragen):
        raise _broken(path, line, t("reflectie.data.vragen_ongeldig", code=code))
    uitleg = _text(entry.get("uitleg")) or ""
    return Stap(code=code, titel=titel, vragen=tuple(v.strip() for v in vragen), uitleg=uitleg)


def _parse_model(path: Path, text: str, line: int, entry: object, first_step: int) -> Model:
    """One [[model]] block; ``first_step`` counts the [[model.stap]] blocks before it, to find a step's line."""
    if not isinstance(entry, dict):
        raise _broken(path, line, t("reflectie.data.geen_tabel"))
    unknown = set(entry) - {"code", "naam", "uitleg", "stap"}
    if unknown:
        raise _broken(path, line, t("reflectie.data.onbekend_veld", veld=", ".join(sorted(unknown))))
    code, naam, raw_steps = entry.get("code"), _text(entry.get("naam")), entry.get("stap")
    if code not in MODEL_CODES:
        raise _broken(path, line, t("reflectie.data.model_onbekend", code=code, codes=", ".join(MODEL_CODES)))
    if not naam:
        raise _broken(path, line, t("reflectie.data.titel_ontbreekt", code=code))
    if not isinstance(raw_steps, list) or not raw_steps:
        raise _broken(path, line, t("reflectie.data.geen_stappen", code=code))
    steps: list[Stap] = []
    for number, step in enumerate(raw_steps, start=first_step):
        step_line = line_of(text, r"^\[\[model\.stap\]\]", number)
        parsed = _parse_stap(path, step_line, step)
        if any(s.code == parsed.code for s in steps):
            raise _broken(path, step_line, t("reflectie.data.code_dubbel", code=parsed.code))
        steps.append(parsed)
    return Model(code=code, naam=naam, stappen=tuple(steps), uitleg=_text(entry.get("uitleg")) or "")


def parse(path: Path) -> dict[str, Model]:
    """Read and check a models file. Raises WijkleerError naming the file and the line."""
    text, raw = read("reflectie.data", path)
    unknown = sorted(set(raw) - {"model"})
    if unknown:
        line = line_of(text, rf"^\[*{re.escape(unknown[0])}[\]\s=.]")
        raise _broken(path, line, t("reflectie.data.onbekend_blok", blok=unknown[0]))
    if not isinstance(raw.get("model"), list) or not raw["model"]:
        raise _broken(path, 0, t("reflectie.data.geen_modellen"))
    models: dict[str, Model] = {}
    steps_before = 0
    for index, entry in enumerate(raw["model"]):
        line = line_of(text, r"^\[\[model\]\]", index)
        model = _parse_model(path, text, line, entry, steps_before)
        if model.code in models:
            raise _broken(path, line, t("reflectie.data.model_dubbel", code=model.code))
        models[model.code] = model
        steps_before += len(model.stappen)
    return models


@cache
def _load(path: Path) -> dict[str, Model]:
    return parse(path)


def modellen() -> dict[str, Model]:
    """The reflection models of this installation (``data/reflectie.toml``), by code, in file order."""
    return _load(data_dir() / "reflectie.toml")


def stappen_van(reflectie: Reflectie) -> list[tuple[str, str]]:
    """(title, text) per step in the model's order; steps the model no longer knows come last, by code."""
    model = modellen().get(reflectie.model)
    known = model.stappen if model else ()
    pairs = [(s.titel, reflectie.stappen.get(s.code, "")) for s in known]
    codes = {s.code for s in known}
    return pairs + [(code, text) for code, text in reflectie.stappen.items() if code not in codes]


def model_naam(code: str) -> str:
    model = modellen().get(code)
    return model.naam if model else code


# -- saving, reading, sharing ---------------------------------------------------------------------------
def _own(store: Store, eigenaar: Deelnemer, reflectie_id: str) -> Reflectie | None:
    return next((r for r in store.reflecties(eigenaar.id) if r.id == reflectie_id), None)


def _check_link(store: Store, eigenaar: Deelnemer, sessie_id: str | None, knelpunt_id: str | None) -> dict[str, str]:
    errors = {}
    if sessie_id:
        found = store.list(Sessie, id=sessie_id, kring_id=eigenaar.kring_id)
        if not found:
            errors["sessie_id"] = t("reflectie.sessie_onbekend")
    if knelpunt_id and not store.count(Knelpunt, id=knelpunt_id):
        errors["knelpunt_id"] = t("reflectie.knelpunt_onbekend")
    return errors


def opslaan(
    store: Store,
    eigenaar: Deelnemer,
    reflectie_id: str,
    model: str,
    stappen: dict[str, str],
    sessie_id: str | None = None,
    knelpunt_id: str | None = None,
) -> Reflectie:
    """Save a draft of ``eigenaar``'s reflection (new or a new version): steps may be left empty, but no step
    may hold client data (the privacy gate). Raises WijkleerError with a message per step (its code)."""
    chosen = modellen().get(model)
    if chosen is None:
        message = t("reflectie.model_onbekend")
        raise WijkleerError(message, t("reflectie.model_hint"), {"model": message})
    codes = {s.code for s in chosen.stappen}
    errors = {code: t("reflectie.stap_onbekend") for code in stappen if code not in codes}
    texts = {code: (text or "").strip() for code, text in stappen.items() if code in codes and (text or "").strip()}
    errors |= {code: t("model.te_lang", max_length=MAX_STAP) for code, text in texts.items() if len(text) > MAX_STAP}
    errors |= {code: t("model.stuurteken") for code, text in texts.items() if characters.unsafe(text)}
    errors |= _check_link(store, eigenaar, sessie_id, knelpunt_id)
    if not texts and not errors:
        message = t("reflectie.leeg")
        raise WijkleerError(message, t("reflectie.leeg_hint"), {chosen.stappen[0].code: message})
    if errors:
        raise WijkleerError(t("model.ongeldige_invoer", details="; ".join(errors.values())), t("model.ongeldig_hint"),
                            errors)  # fmt: skip
    privacy.check_fields(texts)
    earlier = _own(store, eigenaar, reflectie_id)
    moment = now()
    kept = {"aangemaakt": earlier.aangemaakt, "gedeeld": earlier.gedeeld} if earlier else {"aangemaakt": moment}
    links = {"sessie_id": sessie_id or None, "knelpunt_id": knelpunt_id or None}
    reflectie = Reflectie.make(
        id=reflectie_id, deelnemer_id=eigenaar.id, model=model, stappen=texts, bijgewerkt=moment, **links, **kept
    )
    return store.reflectie_opslaan(reflectie, eigenaar.id)


def mijn(store: Store, eigenaar: Deelnemer) -> list[Reflectie]:
    """``eigenaar``'s own reflections, the latest change first."""
    return store.reflecties(eigenaar.id)


def delen(store: Store, eigenaar: Deelnemer, reflectie_id: str, gedeeld: bool) -> Reflectie:
    """Share one of your own reflections with the facilitator of your kring (or stop sharing it)."""
    own = _own(store, eigenaar, reflectie_id)
    if own is None:
        raise WijkleerError(t("reflectie.niet_van_jou"), t("reflectie.niet_van_jou_hint"))
    return store.reflectie_opslaan(own.model_copy(update={"gedeeld": bool(gedeeld)}), eigenaar.id)


class Gedeeld(NamedTuple):
    reflectie: Reflectie
    schrijver: str


def gedeeld_in_kring(store: Store, begeleider: Deelnemer) -> list[Gedeeld]:
    """For a facilitator: the reflections the participants of their kring shared, with the writer's name."""
    person = identiteit.begeleider(store, begeleider)
    if person is None:
        raise WijkleerError(t("reflectie.alleen_begeleider"), t("reflectie.alleen_begeleider_hint"))
    names = {p.id: p.naam for p in store.list(Deelnemer, kring_id=person.kring_id)}
    return [Gedeeld(r, names.get(r.deelnemer_id, "")) for r in store.gedeelde_reflecties(person.kring_id)]


def koppeling_titel(store: Store, reflectie: Reflectie) -> str:
    """What the reflection is about: 'Sessie: …' or 'Knelpunt: …' (or '' when not linked)."""
    for kind, model, ident in (("sessie", Sessie, reflectie.sessie_id), ("knelpunt", Knelpunt, reflectie.knelpunt_id)):
        if ident:
            found = store.list(model, id=ident)
            return t(f"reflectie.koppeling.{kind}", titel=found[0].titel if found else t("reflectie.koppeling.weg"))
    return ""


def datum(moment: datetime) -> str:
    return moment.strftime("%d-%m-%Y")


# -- the portfolio ------------------------------------------------------------------------------------
def _portfolio(store: Store, eigenaar: Deelnemer) -> tuple[str, list[dict]]:
    found = store.list(Kring, id=eigenaar.kring_id)
    kring = found[0].naam if found else ""
    entries = [
        {"kop": t("reflectie.portfolio.kop", model=model_naam(r.model), datum=datum(r.bijgewerkt)),
         "over": koppeling_titel(store, r), "gedeeld": r.gedeeld, "stappen": stappen_van(r)}
        for r in mijn(store, eigenaar)
    ]  # fmt: skip
    return kring, entries


def portfolio_html(store: Store, eigenaar: Deelnemer) -> str:
    """The writer's portfolio as one self-contained HTML document (no scripts, nothing loaded from elsewhere)."""
    kring, entries = _portfolio(store, eigenaar)
    e = html.escape
    parts = [f'<p class="meta">{e(t("reflectie.portfolio.onder", kring=kring, datum=datum(now())))}</p>']
    if not entries:
        parts.append(f"<p>{e(t('reflectie.geen'))}</p>")
    for entry in entries:
        parts.append(f"<section><h2>{e(entry['kop'])}</h2>")
        meta = [entry["over"], t("reflectie.gedeeld_ja" if entry["gedeeld"] else "reflectie.gedeeld_nee")]
        parts.append(f'<p class="meta">{e(" · ".join(filter(None, meta)))}</p>')
        for titel, tekst in entry["stappen"]:
            shown = tekst or t("reflectie.portfolio.leeg")
            parts.append(f'<h3>{e(titel)}</h3><p class="tekst">{e(shown)}</p>')
        parts.append("</section>")
    return html_page(t("reflectie.portfolio.titel", naam=eigenaar.naam), parts)


def portfolio_pdf(store: Store, eigenaar: Deelnemer, compress: bool = True) -> bytes:
    """The same portfolio as a PDF (fpdf2). Characters the font cannot draw become '?'; the HTML keeps them."""
    kring, entries = _portfolio(store, eigenaar)
    title = t("reflectie.portfolio.titel", naam=eigenaar.naam)
    pdf = Pdf(title, eigenaar.naam, compress)
    pdf.write(title, 16, "B", 1)
    pdf.write(t("reflectie.portfolio.onder", kring=kring, datum=datum(now())), 9, "", 4)
    if not entries:
        pdf.write(t("reflectie.geen"), 11)
    for entry in entries:
        pdf.write(entry["kop"], 13, "B", 0.5)
        meta = [entry["over"], t("reflectie.gedeeld_ja" if entry["gedeeld"] else "reflectie.gedeeld_nee")]
        pdf.write(" · ".join(filter(None, meta)), 9, "", 2)
        for titel, tekst in entry["stappen"]:
            pdf.write(titel, 11, "B", 0.5)
            pdf.write(tekst or t("reflectie.portfolio.leeg"), 11, "", 2)
        pdf.space(4)
    return pdf.bytes()
