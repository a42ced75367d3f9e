"""Pages the server answers itself, without starting a kernel: the participant's session page (``sessie``).

A Voilà page starts a kernel (a Python process importing the stack) per visitor: ~2.5 s and ~80 MB each, and 30
people opening the session link at the same moment waited ~105 s on two cores. The participant's page does little
(join, write, vote, rate, commit to an action) and changes with the session, so the server answers it directly: one
HTML page, one script, and a small JSON interface that calls the same session services (``wijkleer.sessies.verloop``)
with the same viewer rules (``Kijker``) as the Voilà page. ``routes()`` lists the handlers for the launcher.
"""

from __future__ import annotations

from wijkleer.web.sessie import routes

__all__ = ["routes"]
