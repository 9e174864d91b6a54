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
from .. import freshness, vectors
from ..format import FORMAT_VERSION, current_generation, read_json
from ..freshness import check_folders
from ..manifest import FileState, Manifest, read_manifest
from ..reader import IndexReader
from ..records import ENTRY
from ..stamps import changed_files
from .batch import process_files
from .cache import Entry
from .folder import claim, keys_of, prune, tidy, write_failure
from .generation import _write_generation, skipped_entries
from .isolation import still_timed_out
from .plan import _Built, _Plan
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
    model = vectors.wanted(settings)  # before any work: `semantic: on` without its package stops here
    old, previous, why = _previous(settings, full)
    checked_ns = time.time_ns()  # before any file is looked at: racy files are judged against it
    paths, left_out = discover(settings.corpus)
    report = UpdateReport(skipped=dict(left_out), warnings=[why] if why else [])
    states, todo = _files_to_read(settings, paths, old, report)
    need[0] = _space_needed(settings.corpus, paths, todo, previous)
    if progress:
        progress(0, len(todo), "reading", 0)
    built, passages = _read_files(settings, paths, todo, states, report, jobs, full, progress)
    if not states:
        _keep_when_emptied(settings, paths, report.skipped)
    if old is not None and previous is not None and _nothing_changed(settings, old, states, report, checked_ns) \
            and (model is None or (old.vectors or {}).get("model") == model):
        # Nothing changed, not even a file's time: the live generation stays, and so does "built".
        _report_unchanged(report, old, previous)
        tidy(settings.index)
        return report
    if progress:
        progress(len(todo), len(todo), "writing", passages)
    _write(settings, old, previous, states, built, report, checked_ns, model, progress)
    return report


def _keep_when_emptied(settings: Settings, paths: list[str], skipped: dict[str, str]) -> None:
    """An update that would leave no document, where the index has some: a corpus folder not
    mounted, the wrong one, or one whose files this user cannot read, far likelier than
    every document removed. The index is kept; whoever does want it empty removes the index
    folder (askurbact never deletes it)."""
    try:
        live = read_manifest(settings.index)
    except IndexProblem:
        return  # a damaged index is rebuilt, empty or not
    if live is None or (live.format == FORMAT_VERSION and not live.files):
        return
    n = len(live.files)
    held = f"the index of {n} document{'s' if n != 1 else ''}" if live.format == FORMAT_VERSION else "the index"
    corpus = settings.corpus
    first = next((f"{rel}: {why}" for rel, why in skipped.items() if rel in paths), None) \
        or next((f"{rel}: {why}" for rel, why in skipped.items()), None)
    if paths:
        what = f"none of the {len(paths)} file{'s' if len(paths) != 1 else ''} in the corpus folder {corpus} " \
               f"could be read ({first})"
    elif first:
        what = f"nothing in the corpus folder {corpus} could be read ({first})"
    else:
        what = f"the corpus folder {corpus} holds no documents"
    raise IndexProblem(f"{what}; {held} is kept (to empty it, remove {settings.index})")


def _previous(settings: Settings, full: bool) -> tuple[Manifest | None, Path | None, str | None]:
    """The live generation, its manifest if it can guide this update (else None: rebuild),
    and why it cannot, when that is not what the user asked for or expects (for the report)."""
    try:
        old = read_manifest(settings.index)
        previous = current_generation(settings.index)
    except IndexProblem as exc:  # damaged, or written by a newer askurbact
        return None, None, _rebuilt(exc)
    usable = (old is not None and not full and old.format == FORMAT_VERSION
              and old.params == settings.index_params and old.analysis == analysis.signature()
              and old.checked_ns is not None)
    if usable:
        try:  # a manifest in order says nothing of the arrays beside it (truncated, half-copied)
            complete = IndexReader(settings.index).entries_complete()
        except IndexProblem as exc:
            return None, None, _rebuilt(exc)
        changed = changed_files(previous)  # or numbers changed inside well-formed arrays
        if not complete or changed:
            return None, None, ("the index's files were changed since they were written (damaged, or copied "
                                "without their times: cp -a keeps them): rebuilt from the corpus")
    return (old if usable else None), previous, None


def _rebuilt(problem: IndexProblem) -> str:
    """The warning of a rebuild over an index that could not be used: what was wrong with it
    (the message without its advice to run `index`, which this run is doing)."""
    return f"{str(problem).split(';')[0]}: rebuilt from the corpus"


def _files_to_read(settings: Settings, paths: list[str], old: Manifest | None,
                   report: UpdateReport) -> tuple[dict[str, FileState], list[str]]:
    """The files unchanged since `old` (their states), and the paths to read; a file that
    timed out last time and has not changed is skipped again, unread."""
    corpus, cache_dir = settings.corpus, settings.index / "cache"
    states: dict[str, FileState] = {}
    todo: list[str] = []
    for rel in paths:
        entry = old.files.get(rel) if old else None
        # A racy file (changed too close to when the last run looked at it) is hashed again.
        if old and entry and freshness.stat_key(corpus / rel) == entry.stat \
                and not freshness.is_racy(entry, old.checked_ns) and entry.reader == reader_of(rel) \
                and (cache_dir / f"{entry.key}{ENTRY}").is_file():
            states[rel] = entry
        elif (reason := still_timed_out(old.skipped_files.get(rel) if old else None,
                                        freshness.stat_key(corpus / rel))) is not None:
            report.skipped[rel] = reason
        else:
            todo.append(rel)
    return states, todo


def _read_files(settings: Settings, paths: list[str], todo: list[str], states: dict[str, FileState],
                report: UpdateReport, jobs: int | None, full: bool,
                progress: Progress | None) -> tuple[_Built, int]:
    """Read and analyse `todo` (into the cache), adding their states; what was read, and
    how many passages."""
    ranks = {rel: i for i, rel in enumerate(sorted(paths))}  # path order is slot order
    loaded: dict[str, Entry] = {}
    runs: list[Run] = []
    done = passages = 0
    batches = process_files(todo, ranks, settings.corpus, settings.index / "cache", settings, jobs, full)
    try:
        for outcomes, batch_runs in batches:
            runs += batch_runs
            for rel, outcome in outcomes:
                done += 1
                if isinstance(outcome, CorpusFileError):
                    report.skipped[rel] = str(outcome)
                    continue
                sha, key, stat, loaded[rel] = outcome
                states[rel] = FileState(*stat, sha256=sha, key=key, reader=reader_of(rel))
                passages += loaded[rel].n_passages
                if progress:
                    progress(done, len(todo), rel, passages)
    finally:
        batches.close()  # on a failure: the workers are stopped before anything is cleaned up
    return _Built(loaded, runs, ranks), passages


def _nothing_changed(settings: Settings, old: Manifest, states: dict[str, FileState], report: UpdateReport,
                     checked_ns: int) -> bool:
    """Whether the live generation can stay as it is: the same files in the same states, the
    same files left out, and no racy file that this run's check time would settle."""
    # A racy file hashed again, the same, is settled by a new generation with this run's check time.
    settles = any(freshness.is_racy(e, old.checked_ns) and not freshness.is_racy(e, checked_ns)
                  for e in states.values())
    return states == old.files and not settles and skipped_entries(settings, report.skipped) == old.skipped_files


def _write(settings: Settings, old: Manifest | None, previous: Path | None, states: dict[str, FileState],
           built: _Built, report: UpdateReport, checked_ns: int, model: str | None = None,
           progress: Progress | None = None) -> None:
    """Write the next generation, count what changed, and prune what nothing uses any more."""
    index_dir = settings.index
    old_hashes = {rel: e.sha256 for rel, e in old.files.items()} if old else {}
    if old is not None and previous is not None and set(states) == set(old_hashes) \
            and all(old_hashes[rel] == s.sha256 for rel, s in states.items()):
        plan = None  # no content changed: the new generation links every file of the previous one
    else:
        plan = _Plan.make(settings, states, old, previous if old else None, report, built)
    _write_generation(index_dir, settings, states, previous, plan, report, checked_ns, old, model, progress)
    for rel, state in states.items():
        if rel not in old_hashes:
            report.added += 1
        elif old_hashes[rel] != state.sha256:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for rel in old_hashes if rel not in states)
    live_keys = {e.key for e in states.values()} | keys_of(previous)
    prune(index_dir, {current_generation(index_dir), previous}, live_keys)


def _report_unchanged(report: UpdateReport, manifest: Manifest, generation: Path) -> None:
    report.documents, report.passages = manifest.documents, manifest.passages
    report.unchanged = len(manifest.files)
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
