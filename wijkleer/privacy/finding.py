"""What the privacy gate finds: a kind of personal data at a place in the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from wijkleer.text import t

KINDS = ("bsn", "iban", "phone", "email", "postcode", "address", "birthdate", "name")

# when two findings overlap without one containing the other, the more specific kind wins
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(["email", "iban", "bsn", "phone", "postcode", "birthdate", "address", "name"])
}


@dataclass(frozen=True)
class Finding:
    """``text`` is ``original[start:end]``. It is left out of ``repr`` so a stray log line cannot leak it."""

    kind: str
    start: int
    end: int
    text: str = field(repr=False)

    @property
    def label(self) -> str:
        """What was found, in plain Dutch for the author ("een BSN", "een telefoonnummer", …)."""
        return t(f"privacy.soort.{self.kind}")


def resolve(findings: list[Finding]) -> list[Finding]:
    """Sorted by start and non-overlapping.

    A finding inside a longer one goes (the 8 digits in a phone number, a BSN inside an IBAN, a surname inside
    a street name); for a partial overlap the more specific kind wins, then the longer one.
    """
    unique = sorted(set(findings), key=lambda f: (f.start, -f.end))
    outer = [
        f
        for f in unique
        if not any(
            o is not f and o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
            for o in unique
        )
    ]
    kept: list[Finding] = []
    for finding in sorted(outer, key=lambda f: (_PRIORITY[f.kind], f.start - f.end, f.start)):
        if all(finding.end <= other.start or other.end <= finding.start for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
