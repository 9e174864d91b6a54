"""Search: BM25Okapi scores from the postings, top-k passages.

A passage's score is the sum, over the query terms in query order (repeats counted, as
rank_bm25 does), of each term's contribution (`scoring.add_contributions`); only
passages that contain a query term are touched. Passages scoring exactly 0 are never
returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import scoring
from .chunking import Passage
from .index import IndexReader
from .loading import Document


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based
    score: float
    index: int  # passage number in the index
    passage: Passage
    document: Document


@dataclass(frozen=True)
class Filter:
    """Limit a search to some documents (by doc_id) and/or tags (a document needs one of them)."""

    doc_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.doc_ids or self.tags)

    def describe(self) -> str:
        parts = [*sorted(self.doc_ids), *(f"#{t}" for t in sorted(self.tags))]
        return ", ".join(parts)


def _accumulate(reader: IndexReader, terms: list[str], scores: np.ndarray) -> list[np.ndarray]:
    """Add every query term's contributions to `scores` (all zero on entry); return the
    passage slots touched, one array per term."""
    touched = []
    ids: dict[str, int | None] = {}
    for term in terms:
        if term not in ids:
            ids[term] = reader.term_id(term)
        tid = ids[term]
        if tid is None:
            continue
        term_idf = reader.term_idf(tid)
        parts = reader.postings(tid)
        for docs, tf in parts:
            scoring.add_contributions(scores, docs, tf, reader.norm, term_idf, reader.k1)
        if parts:
            touched.append(parts[0][0] if len(parts) == 1 else np.concatenate([docs for docs, _ in parts]))
    return touched


def score_all(reader: IndexReader, terms: list[str]) -> np.ndarray:
    """The score of every passage slot: on a corpus indexed in one go, equal to
    BM25Okapi.get_scores(terms) (with an update's dead slots, 0 at those)."""
    scores = np.zeros(reader.n_slots, dtype=np.float64)
    _accumulate(reader, terms, scores)
    return scores


def allowed_passages(reader: IndexReader, where: Filter | None) -> np.ndarray | None:
    if not where:
        return None
    docs = np.array([(d.doc_id in where.doc_ids) or bool(where.tags.intersection(d.tags))
                     for d in reader.documents] + [False], dtype=bool)
    return docs[reader.passage_doc]  # a dead slot (-1) picks the final False


def top_passages(reader: IndexReader, terms: list[str], k: int, where: Filter | None = None) -> list[tuple[int, float]]:
    """(passage slot, score) of the k best passages, best first; ties by slot order.

    Only the touched postings are visited: a lower bound of the k-th best score, taken
    from the shortest posting list, discards most of them before any sorting."""
    buffers = reader.__dict__.setdefault("_score_buffers", [])
    try:
        scores = buffers.pop()  # one buffer per concurrent query (the chat asks from threads)
    except IndexError:
        scores = np.zeros(reader.n_slots, dtype=np.float64)
    touched = _accumulate(reader, terms, scores)
    try:
        return _best(scores, touched, k, allowed_passages(reader, where))
    finally:
        for docs in touched:
            scores[docs] = 0.0
        buffers.append(scores)


def _best(scores: np.ndarray, touched: list[np.ndarray], k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
    if not touched or k <= 0:
        return []
    candidates = touched[0] if len(touched) == 1 else np.concatenate(touched)
    if len(touched) > 1 and allowed is None and len(candidates) > 8 * k:
        sample = scores[min((d for d in touched if len(d) >= k), key=len, default=candidates)]
        sample = sample[sample != 0]  # a removed passage scores 0 and is never a result
        if len(sample) >= k:
            threshold = np.partition(sample, len(sample) - k)[len(sample) - k]
            candidates = candidates[scores[candidates] >= threshold]
    if len(touched) > 1:
        candidates = np.unique(candidates)
    values = scores[candidates]
    keep = values != 0
    if allowed is not None:
        keep &= allowed[candidates]
    candidates, values = candidates[keep], values[keep]
    if len(candidates) > k:
        best = np.argpartition(-values, k - 1)[:k]
        # Include every candidate tied with the k-th so the order of ties does not depend on argpartition.
        keep = values >= values[best].min()
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[:k]
    return [(int(candidates[i]), float(values[i])) for i in order]


def search(reader: IndexReader, terms: list[str], k: int = 5, where: Filter | None = None) -> list[Hit]:
    hits = []
    for rank, (i, score) in enumerate(top_passages(reader, terms, k, where), 1):
        passage, document = reader.passage(i)
        hits.append(Hit(rank, score, i, passage, document))
    return hits
