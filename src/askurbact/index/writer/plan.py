"""The plan of the next generation: which files stay in the base segment, which go to a
new small segment, and when the base is rebuilt instead (REBASE_SHARE)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...config import Settings
from ...errors import IndexProblem
from ..format import load_array, read_json
from ..manifest import FileState, Manifest, SegmentInfo
from .cache import CACHE_DAMAGE, Entry, load_entry
from .postings import Run, merge, run_of
from .report import UpdateReport

# Rebuild the base segment once the passages outside it, or its dead slots, pass this share.
REBASE_SHARE = 0.125


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


@dataclass
class _Plan:
    """What the next generation is made of."""

    documents: list[dict]  # live documents in path order, each with "key", "passages", "warnings"
    base: SegmentInfo
    delta: SegmentInfo | None
    slot_doc_len: np.ndarray
    slot_rec_span: np.ndarray
    arrays: dict[str, dict[str, np.ndarray]]  # segment name -> its postings, for the new segments only

    @property
    def segments(self) -> list[SegmentInfo]:
        return [s for s in (self.base, self.delta) if s is not None]

    @classmethod
    def make(cls, settings: Settings, states: dict[str, FileState], old: Manifest | None, previous: Path | None,
             report: UpdateReport, built: _Built) -> _Plan:
        cache_dir = settings.index / "cache"
        base = old.segments[0] if old and old.segments else None
        old_docs = _old_documents(previous) if base is not None else None
        if old_docs is None:
            base = None  # no base, or the previous generation is damaged: rebuild the base
        in_base = {rel for rel, key in base.files.items()
                   if rel in states and states[rel].key == key and rel in old_docs} if base and old_docs else set()
        outside = [rel for rel in sorted(states) if rel not in in_base]
        entries = _load_entries(cache_dir, outside, states, report, built.entries)
        if base is None or old_docs is None or _rebase_due(base, old_docs, in_base, entries):
            report.rebuilt_base = True
            entries = _load_entries(cache_dir, sorted(in_base), states, report, built.entries) + entries
            return cls._rebuilt(sorted(entries, key=lambda e: e.rel), built)
        return cls._kept(base, old_docs, in_base, entries, states, previous, report, built)

    @classmethod
    def _rebuilt(cls, entries: list[Entry], built: _Built) -> _Plan:
        """A new base segment of every file."""
        base = _new_segment(entries, 0)
        arrays = {base.name: built.segment(entries, 0)}
        documents, doc_len, rec_span = _place(entries, 0)
        return cls(documents, base, None, doc_len, rec_span, arrays)

    @classmethod
    def _kept(cls, base: SegmentInfo, old_docs: dict[str, dict], in_base: set[str], entries: list[Entry],
              states: dict[str, FileState], previous: Path, report: UpdateReport, built: _Built) -> _Plan:
        """The base kept (with its dead slots), every other file in a new small segment."""
        first = base.first + base.slots
        delta_docs, delta_len, delta_span = _place(entries, first)
        delta = _new_segment(entries, first) if entries else None
        arrays = {delta.name: built.segment(entries, first)} if delta else {}
        kept = [old_docs[rel] for rel in in_base]
        for doc in kept:
            report.warnings.extend(f"{doc['path']}: {w}" for w in doc.get("warnings", ()))
        documents = sorted(kept + delta_docs, key=lambda d: d["path"])
        base = SegmentInfo(base.name, base.first, base.slots, {rel: states[rel].key for rel in in_base})
        doc_len = np.concatenate([load_array(previous, "doc_len", mmap=False)[:first], delta_len])
        rec_span = np.concatenate([load_array(previous, "rec_span", mmap=False)[:first], delta_span])
        return cls(documents, base, delta, doc_len, rec_span, arrays)


def _old_documents(previous: Path | None) -> dict[str, dict] | None:
    """The previous generation's documents by path (None if they are damaged)."""
    try:
        old_docs = {d["path"]: d for d in read_json(previous / "documents.json")}
        if not all(isinstance(d["passages"][1], int) and isinstance(d.get("warnings", []), list)
                   for d in old_docs.values()):
            raise TypeError
    except (IndexProblem, KeyError, TypeError, IndexError):
        return None
    return old_docs


def _rebase_due(base: SegmentInfo, old_docs: dict[str, dict], in_base: set[str], entries: list[Entry]) -> bool:
    """Whether the passages outside the base, or its dead slots, have passed REBASE_SHARE."""
    live_in_base = sum(old_docs[rel]["passages"][1] for rel in in_base)
    dead = base.slots - live_in_base
    fresh = sum(e.n_passages for e in entries)
    return max(dead, fresh) > REBASE_SHARE * max(live_in_base + fresh, 1)


def _new_segment(entries: list[Entry], first: int) -> SegmentInfo:
    return SegmentInfo(f"s{time.time_ns():x}", first, sum(e.n_passages for e in entries),
                       {e.rel: e.key for e in entries})


def _load_entries(cache_dir: Path, rels: list[str], states: dict[str, FileState], report: UpdateReport,
                  loaded: dict[str, Entry]) -> list[Entry]:
    entries = []
    for rel in rels:
        try:
            entry = loaded.get(rel) or load_entry(cache_dir, rel, states[rel].key)
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
