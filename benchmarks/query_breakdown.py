"""Where top_passages spends its time: the BM25 sum vs the top-k selection.

    python benchmarks/query_breakdown.py INDEX_DIR [--queries 200] [--seed 42]

Times, per query (p50/p95 ms), on an existing index: the query analysis; search.top_passages;
search._accumulate alone (term lookup + contributions into a score buffer, then the buffer
reset). Queries are made as in benchmarks/scale.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale
from askurbact import analysis
from askurbact.index.reader import IndexReader
from askurbact.search import topk as search


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

    scores = np.zeros(reader.n_slots)

    def accumulate_only(tm):
        query = search._lookup(reader, tm)
        search._accumulate(query, scores)
        for term in query:
            scores[term.docs] = 0.0

    queries = [" ".join(tm) for tm in terms]
    for name, fn in (("analysis (query_terms)", lambda q: analysis.query_terms(q, reader.langs)),):
        out = []
        for q in queries:
            t = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t) * 1e3)
        print(f"{name:42s} p50 {np.percentile(out, 50):7.3f} ms  p95 {np.percentile(out, 95):7.3f} ms")
    for name, fn in (("top_passages", lambda tm: search.top_passages(reader, tm, 10)),
                     ("_lookup + _accumulate + reset", accumulate_only)):
        p50, p95 = timed(fn)
        print(f"{name:42s} p50 {p50:7.3f} ms  p95 {p95:7.3f} ms")
    sizes = [sum(len(reader.postings(i)[0]) for i in map(reader.term_id, tm) if i is not None)
             for tm in terms]
    print(f"postings touched per query: p50 {np.percentile(sizes, 50):.0f}, p95 {np.percentile(sizes, 95):.0f}, "
          f"max {max(sizes)}; passages {reader.n_passages}, slots {reader.n_slots}, segments {len(reader.segments)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
