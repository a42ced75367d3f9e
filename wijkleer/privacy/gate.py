"""The gate itself: hold a form back when a field holds personal data, and the line-by-line check for the CLI.

Found text is shown to the author only (in the per-field message); it is never logged, and the CLI output
names only the kinds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from wijkleer.errors import WijkleerError
from wijkleer.privacy.finding import Finding
from wijkleer.privacy.question import GeenPersoon, NaamVraag, is_question, waive
from wijkleer.privacy.scan import scan
from wijkleer.text import t


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return t("privacy.komma").join(parts[:-1]) + t("privacy.en") + parts[-1]


def describe(findings: list[Finding]) -> str:
    """The per-field message: what was found and where (1-based positions, both ends included)."""
    parts = [t("privacy.vondst", soort=f.label, tekst=f.text, van=f.start + 1, tot=f.end) for f in findings]
    return t("privacy.veld", gevonden=_join(parts))


def check_fields(
    fields: dict[str, str],
    geen_persoon: Iterable[GeenPersoon] = (),
    audit: Callable[[GeenPersoon], None] | None = None,
) -> None:
    """Raise ``WijkleerError`` with a message per field when any field seems to hold client data.

    The entry is held for the author to rephrase: nothing is stored or altered here. When only possible names
    are left, the error is a ``NaamVraag`` that a form can answer with "dit is geen persoon": the answers come
    back as ``geen_persoon`` (field and position of a name) and each one used is handed to ``audit``. A hard
    identifier is never waived.
    """
    answers = list(geen_persoon)
    found = {name: scan(value) for name, value in fields.items() if isinstance(value, str)}
    found = {name: waive(name, findings, answers, audit) for name, findings in found.items()}
    found = {name: findings for name, findings in found.items() if findings}
    if not found:
        return
    messages = {name: describe(findings) for name, findings in found.items()}
    if all(is_question(findings) for findings in found.values()):
        questions = {name: [(f.start, f.end) for f in findings] for name, findings in found.items()}
        raise NaamVraag(t("privacy.naam_vraag"), t("privacy.naam_hint"), messages, questions)
    raise WijkleerError(t("privacy.melding"), t("privacy.hint"), fields=messages)


def check_lines(lines: Iterable[str]) -> Iterator[dict]:
    """One ``{"line": N, "personal_data": bool, "kinds": [...]}`` per line, numbered from 1."""
    for number, line in enumerate(lines, start=1):
        kinds = sorted({finding.kind for finding in scan(line.rstrip("\r\n"))})
        yield {"line": number, "personal_data": bool(kinds), "kinds": kinds}


def privacy_check_main(path: Path, out: TextIO) -> int:
    """``wijkleer privacy-check FILE``: read UTF-8 text (BOM and CRLF allowed), write one JSON object per line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        name = Path(path).name
        raise WijkleerError(t("privacy.bestand_onleesbaar", bestand=name), t("privacy.bestand_hint")) from exc
    for result in check_lines(text.splitlines()):
        out.write(json.dumps(result) + "\n")
    return 0
