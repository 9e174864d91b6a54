"""One corpus file -> one cache entry: read, hash, parse, chunk, analyse, and write
`cache/<key>.npz` (term counts per passage, by term) and `cache/<key>.rec` (the passages'
places and texts), keyed by the content hash and the analysis recipe. Runs in worker
processes for large updates; `indexer.py` merges the entries into segments.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import analysis
from .chunking import chunk
from .config import Settings
from .index import FORMAT_VERSION, IndexProblem, stat_key
from .loading import CorpusFileError, Document, parse_file

PARALLEL_MIN_BYTES = 2_000_000  # below this, starting worker processes costs more than it saves


def _cache_key(sha256: str, rel: str, settings: Settings) -> str:
    # The same bytes parse differently as .txt (plain text) and as Markdown.
    mode = "text" if rel.lower().endswith(".txt") else "markdown"
    recipe = json.dumps([sha256, mode, analysis.signature(), settings.chunk_words, FORMAT_VERSION], sort_keys=True)
    return hashlib.sha256(recipe.encode()).hexdigest()[:40]


def smallest_uint(values: np.ndarray) -> np.ndarray:
    top = int(values.max()) if len(values) else 0
    return values.astype(np.uint8 if top < 2**8 else np.uint16 if top < 2**16 else np.uint32)


def analyse(rel: str, data: bytes, chunk_words: int) -> tuple[dict, dict[str, np.ndarray], bytes]:
    """One file's cache entry: (meta, postings, records).

    The postings are grouped by term in the order of the file's sorted vocabulary, which
    is the order of every larger sorted vocabulary too, so segments merge them cheaply.
    Records are read back by byte span (IndexReader.passage)."""
    loaded = parse_file(rel, data)
    passages = chunk(loaded.document.doc_id, loaded.blocks, chunk_words)
    flat, counts = analysis.analyzer(loaded.document.lang).terms_flat([p.text for p in passages])
    lengths = np.array(counts, dtype=np.int64)
    vocab = sorted(set(flat))
    local_id = {term: i for i, term in enumerate(vocab)}
    term_ids = np.fromiter(map(local_id.__getitem__, flat), np.int64, len(flat))
    passage_ids = np.repeat(np.arange(len(passages), dtype=np.int64), lengths)
    pairs, tf = np.unique(term_ids * max(len(passages), 1) + passage_ids, return_counts=True)
    # A record: its place as one JSON line, then the text as it is (escaping the text as JSON
    # cost more than everything else in this step).
    records = [f"{json.dumps([p.section, p.first_line, p.last_line, p.pieces])}\n{p.text}".encode()
               for p in passages]
    rec_off = np.zeros(len(records) + 1, np.int64)
    np.cumsum([len(r) for r in records], out=rec_off[1:])
    arrays = {"term": smallest_uint(pairs // max(len(passages), 1)),
              "passage": smallest_uint(pairs % max(len(passages), 1)),
              "tf": smallest_uint(tf), "doc_len": lengths.astype(np.int32), "rec_off": rec_off}
    meta = {"document": _document_json(loaded.document), "warnings": loaded.warnings, "vocab": vocab}
    return meta, arrays, b"".join(records)


def _document_json(doc: Document) -> dict:
    return {"doc_id": doc.doc_id, "path": doc.path, "title": doc.title, "lang": doc.lang, "date": doc.date,
            "publisher": doc.publisher, "tags": list(doc.tags)}


def _read_corpus_file(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusFileError(f"{size / 1e6:.1f} MB is larger than max_file_mb ({max_bytes / 1e6:g} MB)")
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def process_file(corpus: str, rel: str, cache_dir: str, settings: Settings,
                 force: bool = False) -> tuple[str, str, tuple[int, int], tuple[dict, dict] | None]:
    """Read, hash and (if not cached, or forced) analyse one file.

    Returns (sha256, cache key, (size, mtime), (meta, arrays) if it analysed the file): the
    caller need not read back from the cache what was just written (opening files is slow
    on some file systems, which matters for thousands of small files).

    Runs in a worker process for large updates; raises CorpusFileError to skip the file.
    The size and time are taken before reading: a change made while we read leaves the
    index stale, so the next run picks it up."""
    path = Path(corpus, rel)
    before = stat_key(path)
    try:
        data = _read_corpus_file(path, int(settings.max_file_mb * 1e6))
    except FileNotFoundError:
        raise CorpusFileError("vanished while indexing") from None
    except PermissionError:
        raise CorpusFileError("permission denied") from None
    except IsADirectoryError:
        raise CorpusFileError("is a folder") from None
    except OSError as exc:
        raise CorpusFileError(exc.strerror or str(exc)) from None
    sha = hashlib.sha256(data).hexdigest()
    key = _cache_key(sha, rel, settings)
    cache = Path(cache_dir)
    # Forced (--full) entries are rewritten by atomic renames: the live generation keeps reading them.
    analysed = None
    if force or not (cache / f"{key}.npz").is_file():
        meta, arrays, records = analyse(rel, data, settings.chunk_words)
        analysed = meta, arrays
        tmp = cache / f".{key}.{os.getpid()}"
        Path(f"{tmp}.rec").write_bytes(records)
        os.replace(f"{tmp}.rec", cache / f"{key}.rec")
        # The npz is written last: its presence means the entry is complete. Two files per
        # entry, not three: creating a file is the slow part for many small ones.
        meta_bytes = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8)
        np.savez(f"{tmp}.npz", meta=meta_bytes, **arrays)
        os.replace(f"{tmp}.npz", cache / f"{key}.npz")
    return sha, key, before or (0, 0), analysed


def _process_file_in_worker(*args) -> tuple:
    # Sending the arrays back through the pool's pipe costs more than reading them again.
    return (*process_file(*args)[:3], None)


def process_files(todo: list[str], corpus: Path, cache_dir: Path, settings: Settings,
             jobs: int | None, force: bool) -> Iterator[tuple[str, object]]:
    """Yield (path, (sha, key, stat) or CorpusFileError) for each file, in parallel when it pays."""
    jobs = jobs or os.cpu_count() or 1
    sizes = {rel: (stat_key(corpus / rel) or (0, 0))[0] for rel in todo}
    if jobs > 1 and len(todo) > 1 and sum(sizes.values()) > PARALLEL_MIN_BYTES:
        import multiprocessing

        # spawn, not fork: the chat UI calls this from a thread, and forking a threaded process can hang.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            # Largest first, so that no worker is left with a big file at the end.
            futures = {pool.submit(_process_file_in_worker, str(corpus), rel, str(cache_dir), settings, force): rel
                       for rel in sorted(todo, key=lambda r: -sizes[r])}
            for future in as_completed(futures):
                try:
                    yield futures[future], future.result()
                except CorpusFileError as exc:
                    yield futures[future], exc
                except BrokenProcessPool:
                    raise IndexProblem("an indexing worker process died (out of memory?); "
                                       "try again, or with fewer files") from None
        return
    for rel in todo:
        try:
            yield rel, process_file(str(corpus), rel, str(cache_dir), settings, force)
        except CorpusFileError as exc:
            yield rel, exc


@dataclass
class Entry:
    """A live file's cache entry, loaded for building a segment."""

    rel: str
    key: str
    meta: dict
    arrays: dict[str, np.ndarray]

    @property
    def n_passages(self) -> int:
        return len(self.arrays["doc_len"])


def load_entry(cache_dir: Path, rel: str, key: str) -> Entry:
    with np.load(cache_dir / f"{key}.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in ("term", "passage", "tf", "doc_len", "rec_off")}
        meta = json.loads(npz["meta"].tobytes())
    if not (cache_dir / f"{key}.rec").is_file():
        raise FileNotFoundError(f"{key}.rec")
    return entry_of(rel, key, meta, arrays)


def entry_of(rel: str, key: str, meta: dict, arrays: dict[str, np.ndarray]) -> Entry:
    # The cache is keyed by content: identical files share an entry but keep their own place.
    meta = {**meta, "document": {**meta["document"], "path": rel, "doc_id": rel.rsplit(".", 1)[0]}}
    return Entry(rel, key, meta, arrays)
