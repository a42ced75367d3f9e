"""Recall and precision of the gate per kind, over a labelled set (``{"text": …, "kinds": [...]}`` rows).

Used by the tests and the benchmark; an organisation can run it on its own labelled sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
