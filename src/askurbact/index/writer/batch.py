"""Files -> cache entries and postings runs, a batch of files at a time.

A batch is read and parsed file by file, then analysed as a whole: its passages' terms are
found in one pass (`analysis.bulk`), which shares the work per distinct word across files,
and its postings come out sorted by (term, file, passage), a run (`postings.py`) ready
for the indexer's merge. Each file's own entry is cut from the batch's postings and
written to the cache. For large updates, worker processes take the batches.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ... import analysis
from ...config import Settings
from ...errors import CorpusFileError, IndexProblem
from ...ingest import LoadedFile, parse_file
from ...ingest.chunking import chunk
from ...model import Passage
from .. import freshness
from ..records import ENTRY, document_json, encode_records
from .cache import CACHE_DAMAGE, Entry, entry_of, load_entry, read_file, write_entry
from .isolation import ApartParser, isolated, release_parser, shared_parser
from .postings import Run, run_of, smallest_uint
from .processes import child_start, stop_signals_held
from .processes import start_method as _start_method  # by this name: tests record the choice

PARALLEL_MIN_BYTES = 2_000_000  # below this, starting worker processes costs more than it saves
MIN_BATCH_BYTES = 2_000_000  # smaller batches balance the workers no better, and merge slower
# A batch's analysis holds a few arrays of 4 to 8 bytes per word (about 1 word per 6 bytes
# of text): this bounds a worker's memory, whatever the corpus size. At 100k passages a
# worker peaked at 284 MB with 12 MB batches, 414 MB with 24 MB, for the same build time.
MAX_BATCH_BYTES = 12_000_000

Outcome = tuple[str, "tuple[str, str, tuple[int, int, int], Entry] | CorpusFileError"]


@dataclass
class Parsed:
    """A file read, parsed and chunked, to be analysed."""

    loaded: LoadedFile
    passages: list[Passage]


def parse(rel: str, data: bytes, chunk_words: int, apart: ApartParser | None = None) -> Parsed:
    """Raises CorpusFileError when the file cannot be indexed. Binary formats go to `apart`."""
    if apart is not None and isolated(rel):
        document, warnings, passages = apart.parse(rel, data)
        return Parsed(LoadedFile(document, [], warnings), passages)  # the blocks stayed in the child
    loaded = parse_file(rel, data)
    return Parsed(loaded, chunk(loaded.document.doc_id, loaded.blocks, chunk_words))


def analyse(files: list[Parsed]) -> tuple[list[tuple[dict, dict[str, np.ndarray], bytes]], Run]:
    """Each file's cache entry (meta, arrays, records), and the run of all their postings
    sorted by (term, file, passage), `file` being the file's place in `files`.

    An entry's postings are grouped by term in the order of the file's sorted vocabulary,
    which is the order of every larger sorted vocabulary too, so segments merge them cheaply.
    Records are read back by byte span (IndexReader.passage)."""
    texts = [analysis.indexed_text(p.section, p.text) for f in files for p in f.passages]
    first_text = np.zeros(len(files) + 1, np.int64)
    np.cumsum([len(f.passages) for f in files], out=first_text[1:])
    vocab, key, lengths = _term_keys(files, texts, first_text)
    # (term, text) pairs in order, with their counts: texts are numbered file after file,
    # so this is (term, file, passage) order.
    pairs, tf = np.unique(key, return_counts=True)
    del key
    n = max(len(texts), 1)
    term, text = (pairs // n).astype(np.int32), (pairs % n).astype(np.int32)
    del pairs
    # A file without passages owns no text.
    file = (np.searchsorted(first_text, text, side="right") - 1).astype(np.int32)
    passage = text - first_text[file].astype(np.int32)
    del text
    # Each file's postings: a stable sort by file keeps their (term, passage) order.
    by_file = np.argsort(file, kind="stable")
    ends = np.cumsum(np.bincount(file, minlength=len(files)))
    parts = []
    for i, f in enumerate(files):
        mine = by_file[ends[i - 1] if i else 0:ends[i]]
        own_terms = term[mine]
        distinct = np.unique(own_terms)
        records, rec_off = encode_records(f.passages)
        arrays = {"term": smallest_uint(np.searchsorted(distinct, own_terms)),
                  "passage": smallest_uint(passage[mine]), "tf": smallest_uint(tf[mine]),
                  "doc_len": lengths[first_text[i]:first_text[i + 1]].astype(np.int32), "rec_off": rec_off}
        meta = {"document": document_json(f.loaded.document), "warnings": f.loaded.warnings,
                "vocab": list(map(vocab.__getitem__, distinct.tolist()))}
        parts.append((meta, arrays, records))
    return parts, Run(vocab, term, file, passage, smallest_uint(tf))


def _term_keys(files: list[Parsed], texts: list[str],
               first_text: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(vocab, key, lengths): every term occurrence in `texts` as one int64,
    term * len(texts) + text, its term numbered in the sorted `vocab`; each text's length
    in terms. One pass per language (most batches have one)."""
    from ...analysis.bulk import term_occurrences  # pyarrow: only indexing loads it

    n = max(len(texts), 1)
    langs = {f.loaded.document.lang for f in files}
    if len(langs) <= 1:
        lang = langs.pop() if langs else analysis.DEFAULT_LANG
        vocab, term, text, lengths = term_occurrences(analysis.analyzer(lang), texts)
        return vocab, term.astype(np.int64) * n + text, lengths
    found = []
    for lang in sorted(langs):
        at = np.concatenate([np.arange(first_text[i], first_text[i + 1]) for i, f in enumerate(files)
                             if f.loaded.document.lang == lang])
        found.append((at, term_occurrences(analysis.analyzer(lang), [texts[i] for i in at])))
    vocab = sorted(set().union(*(lang_vocab for _, (lang_vocab, *_) in found)))
    term_id = {term: i for i, term in enumerate(vocab)}
    lengths = np.zeros(len(texts), np.int64)
    keys = []
    for at, (lang_vocab, term, text, lang_lengths) in found:
        to_batch = np.fromiter(map(term_id.__getitem__, lang_vocab), np.int64, len(lang_vocab))
        keys.append(to_batch[term] * n + at[text])
        lengths[at] = lang_lengths
    return vocab, np.concatenate(keys), lengths


def process_batch(corpus: str, batch: list[tuple[str, int]], cache_dir: str, settings: Settings,
                  force: bool) -> tuple[list[Outcome], list[Run]]:
    """Read, hash and (unless cached, or when forced) analyse some files (path, rank) and
    write their cache entries.

    Returns an outcome per file, (sha256, cache key, (size, mtime), light entry) or the
    CorpusFileError that skips it, and the runs of the batch's postings, `file` being the
    file's rank. A light entry has no postings: those are in the runs, built here, on this
    core; sending them back through a pool's pipe costs less than having the indexer read
    every entry back and merge them alone."""
    outcomes: list[Outcome] = []
    parsed, done = [], []  # (rel, rank, sha, key, stat, Parsed or Entry), the latter read from the cache
    apart = shared_parser(_start_method, settings.max_parse_seconds, settings.chunk_words, child_start)
    for rel, rank in sorted(batch, key=lambda item: item[1]):
        try:
            data, sha, key, stat = read_file(corpus, rel, settings)
            if not force and Path(cache_dir, f"{key}{ENTRY}").is_file():
                with contextlib.suppress(*CACHE_DAMAGE):  # damaged: re-analyse, we have the file at hand
                    done.append((rel, rank, sha, key, stat, load_entry(Path(cache_dir), rel, key)))
                    continue
            parsed.append((rel, rank, sha, key, stat, parse(rel, data, settings.chunk_words, apart)))
        except CorpusFileError as exc:
            outcomes.append((rel, exc))
    runs = [run_of([item[-1] for item in done], {item[0]: item[1] for item in done})] if done else []
    if parsed:
        parts, run = analyse([item[-1] for item in parsed])
        run.file = np.array([item[1] for item in parsed], np.int32)[run.file]
        runs.append(run)
        for (rel, rank, sha, key, stat, _), (meta, arrays, records) in zip(parsed, parts):
            write_entry(cache_dir, key, meta, arrays, records)
            done.append((rel, rank, sha, key, stat, entry_of(rel, key, meta, arrays)))
    for rel, _, sha, key, stat, entry in done:
        light = Entry(rel, key, {k: v for k, v in entry.meta.items() if k != "vocab"},
                      {k: entry.arrays[k] for k in ("doc_len", "rec_off")})
        outcomes.append((rel, (sha, key, stat, light)))
    return outcomes, runs


def _batches(todo: list[str], sizes: dict[str, int], jobs: int) -> list[list[str]]:
    """Files in batches, largest files first; each batch takes a share of what is left
    (guided scheduling), so batches shrink and the last ones balance the workers."""
    order = sorted(todo, key=lambda r: -sizes[r])
    remaining = sum(sizes.values())
    batches, current, current_bytes = [], [], 0
    for rel in order:
        current.append(rel)
        current_bytes += sizes[rel]
        if current_bytes >= min(max(remaining / (2 * jobs), MIN_BATCH_BYTES), MAX_BATCH_BYTES):
            batches.append(current)
            remaining -= current_bytes
            current, current_bytes = [], 0
    return batches + [current] * bool(current)


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(jobs, mp_context=_start_method(), initializer=child_start, initargs=(os.getpid(),))


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now (an interrupt, a failed write): a batch they are in the middle of
    would go on writing cache entries. (Python 3.14 has a method for it.)"""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError):
            process.terminate()


def process_files(todo: list[str], ranks: dict[str, int], corpus: Path, cache_dir: Path, settings: Settings,
                  jobs: int | None, force: bool) -> Iterator[tuple[list[Outcome], list[Run]]]:
    """`process_batch` over all files, in worker processes when it pays; yields its results
    batch by batch. Closing the iterator early (the caller failed) stops the workers first."""
    jobs = jobs or os.cpu_count() or 1
    sizes = {rel: (freshness.stat_key(corpus / rel) or (0, 0, 0))[0] for rel in todo}
    batches = [[(rel, ranks[rel]) for rel in batch] for batch in _batches(todo, sizes, jobs)]
    if jobs > 1 and len(todo) > 1 and sum(sizes.values()) > PARALLEL_MIN_BYTES:
        with stop_signals_held():  # the workers start (fork or spawn) at the first submits
            pool = _pool(jobs)
            futures = [pool.submit(process_batch, str(corpus), batch, str(cache_dir), settings, force)
                       for batch in batches]
        try:
            for future in as_completed(futures):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise IndexProblem("an indexing worker process died (out of memory?); "
                                       "try again, or with fewer files") from None
                yield result
        except BaseException:  # an interrupt, a failure here or in the caller (GeneratorExit)
            _stop_workers(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    try:  # in this process: its parser (a child of the command line's or the chat's) ends with the run
        for batch in batches:
            yield process_batch(str(corpus), batch, str(cache_dir), settings, force)
    finally:
        release_parser()
