"""The privacy gate: free text must not contain client data.

``scan(text)`` finds BSNs (elfproef), IBANs (mod-97), phone numbers, e-mail addresses, postcodes, street
addresses, dates of birth and person names; ``check_fields`` holds a form back with a message per field;
``check_lines`` and ``privacy_check_main`` serve ``wijkleer privacy-check FILE``. Everything runs offline
from the word lists in ``data/privacy/``, and nothing in this package logs the text it checks.
"""

from wijkleer.privacy.finding import KINDS, Finding
from wijkleer.privacy.gate import check_fields, check_lines, describe, privacy_check_main
from wijkleer.privacy.question import GeenPersoon, NaamVraag
from wijkleer.privacy.scan import scan

__all__ = [
    "KINDS",
    "Finding",
    "GeenPersoon",
    "NaamVraag",
    "check_fields",
    "check_lines",
    "describe",
    "privacy_check_main",
    "scan",
]
