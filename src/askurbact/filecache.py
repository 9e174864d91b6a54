"""One corpus file -> one cache entry: read, hash, parse, chunk, analyse, and write
`cache/<key>.entry`, keyed by the content hash and the analysis recipe: the records (per
passage, its place as a JSON line, then its text), the arrays (term counts per passage, by
term; passage lengths; where each record starts), then a JSON header (the document, its
vocabulary, where each array is) and where that header starts. For large updates, worker
processes take batches of files and also merge each batch's postings into a run
(`postings.py`); `indexer.py` merges the runs into segments.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import analysis
from .chunking import Passage, chunk
from .config import Settings
from .index import FORMAT_VERSION, IndexProblem, stat_key
from .loading import CorpusFileError, Document, parse_file
from .postings import Run, run_of, smallest_uint

PARALLEL_MIN_BYTES = 2_000_000  # below this, starting worker processes costs more than it saves
ENTRY = ".entry"  # a cache entry's file name: <key>.entry
MIN_BATCH_BYTES = 2_000_000  # smaller batches balance the workers no better, and merge slower
# What reading a damaged cache entry raises.
CACHE_DAMAGE = (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, OverflowError,
                MemoryError, RecursionError)


def _cache_key(sha256: str, rel: str, settings: Settings) -> str:
    # The same bytes parse differently as .txt (plain text) and as Markdown.
    mode = "text" if rel.lower().endswith(".txt") else "markdown"
    recipe = json.dumps([sha256, mode, analysis.signature(), settings.chunk_words, FORMAT_VERSION], sort_keys=True)
    return hashlib.sha256(recipe.encode()).hexdigest()[:40]


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
    records = list(map(_record, passages, map(_section_json(), (p.section for p in passages))))
    rec_off = np.zeros(len(records) + 1, np.int64)
    np.cumsum([len(r) for r in records], out=rec_off[1:])
    arrays = {"term": smallest_uint(pairs // max(len(passages), 1)),
              "passage": smallest_uint(pairs % max(len(passages), 1)),
              "tf": smallest_uint(tf), "doc_len": lengths.astype(np.int32), "rec_off": rec_off}
    meta = {"document": _document_json(loaded.document), "warnings": loaded.warnings, "vocab": vocab}
    return meta, arrays, b"".join(records)


def _section_json():
    """json.dumps of a section name, memoised: a file has few sections and many passages."""
    memo: dict[str, str] = {}

    def dumped(section: str) -> str:
        text = memo.get(section)
        if text is None:
            text = memo[section] = json.dumps(section)
        return text
    return dumped


def _record(p: Passage, section_json: str) -> bytes:
    # The same bytes as json.dumps([section, first, last, pieces]), without its per-call cost.
    pieces = ", ".join(f"[{offset}, {line}]" for offset, line in p.pieces)
    return f"[{section_json}, {p.first_line}, {p.last_line}, [{pieces}]]\n{p.text}".encode()


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
    # Forced (--full) entries are rewritten by an atomic rename: the live generation keeps reading them.
    analysed = None
    if force or not (cache / f"{key}{ENTRY}").is_file():
        meta, arrays, records = analyse(rel, data, settings.chunk_words)
        analysed = meta, arrays
        tmp = cache / f".{key}.{os.getpid()}"
        _write_entry(tmp, meta, arrays, records)
        os.replace(tmp, cache / f"{key}{ENTRY}")
    return sha, key, before or (0, 0), analysed


def process_batch(corpus: str, batch: list[tuple[str, int]], cache_dir: str, settings: Settings,
                  force: bool) -> tuple[list[tuple[str, object]], Run]:
    """Process some files (path, rank) in a worker and merge their postings into one run.

    Returns the per-file outcomes, with light entries (no postings: those are in the run,
    built here, on this core), and the run. Sending a batch's run back through the pool's
    pipe costs less than having the indexer read every entry back and merge them alone."""
    outcomes, entries, ranks = [], [], {}
    for rel, rank in batch:
        try:
            sha, key, stat, analysed = process_file(corpus, rel, cache_dir, settings, force)
            try:
                entry = entry_of(rel, key, *analysed) if analysed else load_entry(Path(cache_dir), rel, key)
            except CACHE_DAMAGE:  # re-analyse: we have the file at hand
                sha, key, stat, analysed = process_file(corpus, rel, cache_dir, settings, True)
                entry = entry_of(rel, key, *analysed)
        except CorpusFileError as exc:
            outcomes.append((rel, exc))
            continue
        entries.append(entry)
        ranks[rel] = rank
        light = Entry(rel, key, {k: v for k, v in entry.meta.items() if k != "vocab"},
                      {k: entry.arrays[k] for k in ("doc_len", "rec_off")})
        outcomes.append((rel, (sha, key, stat, light)))
    return outcomes, run_of(entries, ranks)


def _batches(todo: list[str], sizes: dict[str, int], jobs: int) -> list[list[str]]:
    """Files in batches, largest files first; each batch takes a share of what is left
    (guided scheduling), so batches shrink and the last ones balance the workers."""
    order = sorted(todo, key=lambda r: -sizes[r])
    remaining = sum(sizes.values())
    batches, current, current_bytes = [], [], 0
    for rel in order:
        current.append(rel)
        current_bytes += sizes[rel]
        if current_bytes >= max(remaining / (2 * jobs), MIN_BATCH_BYTES):
            batches.append(current)
            remaining -= current_bytes
            current, current_bytes = [], 0
    return batches + [current] * bool(current)


def _die_with_parent(parent: int) -> None:
    """Worker initializer: when the indexer is killed (kill -9), its workers end too, instead
    of waiting forever for work (Linux: the parent-death signal)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the indexer was gone before that took hold
        os._exit(1)


def _start_method():
    """fork when this process has one Python thread (the command line, on Linux): the workers
    start at once, where spawn re-imports numpy and askurbact in each (~0.3 s). The chat UI
    indexes from a thread, and forking a process with other threads can deadlock: spawn there.
    (Native threads numpy may have started handle fork themselves.)"""
    import multiprocessing
    import threading

    fork = sys.platform.startswith("linux") and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def process_files(todo: list[str], ranks: dict[str, int], corpus: Path, cache_dir: Path, settings: Settings,
                  jobs: int | None, force: bool) -> Iterator[tuple[list[tuple[str, object]], Run | None]]:
    """Process files, in parallel when it pays. Yields (outcomes, run) per batch of files:
    an outcome is (sha, key, stat, entry or None if cached) or a CorpusFileError; a run,
    when not None, holds the postings of the batch's entries (then light entries)."""
    jobs = jobs or os.cpu_count() or 1
    sizes = {rel: (stat_key(corpus / rel) or (0, 0))[0] for rel in todo}
    if jobs > 1 and len(todo) > 1 and sum(sizes.values()) > PARALLEL_MIN_BYTES:
        with ProcessPoolExecutor(jobs, mp_context=_start_method(), initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(process_batch, str(corpus), [(rel, ranks[rel]) for rel in batch], str(cache_dir),
                                   settings, force) for batch in _batches(todo, sizes, jobs)]
            for future in as_completed(futures):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    raise IndexProblem("an indexing worker process died (out of memory?); "
                                       "try again, or with fewer files") from None
        return
    for rel in todo:
        try:
            sha, key, stat, analysed = process_file(str(corpus), rel, str(cache_dir), settings, force)
            yield [(rel, (sha, key, stat, entry_of(rel, key, *analysed) if analysed else None))], None
        except CorpusFileError as exc:
            yield [(rel, exc)], None


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


def _write_entry(path: Path, meta: dict, arrays: dict[str, np.ndarray], records: bytes) -> None:
    """One file per entry (creating files is the slow part for many small ones): the records
    first, so their offsets (`rec_off`, kept by the index per passage) depend on the content
    only — files with the same bytes share the entry, whoever wrote it last — then the
    arrays, 8-byte aligned, then a JSON header saying where they are (with a CRC-32), then
    8 bytes: where the header starts."""
    layout, at = {}, len(records)
    for name, array in arrays.items():
        at += -at % 8
        layout[name] = [array.dtype.str, len(array), at]
        at += array.nbytes
    with open(path, "wb") as handle:
        handle.write(records)
        written, crc = len(records), 0
        for name, array in arrays.items():
            chunk = bytes(layout[name][2] - written) + np.ascontiguousarray(array).tobytes()
            crc = zlib.crc32(chunk, crc)
            handle.write(chunk)
            written = layout[name][2] + array.nbytes
        header = {"meta": meta, "arrays": layout, "records": len(records), "crc32": crc}
        handle.write(json.dumps(header, ensure_ascii=False).encode())
        handle.write(written.to_bytes(8, "little"))


_ENTRY_ARRAYS = ("term", "passage", "tf", "doc_len", "rec_off")
_ENTRY_DTYPES = frozenset({"|u1", "<u2", "<u4", "<i4", "<i8"})  # nothing else is read back


def load_entry(cache_dir: Path, rel: str, key: str) -> Entry:
    """A cache entry, postings included; raises one of CACHE_DAMAGE if it is damaged."""
    with open(cache_dir / f"{key}{ENTRY}", "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        handle.seek(max(size - 8, 0))
        header_at = int.from_bytes(handle.read(8), "little")
        if not 0 <= header_at <= size - 8:
            raise ValueError("damaged entry (header offset)")
        handle.seek(header_at)
        header = json.loads(handle.read(size - 8 - header_at))
        records = int(header["records"])
        if not 0 <= records <= header_at:
            raise ValueError("damaged entry (records)")
        handle.seek(records)
        blob = handle.read(header_at - records)  # the arrays
    if zlib.crc32(blob) != header["crc32"]:
        raise ValueError("damaged entry (checksum)")
    arrays = {}
    for name in _ENTRY_ARRAYS:
        dtype, count, offset = header["arrays"][name]
        if dtype not in _ENTRY_DTYPES or int(count) < 0 or int(offset) < records:
            raise ValueError(f"damaged entry (array {name})")
        arrays[name] = np.frombuffer(blob, np.dtype(dtype), int(count), int(offset) - records)
    meta = header["meta"]
    n, vocab = len(arrays["doc_len"]), meta["vocab"]
    rec_off = arrays["rec_off"]
    # What the indexer relies on, checked so that a damaged entry is re-analysed or skipped.
    if not (isinstance(vocab, list) and len(rec_off) == n + 1 and len(arrays["term"]) == len(arrays["passage"])
            == len(arrays["tf"]) and int(rec_off[0]) == 0 and int(rec_off[-1]) == records
            and bool((np.diff(rec_off) > 0).all()) and (not len(arrays["term"]) or (
                int(arrays["term"].max()) < len(vocab) and int(arrays["passage"].max()) < n
                and int(arrays["tf"].min()) >= 1))):
        raise ValueError("damaged entry (arrays do not fit)")
    return entry_of(rel, key, meta, arrays)


def entry_of(rel: str, key: str, meta: dict, arrays: dict[str, np.ndarray]) -> Entry:
    # The cache is keyed by content: identical files share an entry but keep their own place.
    meta = {**meta, "document": {**meta["document"], "path": rel, "doc_id": rel.rsplit(".", 1)[0]}}
    return Entry(rel, key, meta, arrays)
