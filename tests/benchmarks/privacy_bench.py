"""Benchmark for the privacy gate: quality per kind over the labelled set, and latency per 1 kB of text.

Run: ``.venv/bin/python tests/benchmarks/privacy_bench.py [--texts 2000]``. Targets: recall 100% for
bsn/iban/email/postcode/phone, precision >= 90% for every kind, recall >= 90% for names and addresses, and
p95 <= 50 ms per 1 kB text after warm-up.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from wijkleer.privacy import KINDS, scan  # noqa: E402
from wijkleer.privacy.measure import score  # noqa: E402

SET = ROOT / "tests" / "privacy" / "labelled_nl.jsonl"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000, help="number of 1 kB texts to time (default 2000)")
    args = parser.parse_args()

    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]
    negatives = sum(1 for row in rows if not row["kinds"])
    print(f"Gelabelde set: {len(rows)} zinnen, {len(rows) - negatives} met en {negatives} zonder persoonsgegevens")
    print(f"{'soort':<10} {'n':>4} {'recall':>8} {'precisie':>9} {'F1':>6}   tp  fp  fn")
    for kind, result in score(rows).items():
        n = result.true_positives + result.false_negatives
        print(
            f"{kind:<10} {n:>4} {result.recall:>8.3f} {result.precision:>9.3f} {result.f1:>6.3f}"
            f"  {result.true_positives:>3} {result.false_positives:>3} {result.false_negatives:>3}"
        )

    texts = kilobyte_texts([row["text"] for row in rows], args.texts)
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
        f"Latentie over {len(timings)} teksten van ~1 kB (ms per kB): p50 {statistics.median(timings):.2f}, "
        f"p95 {p95:.2f}, max {timings[-1]:.2f}  (doel p95 <= 50)"
    )
    assert set(KINDS) == set(score([]).keys())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
