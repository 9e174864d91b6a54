"""How fast this machine is right now, for reading the other benchmarks' figures.

    python benchmarks/probe.py [INPUT] [--rounds 2]

A fixed single-threaded workload: `filecache.analyse` (parse, chunk, analyse one file) over 60
pseudo-files of the first 14,000 passages of the Gutenberg data in input order, 16.3 MB; the
best of `--rounds` runs is printed (the first run also fills the analyzer's memo). On the
2-core VM of docs/performance.md it read 1.2 s in fast periods and up to 1.9 s in slow ones,
within minutes: the shared host's load moves it, so record it next to the figures it
explains (`scale.py` does, before and after each size).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402
from askurbact import filecache  # noqa: E402

DEFAULT_INPUT = Path(__file__).resolve().parent.parent.parent / "shared/data/gutenberg_passages/passages.jsonl.gz"
PASSAGES, FILES = 14_000, 60


def run(passages: list[dict], rounds: int) -> float:
    """Seconds (best of `rounds`; the first also fills the analyzer's memo) to analyse the first
    PASSAGES passages as FILES files."""
    passages = passages[:PASSAGES]
    files = [(f"probe/{i}.txt", "\n\n".join(p["text"] for p in passages[i::FILES]).encode())
             for i in range(FILES)]
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for rel, data in files:
            filecache.analyse(rel, data, 150)
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
