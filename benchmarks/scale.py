"""Scale benchmark: askurbact's index build, incremental update, queries, memory and disk,
against rank-bm25 (the scoring it mirrors) and tantivy (a compiled search engine).

    python benchmarks/scale.py INPUT [--sizes 1000,10000,100000] [--queries 200]
                               [--workdir DIR] [--seed N] [--keep]

INPUT is a JSONL(.gz) of passages ({"id", "src", "text"}, e.g.
/work/shared/data/gutenberg_passages/passages.jsonl.gz) or a folder of .txt/.md files.

For each size N: a corpus folder is made from N source passages (a seeded permutation of
the input, first N taken; larger sizes contain the smaller ones), written as one .txt
file per source book, passages separated by blank lines. Sizes beyond the input are
padded with synthetic passages made of real sentences re-sampled (seeded) from the input,
of the same length distribution ("padded": true in the output).

Query latency is measured twice: in this process, on a reader opened once right after
the build and update (`query_p50_ms`), and in a fresh child process that opens the index
and runs the same queries (`query_fresh_process_p50_ms`, with the peak RSS).

Prints one JSON object per size on stdout, then a Markdown table; progress on stderr.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from askurbact import analysis
from askurbact.config import Settings
from askurbact.index.format import current_generation
from askurbact.index.reader import IndexReader
from askurbact.search import topk as search
from index_tools import live_passages

HERE = Path(__file__).resolve()
ASKURBACT = Path(sys.executable).with_name("askurbact")
REF_QUERY_CAP = 20  # rank-bm25 queries at sizes > 100k source passages (about 1 s per query at 1M)
T0 = time.perf_counter()


def say(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- input

def read_input(path: Path) -> list[dict]:
    """Passages as dicts {"id", "src", "text"}."""
    if path.is_dir():
        out = []
        for f in sorted(path.rglob("*")):
            if f.suffix.lower() in (".txt", ".md") and f.is_file():
                text = f.read_text(encoding="utf-8", errors="replace")
                for para in re.split(r"\n\s*\n", text):
                    para = " ".join(para.split())
                    if para:
                        out.append({"id": len(out), "src": f.relative_to(path).as_posix(), "text": para})
        return out
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


_SENT = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


def select(passages: list[dict], n: int, seed: int) -> tuple[list[dict], bool]:
    """The first n passages of a seeded permutation; beyond the data, synthetic padding."""
    order = list(range(len(passages)))
    random.Random(seed).shuffle(order)
    chosen = [passages[i] for i in order[:n]]
    if n <= len(passages):
        return chosen, False
    # Padding: new passages of real sentences, lengths drawn from the real length distribution.
    rng = random.Random(seed + 1)
    sentences = [s for p in passages for s in _SENT.split(p["text"]) if len(s.split()) >= 3]
    lengths = [len(p["text"].split()) for p in passages]
    per_book = 300
    for j in range(n - len(passages)):
        target, words, parts = rng.choice(lengths), 0, []
        while words < target:
            s = sentences[rng.randrange(len(sentences))]
            parts.append(s)
            words += len(s.split())
        chosen.append({"id": f"pad{j}", "src": f"synthetic/book-{j // per_book:05d}.txt", "text": " ".join(parts)})
    return chosen, True


def safe_name(src: str) -> str:
    parts = [re.sub(r"[^\w.\- ]+", "_", p).strip(" .") or "_" for p in src.split("/")]
    name = "/".join(parts)
    return name if name.lower().endswith((".txt", ".md")) else name + ".txt"


def write_corpus(chosen: list[dict], folder: Path) -> dict[str, int]:
    """One .txt file per source book, passages in source order, blank line between.
    Returns the number of passages of each file."""
    books: dict[str, list[tuple]] = {}
    for k, p in enumerate(chosen):
        books.setdefault(safe_name(p["src"]), []).append((p["id"] if isinstance(p["id"], int) else 10**12 + k, p["text"]))
    if folder.exists():
        shutil.rmtree(folder)
    for rel, items in books.items():
        items.sort(key=lambda x: x[0])
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # A file starting with '---' would be read as front matter.
        text = "\n\n".join(t.lstrip("-") if i == 0 else t for i, (_, t) in enumerate(items))
        path.write_text(text + "\n", encoding="utf-8")
    return {rel: len(items) for rel, items in books.items()}


def dir_mb(*paths: Path) -> float:
    total = 0
    for p in paths:
        if p.is_file():
            total += p.stat().st_size
        elif p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return total / 1e6


# ---------------------------------------------------------------- queries

def make_queries(reader: IndexReader, count: int, seed: int) -> list[str]:
    """2-5 distinctive words per sampled passage: about half from the passage's rarer
    words (low document frequency), the rest from its commoner words; no stopwords."""
    rng = random.Random(seed + 2)
    live = live_passages(reader)
    en = analysis.analyzer("en")
    queries: list[str] = []
    tries = 0
    while len(queries) < count and tries < count * 20:
        tries += 1
        i = live[rng.randrange(len(live))]
        passage, document = reader.passage(i)
        stop = analysis.stopwords(document.lang)
        cands: dict[str, int] = {}
        for w in analysis.words(passage.text):
            if len(w) < 3 or not w.isalpha() or w in stop or w in cands:
                continue
            stem = en.terms(w)
            df = reader.doc_freq(stem[0]) if stem else 0
            if not df:
                continue
            cands[w] = df
        if len(cands) < 5:
            continue
        by_df = sorted(cands, key=lambda w: (cands[w], w))
        k = rng.randint(2, 5)
        rare, common = by_df[:len(by_df) // 2], by_df[len(by_df) // 2:]
        n_rare = (k + 1) // 2 if rng.random() < 0.5 else k // 2
        words = rng.sample(rare, n_rare) + rng.sample(common, k - n_rare)
        rng.shuffle(words)
        queries.append(" ".join(words))
    return queries


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else float("nan")


# ---------------------------------------------------------------- child: peak RSS

def _status_mb(field: str) -> float:
    """VmHWM / VmRSS of this process from /proc (VmHWM is reset by exec, unlike
    getrusage's ru_maxrss, which inherits the parent's peak through fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def rss_child(index_dir: str, queries_file: str) -> None:
    base_mb = _status_mb("VmRSS")
    queries = json.loads(Path(queries_file).read_text())
    reader = IndexReader(Path(index_dir))
    lat = []
    for q in queries:
        t = time.perf_counter()
        search.top_passages(reader, analysis.query_terms(q, reader.langs), 10)
        lat.append((time.perf_counter() - t) * 1e3)
    print(json.dumps({"peak_rss_mb": _status_mb("VmHWM"), "baseline_rss_mb": base_mb,
                      "query_p50_ms": pct(lat, 50), "query_p95_ms": pct(lat, 95)}))


# ---------------------------------------------------------------- one size

def same_top10(ours: list[int], scores: np.ndarray, tol: float = 1e-9) -> bool:
    """Our top-10 set equals rank-bm25's top-10 set, up to ties at the 10th score."""
    positive = np.flatnonzero(scores != 0)
    if len(positive) <= 10:
        ref = set(positive.tolist())
        return set(ours) == ref
    top = positive[np.argpartition(-scores[positive], 9)[:10]]
    cutoff = float(scores[top].min())
    ref = set(top.tolist())
    a = set(ours)
    if a == ref:
        return True
    slack = tol * max(1.0, abs(cutoff))
    if len(a) != 10 or any(scores[i] < cutoff - slack for i in a):
        return False
    return all(abs(scores[i] - cutoff) <= slack for i in a ^ ref)


def index_command(corpus: Path, index: Path, env: dict, *flags: str) -> tuple[float, str]:
    """Wall time of `askurbact index [flags]` (the whole process) and its summary line."""
    t = time.perf_counter()
    proc = subprocess.run([str(ASKURBACT), "--corpus", str(corpus), "--index", str(index), "index", *flags],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"askurbact index failed ({proc.returncode}): {proc.stderr[-500:]}")
    return seconds, (proc.stdout.strip().splitlines() or [""])[-1]


def run_size(passages: list[dict], n: int, args, workdir: Path) -> dict:
    base = workdir / f"size-{n}"
    corpus, index, home = base / "corpus", base / "index", base / "home"
    chosen, padded = select(passages, n, args.seed)
    books = write_corpus(chosen, corpus)
    os.sync()  # the benchmark's own writes, flushed before timing, do not compete with the build's
    n_source = len(chosen)
    del chosen  # the texts are on disk now; at 1M they are over 1 GB in memory
    say(f"n={n}: corpus written: {n_source} source passages in {len(books)} files ({dir_mb(corpus):.1f} MB)"
        + (" [padded]" if padded else ""))
    if index.exists():
        shutil.rmtree(index)
    home.mkdir(parents=True, exist_ok=True)
    settings = Settings(corpus=corpus, index=index, home=home, semantic="off")  # lexical speed (the extra: README)

    # Build and update as a user does, with the command line in a fresh process (this
    # process holds every input passage: its garbage collector would slow an in-process build).
    env = {**os.environ, "ASKURBACT_HOME": str(home), "ASKURBACT_SEMANTIC": "off"}
    build_s, summary = index_command(corpus, index, env, "--full")
    say(f"n={n}: askurbact build {build_s:.2f} s: {summary}")

    # Incremental update: one sentence appended to one (mid-sized) file.
    target = sorted(books, key=lambda r: (books[r], r))[len(books) // 2]
    with open(corpus / target, "a", encoding="utf-8") as handle:
        handle.write("\nThe benchmark appended this sentence about a lighthouse keeper.\n")
    update_one_s, summary = index_command(corpus, index, env)
    say(f"n={n}: update one file {update_one_s:.2f} s: {summary}")

    reader = IndexReader(index)
    queries = make_queries(reader, args.queries, args.seed)
    qfile = base / "queries.json"
    qfile.write_text(json.dumps(queries, indent=0))
    say(f"n={n}: {len(queries)} queries, e.g. {queries[:3]}")

    # askurbact queries, reader opened once
    lat, ours_top, ours_scores, query_tokens = [], [], [], []
    for q in queries:
        t = time.perf_counter()
        terms = analysis.query_terms(q, reader.langs)
        top = search.top_passages(reader, terms, 10)
        lat.append((time.perf_counter() - t) * 1e3)
        query_tokens.append(terms)
        ours_top.append([i for i, _ in top])
        ours_scores.append([s for _, s in top])
    say(f"n={n}: askurbact query p50 {pct(lat, 50):.2f} ms, p95 {pct(lat, 95):.2f} ms")

    # peak RSS of a separate process opening the index and running all queries
    out = subprocess.run([sys.executable, str(HERE), "--_rss-child", str(index), str(qfile)],
                         capture_output=True, text=True, check=True)
    rss = json.loads(out.stdout.strip().splitlines()[-1])
    peak_rss_mb = rss["peak_rss_mb"]
    say(f"n={n}: peak RSS {peak_rss_mb:.1f} MB (after imports, before opening: {rss['baseline_rss_mb']:.1f} MB); "
        f"the same queries there: p50 {rss['query_p50_ms']:.2f} ms, p95 {rss['query_p95_ms']:.2f} ms")

    # cold ask: a whole new process per question (OS page cache warm)
    cold = []
    for r in range(5):
        q = queries[r % len(queries)]
        t = time.perf_counter()
        proc = subprocess.run([str(ASKURBACT), "--corpus", str(corpus), "--index", str(index), "ask", "--json", q],
                              capture_output=True, text=True, cwd=base, env=env)
        cold.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"askurbact ask failed ({proc.returncode}): {proc.stderr[-500:]}")
    cold_ask_s = statistics.median(cold)
    say(f"n={n}: cold ask median {cold_ask_s:.3f} s ({', '.join(f'{c:.2f}' for c in cold)})")

    gen = current_generation(index)
    index_mb = dir_mb(gen, index / "cache")

    # The same tokens for the reference engines: askurbact's passages, askurbact's analyzer.
    t = time.perf_counter()
    interned: dict[str, str] = {}
    tokens: list[list[str]] = []
    live = live_passages(reader)  # rank-bm25 numbers these passages 0..n-1
    for i in live:
        passage, document = reader.passage(i)
        tokens.append([interned.setdefault(w, w) for w in analysis.analyzer(document.lang).terms(passage.text)])
    mismatched_len = int(sum(len(tk) != int(reader.doc_len[i]) for tk, i in zip(tokens, live)))
    position = np.full(reader.n_slots, -1, np.int64)
    position[live] = np.arange(len(live))
    say(f"n={n}: re-analysed {len(tokens)} passages in {time.perf_counter() - t:.1f} s "
        f"(doc_len mismatches: {mismatched_len})")

    result = {"passages": reader.n_passages, "source_passages": n_source, "files": len(books), "padded": padded,
              "build_s": round(build_s, 3), "update_one_s": round(update_one_s, 3),
              "query_p50_ms": round(pct(lat, 50), 3), "query_p95_ms": round(pct(lat, 95), 3),
              "query_fresh_process_p50_ms": round(rss["query_p50_ms"], 3),
              "query_fresh_process_p95_ms": round(rss["query_p95_ms"], 3),
              "cold_ask_s": round(cold_ask_s, 3), "peak_rss_mb": round(peak_rss_mb, 1),
              "baseline_rss_mb": round(rss["baseline_rss_mb"], 1), "index_mb": round(index_mb, 1)}

    # rank-bm25
    from rank_bm25 import BM25Okapi

    t = time.perf_counter()
    bm25 = BM25Okapi(tokens, k1=settings.k1, b=settings.b, epsilon=settings.epsilon)
    bm_build = time.perf_counter() - t
    n_ref = len(queries) if n <= 100_000 else min(len(queries), REF_QUERY_CAP)
    bm_lat, same, max_diff = [], 0, 0.0
    for qi in range(n_ref):
        t = time.perf_counter()
        scores = bm25.get_scores(query_tokens[qi])
        k = min(10, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        bm_lat.append((time.perf_counter() - t) * 1e3)
        ours = [int(position[i]) for i in ours_top[qi]]  # our passage slots as rank-bm25's numbers
        same += same_top10(ours, scores)
        for i, s in zip(ours, ours_scores[qi]):
            max_diff = max(max_diff, abs(s - scores[i]))
    result["top10_same_as_rank_bm25"] = round(same / n_ref, 4) if n_ref else None
    result["top10_compared_queries"] = n_ref
    result["max_abs_score_diff"] = max_diff
    result["rank_bm25"] = {"build_s": round(bm_build, 3), "query_p50_ms": round(pct(bm_lat, 50), 3),
                           "query_p95_ms": round(pct(bm_lat, 95), 3), "queries": n_ref}
    say(f"n={n}: rank-bm25 build {bm_build:.1f} s, query p50 {pct(bm_lat, 50):.1f} ms; "
        f"top-10 same {same}/{n_ref}, max score diff {max_diff:.2e}")
    del bm25

    # tantivy, on the same tokens (whitespace tokenizer: the terms are taken as they are)
    result["tantivy"] = run_tantivy(tokens, query_tokens, base / "tantivy")
    say(f"n={n}: tantivy {result['tantivy']}")
    if not args.keep:
        shutil.rmtree(base / "tantivy", ignore_errors=True)
    return result


def run_tantivy(tokens: list[list[str]], query_tokens: list[list[str]], folder: Path) -> dict:
    import tantivy

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("pid", stored=True, fast=True)
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    schema = sb.build()
    t = time.perf_counter()
    ix = tantivy.Index(schema, path=str(folder))
    writer = ix.writer(256_000_000, 2)
    for i, tk in enumerate(tokens):
        writer.add_document(tantivy.Document(pid=i, body=" ".join(tk)))
    writer.commit()
    writer.wait_merging_threads()
    build_s = time.perf_counter() - t
    ix.reload()
    searcher = ix.searcher()
    lat = []
    for terms in query_tokens:
        t = time.perf_counter()
        q = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", w, index_option="freq"))
                                         for w in terms])
        searcher.search(q, 10, count=False)
        lat.append((time.perf_counter() - t) * 1e3)
    return {"build_s": round(build_s, 3), "query_p50_ms": round(pct(lat, 50), 3),
            "query_p95_ms": round(pct(lat, 95), 3), "index_mb": round(dir_mb(folder), 1)}


# ---------------------------------------------------------------- main

COLUMNS = [("passages", "passages"), ("padded", "padded"), ("build_s", "build s"), ("update_one_s", "update 1 file s"),
           ("query_p50_ms", "query p50 ms"), ("query_p95_ms", "query p95 ms"), ("cold_ask_s", "cold ask s"),
           ("peak_rss_mb", "peak RSS MB"), ("index_mb", "index MB"), ("top10_same_as_rank_bm25", "top-10 = rank-bm25"),
           ("rank_bm25.build_s", "rank-bm25 build s"), ("rank_bm25.query_p50_ms", "rank-bm25 p50 ms"),
           ("tantivy.build_s", "tantivy build s"), ("tantivy.query_p50_ms", "tantivy p50 ms"),
           ("tantivy.index_mb", "tantivy MB"), ("probe_s", "probe s (before, after)")]


def table(rows: list[dict]) -> str:
    def get(row, key):
        value = row
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if isinstance(value, float):
            return f"{value:.3g}" if value < 100 else f"{value:,.0f}"
        return f"{value:,}" if isinstance(value, int) else ("" if value is None else str(value))

    lines = ["| " + " | ".join(h for _, h in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(get(r, k) for k, _ in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_rss-child"]:
        rss_child(argv[1], argv[2])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--keep", action="store_true", help="keep the corpus and index folders")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    tmp = None
    if args.workdir is None:
        tmp = tempfile.mkdtemp(prefix="askurbact-scale-")
        workdir = Path(tmp)
    else:
        workdir = args.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    import probe  # benchmarks/probe.py (it imports this module)

    say(f"reading {args.input}")
    passages = read_input(args.input)
    say(f"{len(passages)} source passages; workdir {workdir}")
    rows = []
    try:
        for n in sizes:
            before = probe.run(passages, rounds=2)
            row = {"size": n, **run_size(passages, n, args, workdir)}
            # The shared machine's speed before and after this size (benchmarks/probe.py).
            row["probe_s"] = [round(before, 2), round(probe.run(passages, rounds=2), 2)]
            rows.append(row)
            print(json.dumps(row), flush=True)
            if not args.keep:
                shutil.rmtree(workdir / f"size-{n}", ignore_errors=True)
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
