"""Building and updating the index (its layout is described in ).

An update re-reads only files whose size or time changed, re-analyses only contents it
has not seen (a cache keyed by content hash), and then either
  - writes a new small segment for the files added or changed since the base segment was
    built (the base's own slots of those files become dead), or
  - rebuilds the base from the cache when the small segment or the dead slots grow past
    REBASE_SHARE of the passages, on `--full`, or when there is no usable base.
Either way the new generation goes live by one atomic rename of CURRENT. The corpus
folder is only ever read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ... import analysis
from ...config import Settings
from ...errors import CorpusFileError, IndexBusy, IndexProblem
from ...ingest.discover import discover
from ...ingest.formats import reader_of
from .. import freshness
from ..format import FORMAT_VERSION, current_generation, read_json, read_manifest
from ..freshness import check_folders
from ..records import ENTRY
from .batch import process_files
from .cache import Entry
from .folder import claim, keys_of, prune, tidy, write_failure
from .generation import _write_generation, skipped_entries
from .isolation import still_timed_out
from .plan import _Built, _Plan, _well_formed
from .postings import Run
from .report import UpdateReport

# (files done, files to read, what: a path or "reading"/"writing", passages read so far)
Progress = Callable[[int, int, str, int], None]


def _lock(index_dir: Path, wait: bool, on_wait: Callable[[], None] | None):
    from filelock import FileLock, Timeout

    lock = FileLock(index_dir / ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise IndexBusy("another 'askurbact index' is running; try again when it has finished") from None
        if on_wait:
            on_wait()
        lock.acquire()
    return lock


def update_index(settings: Settings, full: bool = False, jobs: int | None = None,
                 progress: Progress | None = None, wait: bool = True,
                 on_wait: Callable[[], None] | None = None) -> UpdateReport:
    """Bring the index up to date with the corpus and make it live atomically."""
    started = time.perf_counter()
    check_folders(settings)
    index_dir = settings.index
    try:
        note = claim(index_dir)
        (index_dir / "cache").mkdir(exist_ok=True)
        lock = _lock(index_dir, wait, on_wait)
    except PermissionError:
        raise IndexProblem(f"cannot write to the index folder {index_dir}: permission denied") from None
    except OSError as exc:
        raise IndexProblem(f"cannot write to the index folder {index_dir}: {exc.strerror or exc}") from None
    need = [0]  # what this run writes, estimated once it knows which files it reads
    try:
        report = _update_locked(settings, full, jobs, progress, need)
    except OSError as exc:  # reading the corpus raises CorpusFileError: this is writing the index
        tidy(index_dir)
        raise write_failure(index_dir, exc, need[0]) from None
    finally:
        lock.release()
    if note:
        report.warnings.insert(0, note)
    report.seconds = time.perf_counter() - started
    return report


def _update_locked(settings: Settings, full: bool, jobs: int | None, progress: Progress | None,
                   need: list[int]) -> UpdateReport:
    index_dir, corpus = settings.index, settings.corpus
    cache_dir = index_dir / "cache"
    try:
        old = read_manifest(index_dir)
        previous = current_generation(index_dir)
    except IndexProblem:
        old = previous = None  # a damaged index is simply rebuilt
    usable = (old is not None and not full and old.get("format") == FORMAT_VERSION
              and old.get("params") == settings.index_params and old.get("analysis") == analysis.signature()
              and _well_formed(old) and isinstance(old.get("checked_ns"), int))
    old_files = old.get("files", {}) if usable else {}
    old_skipped = old.get("skipped_files", {}) if usable else {}
    checked_ns = time.time_ns()  # before any file is looked at: racy files are judged against it
    paths, left_out = discover(corpus)
    report = UpdateReport(skipped=dict(left_out))
    states: dict[str, dict] = {}
    todo: list[str] = []
    for rel in paths:
        entry = old_files.get(rel)
        # A racy file (changed too close to when the last run looked at it) is hashed again.
        if entry and freshness.stat_key(corpus / rel) == freshness.stat_of(entry) \
                and not freshness.is_racy(entry, old["checked_ns"]) and entry.get("reader") == reader_of(rel) \
                and (cache_dir / f"{entry['key']}{ENTRY}").is_file():
            states[rel] = dict(entry)
        elif (reason := still_timed_out(old_skipped.get(rel), freshness.stat_key(corpus / rel))) is not None:
            report.skipped[rel] = reason
        else:
            todo.append(rel)

    need[0] = _space_needed(corpus, paths, todo, previous)
    total = len(todo)
    if progress:
        progress(0, total, "reading", 0)
    ranks = {rel: i for i, rel in enumerate(sorted(paths))}  # path order is slot order
    loaded: dict[str, Entry] = {}
    runs: list[Run] = []
    done = passages = 0
    batches = process_files(todo, ranks, corpus, cache_dir, settings, jobs, full)
    try:
        for outcomes, batch_runs in batches:
            runs += batch_runs
            for rel, outcome in outcomes:
                done += 1
                if isinstance(outcome, CorpusFileError):
                    report.skipped[rel] = str(outcome)
                    continue
                sha, key, stat, loaded[rel] = outcome
                states[rel] = {**freshness.stat_fields(stat), "sha256": sha, "key": key, "reader": reader_of(rel)}
                passages += loaded[rel].n_passages
                if progress:
                    progress(done, total, rel, passages)
    finally:
        batches.close()  # on a failure: the workers are stopped before anything is cleaned up

    old_hashes = {rel: e["sha256"] for rel, e in old_files.items()}
    # A racy file hashed again, the same, is settled by a new generation with this run's check time.
    settles = any(freshness.is_racy(e, old["checked_ns"]) and not freshness.is_racy(e, checked_ns)
                  for e in states.values()) if usable else False
    if usable and previous is not None and states == old_files and not settles \
            and skipped_entries(settings, report.skipped) == old.get("skipped_files", {}):
        # Nothing changed, not even a file's time: the live generation stays, and so does "built".
        _report_unchanged(report, old, previous)
        tidy(index_dir)
        return report
    if progress:
        progress(total, total, "writing", passages)
    if usable and previous is not None and not any(rel not in old_hashes or old_hashes[rel] != s["sha256"]
                                                   for rel, s in states.items()) and set(states) == set(old_hashes):
        plan = None  # nothing changed: the new generation links every file of the previous one
    else:
        plan = _Plan.make(settings, states, old if usable else None, previous if usable else None, report,
                          _Built(loaded, runs, ranks))
    _write_generation(index_dir, settings, states, previous, plan, report, checked_ns)

    for rel, state in states.items():
        if rel not in old_hashes:
            report.added += 1
        elif old_hashes[rel] != state["sha256"]:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for rel in old_hashes if rel not in states)
    live_keys = {e["key"] for e in states.values()} | keys_of(previous)
    prune(index_dir, {current_generation(index_dir), previous}, live_keys)
    return report


def _report_unchanged(report: UpdateReport, manifest: dict, generation: Path) -> None:
    report.documents, report.passages = manifest["documents"], manifest["passages"]
    report.unchanged = len(manifest["files"])
    for doc in read_json(generation / "documents.json"):
        report.warnings.extend(f"{doc['path']}: {w}" for w in doc.get("warnings", ()))


# What a run writes, per byte of the files it analyses (cache entries: the text and its
# term counts) and of the whole corpus (a new generation: vocabulary, postings and their
# contributions); measured 1.5-1.7 and 1.8-3.2 (small corpora), so 2 and 2, and never less
# than the previous generation: an estimate, for the message of a full disk.
ENTRY_PER_BYTE, GENERATION_PER_BYTE = 2, 2


def _space_needed(corpus: Path, paths: list[str], todo: list[str], previous: Path | None) -> int:
    """About how many bytes this run writes: entries for the files it reads, and a generation."""
    size = lambda rel: (freshness.stat_key(corpus / rel) or (0, 0, 0))[0]
    try:
        last = sum(p.stat().st_size for p in previous.iterdir()) if previous is not None else 0
    except OSError:
        last = 0
    return sum(map(size, todo)) * ENTRY_PER_BYTE + max(last, sum(map(size, paths)) * GENERATION_PER_BYTE)
