"""How fast this machine is right now, for reading the other benchmarks' figures.

    python benchmarks/probe.py [INPUT] [--rounds 2]

A fixed single-threaded workload of the kind indexing does, frozen here so that it does
not change when askurbact does: over 60 pseudo-files of the first 14,000 passages of the
Gutenberg data in input order (16.3 MB), split sentences and words with regexes, count the
words, sort them, and sort an array of their hashes with numpy; the best of `--rounds` runs
is printed. The shared host's load moves it by up to 1.6x within minutes, so record it
next to the figures it explains (`scale.py` does, before and after each size).

Until 2026-11-21 the probe ran askurbact's own analysis instead; readings of the two are
not on one scale (docs/performance.md gives both for the same moments).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

import scale

DEFAULT_INPUT = Path(__file__).resolve().parent.parent.parent / "shared/data/gutenberg_passages/passages.jsonl.gz"
PASSAGES, FILES = 14_000, 60


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
WORD = re.compile(r"\w+")


def workload(text: str) -> int:
    sentences = SENTENCE_END.split(text)
    counts = Counter(word for sentence in sentences for word in WORD.findall(sentence.lower()))
    hashes = np.fromiter(map(hash, counts.elements()), np.int64)
    hashes.sort()
    return len(sorted(counts)) + int(hashes[:1].sum())


def run(passages: list[dict], rounds: int) -> float:
    """Seconds (best of `rounds`) of the workload on the first PASSAGES passages as FILES files."""
    passages = passages[:PASSAGES]
    files = ["\n\n".join(p["text"] for p in passages[i::FILES]) for i in range(FILES)]
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in files:
            workload(text)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, nargs="?", default=DEFAULT_INPUT)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    best = run(scale.read_input(args.input), args.rounds)
    print(f"probe {best:.2f} s (best of {args.rounds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
