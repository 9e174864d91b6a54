"""Writing one generation: the segments (new, or links to the previous generation's), the
arrays that depend on the whole corpus, the manifest, and the atomic switch of CURRENT."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ... import analysis
from ...config import Settings
from ...errors import IndexProblem
from ...storage import fsync_dir, write_atomic
from .. import bm25, freshness
from ..format import CURRENT, FORMAT_VERSION, SEGMENT_PARTS, current_generation, load_array
from ..manifest import FileState, Manifest, SkippedFile
from ..stamps import NAME as STAMPS
from ..stamps import write_stamps
from ..vectors import NAME as VECTORS
from ..vectors import manifest_entry
from .plan import _Plan
from .report import UpdateReport
from .vectors import write_vectors

# Postings whose contributions a thread computes at a time (about 32 bytes of working memory each).
IMPACT_BLOCK = 1 << 20


def _write_generation(index_dir: Path, settings: Settings, states: dict[str, FileState], previous: Path | None,
                      plan: _Plan | None, report: UpdateReport, checked_ns: int, old: Manifest | None,
                      model: str | None = None, progress=None) -> None:
    """Write and switch to the next generation; `checked_ns`: when this run began to look
    at the corpus files (the freshness check's reference for racy files). Without a plan,
    every file of `previous` (whose manifest is `old`) is linked. With `model`, the
    generation holds that model's passage vectors (writer/vectors.py)."""
    gen = index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
    gen.mkdir()
    try:
        if plan is None:
            for child in previous.iterdir():
                if child.name not in ("manifest.json", STAMPS):
                    _link_or_copy(child, gen / child.name)
            slots, segments = old.slots, old.segments
            documents = json.loads((gen / "documents.json").read_text(encoding="utf-8"))
            for doc in documents:
                report.warnings.extend(f"{doc['path']}: {w}" for w in doc.get("warnings", ()))
        else:
            documents = _write_arrays(gen, settings, plan, previous)
            slots, segments = len(plan.slot_doc_len), plan.segments
        report.documents = len(documents)
        report.passages = sum(d["passages"][1] for d in documents)
        vectors = None
        if model is not None and plan is None and old.vectors == manifest_entry(model):
            vectors = old.vectors  # linked with the rest
        elif model is not None:
            vectors = write_vectors(gen, index_dir / "cache", model, documents, slots, progress)
        else:
            (gen / f"{VECTORS}.npy").unlink(missing_ok=True)
        manifest = Manifest(
            format=FORMAT_VERSION, analysis=analysis.signature(), params=settings.index_params,
            built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            checked_ns=checked_ns, documents=len(documents), passages=report.passages, slots=slots,
            langs=sorted({d["lang"] for d in documents}) or [analysis.DEFAULT_LANG], segments=segments,
            files={rel: states[rel] for rel in sorted(states)},
            skipped_files=skipped_entries(settings, report.skipped), vectors=vectors)
        write_stamps(gen)
        (gen / "manifest.json").write_text(json.dumps(manifest.to_json(), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        for child in gen.iterdir():
            with open(child, "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(gen)
        # The one atomic step: readers see the old generation or the new, never a mix.
        write_atomic(index_dir / CURRENT, gen.name.encode(), mode=0o666)
    except BaseException:
        # An interrupt can land after the rename (in the folder fsync): then gen is live.
        if _current_or_none(index_dir) != gen:
            shutil.rmtree(gen, ignore_errors=True)
        raise


def skipped_entries(settings: Settings, skipped: dict[str, str]) -> dict[str, SkippedFile]:
    """The manifest's record of the files left out: their size and times (so that an unchanged
    one is not read again to be told it is still bad) and the reason."""
    entries = {}
    for rel, reason in skipped.items():
        stat = freshness.stat_key(settings.corpus / rel)
        if stat:
            entries[rel] = SkippedFile(*stat, reason)
    return entries


def _write_arrays(gen: Path, settings: Settings, plan: _Plan, previous: Path | None) -> list[dict]:
    """Write the segments (new ones, or links to the previous generation's) and the arrays
    that depend on the whole corpus: the vocabulary, df and idf, norms, every posting's
    contribution and the term bounds."""
    segments = plan.segments
    n_slots = len(plan.slot_doc_len)
    passage_doc = np.full(n_slots, -1, np.int32)
    for i, doc in enumerate(plan.documents):
        first, count = doc["passages"]
        passage_doc[first:first + count] = i
    live = passage_doc >= 0
    norm = bm25.length_norm(plan.slot_doc_len, live, settings.k1, settings.b)
    for seg in segments:
        names = {part: gen / f"{seg.name}.{part}.npy" for part in SEGMENT_PARTS}
        if seg.name in plan.arrays:
            for part in SEGMENT_PARTS:
                np.save(names[part], plan.arrays[seg.name][part], allow_pickle=False)
        else:
            for part in SEGMENT_PARTS:
                _link_or_copy(previous / names[part].name, names[part])
    parts = [{part: load_array(gen, f"{seg.name}.{part}") for part in SEGMENT_PARTS} for seg in segments]
    vocab = parts[0]["vocab"] if len(parts) == 1 else _union(parts[0]["vocab"], parts[1]["vocab"])
    df = np.zeros(len(vocab), np.int64)
    for seg, part in zip(segments, parts):
        at = np.searchsorted(part["vocab"], vocab)
        part["off"] = np.append(part["loff"][at], part["loff"][-1]) if len(vocab) else part["loff"][-1:]
        np.save(gen / f"{seg.name}.off.npy", part["off"], allow_pickle=False)
        df += _live_df(part["off"], part["doc"], live)
    idf = bm25.idf(df, int(live.sum()), settings.epsilon)
    term_max = np.zeros(len(vocab))
    for seg, part in zip(segments, parts):
        maxima = _write_impacts(gen / f"{seg.name}.impact.npy", part, idf, norm, settings.k1)
        np.maximum(term_max, maxima, out=term_max)
    arrays = {"vocab": vocab, "df": df, "idf": idf, "term_max": term_max, "doc_len": plan.slot_doc_len,
              "norm": norm, "passage_doc": passage_doc, "rec_span": plan.slot_rec_span}
    for name, array in arrays.items():
        np.save(gen / f"{name}.npy", array, allow_pickle=False)
    (gen / "documents.json").write_text(json.dumps(plan.documents, ensure_ascii=False), encoding="utf-8")
    return plan.documents


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
    (bm25.contributions: rank_bm25's operations), so that a query only adds them up.
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
        values = bm25.contributions(tf[lo:hi], norm[doc[lo:hi]], term_idf, k1)
        maxima[term:end] = bm25.term_maxima(values, off[term:end + 1] - lo)
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
