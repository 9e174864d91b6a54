"""BM25Okapi exactly as `rank_bm25.BM25Okapi.get_scores` computes it, in three parts:
the idf of each term, the length norm of each passage, and each posting's contribution
`idf * tf*(k1+1)/(tf+norm)` to its passage's score. All three depend on the whole corpus,
so each index generation stores its own (the postings' term frequencies are shared); a
query only adds contributions up.

Every operation is done in rank_bm25's order and in float64, so the scores are equal
to its scores, not merely close.
"""

from __future__ import annotations

import math

import numpy as np


def idf(df: np.ndarray, n_passages: int, epsilon: float) -> np.ndarray:
    """idf = log(N - df + 0.5) - log(df + 0.5); a negative idf becomes epsilon * mean idf.

    Terms with df 0 (left in a segment's vocabulary by passages since removed) are not in
    rank_bm25's vocabulary: they take no part in the mean and match nothing. The logs are
    math.log's, as rank_bm25's (numpy's vectorised log may differ in the last bit), taken
    once per distinct df. The mean is summed in vocabulary order, rank_bm25's in order of
    first appearance, so a floored idf can differ from it in the last bit."""
    df = np.asarray(df, dtype=np.int64)
    distinct, where = np.unique(df, return_inverse=True)
    logs = np.array([math.log(n_passages - d + 0.5) - math.log(d + 0.5) for d in distinct.tolist()])
    values = logs[where] if len(df) else np.zeros(0)
    present = df > 0
    n_present = int(present.sum())
    if n_present:
        floor = epsilon * (values[present].sum() / n_present)
        values[present & (values < 0)] = floor
    return values


def average_length(doc_len: np.ndarray, live: np.ndarray) -> float:
    total = int(np.asarray(doc_len, dtype=np.int64)[live].sum())
    return total / int(live.sum()) if total else 1.0  # no terms at all: nothing can match, any will do


def length_norm(doc_len: np.ndarray, live: np.ndarray, k1: float, b: float) -> np.ndarray:
    """k1 * (1 - b + b * dl / avgdl) for each live passage; +inf for a removed one, whose
    contributions then come out as exactly 0 (tf / (tf + inf)), so it can never rank."""
    doc_len = np.asarray(doc_len, dtype=np.int64)
    avgdl = average_length(doc_len, live)
    norm = np.full(len(doc_len), np.inf)
    norm[live] = k1 * (1 - b + b * doc_len[live] / avgdl)
    return norm


def contributions(tf: np.ndarray, norm: np.ndarray, term_idf, k1: float) -> np.ndarray:
    """idf * (tf * (k1 + 1) / (tf + norm)) for postings with these tfs and their passages'
    norms; `term_idf` is one idf or one per posting. `norm` must be a fresh array (e.g.
    gathered by fancy indexing): it is overwritten."""
    norm += tf
    weights = tf * (k1 + 1)
    weights /= norm
    weights *= term_idf
    return weights


def term_maxima(values: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Per term (values grouped by `off`), the largest value; 0 for a term with none."""
    result = np.zeros(len(off) - 1)
    nonempty = off[1:] > off[:-1]
    if len(values):
        result[nonempty] = np.maximum.reduceat(values, off[:-1][nonempty])
    return result


def term_score(term_idf: float, tf: float, norm: float, k1: float) -> float:
    """One term's BM25 contribution for a text whose length norm is `norm`
    (k1 * (1 - b + b * length / avgdl)): what `contributions` computes per posting."""
    return term_idf * (tf * (k1 + 1) / (tf + norm))
