"""The store: one facade over SQLite (default) or PostgreSQL."""

from __future__ import annotations

import os

from wijkleer.store.bord import Kijker, Zichtbaar
from wijkleer.store.facade import Between, Mark, Store

DEFAULT_URL = "wijkleer.db"


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url``, else ``$WIJKLEER_DB``, else ``wijkleer.db`` in this folder."""
    return Store(url or os.environ.get("WIJKLEER_DB") or DEFAULT_URL)


__all__ = ["DEFAULT_URL", "Between", "Kijker", "Mark", "Store", "Zichtbaar", "open_store"]
