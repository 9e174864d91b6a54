"""How fast this machine is right now, for reading the other benchmarks' figures.

    python benchmarks/probe.py [INPUT] [--rounds 2]

A fixed single-threaded workload: `filecache.analyse` (parse, chunk, analyse one file) over 60
pseudo-files of the first 14,000 passages of the Gutenberg data in input order, 17 MB; the
best of `--rounds` runs is printed. On the 2-core VM of docs/performance.md it read 1.2-1.4 s
in fast periods and up to 2.1 s in slow ones; the shared host's load moves it, so record it
next to the figures it explains.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, nargs="?", default=DEFAULT_INPUT)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    passages = scale.read_input(args.input)[:PASSAGES]
    files = [(f"probe/{i}.txt", "\n\n".join(p["text"] for p in passages[i::FILES]).encode())
             for i in range(FILES)]
    best = float("inf")
    for _ in range(args.rounds):
        started = time.perf_counter()
        for rel, data in files:
            filecache.analyse(rel, data, 150)
        best = min(best, time.perf_counter() - started)
    print(f"probe {best:.2f} s ({sum(len(d) for _, d in files) / 1e6:.1f} MB, best of {args.rounds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
