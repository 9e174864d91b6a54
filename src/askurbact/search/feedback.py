"""Pseudo-relevance feedback (RM3-style): a few terms of the best passages, searched again
with the question's at a low weight.

A question's best passages hold words the question does not use but its answer's
neighbours do; searched at a fraction of a question term's weight, they move up passages
about the same thing that share few of the question's own words.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..analysis import analyzer
from ..index.reader import IndexReader
from ..model import Hit

# The best passages read for feedback terms, how many terms are kept, and the weight of the
# strongest against a question term's 1 (the others in proportion).
PASSAGES = 3
TERMS = 5
WEIGHT = 0.0


def feedback_terms(reader: IndexReader, hits: list[Hit], question_terms: list[str] | tuple[str, ...],
                   passages: int | None = None, terms: int | None = None, weight: float | None = None
                   ) -> dict[str, float]:
    """Up to `terms` terms of the `passages` best hits, not among the question's, each with
    its scale: its relevance-model weight (term frequency in a passage over the passage's
    length, by the passage's share of the hits' scores, summed over passages) times its
    specificity, the strongest at `weight`. Terms in one passage only are left out: they
    would only lift the passage that already ranks."""
    passages = PASSAGES if passages is None else passages
    terms = TERMS if terms is None else terms
    weight = WEIGHT if weight is None else weight
    top = [h for h in hits[:passages] if h.score > 0]
    if not top or weight <= 0:
        return {}
    relevance = relevance_model(top, set(question_terms))
    candidates = list(relevance)
    df = _doc_freqs(reader, candidates)
    n = reader.n_passages
    specific = np.log1p((n - df + 0.5) / (df + 0.5))  # rerank.term_weight, for all at once
    scored = {t: relevance[t] * float(w) for t, w, d in zip(candidates, specific, df) if d > 1}
    best = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:terms]
    if not best:
        return {}
    strongest = best[0][1]
    return {t: weight * s / strongest for t, s in best}


def relevance_model(top: list[Hit], leave_out: set[str] = frozenset()) -> Counter[str]:
    """Each term's relevance-model weight over `top` (all scoring above 0): its frequency in a
    passage over the passage's length, by the passage's share of their scores, summed."""
    total = sum(h.score for h in top) or 1.0
    relevance: Counter[str] = Counter()
    for hit in top:
        counts = Counter(analyzer(hit.document.lang).terms(hit.passage.text))
        length = sum(counts.values()) or 1
        for term, tf in counts.items():
            if term not in leave_out:
                relevance[term] += tf / length * hit.score / total
    return relevance


def clarity(reader: IndexReader, hits: list[Hit], passages: int = PASSAGES) -> float:
    """How far the best passages' words are from the corpus's (Cronen-Townsend's clarity:
    KL divergence of the relevance model from the corpus model, here a term's share of
    passages)."""
    top = [h for h in hits[:passages] if h.score > 0]
    if not top:
        return 0.0
    relevance = relevance_model(top)
    terms = list(relevance)
    df = np.maximum(_doc_freqs(reader, terms), 1) / max(1, reader.n_passages)
    p = np.array([relevance[t] for t in terms])
    p /= p.sum()
    return float(np.sum(p * np.log(p / df)))


def _doc_freqs(reader: IndexReader, terms: list[str]) -> np.ndarray:
    """reader.doc_freq of each term, in one look-up (a passage has a hundred distinct terms)."""
    vocab = reader.vocab
    keys = [t.encode("utf-8") for t in terms]
    fits = np.array([len(k) <= vocab.dtype.itemsize for k in keys], dtype=bool)
    wanted = np.array([k if f else b"" for k, f in zip(keys, fits)], dtype=vocab.dtype)
    at = np.minimum(np.searchsorted(vocab, wanted), len(vocab) - 1) if len(vocab) else np.zeros(len(keys), int)
    found = fits & (vocab[at] == wanted) if len(vocab) else np.zeros(len(keys), bool)
    return np.where(found, reader.df[at], 0).astype(np.int64)
