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

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from ... import analysis
from ...config import Settings
from ...errors import CorpusFileError, IndexProblem
from ...ingest.discover import discover
from ...ingest.formats import reader_of
from ..format import FORMAT_VERSION, current_generation, read_json, read_manifest
from ..freshness import check_folders, stat_key
from ..records import ENTRY
from .batch import process_files
from .cache import Entry
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
            raise IndexProblem("another 'askurbact index' is running; try again when it has finished") from None
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
        index_dir.mkdir(parents=True, exist_ok=True)
        (index_dir / "cache").mkdir(exist_ok=True)
        lock = _lock(index_dir, wait, on_wait)
    except PermissionError:
        raise IndexProblem(f"cannot write to the index folder {index_dir}: permission denied") from None
    try:
        report = _update_locked(settings, full, jobs, progress)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _update_locked(settings: Settings, full: bool, jobs: int | None, progress: Progress | None) -> UpdateReport:
    index_dir, corpus = settings.index, settings.corpus
    cache_dir = index_dir / "cache"
    try:
        old = read_manifest(index_dir)
        previous = current_generation(index_dir)
    except IndexProblem:
        old = previous = None  # a damaged index is simply rebuilt
    usable = (old is not None and not full and old.get("format") == FORMAT_VERSION
              and old.get("params") == settings.index_params and old.get("analysis") == analysis.signature()
              and _well_formed(old))
    old_files = old.get("files", {}) if usable else {}
    old_skipped = old.get("skipped_files", {}) if usable else {}
    paths, left_out = discover(corpus)
    report = UpdateReport(skipped=dict(left_out))
    states: dict[str, dict] = {}
    todo: list[str] = []
    for rel in paths:
        entry = old_files.get(rel)
        if entry and stat_key(corpus / rel) == (entry["size"], entry["mtime_ns"]) \
                and entry.get("reader") == reader_of(rel) and (cache_dir / f"{entry['key']}{ENTRY}").is_file():
            states[rel] = dict(entry)
        elif (reason := still_timed_out(old_skipped.get(rel), stat_key(corpus / rel))) is not None:
            report.skipped[rel] = reason
        else:
            todo.append(rel)

    total = len(todo)
    if progress:
        progress(0, total, "reading", 0)
    ranks = {rel: i for i, rel in enumerate(sorted(paths))}  # path order is slot order
    loaded: dict[str, Entry] = {}
    runs: list[Run] = []
    done = passages = 0
    for outcomes, batch_runs in process_files(todo, ranks, corpus, cache_dir, settings, jobs, full):
        runs += batch_runs
        for rel, outcome in outcomes:
            done += 1
            if isinstance(outcome, CorpusFileError):
                report.skipped[rel] = str(outcome)
                continue
            sha, key, size_mtime, loaded[rel] = outcome
            states[rel] = {"size": size_mtime[0], "mtime_ns": size_mtime[1], "sha256": sha, "key": key,
                           "reader": reader_of(rel)}
            passages += loaded[rel].n_passages
            if progress:
                progress(done, total, rel, passages)

    old_hashes = {rel: e["sha256"] for rel, e in old_files.items()}
    if usable and previous is not None and states == old_files \
            and skipped_entries(settings, report.skipped) == old.get("skipped_files", {}):
        # Nothing changed, not even a file's time: the live generation stays, and so does "built".
        _report_unchanged(report, old, previous)
        return report
    if progress:
        progress(total, total, "writing", passages)
    if usable and previous is not None and not any(rel not in old_hashes or old_hashes[rel] != s["sha256"]
                                                   for rel, s in states.items()) and set(states) == set(old_hashes):
        plan = None  # nothing changed: the new generation links every file of the previous one
    else:
        plan = _Plan.make(settings, states, old if usable else None, previous if usable else None, report,
                          _Built(loaded, runs, ranks))
    _write_generation(index_dir, settings, states, previous, plan, report)

    for rel, state in states.items():
        if rel not in old_hashes:
            report.added += 1
        elif old_hashes[rel] != state["sha256"]:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for rel in old_hashes if rel not in states)
    _prune(index_dir, previous, {e["key"] for e in states.values()} | _keys_of(previous))
    return report


def _report_unchanged(report: UpdateReport, manifest: dict, generation: Path) -> None:
    report.documents, report.passages = manifest["documents"], manifest["passages"]
    report.unchanged = len(manifest["files"])
    for doc in read_json(generation / "documents.json"):
        report.warnings.extend(f"{doc['path']}: {w}" for w in doc.get("warnings", ()))


def _keys_of(generation: Path | None) -> set[str]:
    """Cache keys a generation reads passage texts from (none if it is unreadable)."""
    try:
        return {str(d["key"]) for d in read_json(generation / "documents.json")} if generation else set()
    except (IndexProblem, KeyError, TypeError):
        return set()


def _prune(index_dir: Path, previous: Path | None, live_keys: set[str]) -> None:
    """Drop generations but the live one and its predecessor (a reader may still use it),
    leftovers of killed runs, and cache entries neither of them uses."""
    keep = {current_generation(index_dir), previous}
    for gen in index_dir.glob("gen-*"):
        if gen not in keep:
            shutil.rmtree(gen, ignore_errors=True)
    for entry in (index_dir / "cache").iterdir():
        if entry.name.split(".")[0] not in live_keys and not entry.name.startswith("."):
            entry.unlink(missing_ok=True)
        elif entry.name.startswith(".") and time.time() - entry.stat().st_mtime > 3600:
            entry.unlink(missing_ok=True)  # a temporary file of a killed run
