"""cProfile of askurbact's index build (serial, jobs=1, so the per-file work is visible),
incremental update and queries, plus the on-disk size breakdown of the index.

    python benchmarks/profile_build.py INPUT [--size 100000] [--workdir DIR] [--top 25]

Uses the same corpus as benchmarks/scale.py (same seed and layout).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale
from askurbact import analysis
from askurbact.config import Settings
from askurbact.index.format import current_generation
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index
from askurbact.search import topk as search


def profiled(label: str, fn, top: int):
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    out = fn()
    prof.disable()
    wall = time.perf_counter() - t
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    print(f"\n===== {label}: {wall:.2f} s wall (under cProfile) =====")
    print("\n".join(buf.getvalue().splitlines()[4:]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("input", type=Path)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/askurbact-profile"))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    passages = scale.read_input(args.input)
    chosen, _ = scale.select(passages, args.size, args.seed)
    corpus, index = args.workdir / "corpus", args.workdir / "index"
    books = scale.write_corpus(chosen, corpus)
    import shutil

    shutil.rmtree(index, ignore_errors=True)
    settings = Settings(corpus=corpus, index=index, home=args.workdir / "home", semantic="off")
    profiled("full build, jobs=1", lambda: update_index(settings, full=True, jobs=1), args.top)
    target = sorted(books, key=lambda r: (books[r], r))[len(books) // 2]
    with open(corpus / target, "a", encoding="utf-8") as handle:
        handle.write("\nThe benchmark appended this sentence about a lighthouse keeper.\n")
    profiled("update one file", lambda: update_index(settings), args.top)

    reader = IndexReader(index)
    queries = scale.make_queries(reader, 200, args.seed)

    def run_queries():
        for q in queries:
            search.top_passages(reader, analysis.query_terms(q, reader.langs), 10)

    profiled("200 queries (top_passages)", run_queries, 15)

    gen = current_generation(index)
    sizes = {f.name: round(f.stat().st_size / 1e6, 1) for f in sorted(gen.iterdir())}
    cache = index / "cache"
    cache_mb = {ext: round(sum(f.stat().st_size for f in cache.glob(f"*.{ext}")) / 1e6, 1) for ext in ("entry", "json")}
    print("\n===== on-disk sizes (MB) =====")
    print(json.dumps({"generation": sizes, "generation_total": round(sum(sizes.values()), 1),
                      "cache": cache_mb, "corpus_text": round(scale.dir_mb(corpus), 1),
                      "postings": sum(len(s.doc) for s in reader.segments), "vocab": len(reader.vocab),
                      "vocab_dtype": str(reader.vocab.dtype), "passages": reader.n_passages}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
