"""Cranfield retrieval quality: askurbact's real index and search against a plain
rank-bm25 baseline.

    python benchmarks/cranfield.py [--data /work/shared/data/cranfield] [--workdir DIR]

The 1400 abstracts (title + .W text) are written as a small corpus, one .txt file per
document, and indexed with `update_index` and chunk_words=5000, so each abstract is one
passage; passages map back to document ids by file name. Queries (ids 1..225 by their
position in cran.qry, as cranqrel numbers them) are analysed with `analysis.query_terms`
and ranked with `search.top_passages` (top 1000).

Relevance (see the data README): cranqrel codes 1 (most relevant) .. 4 (least) are
relevant, gains 1->4, 2->3, 3->2, 4->1; -1 (the source paper of the question) is not
relevant. nDCG@10 uses linear gains (trec_eval style), MAP is over all relevant documents
with the top 1000, R@100 is recall in the top 100. Queries without a relevant document
are left out (there are none in this file).

Baseline: rank_bm25.BM25Okapi (k1=1.5, b=0.75, epsilon=0.25, its defaults and ours) on a
plain analyzer: lowercase, split on non-letters, English Snowball stem (PyStemmer), no
stopwords. Prints one JSON object on stdout, then one line per system.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import Stemmer
from rank_bm25 import BM25Okapi

from askurbact import analysis
from askurbact.config import Settings
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index
from askurbact.search import topk as search

GAIN = {1: 4, 2: 3, 3: 2, 4: 1}
DEPTH = 1000


def parse_smart(path: Path) -> list[tuple[str, dict[str, str]]]:
    """[(id, {field letter: text})] in file order."""
    records: list[tuple[str, dict[str, str]]] = []
    field = None
    for line in path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").split("\n"):
        m = re.match(r"^\.([ITABW])(?:\s+(.*))?$", line)
        if m:
            if m.group(1) == "I":
                records.append((m.group(2).strip(), {}))
                field = None
            else:
                field = m.group(1)
                records[-1][1].setdefault(field, "")
            continue
        if field and records:
            records[-1][1][field] += line + "\n"
    return records


def load(data: Path):
    docs = {int(i): f for i, f in parse_smart(data / "cran.all.1400")}
    queries = [" ".join(f.get("W", "").split()) for _, f in parse_smart(data / "cran.qry")]
    qrels: dict[int, dict[int, int]] = {}
    for line in (data / "cranqrel").read_text().split("\n"):
        parts = line.split()
        if len(parts) >= 3:
            q, d, code = int(parts[0]), int(parts[1]), int(parts[2])
            if code in GAIN:
                qrels.setdefault(q, {})[d] = GAIN[code]
    return docs, queries, qrels


def doc_text(fields: dict[str, str], mode: str) -> str:
    title, body = fields.get("T", "").strip(), fields.get("W", "").strip()
    if mode == "w":
        return body
    return "\n\n".join(p for p in (title, body) if p)


def evaluate(runs: dict[int, list[int]], qrels: dict[int, dict[int, int]]) -> dict:
    ndcg, ap, r100, p10 = [], [], [], []
    for q, rel in qrels.items():
        ranking = runs.get(q, [])[:DEPTH]
        dcg = sum(rel.get(d, 0) / math.log2(r + 2) for r, d in enumerate(ranking[:10]))
        ideal = sorted(rel.values(), reverse=True)[:10]
        idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
        ndcg.append(dcg / idcg)
        hits, total = 0, 0.0
        for r, d in enumerate(ranking):
            if d in rel:
                hits += 1
                total += hits / (r + 1)
        ap.append(total / len(rel))
        r100.append(sum(d in rel for d in ranking[:100]) / len(rel))
        p10.append(sum(d in rel for d in ranking[:10]) / 10)
    mean = lambda xs: round(float(np.mean(xs)), 4)
    return {"ndcg@10": mean(ndcg), "map": mean(ap), "r@100": mean(r100), "p@10": mean(p10), "queries": len(ndcg)}


def run_askurbact(docs, queries, workdir: Path, mode: str, chunk_words: int = 5000):
    corpus, index = workdir / f"corpus-{mode}", workdir / f"index-{mode}"
    for folder in (corpus, index):
        shutil.rmtree(folder, ignore_errors=True)
    corpus.mkdir(parents=True)
    written = 0
    for i, fields in docs.items():
        text = doc_text(fields, mode)
        if text.strip():
            (corpus / f"{i:04d}.txt").write_text(text.lstrip("-") + "\n", encoding="utf-8")
            written += 1
    settings = Settings(corpus=corpus, index=index, home=workdir / "home", chunk_words=chunk_words, semantic="off")
    t = time.perf_counter()
    report = update_index(settings, full=True)
    build_s = time.perf_counter() - t
    reader = IndexReader(index)
    passage_doc_id = [int(reader.documents[int(d)].doc_id.split(".")[0]) for d in reader.passage_doc]
    runs, t = {}, time.perf_counter()
    for q, text in enumerate(queries, 1):
        terms = analysis.query_terms(text, reader.langs)
        ranking, seen = [], set()
        for p, _ in search.top_passages(reader, terms, DEPTH):
            d = passage_doc_id[p]
            if d not in seen:  # a document's best passage stands for it
                seen.add(d)
                ranking.append(d)
        runs[q] = ranking
    query_s = time.perf_counter() - t
    info = {"files": written, "documents": report.documents, "passages": reader.n_passages,
            "skipped": report.skipped, "build_s": round(build_s, 3), "query_ms_mean": round(query_s / len(queries) * 1e3, 3)}
    return runs, info


_LETTERS = re.compile(r"[^a-z]+")


def run_plain_bm25(docs, queries, mode: str, stopwords: frozenset[str] = frozenset()):
    stem = Stemmer.Stemmer("english")
    tok = lambda text: stem.stemWords([w for w in _LETTERS.split(text.lower()) if w and w not in stopwords])
    ids = [i for i, f in docs.items() if doc_text(f, mode).strip()]
    bm25 = BM25Okapi([tok(doc_text(docs[i], mode)) for i in ids])
    runs = {}
    for q, text in enumerate(queries, 1):
        scores = bm25.get_scores(tok(text))
        order = np.lexsort((np.arange(len(ids)), -scores))[:DEPTH]
        runs[q] = [ids[j] for j in order if scores[j] != 0]
    return runs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/cranfield"))
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--variants", action="store_true",
                    help="also score diagnostic variants (.W only; baseline with askurbact's stopwords)")
    args = ap.parse_args(argv)
    docs, queries, qrels = load(args.data)
    assert len(docs) == 1400 and len(queries) == 225, (len(docs), len(queries))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="askurbact-cranfield-"))
    try:
        ours_runs, info = run_askurbact(docs, queries, workdir, "tw")
        ours = evaluate(ours_runs, qrels)
        base = evaluate(run_plain_bm25(docs, queries, "tw"), qrels)
        result = {"askurbact": {**ours, **info}, "rank_bm25_plain_stem": base,
                  "targets": {"ndcg@10_min": 0.366, "ndcg@10_goal": 0.373},
                  "pass_min": ours["ndcg@10"] >= 0.366, "pass_goal": ours["ndcg@10"] > 0.373}
        if args.variants:
            w_runs, w_info = run_askurbact(docs, queries, workdir, "w")
            result["variants"] = {
                "askurbact_w_only": {**evaluate(w_runs, qrels), "passages": w_info["passages"]},
                "rank_bm25_plain_stem_w_only": evaluate(run_plain_bm25(docs, queries, "w"), qrels),
                "rank_bm25_plain_stem_askurbact_stopwords": evaluate(
                    run_plain_bm25(docs, queries, "tw", analysis.stopwords("en")), qrels),
            }
        print(json.dumps(result))
        for name, m in (("askurbact", ours), ("rank-bm25 plain stem", base)):
            print(f"{name:22s} nDCG@10 {m['ndcg@10']:.4f}  MAP {m['map']:.4f}  R@100 {m['r@100']:.4f}  "
                  f"P@10 {m['p@10']:.4f}  ({m['queries']} queries)")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
