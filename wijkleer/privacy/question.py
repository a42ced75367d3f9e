"""A possible name is a question, not a wall.

Hard identifiers (BSN, IBAN, phone, e-mail, postcode, address, date of birth) always hold a text back. When the
only findings in a field are possible names, ``check_fields`` raises ``NaamVraag``: still a ``WijkleerError``
(the text is not stored), but a form can offer "dit is geen persoon" for each name. The author's answer comes
back as ``GeenPersoon`` records (field, kind and position, never the text); the next ``check_fields`` lets
exactly those names through and hands each record used to an audit sink, so the store can keep who decided
what, where and when, without keeping the words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wijkleer.errors import WijkleerError
from wijkleer.privacy.finding import Finding

QUESTION_KINDS = frozenset({"name"})


@dataclass(frozen=True)
class GeenPersoon:
    """The author's "dit is geen persoon" for one finding: where it was, never what it said."""

    field: str
    start: int
    end: int
    kind: str = "name"
    by: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC), compare=False)

    def matches(self, field_name: str, finding: Finding) -> bool:
        return (
            self.kind in QUESTION_KINDS
            and finding.kind == self.kind
            and (self.field, self.start, self.end) == (field_name, finding.start, finding.end)
        )


class NaamVraag(WijkleerError):
    """Only possible names were found: the form may ask "is dit een persoon?" per name.

    ``questions`` maps a field to the ``(start, end)`` of each possible name, for the view to highlight and to
    turn into ``GeenPersoon`` records when the author says it is no person.
    """

    def __init__(self, message: str, hint: str, fields: dict[str, str], questions: dict[str, list[tuple[int, int]]]):
        super().__init__(message, hint, fields)
        self.questions = questions


def is_question(findings: Iterable[Finding]) -> bool:
    """Whether every finding is one a person may wave through (possible names only)."""
    findings = list(findings)
    return bool(findings) and all(f.kind in QUESTION_KINDS for f in findings)


def waive(
    field_name: str,
    findings: list[Finding],
    geen_persoon: Iterable[GeenPersoon],
    audit: Callable[[GeenPersoon], None] | None,
) -> list[Finding]:
    """The findings left after the author's "geen persoon" answers; each answer used is passed to ``audit``."""
    answers = [answer for answer in geen_persoon if answer.field == field_name]
    left = []
    for finding in findings:
        used = next((answer for answer in answers if answer.matches(field_name, finding)), None)
        if used is None:
            left.append(finding)
        elif audit is not None:
            audit(used)
    return left
