"""Where wijkleer finds its data folder and its workbooks."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: ``$WIJKLEER_DATA`` if set, else ``data/`` next to the package."""
    return Path(os.environ.get("WIJKLEER_DATA") or PROJECT_ROOT / "data")


def workbooks_dir() -> Path:
    return Path(os.environ.get("WIJKLEER_WORKBOOKS") or PROJECT_ROOT / "workbooks")
