"""Re-ranking the best passages by sentence evidence.

BM25 ranks passages by their terms wherever they stand; a question is mostly answered by
one sentence, or two neighbouring ones, that hold most of its terms together, in its
order, with the kind of thing it asks for (a year for "when"). The top passages
(BM25Okapi, as `topk` finds them) are ordered again by their BM25 score plus that
evidence. Each hit keeps its BM25 score; only the order changes.

The weights were fitted on SQuAD part 1 (benchmarks/answers.py) and rounded; see
docs/quality.md for what each one adds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from ..analysis import analyzer
from ..analysis.passage_terms import sentence_terms
from ..analysis.question import Question, has_answer_type
from ..index.reader import IndexReader
from ..model import Hit, Sentence

# Passages read and ordered again (BM25's best); more finds more, costs more.
DEPTH = 20
# Of those, a passage whose BM25 score is under this share of the best one is not read: it
# seldom climbs into the top k once re-ranked (SQuAD part 1, both splits: the same figures
# within 0.002 with 35% fewer passages read; docs/quality.md, tenth round).
READ_SHARE = 0.4
# What each piece of evidence adds to a passage's BM25 score as a share of the best one.
WEIGHTS = {"sentence": 0.4, "window": 1.2, "pairs": 0.45, "passage": 0.7, "title": 0.3, "answer_type": 0.4,
           "rank": 0.35, "continues": 1.0, "document": 3.0}


def term_weight(reader: IndexReader, term: str) -> float:
    """How specific a term is: an idf that stays positive in any corpus (Lucene's BM25
    idf), where BM25Okapi's is floored near 0 for terms in half the passages or more,
    and below 0 in a corpus of one or two passages."""
    n, df = reader.n_passages, reader.doc_freq(term)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class SentenceTerms:
    sentence: Sentence
    position: int
    terms: tuple[str, ...]  # in order, repeats kept
    share: float  # of the question's weight its distinct terms hold


@dataclass(frozen=True)
class Evidence:
    """A hit, its sentences, and how well they match the question (shares of its weight)."""

    hit: Hit
    sentences: tuple[SentenceTerms, ...]
    sentence: float  # the best sentence's share
    window: float  # the best two neighbouring sentences' share
    pairs: float  # the best sentence's share of the question's neighbouring term pairs
    passage: float  # the whole passage's share
    title: float  # the share in the document's title and section
    answer_type: bool  # the best sentence has what the question asks for
    continues: bool = False  # a follow-up: the passage holds a quote the previous answer showed
    document: float = 0.0  # how its document's passages match (see document_support)

    def score(self, top: float) -> float:
        """`top`: the best BM25 score of the hits read, or 0 where BM25 says nothing of
        closeness (every score at or below 0: a corpus of one to a few passages, where
        BM25Okapi's idf floors, and a passage that matches more terms scores lower)."""
        w = WEIGHTS
        return ((self.hit.score / top if top > 0 else 0.0) + w["sentence"] * self.sentence + w["window"] * self.window
                + w["pairs"] * self.pairs + w["passage"] * self.passage + w["title"] * self.title
                + w["answer_type"] * self.answer_type + w["rank"] / self.hit.rank + w["continues"] * self.continues
                + w["document"] * self.document)


def pairs_of(terms: list[str] | tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """A question's neighbouring term pairs, looked for in sentences (see pairs_held)."""
    return frozenset((a, b) for a, b in zip(terms, terms[1:]) if a != b)


def pairs_held(terms: tuple[str, ...] | list[str], question_pairs: frozenset[tuple[str, str]]) -> int:
    """How many of the question's pairs stand in `terms` as neighbours, or with one term
    between them. Only the question's own terms are looked at: a sentence is mostly
    other words."""
    if not question_pairs:
        return 0
    wanted = {t for pair in question_pairs for t in pair}
    at = [(i, t) for i, t in enumerate(terms) if t in wanted]
    held = set()
    for j, (i, a) in enumerate(at):
        for i2, b in at[j + 1:j + 3]:
            if i2 - i > 2:
                break
            if (a, b) in question_pairs:
                held.add((a, b))
    return len(held)


@lru_cache(maxsize=4096)
def subject_terms(lang: str, title: str, section: str) -> frozenset[str]:
    """The terms of a document's title and section: they name the subject of all its sentences."""
    return frozenset(analyzer(lang).terms(f"{title} {section}"))


def evidence(hit: Hit, weights: dict[str, float], question: Question | None = None,
             question_pairs: frozenset[tuple[str, str]] = frozenset()) -> Evidence:
    total = sum(weights.values()) or 1.0
    asked = weights.keys()
    rows, held = [], []  # held: the question's terms in each sentence
    for i, (s, terms, term_set) in enumerate(sentence_terms(hit.passage, hit.document.lang)):
        here = asked & term_set
        held.append(here)
        rows.append(SentenceTerms(s, i, terms, sum(weights[t] for t in here) / total))
    if not rows:
        return Evidence(hit, (), 0.0, 0.0, 0.0, 0.0, 0.0, False)
    best = max(rows, key=lambda r: r.share)
    window = best.share
    for a, b in zip(held, held[1:]):
        if a and b:
            window = max(window, sum(weights[t] for t in a | b) / total)
    pairs = 0.0
    if question_pairs:
        # A pair needs two of the question's terms in the sentence.
        pairs = max((pairs_held(r.terms, question_pairs) for r, h in zip(rows, held) if len(h) > 1),
                    default=0) / len(question_pairs)
    everything = set().union(*held)
    title = subject_terms(hit.document.lang, hit.document.title, hit.passage.section)
    typed = question is not None and has_answer_type(best.sentence.text, question.answer_type, question)
    return Evidence(hit, tuple(rows), best.share, window, pairs, sum(weights[t] for t in everything) / total,
                    sum(w for t, w in weights.items() if t in title) / total, typed)


def rerank(hits: list[Hit], weights: dict[str, float], k: int, question: Question | None = None,
           own_terms: list[str] | tuple[str, ...] = (), shown: frozenset[tuple[str, str]] = frozenset(),
           read_all: bool = False) -> list[Evidence]:
    """The k best of `hits` by BM25 and sentence evidence together, ranks renumbered.
    `shown`: (path, quote with single spaces) of the quotes a follow-up's previous answer showed.
    `read_all`: read every hit, not only those `worth_reading`: for a follow-up (BM25 weighs
    its carried terms like its own, and the more it asks for may be in passages that match
    them little) and for hits fused with passage vectors (those found by meaning alone have
    no BM25 score)."""
    if not hits:
        return []
    if not read_all:
        hits = worth_reading(hits, k)
    question_pairs = pairs_of(own_terms)
    found = [evidence(h, weights, question, question_pairs) for h in hits]
    if shown:
        found = [replace(e, continues=any(path == e.hit.document.path and quote in " ".join(e.hit.passage.text.split())
                                          for path, quote in shown)) for e in found]
    top = max(max(h.score for h in hits), 0.0)
    alone = [e.score(top) for e in found]
    support = document_support(found, alone)
    # `document` is the last term of Evidence.score, so adding it to the score without it
    # gives score(top) with it set, to the bit; only the k kept are made anew.
    scores = [score + WEIGHTS["document"] * d for score, d in zip(alone, support)]
    kept = sorted(range(len(found)), key=lambda i: (-scores[i], found[i].hit.rank))[:k]
    return [replace(found[i], document=support[i], hit=replace(found[i].hit, rank=rank))
            for rank, i in enumerate(kept, 1)]


def worth_reading(hits: list[Hit], k: int) -> list[Hit]:
    """The first k of `hits` (BM25's order) and the others whose score is at least READ_SHARE
    of the best. Scores at or below 0 (a corpus of one or two passages, where BM25Okapi's idf
    floors) say nothing of closeness: then all are read."""
    top = max((h.score for h in hits), default=0.0)
    if top <= 0:
        return hits
    floor = READ_SHARE * top
    return [h for i, h in enumerate(hits) if i < k or h.score >= floor]


def document_support(found: list[Evidence], alone: list[float]) -> list[float]:
    """Each passage's `document` evidence: the scores (`alone`: without it) of the passages
    read from its document (its own too), summed, as a share of the best score times the
    passages read. A question is mostly about one subject, and the document about it tends
    to match it in several passages: of two passages that match alike, the one whose
    document matches elsewhere too is the likelier answer (on SQuAD: hit@3 +0.002 to +0.006
    and answer-hit +0.002 to +0.003 on each of six seed and corpus choices; docs/quality.md).
    In a corpus of one document every passage gains alike: the order is left as it was."""
    best = max(alone, default=0.0)
    if best <= 0:
        return [0.0] * len(found)
    per_document: dict[str, float] = {}
    for e, s in zip(found, alone):
        per_document[e.hit.document.doc_id] = per_document.get(e.hit.document.doc_id, 0.0) + s
    scale = best * len(found)
    return [per_document[e.hit.document.doc_id] / scale for e in found]
