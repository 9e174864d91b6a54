"""Where top_passages spends its time: the BM25 sum vs the candidate selection.

    python benchmarks/query_breakdown.py INDEX_DIR [--queries 200] [--seed 42]

Times, per query (p50/p95 ms), on an existing index: search.top_passages; search._accumulate
alone; _accumulate + np.unique(np.concatenate(touched)) (the branch top_passages takes when the
touched postings are fewer than n_passages // 8); _accumulate + np.flatnonzero(scores) +
argpartition (the other branch). Queries are made as in benchmarks/scale.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402
from askurbact import analysis, search  # noqa: E402
from askurbact.index import IndexReader  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("index", type=Path)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    reader = IndexReader(args.index)
    terms = [analysis.query_terms(q, reader.langs) for q in scale.make_queries(reader, args.queries, args.seed)]

    def timed(fn):
        out = []
        for tm in terms:
            t = time.perf_counter()
            fn(tm)
            out.append((time.perf_counter() - t) * 1e3)
        return np.percentile(out, 50), np.percentile(out, 95)

    def with_unique(tm):
        scores, touched = search._accumulate(reader, tm)
        if len(touched) > 1:
            np.unique(np.concatenate(touched))

    def with_nonzero(tm):
        scores, touched = search._accumulate(reader, tm)
        cand = np.flatnonzero(scores)
        if len(cand) > 10:
            np.argpartition(-scores[cand], 9)[:10]

    for name, fn in (("top_passages", lambda tm: search.top_passages(reader, tm, 10)),
                     ("_accumulate only", lambda tm: search._accumulate(reader, tm)),
                     ("_accumulate + np.unique(concat)", with_unique),
                     ("_accumulate + flatnonzero + argpartition", with_nonzero)):
        p50, p95 = timed(fn)
        print(f"{name:42s} p50 {p50:7.3f} ms  p95 {p95:7.3f} ms")
    sizes = [sum(int(reader.post_off[i + 1] - reader.post_off[i]) for i in map(reader.term_id, tm) if i is not None)
             for tm in terms]
    print(f"postings touched per query: p50 {np.percentile(sizes, 50):.0f}, p95 {np.percentile(sizes, 95):.0f}, "
          f"max {max(sizes)}; n_passages // 8 = {reader.n_passages // 8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
