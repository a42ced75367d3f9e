"""Recall and precision of the gate per kind, over a labelled set (``{"text": …, "kinds": [...]}`` rows).

Used by the tests and the benchmark; an organisation can run it on its own labelled sentences.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from wijkleer.privacy.finding import KINDS
from wijkleer.privacy.scan import scan


@dataclass(frozen=True)
class Score:
    kind: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def recall(self) -> float:
        found = self.true_positives + self.false_negatives
        return self.true_positives / found if found else 1.0

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0


def score(rows: Iterable[dict]) -> dict[str, Score]:
    """Per kind: a sentence counts once per kind (present in the labels and/or found by ``scan``)."""
    counts = {kind: [0, 0, 0] for kind in KINDS}
    for row in rows:
        expected = set(row["kinds"])
        found = {finding.kind for finding in scan(row["text"])}
        for kind in KINDS:
            if kind in expected and kind in found:
                counts[kind][0] += 1
            elif kind in found:
                counts[kind][1] += 1
            elif kind in expected:
                counts[kind][2] += 1
    return {kind: Score(kind, *values) for kind, values in counts.items()}


# the evaluation set (tests/privacy/eval/zinnen.jsonl) names kinds in Dutch
EVAL_KINDS = {
    "bsn": "bsn",
    "iban": "iban",
    "email": "email",
    "telefoon": "phone",
    "postcode": "postcode",
    "adres": "address",
    "naam": "name",
    "geboortedatum": "birthdate",
}


def eval_rows(path: Path, half: str) -> list[dict]:
    """The rows of one half (``afstemmen`` or ``toets``) of the evaluation set as ``{"text", "kinds"}``."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if record["helft"] == half:
            rows.append({"text": record["tekst"], "kinds": [EVAL_KINDS[k] for k in record["soorten"]]})
    return rows


@dataclass(frozen=True)
class GateScore:
    """Per sentence: the gate holds a text back when it finds anything at all."""

    positives: int
    negatives: int
    held_positives: int
    held_negatives: int
    recall_per_kind: dict[str, float]

    @property
    def precision(self) -> float:
        held = self.held_positives + self.held_negatives
        return self.held_positives / held if held else 1.0

    @property
    def recall(self) -> float:
        return self.held_positives / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.held_negatives / self.negatives if self.negatives else 0.0


def gate_score(rows: Iterable[dict], detect: Callable[[str], set[str]] | None = None) -> GateScore:
    """Per-kind recall (the kind itself was found) and sentence-level precision of holding a text back.

    ``detect`` maps a text to the kinds found (default: ``scan``), so another detector can be measured alike.
    """
    detect = detect or (lambda text: {finding.kind for finding in scan(text)})
    hits = {kind: [0, 0] for kind in KINDS}
    counts = [0, 0, 0, 0]
    for row in rows:
        found = detect(row["text"])
        expected = set(row["kinds"])
        positive = bool(expected)
        counts[0 if positive else 1] += 1
        if found:
            counts[2 if positive else 3] += 1
        for kind in expected:
            hits[kind][0] += kind in found
            hits[kind][1] += 1
    recall = {kind: (hit / total if total else 1.0) for kind, (hit, total) in hits.items()}
    return GateScore(*counts, recall_per_kind=recall)
