"""Where wijkleer finds its data folder, its workbooks and its cache."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: ``$WIJKLEER_DATA`` if set, else ``data/`` next to the package."""
    return Path(os.environ.get("WIJKLEER_DATA") or PROJECT_ROOT / "data")


def workbooks_dir() -> Path:
    return Path(os.environ.get("WIJKLEER_WORKBOOKS") or PROJECT_ROOT / "workbooks")


def cache_folders() -> list[Path]:
    """Where wijkleer keeps what it makes once (the Vega bundle, the holiday calendar): the user's cache folder,
    else the temporary folder (a read-only home)."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [Path(cache_home) / "wijkleer", Path(tempfile.gettempdir()) / "wijkleer"]


def cached(name: str, make: Callable[[], str]) -> Path:
    """The cached file ``name``, made with ``make()`` when missing; written atomically (many kernels may start at
    once). Put the version of what makes it in ``name``: a new version makes a new file."""
    for folder in cache_folders():
        if (folder / name).exists():
            return folder / name
    text = make()
    for folder in cache_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, folder / name)
            return folder / name
        except OSError:
            continue
    raise OSError(f"cannot write {name} to {cache_folders()}")
