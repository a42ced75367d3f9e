"""Loop rules: which status may follow which, and what each step needs.

The store appends events; this module decides whether an event may be appended. The store calls
``check`` inside the write transaction, so two people acting at once cannot break the history.
"""

from __future__ import annotations

from wijkleer.errors import WijkleerError
from wijkleer.model import STATUSES, StatusEvent
from wijkleer.text import t

# status -> statuses that may follow it
TRANSITIONS: dict[str, frozenset[str]] = {
    "gesignaleerd": frozenset({"ontvangen", "samengevoegd", "ingetrokken"}),
    "ontvangen": frozenset({"in_behandeling", "besluit", "samengevoegd", "ingetrokken"}),
    "in_behandeling": frozenset({"besluit", "samengevoegd", "ingetrokken"}),
    "besluit": frozenset({"teruggekoppeld"}),
    "teruggekoppeld": frozenset({"getoetst", "heropend"}),
    "getoetst": frozenset({"heropend"}),
    "heropend": frozenset({"ontvangen", "in_behandeling", "samengevoegd", "ingetrokken"}),
    "samengevoegd": frozenset(),
    "ingetrokken": frozenset(),
}
START = "gesignaleerd"
# closing, answering and reopening steps must say why
TEXT_REQUIRED = frozenset({"besluit", "teruggekoppeld", "getoetst", "heropend", "samengevoegd", "ingetrokken"})
OPEN = frozenset({"gesignaleerd", "ontvangen", "in_behandeling", "heropend"})
# closed without an answer: never late for a step not taken
CLOSED = frozenset({"samengevoegd", "ingetrokken"})
# waiting for policy: the open statuses and a decision not yet told to practice
WAITING_FOR_POLICY = OPEN | {"besluit"}
assert set(TRANSITIONS) == set(STATUSES)


def allowed(current: str | None, new: str) -> bool:
    if current is None:
        return new == START
    return new in TRANSITIONS[current]


def check(current: str | None, event: StatusEvent) -> None:
    """Raise WijkleerError if ``event`` may not follow status ``current`` (None: no history yet)."""
    if not allowed(current, event.status):
        if current is None:
            raise WijkleerError(t("loop.eerst_gesignaleerd"), t("loop.overgang_hint"))
        choices = ", ".join(t(f"status.{s}") for s in sorted(TRANSITIONS[current])) or "-"
        raise WijkleerError(
            t("loop.overgang_geweigerd", van=t(f"status.{current}"), naar=t(f"status.{event.status}")),
            t("loop.overgang_mogelijk", keuzes=choices),
            {"status": t("loop.overgang_kort")},
        )
    if event.status in TEXT_REQUIRED and not event.tekst.strip():
        raise WijkleerError(
            t("loop.tekst_nodig", stap=t(f"stap.{event.status}")),  # the button's name, as the person clicked it
            t("loop.tekst_hint"),
            {"tekst": t("model.verplicht")},
        )
    if event.status == "besluit" and not event.besluit:
        raise WijkleerError(t("loop.besluit_nodig"), t("loop.besluit_hint"), {"besluit": t("model.verplicht")})
    if event.status == "samengevoegd" and not event.samengevoegd_in:
        raise WijkleerError(
            t("loop.samenvoegen_nodig"), t("loop.samenvoegen_hint"), {"samengevoegd_in": t("model.verplicht")}
        )
