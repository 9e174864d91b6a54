"""The "nothing found" gate: does the best passage answer the question, or merely share
some of its words?

A logistic model over evidence that separates the two (fitted on SQuAD part 1, see
docs/quality.md for the fit and the found / abstain trade-off):
- how much of the question's weight the best passage explains, absolutely and as a
  share in its best sentence, two neighbouring sentences, its title and section;
- the question's neighbouring term pairs that stand together in the best sentence;
- names (capitalised words, acronyms) the corpus never uses, or the passage lacks;
- the best BM25 score against the question's own weight;
- whether the passages matching the question cluster in one document beyond chance (a
  corpus that has a document about the question's subject holds many of its best
  passages there; words of a question on another subject match here and there).
Weights are `rerank.term_weight` (an idf that stays positive in any corpus), scaled by
the weight of a term in no passage, so the evidence reads the same in a corpus of one
passage and in one of a million.

Left out, as they added nothing on held-out questions (docs/quality.md): the share of the
weight in terms the corpus does not know (in a small corpus, common words it happens not
to use), the weight the passage lacks and its strongest term.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from ..model import Hit
from ..search.rerank import Evidence

# Fitted coefficients (benchmarks/fit_gate.py: logistic regression, Newton's method, on
# SQuAD part 1: the 4,306 questions of the corpus's 16 articles against the 1,390 of the 8
# articles not in it), rounded; the threshold (where it abstains on 93% of those absent
# questions) is folded into the bias. Indexing passages under their headings (eleventh round)
# raised BM25 scores a little and let this gate answer more (benchmarks/answers.py, three
# seeds of each corpus: abstain 0.892-0.933); the bias was lowered by 0.1 (-5.94 -> -6.04),
# so that every sample abstains on at least 90% (0.902-0.938); docs/quality.md.
COEFFICIENTS = {"sentence": 2.67, "window": 2.72, "title": 6.46, "pairs": 2.36, "unknown_names": -0.976,
                "missing_names": -0.463, "explained": 1.11, "bm25": 2.16, "documents": 2.33, "small": 0.472,
                "bias": -6.04}
# A lift that tells nothing either way: halfway between its means on answerable (0.55-0.62)
# and absent-topic questions (0.15) of SQuAD part 1.
DOCUMENTS_PRIOR = 0.4
# Corpora from this many passages up count as large (the benchmark corpus has 785, the
# largest fitted on).
SMALL_CORPUS = 800
# ... and corpora below this many (the smallest fitted on: one SQuAD article) as this small.
SMALLEST_CORPUS = 20
# The model's score from which a question counts as answered (its trade-off point).
THRESHOLD = 0.0


@dataclass(frozen=True)
class GateEvidence:
    sentence: float
    window: float
    title: float
    pairs: float
    unknown_names: int  # names the corpus does not know (at most 2)
    missing_names: int  # names the best passage lacks (at most 3)
    explained: float  # weight the best passage holds, in units of an unknown term's (at most 3)
    bm25: float  # the top passage's BM25 score over the question's weight (0..3)
    documents: float  # how much the best passages cluster in the best one's document (see document_lift)
    small: float  # how small the corpus is (see corpus_smallness)
    coverage: float  # share of the question's weight the best passage holds

    def score(self, coefficients: dict[str, float] | None = None) -> float:
        """The model's score: positive answers. `coefficients`: another model's over the same
        evidence (the semantic gate's); a feature it has no coefficient for counts 0."""
        c = COEFFICIENTS if coefficients is None else coefficients
        return c["bias"] + sum(c.get(f.name, 0.0) * float(getattr(self, f.name)) for f in dataclasses.fields(self))


def document_lift(hits: list[Hit], best: Hit | None, chance: float) -> float:
    """How much more often than chance the passages BM25 ranked are in the document of the
    best one: lift = (share of `hits` in that document - `chance`) / (1 - `chance`), where
    `chance` is the document's share of the corpus's passages (1: all of them there; 0: no
    more than chance would put there).

    Where that document holds most of the corpus, where the passages would be there
    anyway, the lift tells little: it is drawn towards DOCUMENTS_PRIOR (neutral) in
    proportion to `chance`, entirely in a corpus of one document."""
    if best is None or not hits:
        return 0.0
    if chance >= 1.0:
        return DOCUMENTS_PRIOR
    share = sum(1 for h in hits if h.document.doc_id == best.document.doc_id) / len(hits)
    lift = (share - chance) / (1.0 - chance)
    return (1.0 - chance) * lift + chance * DOCUMENTS_PRIOR


def corpus_smallness(n_passages: int) -> float:
    """log(SMALL_CORPUS / passages), 0 from SMALL_CORPUS passages up. The same question
    holds less evidence in a small corpus: fewer of its words are known there, its
    passages are fewer and mostly about one subject. Bounded both ways, so that corpora
    larger or smaller than the ones fitted on are judged like the largest or smallest."""
    return max(0.0, math.log(SMALL_CORPUS / max(SMALLEST_CORPUS, n_passages)))


def gather(found: list[Evidence], weights: dict[str, float], known: dict[str, bool], names: frozenset[str],
           n_passages: int, documents: float = 0.0) -> GateEvidence | None:
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
        unknown_names=min(2, sum(1 for t in names if not known.get(t))),
        missing_names=min(3, sum(1 for t in names if t not in present)),
        explained=min(3.0, sum(held) / unit), bm25=max(0.0, min(3.0, found[0].hit.score / total)),
        documents=documents, small=corpus_smallness(n_passages), coverage=sum(held) / total)


def answers(evidence: GateEvidence | None, threshold: float = THRESHOLD) -> bool:
    return evidence is not None and evidence.score() >= threshold
