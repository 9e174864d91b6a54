"""The semantic extra's passage vectors, written with each generation.

Each corpus file's vectors are cached beside its analysis, `cache/<key>-<model>.vectors.npy`
(the key is the entry's: content and analysis recipe; the model tag is a hash of the model
identity), so an update embeds only the passages of new or changed files; a removed file's
vectors go with its entry (folder.prune). The generation's `vectors.npy` is those files'
rows put at their passages' slots (zeros at dead slots), float16, one row per slot.

Embedding runs in this process, after the analysis workers are done: the model's engine
uses every core itself (OpenMP), so worker processes would only compete for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ...model import Passage
from ..format import load_array
from ..records import ENTRY, decode_record
from ..vectors import DIM, DTYPE, NAME, load_model, manifest_entry

BATCH = 32  # passages per call to the model: progress is reported between calls


def model_tag(model: str) -> str:
    return hashlib.sha256(model.encode()).hexdigest()[:12]


def cache_path(cache_dir: Path, key: str, model: str) -> Path:
    return cache_dir / f"{key}-{model_tag(model)}.vectors.npy"


def embedded_text(passage: Passage) -> str:
    """What the model reads of a passage: its section (which names the document) and its text,
    so that a passage that says "the city" is still about its city."""
    return f"{passage.section}\n{passage.text}" if passage.section else passage.text


def _cached(path: Path, count: int) -> np.ndarray | None:
    """A file's cached vectors, or None when they are missing or damaged (then embedded again)."""
    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if vectors.shape != (count, DIM) or vectors.dtype != DTYPE or not np.isfinite(vectors).all():
        return None
    return vectors


def _texts(cache_dir: Path, doc: dict, spans: np.ndarray) -> list[str]:
    doc_id = str(doc["doc_id"])
    with open(cache_dir / f"{doc['key']}{ENTRY}", "rb") as handle:
        records = handle.read(int(spans[-1][1]) if len(spans) else 0)
    return [embedded_text(decode_record(records[int(a):int(b)], doc_id)) for a, b in spans]


def _save(path: Path, vectors: np.ndarray) -> None:
    tmp = path.parent / f".{path.name[:40]}.{os.getpid()}"  # folder.CACHE_TEMP: a leftover is pruned
    with open(tmp, "wb") as handle:
        np.save(handle, vectors, allow_pickle=False)
    os.replace(tmp, path)


def write_vectors(gen: Path, cache_dir: Path, model: str, documents: list[dict], n_slots: int,
                  progress: Callable[[int, int, str, int], None] | None = None) -> dict:
    """Write `gen/vectors.npy` for the live `documents` (their "key" and "passages" [first,
    count]), embedding the files whose vectors are not cached yet; returns the manifest's
    record of them."""
    spans = load_array(gen, "rec_span")
    rows = np.zeros((n_slots, DIM), DTYPE)
    missing = []
    for doc in documents:
        first, count = doc["passages"]
        found = _cached(cache_path(cache_dir, doc["key"], model), count)
        if found is None:
            missing.append(doc)
        else:
            rows[first:first + count] = found
    total = sum(doc["passages"][1] for doc in missing)
    if missing:
        encoder = load_model()  # only when something is to be embedded
        done = 0
        if progress:
            progress(0, total, "embedding", total)
        for doc in missing:
            first, count = doc["passages"]
            texts = _texts(cache_dir, doc, spans[first:first + count])
            vectors = np.zeros((count, DIM), DTYPE)
            for at in range(0, count, BATCH):
                vectors[at:at + BATCH] = encoder.passage(texts[at:at + BATCH])
                done += len(texts[at:at + BATCH])
                if progress:
                    progress(done, total, "embedding", total)
            _save(cache_path(cache_dir, doc["key"], model), vectors)
            rows[first:first + count] = vectors
    target = gen / f"{NAME}.npy"
    with contextlib.suppress(FileNotFoundError):
        target.unlink()  # a link to the previous generation's: never written through
    np.save(target, rows, allow_pickle=False)
    return manifest_entry(model)
