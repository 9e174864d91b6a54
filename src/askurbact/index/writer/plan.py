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
from .cache import CACHE_DAMAGE, Entry, load_entry
from .postings import Run, merge, run_of
from .report import UpdateReport

# Rebuild the base segment once the passages outside it, or its dead slots, pass this share.
REBASE_SHARE = 0.125


def _well_formed(manifest: dict) -> bool:
    """Whether a previous manifest can guide an update (a damaged one means: rebuild)."""
    try:
        files_ok = all(isinstance(e["size"], int) and isinstance(e["mtime_ns"], int) and isinstance(e["ctime_ns"], int)
                       and isinstance(e["sha256"], str) and isinstance(e["key"], str)
                       for e in manifest["files"].values())
        segments_ok = all(isinstance(seg["name"], str) and isinstance(seg["first"], int)
                          and isinstance(seg["slots"], int) and all(isinstance(k, str) for k in seg["files"].values())
                          for seg in manifest["segments"])
        return files_ok and segments_ok and len(manifest["segments"]) in (1, 2)
    except (KeyError, TypeError, AttributeError):
        return False


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
        base = {k: base[k] for k in ("name", "first", "slots")} | {
            "files": {rel: states[rel]["key"] for rel in in_base}}
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
