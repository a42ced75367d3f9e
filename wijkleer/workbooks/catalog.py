"""Which workbooks exist: read from the notebooks' own metadata (``metadata.wijkleer``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from wijkleer.paths import workbooks_dir


@dataclass(frozen=True)
class Workbook:
    file: str
    titel: str
    beschrijving: str
    voor: str
    volgorde: int


def workbooks(folder: Path | None = None) -> list[Workbook]:
    """Every workbook except the start page, in the order their metadata gives."""
    found = []
    for path in sorted((folder or workbooks_dir()).glob("*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("wijkleer", {})
        if not meta or meta.get("start"):
            continue
        found.append(
            Workbook(
                file=path.name,
                titel=meta["titel"],
                beschrijving=meta.get("beschrijving", ""),
                voor=meta.get("voor", ""),
                volgorde=int(meta.get("volgorde", 99)),
            )
        )
    return sorted(found, key=lambda w: (w.volgorde, w.titel))
