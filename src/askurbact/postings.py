"""Postings runs: the (term, passage, tf) triples of some files, and the merge of runs
into one segment's arrays.

A run is built where its files were analysed: in a worker process for a batch of files
(so the per-file vocabularies are merged on both cores), or in the indexer for files read
back from the cache. Files are named by their rank in path order, which is slot order, so
runs merge by one sort of (term, slot) keys, each run already sorted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .filecache import Entry

MAX_KEY_BITS = 63  # merge keys are int64


@dataclass
class Run:
    """Postings of some files, sorted by (term, file rank, passage)."""

    vocab: list[str]  # sorted
    term: np.ndarray  # int32 index into vocab
    file: np.ndarray  # int32 rank of the posting's file
    passage: np.ndarray  # int32 passage number within its file
    tf: np.ndarray


def run_of(entries: Sequence[Entry], ranks: Mapping[str, int]) -> Run:
    """The run of some full cache entries (with their postings)."""
    entries = sorted(entries, key=lambda e: ranks[e.rel])
    vocab = sorted(set().union(*(e.meta["vocab"] for e in entries)))
    run_id = {term: i for i, term in enumerate(vocab)}
    terms, files, passages, tfs = [], [], [], []
    for e in entries:
        to_run = np.fromiter(map(run_id.__getitem__, e.meta["vocab"]), np.int32, len(e.meta["vocab"]))
        terms.append(to_run[e.arrays["term"]])
        files.append(np.full(len(e.arrays["term"]), ranks[e.rel], np.int32))
        passages.append(e.arrays["passage"])
        tfs.append(e.arrays["tf"])
    if not entries:
        return Run([], *(np.zeros(0, np.int32) for _ in range(4)))
    term = np.concatenate(terms)
    # Each entry is sorted by (term, passage) and entries come in rank order: a stable sort
    # by term merges them into (term, rank, passage) order.
    order = np.argsort(term, kind="stable")
    return Run(vocab, term[order], np.concatenate(files)[order],
               np.concatenate(passages).astype(np.int32)[order], np.concatenate(tfs)[order])


def merge(runs: Sequence[Run], first_slot: np.ndarray) -> dict[str, np.ndarray]:
    """One segment's arrays (vocab, loff, doc, tf) from runs. A file's passages take the
    slots from `first_slot[rank]` on; files whose `first_slot` is -1 are left out."""
    vocab = sorted(set().union(*(r.vocab for r in runs)))
    segment_id = {term: i for i, term in enumerate(vocab)}
    counts = np.zeros(len(vocab), np.int64)
    parts = []
    for r in runs:
        slot = first_slot[r.file]
        keep = slot >= 0
        if not keep.all():  # files kept in the base segment but also re-read (touched, unchanged)
            r = Run(r.vocab, r.term[keep], r.file[keep], r.passage[keep], r.tf[keep])
            slot = slot[keep]
        term = np.fromiter(map(segment_id.__getitem__, r.vocab), np.int64, len(r.vocab))[r.term]
        counts += np.bincount(term, minlength=len(vocab))
        parts.append((term, slot + r.passage, r.tf))
    doc, tf = _sorted_postings(parts, len(vocab))
    if len(vocab) and not counts.all():  # terms only the left-out files had
        present = np.flatnonzero(counts)
        vocab = [vocab[i] for i in present]
        counts = counts[present]
    loff = np.zeros(len(vocab) + 1, np.int64)
    np.cumsum(counts, out=loff[1:])
    return {"vocab": encode_vocab(vocab), "loff": loff, "doc": doc, "tf": smallest_uint(tf)}


def _sorted_postings(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
                     n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """(doc, tf) of postings given as (term, slot, tf) parts, sorted by (term, slot).

    Each part is sorted already (the mapping to segment ids keeps a run's order), so a
    stable sort merges them. When term, slot and tf fit in one int64 key, the key is sorted
    in place and unpacked: no index array, no gathers (large arrays are slow to allocate)."""
    top_slot = max([int(s.max()) for _, s, _ in parts if len(s)], default=0)
    top_tf = max([int(f.max()) for _, _, f in parts if len(f)], default=0)
    slot_bits, tf_bits = top_slot.bit_length(), top_tf.bit_length()
    total = sum(len(t) for t, _, _ in parts)
    key = np.empty(total, np.int64)
    at = 0
    packed = max(n_terms, 1).bit_length() + slot_bits + tf_bits <= MAX_KEY_BITS
    for term, slot, tf in parts:
        piece = key[at:at + len(term)]
        np.left_shift(term, slot_bits + tf_bits if packed else slot_bits, out=piece)
        piece |= slot << tf_bits if packed else slot
        if packed:
            piece |= tf
        at += len(term)
    if packed:
        key.sort(kind="stable")
        tf = (key & ((1 << tf_bits) - 1)).astype(np.uint32)
        key >>= tf_bits
    else:
        order = np.argsort(key, kind="stable")
        tf = np.concatenate([f for _, _, f in parts])[order] if parts else np.zeros(0, np.uint32)
        key = key[order]
    key &= (1 << slot_bits) - 1
    return key.astype(np.int32), tf


def smallest_uint(values: np.ndarray) -> np.ndarray:
    top = int(values.max()) if len(values) else 0
    return values.astype(np.uint8 if top < 2**8 else np.uint16 if top < 2**16 else np.uint32)


def encode_vocab(terms: list[str]) -> np.ndarray:
    # Sorted str order is code point order, which is the byte order of UTF-8: searchsorted works.
    encoded = [t.encode("utf-8") for t in terms]
    return np.array(encoded, dtype=f"S{max((len(t) for t in encoded), default=1)}")
