"""Search: BM25Okapi scores from the postings, top-k passages.

A passage's score is the sum, over the query terms in query order (repeats counted, as
rank_bm25 does), of each term's contribution, stored per posting in the index
(`scoring.contributions`); only passages that contain a query term are touched.
Passages scoring exactly 0 are never returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index.reader import IndexReader
from ..model import Hit
from .filter import Filter

# Up to this many postings a query just adds them all up; beyond, skipping pays (MaxScore).
DENSE_MAX_POSTINGS = 30_000
# A binary search for one candidate costs about this many postings added to the dense scores.
SEARCH_COST = 4


@dataclass(eq=False)
class _QueryTerm:
    """A distinct query term found in the index: its idf, postings and how often the query has it."""

    term_idf: float
    docs: np.ndarray  # passage slots, ascending
    impact: np.ndarray  # each posting's contribution to its passage's score
    top: float  # the largest of them (index.term_max)
    repeats: int = 1


def _lookup(reader: IndexReader, terms: list[str]) -> list[_QueryTerm]:
    """The query's terms in query order, repeats as the same object; absent terms left out."""
    found: dict[str, _QueryTerm | None] = {}
    ordered = []
    for term in terms:
        if term in found:
            if found[term] is not None:
                found[term].repeats += 1
                ordered.append(found[term])
            continue
        tid = reader.term_id(term)
        docs, impact = reader.postings(tid) if tid is not None else (None, None)
        # Slots as intp once: numpy converts int32 indices at every fancy indexing otherwise
        # (adding, resetting and reading scores all took 15-45% longer).
        found[term] = (_QueryTerm(reader.term_idf(tid), docs.astype(np.intp), impact, float(reader.term_max[tid]))
                       if docs is not None and len(docs) else None)
        if found[term] is not None:
            ordered.append(found[term])
    return ordered


def _accumulate(query: list[_QueryTerm], scores: np.ndarray) -> None:
    for term in query:
        _add(scores, term)


def _add(scores: np.ndarray, term: _QueryTerm) -> None:
    # One list has each slot once, so this is scores[docs] += impact; add.at does it in one
    # pass (gather, add, scatter took twice as long).
    np.add.at(scores, term.docs, term.impact)


def allowed_passages(reader: IndexReader, where: Filter | None, lang: str | None = None) -> np.ndarray | None:
    """Which passage slots a search may return: those of the filter's documents, and of
    documents in `lang` (None: any language)."""
    if not where and lang is None:
        return None
    docs = np.array([(not where or (d.doc_id in where.doc_ids) or bool(where.tags.intersection(d.tags)))
                     and (lang is None or d.lang == lang) for d in reader.documents] + [False], dtype=bool)
    return docs[reader.passage_doc]  # a dead slot (-1) picks the final False


def top_passages(reader: IndexReader, terms: list[str], k: int, where: Filter | None = None,
                 lang: str | None = None) -> list[tuple[int, float]]:
    """(passage slot, score) of the k best passages, best first; ties by slot order.
    With `lang`, only passages of documents in that language."""
    query = _lookup(reader, terms)
    if not query or k <= 0:
        return []
    distinct = list({id(t): t for t in query}.values())
    with reader.score_buffer() as scores:
        skippable = len(distinct) > 1 and min(t.term_idf for t in distinct) >= 0
        allowed = allowed_passages(reader, where, lang)
        if allowed is not None or not skippable or sum(len(t.docs) for t in distinct) <= DENSE_MAX_POSTINGS:
            try:
                _accumulate(query, scores)  # query order: these are the exact scores
                candidates = _dense_candidates(distinct, scores, k, allowed)
                return _best(candidates, scores[candidates], k)
            finally:
                for term in distinct:
                    scores[term.docs] = 0.0
        candidates = _max_score_candidates(distinct, scores, k)
        return _best(candidates, _exact_scores(query, candidates), k)


def _dense_candidates(distinct: list[_QueryTerm], scores: np.ndarray, k: int,
                      allowed: np.ndarray | None) -> np.ndarray:
    """The touched passages that can rank, every contribution already in `scores`.

    The k-th best score among the rarest term's passages bounds the k-th best overall; a
    passage missing from the weightiest terms' lists scores at most the other terms'
    bounds (see _bounds), so when those add up to less, its list need not be read."""
    if len(distinct) == 1:
        candidates = distinct[0].docs
    else:
        lists = [t.docs for t in distinct]
        kth = 0.0
        if allowed is None:
            shortest = min((d for d in lists if len(d) >= k), key=len, default=None)
            # Distinct passages only: a passage counted twice would overstate the k-th score.
            sample = scores[_distinct(np.concatenate(lists)) if shortest is None else shortest]
            kth = _kth_largest(sample[sample != 0], k)  # a removed passage scores 0: never a result
        if kth > 0 and min(t.term_idf for t in distinct) >= 0:
            bound = _bounds(distinct)
            rest, needed = sum(bound), []
            for i in sorted(range(len(distinct)), key=lambda i: -bound[i]):
                if rest < kth - _slack(kth) and needed:
                    break
                needed.append(lists[i])
                rest -= bound[i]
            lists = needed
        candidates = _joined(lists)
        if kth > 0:
            candidates = candidates[scores[candidates] >= kth]
        candidates = _distinct(candidates)
    return candidates if allowed is None else candidates[allowed[candidates]]


def _bounds(distinct: list[_QueryTerm]) -> list[float]:
    """Most a term can add to one passage's score (with idf >= 0): its largest
    contribution, per occurrence in the query, with room for rounding."""
    return [t.top * t.repeats * (1 + 1e-9) for t in distinct]


def _max_score_candidates(distinct: list[_QueryTerm], scores: np.ndarray, k: int) -> np.ndarray:
    """Passages that can still be among the k best, found without reading every posting
    (MaxScore). Terms are added most-weighty first into the dense `scores`; once the k-th
    best partial score exceeds what all the terms not yet added could give together, a
    passage none of the added terms matched cannot rank. The terms left are then looked
    up only for the remaining candidates (binary search in their postings), dropping
    candidates whose partial score plus what is left falls below the k-th best.

    Valid because every contribution is >= 0 (idf >= 0, checked by the caller) and at most
    the term's bound (_bounds). The partial sums are in a different order from rank_bm25's, so they
    only choose candidates (with a small slack); `_exact_scores` then scores those.
    Leaves `scores` all zero."""
    bound = _bounds(distinct)
    order = sorted(range(len(distinct)), key=lambda i: -bound[i])
    remaining = sum(bound)
    kth = 0.0  # a lower bound of the k-th best final score
    added: list[np.ndarray] = []
    try:
        while order:
            term = distinct[order[0]]
            for _ in range(term.repeats):
                _add(scores, term)
            added.append(term.docs)
            remaining -= bound[order.pop(0)]
            # The partial scores of any distinct passages bound the k-th; the shortest list that
            # has k is cheap to read and holds the rarest, weightiest term.
            sample = min((d for d in added if len(d) >= k), key=len, default=None)
            if sample is not None:
                kth = max(kth, _kth_largest(scores[sample], k))
            if kth > 0 and remaining < kth - _slack(kth):
                pool = _joined(added)
                pool = pool[scores[pool] >= kth - remaining - _slack(kth)]
                # Stop once binary searches for the candidates cost less than adding the next list.
                if not order or SEARCH_COST * len(pool) <= len(distinct[order[0]].docs):
                    break
        else:
            pool = _joined(added)
            pool = pool[scores[pool] >= kth - _slack(kth)]
        pool = _distinct(pool)
        partial = scores[pool]
    finally:
        for docs in added:
            scores[docs] = 0.0
    for i in order:  # the terms not added: only for the candidates left
        term = distinct[i]
        at, hit = _find(term.docs, pool)
        for _ in range(term.repeats):
            partial[hit] += term.impact[at[hit]]
        remaining -= bound[i]
        kth = max(kth, _kth_largest(partial, k))
        keep = partial >= kth - remaining - _slack(kth)
        pool, partial = pool[keep], partial[keep]
    return pool


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)  # one list: no copy


def _distinct(slots: np.ndarray) -> np.ndarray:
    """np.unique(slots), without its import of numpy.ma (12 ms of a one-off ask)."""
    slots = np.sort(slots)
    keep = np.empty(len(slots), bool)
    keep[:1] = True
    np.not_equal(slots[1:], slots[:-1], out=keep[1:])
    return slots[keep]


def _kth_largest(values: np.ndarray, k: int) -> float:
    return float(np.partition(values, len(values) - k)[len(values) - k]) if len(values) >= k else 0.0


def _slack(kth: float) -> float:
    """Room for rounding: partial sums are added in another order than the exact ones."""
    return 1e-9 * max(1.0, kth)


def _find(docs: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `slots` is in ascending `docs`, and whether it is there at all."""
    at = np.searchsorted(docs, slots)
    at[at == len(docs)] = 0
    return at, docs[at] == slots


def _exact_scores(query: list[_QueryTerm], candidates: np.ndarray) -> np.ndarray:
    """BM25Okapi scores of a few passages, summed in query order as rank_bm25 sums them."""
    exact = np.zeros(len(candidates))
    for term in query:
        at, hit = _find(term.docs, candidates)
        exact[hit] += term.impact[at[hit]]
    return exact


def _best(candidates: np.ndarray, values: np.ndarray, k: int) -> list[tuple[int, float]]:
    keep = values != 0  # a removed passage scores 0 and is never a result
    candidates, values = candidates[keep], values[keep]
    if len(candidates) > k:
        best = np.argpartition(-values, k - 1)[:k]
        # Include every candidate tied with the k-th so the order of ties does not depend on argpartition.
        keep = values >= values[best].min()
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[:k]
    return [(int(candidates[i]), float(values[i])) for i in order]


def search(reader: IndexReader, terms: list[str], k: int = 5, where: Filter | None = None,
           lang: str | None = None) -> list[Hit]:
    hits = []
    for rank, (i, score) in enumerate(top_passages(reader, terms, k, where, lang), 1):
        passage, document = reader.passage(i)
        hits.append(Hit(rank, score, i, passage, document))
    return hits


def containing(reader: IndexReader, terms: list[str], k: int, where: Filter | None = None,
               lang: str | None = None) -> list[Hit]:
    """Up to k passages holding any of `terms`, in index order, each with its exact BM25
    score (0 or below). For corpora where BM25 ranks nothing: in one or two passages every
    idf is at or below zero (BM25Okapi's floor), so no score is positive; re-ranking by
    sentence evidence then orders these."""
    query = _lookup(reader, terms)
    slots = np.zeros(reader.n_slots, bool)
    for term in query:
        slots[term.docs] = True
    allowed = allowed_passages(reader, where, lang)
    if allowed is not None:
        slots &= allowed
    chosen = np.flatnonzero(slots)[:k]
    scores = _exact_scores(query, chosen)  # only the chosen few, in query order
    hits = []
    for rank, (i, score) in enumerate(zip(chosen.tolist(), scores.tolist()), 1):
        passage, document = reader.passage(i)
        hits.append(Hit(rank, score, i, passage, document))
    return hits


def scores_of(reader: IndexReader, terms: list[str], slots: list[int]) -> list[float]:
    """The exact BM25 scores of some passages (0 for one holding none of `terms`): for
    passages another ranking brought in (search/semantic.py)."""
    return _exact_scores(_lookup(reader, terms), np.array(slots, np.intp)).tolist()
