"""Search: BM25Okapi scores from the postings, top-k passages.

A passage's score is the sum, over the query terms in query order (repeats counted, as
rank_bm25 does), of the contributions stored in the postings; only passages that
contain a query term are touched. Passages scoring exactly 0 are never returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def _accumulate(reader: IndexReader, terms: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
    scores = np.zeros(reader.n_passages, dtype=np.float64)
    touched = []
    ids: dict[str, int | None] = {}
    for term in terms:
        if term not in ids:
            ids[term] = reader.term_id(term)
        tid = ids[term]
        if tid is None:
            continue
        docs, weights = reader.postings(tid)
        scores[docs] += weights
        touched.append(docs)
    return scores, touched


def score_all(reader: IndexReader, terms: list[str]) -> np.ndarray:
    """The score of every passage: equal to BM25Okapi.get_scores(terms) on the same corpus."""
    return _accumulate(reader, terms)[0]


def allowed_passages(reader: IndexReader, where: Filter | None) -> np.ndarray | None:
    if not where:
        return None
    docs = np.array([(d.doc_id in where.doc_ids) or bool(where.tags.intersection(d.tags))
                     for d in reader.documents], dtype=bool)
    return docs[reader.passage_doc] if len(docs) else np.zeros(reader.n_passages, bool)


def top_passages(reader: IndexReader, terms: list[str], k: int, where: Filter | None = None) -> list[tuple[int, float]]:
    """(passage number, score) of the k best passages, best first; ties by index order."""
    scores, touched = _accumulate(reader, terms)
    if not touched:
        return []
    # One pass over the dense scores beats merging the touched postings (np.unique sorts or hashes).
    candidates = touched[0] if len(touched) == 1 else np.flatnonzero(scores)
    candidates = candidates[scores[candidates] != 0]
    allowed = allowed_passages(reader, where)
    if allowed is not None:
        candidates = candidates[allowed[candidates]]
    if len(candidates) > k:
        best = np.argpartition(-scores[candidates], k - 1)[:k]
        # Include every candidate tied with the k-th so the order of ties does not depend on argpartition.
        cutoff = scores[candidates[best]].min()
        candidates = candidates[scores[candidates] >= cutoff]
    order = np.lexsort((candidates, -scores[candidates]))[:k]
    return [(int(candidates[i]), float(scores[candidates[i]])) for i in order]


def search(reader: IndexReader, terms: list[str], k: int = 5, where: Filter | None = None) -> list[Hit]:
    hits = []
    for rank, (i, score) in enumerate(top_passages(reader, terms, k, where), 1):
        passage, document = reader.passage(i)
        hits.append(Hit(rank, score, i, passage, document))
    return hits
