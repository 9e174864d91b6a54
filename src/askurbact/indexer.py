"""Building and updating the index (its layout is described in `index.py`).

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

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import analysis, scoring
from .config import Settings
from .batch import process_files
from .filecache import CACHE_DAMAGE, ENTRY, Entry, load_entry
from .postings import Run, merge, run_of
from .index import (CURRENT, FORMAT_VERSION, SEGMENT_PARTS, IndexProblem, check_folders, current_generation,
                    load_array, read_json, read_manifest, stat_key)
from .loading import CorpusFileError, discover
from .storage import fsync_dir, write_atomic

# Rebuild the base segment once the passages outside it, or its dead slots, pass this share.
REBASE_SHARE = 0.125
# Postings whose contributions a thread computes at a time (about 32 bytes of working memory each).
IMPACT_BLOCK = 1 << 20

Progress = Callable[[int, int, str], None]  # (done, total, what)


@dataclass
class UpdateReport:
    documents: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    passages: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt_base: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        text = (f"{self.documents} document{'s' * (self.documents != 1)}: {self.added} added, "
                f"{self.updated} updated, {self.removed} removed, {self.unchanged} unchanged; "
                f"{self.passages} passages")
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text


def _well_formed(manifest: dict) -> bool:
    """Whether a previous manifest can guide an update (a damaged one means: rebuild)."""
    try:
        files_ok = all(isinstance(e["size"], int) and isinstance(e["mtime_ns"], int) and isinstance(e["sha256"], str)
                       and isinstance(e["key"], str) for e in manifest["files"].values())
        segments_ok = all(isinstance(seg["name"], str) and isinstance(seg["first"], int) and isinstance(seg["slots"], int)
                          and all(isinstance(k, str) for k in seg["files"].values()) for seg in manifest["segments"])
        return files_ok and segments_ok and len(manifest["segments"]) in (1, 2)
    except (KeyError, TypeError, AttributeError):
        return False


# ---------------------------------------------------------------- segments

@dataclass
class _Built:
    """What this update read: entries by path (a light entry's postings are in a run)."""

    entries: dict[str, Entry]
    runs: list[Run]
    ranks: dict[str, int]  # path -> its place in path order

    def segment(self, entries: list[Entry], first_slot: int) -> dict[str, np.ndarray]:
        """Postings of some files, their passages numbered from `first_slot` in entry order."""
        first = np.full(len(self.ranks), -1, np.int64)
        slot = first_slot
        for e in entries:
            first[self.ranks[e.rel]] = slot
            slot += e.n_passages
        full = [e for e in entries if "term" in e.arrays]
        runs, self.runs = self.runs + [run_of(full, self.ranks, ordered=False)], []  # merge lets them go
        return merge(runs, first, slot)


def _live_df(off: np.ndarray, doc: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Per term, how many of its postings are in live passages."""
    df = np.diff(off)
    if live.all():  # a fresh base: no need to look at every posting
        return df
    dead = np.flatnonzero(~live[doc])  # few: only the slots of files changed since the base was built
    if len(dead):
        terms = np.searchsorted(off, dead, side="right") - 1
        df -= np.bincount(terms, minlength=len(df))
    return df


# ---------------------------------------------------------------- update

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
    paths, left_out = discover(corpus)
    report = UpdateReport(skipped=dict(left_out))
    states: dict[str, dict] = {}
    todo: list[str] = []
    for rel in paths:
        entry = old_files.get(rel)
        if entry and stat_key(corpus / rel) == (entry["size"], entry["mtime_ns"]) \
                and (cache_dir / f"{entry['key']}{ENTRY}").is_file():
            states[rel] = dict(entry)
        else:
            todo.append(rel)

    total = len(todo)
    if progress:
        progress(0, total, "reading")
    ranks = {rel: i for i, rel in enumerate(sorted(paths))}  # path order is slot order
    loaded: dict[str, Entry] = {}
    runs: list[Run] = []
    done = 0
    for outcomes, batch_runs in process_files(todo, ranks, corpus, cache_dir, settings, jobs, full):
        runs += batch_runs
        for rel, outcome in outcomes:
            done += 1
            if isinstance(outcome, CorpusFileError):
                report.skipped[rel] = str(outcome)
                continue
            sha, key, size_mtime, loaded[rel] = outcome
            states[rel] = {"size": size_mtime[0], "mtime_ns": size_mtime[1], "sha256": sha, "key": key}
            if progress:
                progress(done, total, rel)

    old_hashes = {rel: e["sha256"] for rel, e in old_files.items()}
    if progress:
        progress(total, total, "writing")
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


@dataclass
class _Plan:
    """What the next generation is made of."""

    documents: list[dict]  # live documents in path order, each with "key", "passages", "warnings"
    base: dict  # {"name", "first", "slots", "files": {rel: key}}; "arrays" when new
    delta: dict | None
    slot_doc_len: np.ndarray
    slot_rec_span: np.ndarray

    @classmethod
    def make(cls, settings: Settings, states: dict[str, dict], old: dict | None, previous: Path | None,
             report: UpdateReport, built: _Built) -> _Plan:
        cache_dir = settings.index / "cache"
        base = old["segments"][0] if old and old.get("segments") else None
        old_docs: dict[str, dict] = {}
        if base is not None:
            try:
                old_docs = {d["path"]: d for d in read_json(previous / "documents.json")}
                if not all(isinstance(d["passages"][1], int) and isinstance(d.get("warnings", []), list)
                           for d in old_docs.values()):
                    raise TypeError
            except (IndexProblem, KeyError, TypeError, IndexError):
                base = None  # the previous generation is damaged: rebuild the base
        in_base = {rel for rel, key in (base or {}).get("files", {}).items()
                   if states.get(rel, {}).get("key") == key and rel in old_docs}
        outside = [rel for rel in sorted(states) if rel not in in_base]
        entries = _load_entries(cache_dir, outside, states, report, built.entries)
        if base is not None:
            live_in_base = sum(old_docs[rel]["passages"][1] for rel in in_base)
            dead = base["slots"] - live_in_base
            fresh = sum(e.n_passages for e in entries)
            live = live_in_base + fresh
            if max(dead, fresh) > REBASE_SHARE * max(live, 1):
                base = None
        if base is None:
            report.rebuilt_base = True
            entries = _load_entries(cache_dir, sorted(in_base), states, report, built.entries) + entries
            entries.sort(key=lambda e: e.rel)
            name = f"s{time.time_ns():x}"
            arrays = built.segment(entries, 0)
            base = {"name": name, "first": 0, "slots": sum(e.n_passages for e in entries),
                    "files": {e.rel: e.key for e in entries}, "arrays": arrays}
            documents, doc_len, rec_span = _place(entries, 0)
            return cls(documents, base, None, doc_len, rec_span)
        # Keep the base (with its dead slots), put every other file in a new small segment.
        first = base["first"] + base["slots"]
        delta_docs, delta_len, delta_span = _place(entries, first)
        delta = {"name": f"s{time.time_ns():x}", "first": first, "slots": sum(e.n_passages for e in entries),
                 "files": {e.rel: e.key for e in entries}, "arrays": built.segment(entries, first)} if entries else None
        kept = [old_docs[rel] for rel in in_base]
        for doc in kept:
            report.warnings.extend(f"{doc['path']}: {w}" for w in doc.get("warnings", ()))
        documents = sorted(kept + delta_docs, key=lambda d: d["path"])
        base = {k: base[k] for k in ("name", "first", "slots")} | {"files": {rel: states[rel]["key"] for rel in in_base}}
        doc_len = np.concatenate([load_array(previous, "doc_len", mmap=False)[:first], delta_len])
        rec_span = np.concatenate([load_array(previous, "rec_span", mmap=False)[:first], delta_span])
        return cls(documents, base, delta, doc_len, rec_span)


def _load_entries(cache_dir: Path, rels: list[str], states: dict[str, dict], report: UpdateReport,
                  loaded: dict[str, Entry]) -> list[Entry]:
    entries = []
    for rel in rels:
        try:
            entry = loaded.get(rel) or load_entry(cache_dir, rel, states[rel]["key"])
            warnings = [f"{rel}: {w}" for w in entry.meta["warnings"]]
        except CACHE_DAMAGE as exc:
            report.skipped[rel] = f"its cache entry is damaged ({exc}); run 'askurbact index --full'"
            del states[rel]
            continue
        report.warnings.extend(warnings)
        entries.append(entry)
    return entries


def _place(entries: list[Entry], first: int) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """Documents, lengths and record spans of files whose passages are numbered from `first`."""
    documents, lengths, spans = [], [], []
    slot = first
    for e in entries:
        documents.append({**e.meta["document"], "key": e.key, "passages": [slot, e.n_passages],
                          "warnings": e.meta["warnings"]})
        lengths.append(e.arrays["doc_len"])
        spans.append(np.stack([e.arrays["rec_off"][:-1], e.arrays["rec_off"][1:]], axis=1))
        slot += e.n_passages
    doc_len = np.concatenate(lengths).astype(np.int32) if lengths else np.zeros(0, np.int32)
    rec_span = np.concatenate(spans).astype(np.int64) if spans else np.zeros((0, 2), np.int64)
    return documents, doc_len, rec_span


# ---------------------------------------------------------------- writing a generation

def _write_generation(index_dir: Path, settings: Settings, states: dict[str, dict], previous: Path | None,
                      plan: _Plan | None, report: UpdateReport) -> None:
    gen = index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
    gen.mkdir()
    try:
        if plan is None:
            for child in previous.iterdir():
                if child.name != "manifest.json":
                    _link_or_copy(child, gen / child.name)
            manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
            documents = json.loads((gen / "documents.json").read_text(encoding="utf-8"))
            for doc in documents:
                report.warnings.extend(f"{doc['path']}: {w}" for w in doc.get("warnings", ()))
        else:
            manifest, documents = _write_arrays(gen, settings, plan, previous)
        report.documents = len(documents)
        report.passages = sum(d["passages"][1] for d in documents)
        skipped_files = {}
        for rel, reason in report.skipped.items():
            stat = stat_key(settings.corpus / rel)
            if stat:
                skipped_files[rel] = {"size": stat[0], "mtime_ns": stat[1], "reason": reason}
        manifest.update({
            "format": FORMAT_VERSION, "analysis": analysis.signature(), "params": settings.index_params,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "documents": len(documents), "passages": report.passages,
            "langs": sorted({d["lang"] for d in documents}) or [analysis.DEFAULT_LANG],
            "files": {rel: states[rel] for rel in sorted(states)}, "skipped_files": skipped_files,
        })
        (gen / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for child in gen.iterdir():
            with open(child, "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(gen)
        # The one atomic step: readers see the old generation or the new, never a mix.
        write_atomic(index_dir / CURRENT, gen.name.encode())
    except BaseException:
        # An interrupt can land after the rename (in the folder fsync): then gen is live.
        if _current_or_none(index_dir) != gen:
            shutil.rmtree(gen, ignore_errors=True)
        raise


def _write_arrays(gen: Path, settings: Settings, plan: _Plan, previous: Path | None) -> tuple[dict, list[dict]]:
    """Write the segments (new ones, or links to the previous generation's) and the arrays
    that depend on the whole corpus: the vocabulary, df and idf, norms, every posting's
    contribution and the term bounds."""
    segments = [s for s in (plan.base, plan.delta) if s is not None]
    n_slots = len(plan.slot_doc_len)
    passage_doc = np.full(n_slots, -1, np.int32)
    for i, doc in enumerate(plan.documents):
        first, count = doc["passages"]
        passage_doc[first:first + count] = i
    live = passage_doc >= 0
    norm = scoring.length_norm(plan.slot_doc_len, live, settings.k1, settings.b)
    for seg in segments:
        names = {part: gen / f"{seg['name']}.{part}.npy" for part in SEGMENT_PARTS}
        if "arrays" in seg:
            for part in SEGMENT_PARTS:
                np.save(names[part], seg["arrays"][part], allow_pickle=False)
        else:
            for part in SEGMENT_PARTS:
                _link_or_copy(previous / names[part].name, names[part])
    parts = [{part: load_array(gen, f"{seg['name']}.{part}") for part in SEGMENT_PARTS} for seg in segments]
    vocab = parts[0]["vocab"] if len(parts) == 1 else _union(parts[0]["vocab"], parts[1]["vocab"])
    df = np.zeros(len(vocab), np.int64)
    for seg, part in zip(segments, parts):
        at = np.searchsorted(part["vocab"], vocab)
        part["off"] = np.append(part["loff"][at], part["loff"][-1]) if len(vocab) else part["loff"][-1:]
        np.save(gen / f"{seg['name']}.off.npy", part["off"], allow_pickle=False)
        df += _live_df(part["off"], part["doc"], live)
    idf = scoring.idf(df, int(live.sum()), settings.epsilon)
    term_max = np.zeros(len(vocab))
    for seg, part in zip(segments, parts):
        maxima = _write_impacts(gen / f"{seg['name']}.impact.npy", part, idf, norm, settings.k1)
        np.maximum(term_max, maxima, out=term_max)
    arrays = {"vocab": vocab, "df": df, "idf": idf, "term_max": term_max, "doc_len": plan.slot_doc_len,
              "norm": norm, "passage_doc": passage_doc, "rec_span": plan.slot_rec_span}
    for name, array in arrays.items():
        np.save(gen / f"{name}.npy", array, allow_pickle=False)
    (gen / "documents.json").write_text(json.dumps(plan.documents, ensure_ascii=False), encoding="utf-8")
    manifest = {"slots": n_slots,
                "segments": [{k: v for k, v in seg.items() if k != "arrays"} for seg in segments]}
    return manifest, plan.documents


def _union(big: np.ndarray, small: np.ndarray) -> np.ndarray:
    """The sorted union of two sorted vocabularies, by inserting the few new terms of the
    small one (np.union1d sorts both again: slower on byte strings)."""
    width = max(big.dtype.itemsize, small.dtype.itemsize)
    at = np.searchsorted(big, small)
    present = at < len(big)
    present[present] = big[at[present]] == small[present]
    new = small[~present]
    return np.insert(big.astype(f"S{width}"), np.searchsorted(big, new), new)


def _write_impacts(path: Path, part: dict[str, np.ndarray], idf: np.ndarray, norm: np.ndarray,
                   k1: float) -> np.ndarray:
    """Write every posting's contribution to its passage's score, `idf * tf*(k1+1)/(tf+norm)`
    (scoring.contributions: rank_bm25's operations), so that a query only adds them up.
    Returns each term's largest contribution (0 if none): with idf >= 0, a bound for pruning.
    Works through the terms in blocks of about IMPACT_BLOCK postings: bounded memory."""
    off, doc, tf = part["off"], part["doc"], part["tf"]
    n_terms, maxima = len(off) - 1, np.zeros(len(off) - 1)
    blocks, term = [], 0
    while term < n_terms:
        end = min(max(int(np.searchsorted(off, off[term] + IMPACT_BLOCK, "right")) - 1, term + 1), n_terms)
        blocks.append((term, end))
        term = end

    def compute(block: tuple[int, int]) -> np.ndarray:
        term, end = block
        lo, hi = int(off[term]), int(off[end])
        term_idf = np.repeat(idf[term:end], np.diff(off[term:end + 1]))  # one per posting
        values = scoring.contributions(tf[lo:hi], norm[doc[lo:hi]], term_idf, k1)
        maxima[term:end] = scoring.term_maxima(values, off[term:end + 1] - lo)
        return values

    # numpy releases the GIL in these loops: one thread per core (up to 4). Blocks are written
    # in order, a few at a time, by sequential writes (a memory map of the new file was
    # several times slower: page faults).
    threads = min(os.cpu_count() or 1, 4)
    with open(path, "wb") as handle, ThreadPoolExecutor(threads) as pool:
        np.lib.format.write_array_header_1_0(handle, {"descr": np.dtype(np.float64).str, "fortran_order": False,
                                                      "shape": (int(off[-1]),)})
        for first in range(0, len(blocks), threads):
            for values in pool.map(compute, blocks[first:first + threads]):
                handle.write(memoryview(values))
    return maxima


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _current_or_none(index_dir: Path) -> Path | None:
    try:
        return current_generation(index_dir)
    except IndexProblem:
        return None


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
