"""Postings runs: the (term, passage, tf) triples of some files, and the merge of runs
into one segment's arrays.

A run is built where its files were analysed: by `batch.analyse` for a batch of files (in
a worker process for large updates, so on both cores), or by `run_of` from cache entries
read back (files not re-analysed). Files are named by their rank in path order, which is
slot order, so runs merge by one sort of (term, slot) keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .cache import Entry

MAX_KEY_BITS = 63  # merge keys are int64


@dataclass
class Run:
    """Postings of some files, sorted by (term, file rank, passage) unless built with
    `run_of(..., ordered=False)`."""

    vocab: list[str]  # sorted
    term: np.ndarray  # int32 index into vocab
    file: np.ndarray  # int32 rank of the posting's file
    passage: np.ndarray  # int32 passage number within its file
    tf: np.ndarray


def run_of(entries: Sequence[Entry], ranks: Mapping[str, int], ordered: bool = True) -> Run:
    """The run of some full cache entries (with their postings). `ordered=False` leaves the
    postings grouped by entry: `merge` sorts anyway, a sorted run only makes that cheaper."""
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
    term, file, passage, tf = (np.concatenate(parts) for parts in (terms, files, passages, tfs))
    passage = passage.astype(np.int32)
    if not ordered:
        return Run(vocab, term, file, passage, tf)
    # Each entry is sorted by (term, passage) and entries come in rank order: a stable sort
    # by term merges them into (term, rank, passage) order.
    order = np.argsort(term, kind="stable")
    return Run(vocab, term[order], file[order], passage[order], tf[order])


def merge(runs: list[Run], first_slot: np.ndarray, slot_limit: int) -> dict[str, np.ndarray]:
    """One segment's arrays (vocab, loff, doc, tf) from runs, which it empties (each run is
    let go once merged: peak memory). A file's passages take the slots from
    `first_slot[rank]` on, all below `slot_limit`; files whose `first_slot` is -1 are left out.

    Postings are merged by one stable sort of int64 keys: (segment term id, slot), with the
    tf in the low bits when the three fit in MAX_KEY_BITS (then the sorted keys are the
    postings: no index array, no gathers), else sorted by an argsort. Runs sorted by
    (term, rank, passage) stay sorted under the mapping to segment ids, so the sort mostly
    merges. Big steps write into arrays they are given (`out=`): large fresh arrays are slow
    to allocate on the VMs measured."""
    vocab = sorted(set().union(*(r.vocab for r in runs)))
    segment_id = {term: i for i, term in enumerate(vocab)}
    top_tf = max([int(r.tf.max()) for r in runs if len(r.tf)], default=0)
    slot_bits, tf_bits = max(slot_limit - 1, 0).bit_length(), top_tf.bit_length()
    packed = max(len(vocab), 1).bit_length() + slot_bits + tf_bits <= MAX_KEY_BITS
    counts = np.zeros(len(vocab), np.int64)
    key = np.empty(sum(len(r.term) for r in runs), np.int64)
    unpacked_tf, at = [], 0
    while runs:
        r = runs.pop()
        slot = first_slot[r.file]
        if len(slot) and slot.min() < 0:  # files kept in the base segment but also re-read (touched, unchanged)
            keep = slot >= 0
            r = Run(r.vocab, r.term[keep], r.file[keep], r.passage[keep], r.tf[keep])
            slot = slot[keep]
        to_segment = np.fromiter(map(segment_id.__getitem__, r.vocab), np.int64, len(r.vocab))
        counts[to_segment] += np.bincount(r.term, minlength=len(r.vocab))  # run ids map one-to-one
        piece = key[at:at + len(slot)]
        np.take(to_segment, r.term, out=piece)
        slot += r.passage
        piece <<= slot_bits + tf_bits * packed
        if packed:
            slot <<= tf_bits
            piece |= r.tf
        else:
            unpacked_tf.append(r.tf)
        piece |= slot
        at += len(slot)
        del r, slot
    key = key[:at]
    tf = np.empty(at, smallest_uint(np.array([top_tf])).dtype)
    if packed:
        key.sort(kind="stable")
        np.bitwise_and(key, (1 << tf_bits) - 1, out=tf, casting="unsafe")
        key >>= tf_bits
    else:
        order = np.argsort(key, kind="stable")
        np.take(np.concatenate(unpacked_tf) if unpacked_tf else tf, order, out=tf)
        np.take(key.copy(), order, out=key)
    doc = np.empty(at, np.int32)
    np.bitwise_and(key, (1 << slot_bits) - 1, out=doc, casting="unsafe")
    del key
    if len(vocab) and not counts.all():  # terms only the left-out files had
        present = np.flatnonzero(counts)
        vocab = [vocab[i] for i in present]
        counts = counts[present]
    loff = np.zeros(len(vocab) + 1, np.int64)
    np.cumsum(counts, out=loff[1:])
    return {"vocab": encode_vocab(vocab), "loff": loff, "doc": doc, "tf": tf}


def smallest_uint(values: np.ndarray) -> np.ndarray:
    top = int(values.max()) if len(values) else 0
    return values.astype(np.uint8 if top < 2**8 else np.uint16 if top < 2**16 else np.uint32)


def encode_vocab(terms: list[str]) -> np.ndarray:
    # Sorted str order is code point order, which is the byte order of UTF-8: searchsorted works.
    encoded = [t.encode("utf-8") for t in terms]
    return np.array(encoded, dtype=f"S{max((len(t) for t in encoded), default=1)}")
