"""The "nothing found" gate: does the best passage answer the question, or merely share
some of its words?

A logistic model over evidence that separates the two (fitted on SQuAD part 1, see
docs/quality.md for the fit and the found / abstain trade-off):
- how much of the question's weight the best passage explains, absolutely and as a
  share in its best sentence, two neighbouring sentences, its title and section;
- the question's neighbouring term pairs that stand together in the best sentence;
- what the corpus does not know at all: the share of the weight in unknown terms, and
  names (capitalised words, acronyms) it never uses or the passage lacks;
- the best BM25 score against the question's own weight.
Weights are `rerank.term_weight` (an idf that stays positive in any corpus), scaled by
the weight of a term in no passage, so the evidence reads the same in a corpus of one
passage and in one of a million.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..search.rerank import Evidence

# Fitted coefficients (Newton's method, SQuAD part 1: 2,000 answerable questions, 600
# about articles not in the corpus), rounded.
COEFFICIENTS = {"sentence": 0.85, "window": 0.38, "title": 2.4, "pairs": 1.65, "unknown": -1.26,
                "unknown_names": -0.5, "missing_names": -0.85, "unexplained": -1.06, "explained": 2.46,
                "strongest": -1.49, "bm25": 1.58, "bias": -1.42}
# The model's score above which a question counts as answered (its trade-off point).
THRESHOLD = 0.55


@dataclass(frozen=True)
class GateEvidence:
    sentence: float
    window: float
    title: float
    pairs: float
    unknown: float  # share of the weight in terms the corpus does not know
    unknown_names: int  # names the corpus does not know (at most 2)
    missing_names: int  # names the best passage lacks (at most 3)
    unexplained: float  # weight the best passage lacks, in units of an unknown term's (at most 3)
    explained: float  # weight it holds, likewise (at most 3)
    strongest: float  # the weightiest term it holds, likewise
    bm25: float  # the top passage's BM25 score over the question's weight (0..3)
    coverage: float  # share of the question's weight the best passage holds

    def score(self) -> float:
        c = COEFFICIENTS
        return (c["bias"] + c["sentence"] * self.sentence + c["window"] * self.window + c["title"] * self.title
                + c["pairs"] * self.pairs + c["unknown"] * self.unknown + c["unknown_names"] * self.unknown_names
                + c["missing_names"] * self.missing_names + c["unexplained"] * self.unexplained
                + c["explained"] * self.explained + c["strongest"] * self.strongest + c["bm25"] * self.bm25)


def gather(found: list[Evidence], weights: dict[str, float], known: dict[str, bool], names: frozenset[str],
           n_passages: int) -> GateEvidence | None:
    """The gate's evidence from the re-ranked passages; None when there are none."""
    if not found or not weights:
        return None
    best = max(found, key=lambda e: (e.passage + e.sentence + e.window, -e.hit.rank))
    present = set().union(*(s.terms for s in best.sentences))
    unit = math.log(1 + (n_passages + 0.5) / 0.5)  # the weight of a term in no passage
    total = sum(weights.values()) or 1.0
    held = [w for t, w in weights.items() if t in present]
    return GateEvidence(
        sentence=best.sentence, window=best.window, title=best.title, pairs=best.pairs,
        unknown=sum(w for t, w in weights.items() if not known.get(t)) / total,
        unknown_names=min(2, sum(1 for t in names if not known.get(t))),
        missing_names=min(3, sum(1 for t in names if t not in present)),
        unexplained=min(3.0, (total - sum(held)) / unit), explained=min(3.0, sum(held) / unit),
        strongest=max(held, default=0.0) / unit,
        bm25=max(0.0, min(3.0, found[0].hit.score / total)), coverage=sum(held) / total)


def answers(evidence: GateEvidence | None, threshold: float = THRESHOLD) -> bool:
    return evidence is not None and evidence.score() >= threshold
