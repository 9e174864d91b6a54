"""Ranking parameters on SQuAD part 1: BM25's k1 and b and the re-ranking depth, swept.

    python benchmarks/sweep_ranking.py [--articles 0-15] [--k1 1.2,1.5] [--b 0.75] [--depth 20]

Each combination indexes the corpus of `benchmarks/answers.py` (same articles, same seeded
questions) with those settings and prints one row: hit@1/3/5 and answer-hit with the
"nothing found" gate, hit@3 with it open, found, abstain, p50 ms. A parameter is chosen on
one split (`--articles 0-15`) and confirmed on the other (`--articles 8-23`); see
docs/quality.md, "Third round: ranking".
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
from pathlib import Path

import answers as bench
from askurbact.search import rerank


def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=bench.default_data())
    ap.add_argument("--articles", default="0-15")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--k1", type=floats, default=[1.5])
    ap.add_argument("--b", type=floats, default=[0.75])
    ap.add_argument("--depth", type=lambda s: [int(x) for x in s.split(",")], default=[rerank.DEPTH])
    args = ap.parse_args(argv)

    articles = bench.load_articles(args.data)
    chosen = set(bench.parse_articles(args.articles))
    inside = [a for a in articles if a.number in chosen]
    rng = random.Random(args.seed)
    answerable = bench.sample_questions(inside, 2000, rng)
    absent = bench.sample_questions([a for a in articles if a.number not in chosen], 600, rng)
    print("| k1 | b | depth | hit@1 | hit@3 | hit@5 | answer-hit | hit@3 open | found | abstain | p50 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    shipped_depth = rerank.DEPTH
    try:
        with tempfile.TemporaryDirectory(prefix="askurbact-sweep-") as tmp:
            corpus = Path(tmp) / "corpus"
            sources = bench.SourceLines(corpus)
            bench.write_corpus(inside, corpus)
            for k1, b in itertools.product(args.k1, args.b):
                ours = bench.Askurbact(corpus, Path(tmp) / f"k1-{k1}-b-{b}", k1=k1, b=b)
                for depth in args.depth:
                    rerank.DEPTH = depth  # read by Assistant.retrieve at each question
                    gated = bench.figures("askurbact", bench.run(ours, answerable, absent), sources)
                    open_hits = [bench.first_hit(ours.retrieve(q.text).passages, q.answers) for q in answerable]
                    open3 = bench.share(r is not None and r <= 3 for r in open_hits)
                    print(f"| {k1} | {b} | {depth} | {gated.hit[1]:.3f} | {gated.hit[3]:.3f} | {gated.hit[5]:.3f} | "
                          f"{gated.answer_hit:.3f} | {open3:.3f} | {gated.found:.3f} | {gated.abstain:.3f} | "
                          f"{gated.p50_ms:.2f} |", flush=True)
    finally:
        rerank.DEPTH = shipped_depth  # the rest of the process searches as shipped
    return 0


if __name__ == "__main__":
    sys.exit(main())
