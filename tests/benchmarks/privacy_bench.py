"""Benchmark for the privacy gate: quality per kind on both halves of the evaluation set, and latency per kB.

Run: ``PYTHONPATH=. .venv/bin/python tests/benchmarks/privacy_bench.py [--texts 2000] [--half afstemmen]``.

Only aggregate figures are printed, never a sentence: the ``toets`` half is held out (see
``tests/privacy/eval/README.md``) and must not be used for tuning. Targets on ``toets``: recall >= 99% for
bsn/iban/email/phone/postcode, >= 95% for names, addresses and dates of birth; sentence precision >= 95%;
p95 <= 50 ms per kB. When ``deduce`` is installed it is measured on the same sentences (optional; it is not a
project dependency).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from wijkleer.privacy import KINDS, scan  # noqa: E402
from wijkleer.privacy.measure import GateScore, eval_rows, gate_score  # noqa: E402

SET = ROOT / "tests" / "privacy" / "eval" / "zinnen.jsonl"
HALVES = ("afstemmen", "toets")
TARGETS = {"bsn": 0.99, "iban": 0.99, "email": 0.99, "phone": 0.99, "postcode": 0.99}
TARGETS.update({"name": 0.95, "address": 0.95, "birthdate": 0.95})


def kilobyte_texts(sentences: list[str], count: int, seed: int = 7) -> list[str]:
    """``count`` texts of about 1 kB (1000–1100 UTF-8 bytes), each a random run of set sentences."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while len(" ".join(parts).encode()) < 1000:
            parts.append(rng.choice(sentences))
        texts.append(" ".join(parts).encode()[:1100].decode(errors="ignore"))
    return texts


def deduce_detector() -> Callable[[str], set[str]] | None:
    """deduce's annotations mapped onto the gate's kinds, or None when deduce is not installed."""
    try:
        from deduce import Deduce  # type: ignore[import-not-found]
    except ImportError:
        return None
    model = Deduce()
    # generous on purpose: deduce's "locatie" covers street and postcode, "id" any long number, "datum" any date
    mapping = {
        "bsn": {"bsn"},
        "id": {"bsn", "iban", "phone"},
        "telefoonnummer": {"phone"},
        "emailadres": {"email"},
        "email": {"email"},
        "locatie": {"address", "postcode"},
        "persoon": {"name"},
        "patient": {"name"},
        "datum": {"birthdate"},
    }

    def detect(text: str) -> set[str]:
        tags = {annotation.tag.lower() for annotation in model.deidentify(text).annotations}
        return {kind for tag in tags for kind in mapping.get(tag, set())}

    return detect


def report(title: str, result: GateScore) -> None:
    print(f"\n{title}: {result.positives} met en {result.negatives} zonder persoonsgegevens")
    print(f"  {'soort':<10} {'recall':>7}  doel")
    for kind in KINDS:
        target = TARGETS[kind]
        mark = "ok" if result.recall_per_kind[kind] >= target else "ONDER DOEL"
        print(f"  {kind:<10} {result.recall_per_kind[kind]:>7.3f}  >= {target:.2f} {mark}")
    print(
        f"  tegengehouden: recall {result.recall:.3f}, precisie {result.precision:.3f} (doel >= 0.95), "
        f"onterecht tegengehouden negatieven {result.held_negatives} ({result.false_alarm_rate:.1%})"
    )


def latency(sentences: list[str], count: int) -> None:
    texts = kilobyte_texts(sentences, count)
    for text in texts[:50]:  # warm-up: word lists loaded, regular expressions compiled
        scan(text)
    timings = []
    for text in texts:
        started = time.perf_counter()
        scan(text)
        timings.append((time.perf_counter() - started) * 1000 / (len(text.encode()) / 1000))
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"\nLatentie over {len(timings)} teksten van ~1 kB (ms per kB): p50 {statistics.median(timings):.2f}, "
        f"p95 {p95:.2f}, max {timings[-1]:.2f}  (doel p95 <= 50)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000, help="number of 1 kB texts to time (default 2000)")
    parser.add_argument("--half", choices=HALVES, action="append", help="measure only this half (repeatable)")
    parser.add_argument("--no-deduce", action="store_true", help="skip the comparison with deduce")
    args = parser.parse_args()
    halves = args.half or list(HALVES)

    rows = {half: eval_rows(SET, half) for half in halves}
    for half in halves:
        report(f"wijkleer, helft {half}", gate_score(rows[half]))
    detect = None if args.no_deduce else deduce_detector()
    if detect is None and not args.no_deduce:
        print("\ndeduce is niet geïnstalleerd: geen vergelijking (pip install deduce==3.0.6).")
    if detect is not None:
        for half in halves:
            report(f"deduce, helft {half}", gate_score(rows[half], detect))
    # timing uses the tuning half only, so no held-out sentence is ever needed outside gate_score
    latency([row["text"] for row in eval_rows(SET, "afstemmen")], args.texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
