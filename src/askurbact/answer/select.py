"""Answer selection: the sentences of the best passages that best answer the question, each cited.

Extractive only: every sentence shown is quoted from a source file, and each citation
gives the exact place (document, section, path, lines) where its quote stands verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import analyzer, passage_sentences
from ..index import bm25
from ..index.reader import IndexReader
from ..model import Hit, Sentence
from .cite import cite
from .model import NOTHING_FOUND, Answer

# Length normalisation for sentences is weaker than for passages: a short sentence is not
# more relevant for being short, and answers need sentences that say something.
SENTENCE_B = 0.3
# A further sentence must score at least this share of the best one: weak matches add noise.
MIN_SENTENCE_SHARE = 0.5


@dataclass
class _Candidate:
    hit: Hit
    sentence: Sentence
    position: int  # index of the sentence in its passage
    score: float


def coverage(reader: IndexReader, terms: list[str], hits: list[Hit]) -> float:
    """Largest share of the terms' idf weight that one passage contains (0..1)."""
    wanted = dict.fromkeys(terms)
    if not wanted or not hits:
        return 0.0
    weight = {t: max(reader.idf_of(t), 0.0) for t in wanted}
    total = sum(weight.values())
    if total <= 0:
        return 1.0  # only terms in nearly every passage: nothing to tell relevant from not
    best = 0.0
    for hit in hits:
        present = set(analyzer(hit.document.lang).terms(hit.passage.text))
        best = max(best, sum(w for t, w in weight.items() if t in present) / total)
    return best


def _sentence_scores(reader: IndexReader, terms: list[str], hits: list[Hit], k1: float, b: float) -> list[_Candidate]:
    idf = {t: max(reader.idf_of(t), 0.0) for t in dict.fromkeys(terms)}
    rows = []
    for hit in hits:
        headings = {hit.document.title, *hit.passage.section.split(" > ")}
        for position, sentence in enumerate(passage_sentences(hit.passage)):
            if sentence.text.strip() in headings:
                continue
            rows.append((hit, sentence, position, analyzer(hit.document.lang).counts(sentence.text)))
    if not rows:
        return []
    avg_len = sum(sum(c.values()) for *_, c in rows) / len(rows) or 1.0
    best_hit = max(h.score for h in hits) or 1.0
    candidates = []
    for hit, sentence, position, counts in rows:
        length = sum(counts.values())
        norm = k1 * (1 - b + b * length / avg_len)
        score = sum(bm25.term_score(idf[t], counts[t], norm, k1) for t in idf if counts.get(t))
        if score > 0:
            # A sentence from a stronger passage wins a near tie.
            candidates.append(_Candidate(hit, sentence, position, score * (0.75 + 0.25 * hit.score / best_hit)))
    return candidates


def compose(question: str, own_terms: list[str], searched: list[str], hits: list[Hit], reader: IndexReader,
            max_sentences: int, min_coverage: float, k1: float) -> Answer:
    """The answer from ranked hits. `own_terms`: the question's own terms; `searched`: the
    terms searched (with a follow-up's carried context)."""
    query = " ".join(searched)
    nothing = Answer(question, query, False, NOTHING_FOUND, (), (), tuple(own_terms))
    if not hits or coverage(reader, own_terms or searched, hits) < min_coverage:
        return nothing
    candidates = sorted(_sentence_scores(reader, searched, hits, k1, SENTENCE_B), key=lambda c: -c.score)
    chosen: list[_Candidate] = []
    seen_text: set[str] = set()
    for cand in candidates:
        if len(chosen) == max_sentences or cand.score < MIN_SENTENCE_SHARE * candidates[0].score:
            break
        key = " ".join(cand.sentence.text.split()).casefold()
        if key not in seen_text:
            seen_text.add(key)
            chosen.append(cand)
    if not chosen:
        return nothing
    citations, text = cite([(c.hit, c.sentence, c.position) for c in chosen])
    return Answer(question, query, True, text, citations, tuple(hits), tuple(own_terms))
