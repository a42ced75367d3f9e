"""``scan``: every detector over one text, overlaps resolved."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from wijkleer.privacy.addresses import find_address
from wijkleer.privacy.dates import find_birthdate
from wijkleer.privacy.finding import Finding, resolve
from wijkleer.privacy.names import find_name
from wijkleer.privacy.numbers import find_bsn, find_email, find_iban, find_phone, find_postcode

DETECTORS: tuple[Callable[[str], Iterator[Finding]], ...] = (
    find_email,
    find_iban,
    find_bsn,
    find_phone,
    find_postcode,
    find_birthdate,
    find_address,
    find_name,
)


def scan(text: str) -> list[Finding]:
    """All personal data found in ``text``, sorted by start and non-overlapping.

    Offsets index ``text`` itself: ``text[f.start:f.end] == f.text``. Where detectors overlap the more
    specific finding is kept (a BSN inside an IBAN is the IBAN). Nothing is logged.
    """
    if not text or not text.strip():
        return []
    return resolve([finding for detect in DETECTORS for finding in detect(text)])
