"""Per-passage CPU cost of indexing: loading, chunking and term analysis, single-threaded.

    python benchmarks/analysis_speed.py [--input PASSAGES.jsonl.gz] [-n 20000] [--repeat 3]

Reads the first N passages of the input ({"id", "src", "text"} per line), joins each
source's passages into one file text with blank lines between (as benchmarks/scale.py
write_corpus does), then times, per stage over all files: `loading.parse_file`,
`chunking.chunk`, `Analyzer.terms` per passage, and the indexer's bulk analysis of all
files at once (`batch.analyse`, when present). Prints one JSON object; each stage is the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from askurbact import analysis
from askurbact.ingest import parse_file
from askurbact.ingest.chunking import chunk

DEFAULT_INPUT = Path("/work/shared/data/gutenberg_passages/passages.jsonl.gz")


def read_files(path: Path, n: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of one file per source, its passages in order, blank line between."""
    books: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for k, line in enumerate(handle):
            if k >= n:
                break
            record = json.loads(line)
            books.setdefault(record["src"], []).append(record["text"])
    files = []
    for src, texts in books.items():
        texts[0] = texts[0].lstrip("-")  # a file starting with '---' would be read as front matter
        name = src if src.endswith((".txt", ".md")) else src + ".txt"
        files.append((name, ("\n\n".join(texts) + "\n").encode()))
    return files


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_once(files: list[tuple[str, bytes]]) -> dict[str, float]:
    parse_s, loaded = timed(lambda: [parse_file(name, data) for name, data in files])
    chunk_s, passages = timed(lambda: [chunk(f.document.doc_id, f.blocks) for f in loaded])
    analysers = [analysis.analyzer(f.document.lang) for f in loaded]
    texts = [[p.text for p in ps] for ps in passages]
    terms_s, per_text = timed(lambda: [[an.terms(t) for t in ts] for an, ts in zip(analysers, texts)])
    result = {"parse_s": parse_s, "chunk_s": chunk_s, "terms_s": terms_s,
              "passages": sum(map(len, passages)), "terms": sum(len(t) for ts in per_text for t in ts)}
    try:
        from askurbact.index.writer import batch
    except ImportError:  # older versions
        return result
    parsed = [batch.Parsed(f, ps) for f, ps in zip(loaded, passages)]
    bulk_s, (entries, _) = timed(lambda: batch.analyse(parsed))
    result["bulk_analyse_s"] = bulk_s
    assert sum(int(arrays["doc_len"].sum()) for _, arrays, _ in entries) == result["terms"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("-n", type=int, default=20000, help="passages to read")
    parser.add_argument("--repeat", type=int, default=3, help="runs; each stage reports its best")
    args = parser.parse_args()
    files = read_files(args.input, args.n)
    runs = [run_once(files) for _ in range(args.repeat)]
    best = {key: min(run[key] for run in runs) if key.endswith("_s") else runs[0][key] for key in runs[0]}
    best = {key: round(value, 3) if isinstance(value, float) else value for key, value in best.items()}
    print(json.dumps({"files": len(files), "mb": round(sum(len(d) for _, d in files) / 1e6, 1), **best}))


if __name__ == "__main__":
    main()
