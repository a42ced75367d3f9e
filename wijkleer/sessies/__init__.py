"""Leerkring sessions: templates (``sjablonen``), running a session (``verloop``), the summary (``samenvatting``)."""
