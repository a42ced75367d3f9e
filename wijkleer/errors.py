"""The one error type people see: a plain-Dutch message, a 'Probeer: …' hint, and per-field messages.

Technical detail (driver errors, tracebacks) goes to the log, never into the message.
"""

from __future__ import annotations


class WijkleerError(Exception):
    """Something the user can read and act on.

    ``message`` says what failed, ``hint`` what to try instead, ``fields`` maps a field name to the
    message to show next to that field in a form.
    """

    def __init__(self, message: str, hint: str | None = None, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.fields = dict(fields or {})

    def __str__(self) -> str:
        return f"{self.message} Probeer: {self.hint}" if self.hint else self.message
