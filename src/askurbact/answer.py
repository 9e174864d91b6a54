"""Answers: the sentences of the best passages that best answer the question, each cited.

Extractive only: every sentence shown is quoted from a source file, and each citation
gives the exact place (document, section, path, lines) where its quote stands verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import analyzer
from .chunking import Sentence
from .index import IndexReader
from .search import Hit

NOTHING_FOUND = "I found nothing relevant to this question in the documents."
# Length normalisation for sentences is weaker than for passages: a short sentence is not
# more relevant for being short, and answers need sentences that say something.
SENTENCE_B = 0.3
# A further sentence must score at least this share of the best one: weak matches add noise.
MIN_SENTENCE_SHARE = 0.5


def place(path: str, lines: tuple[int, int] | list[int]) -> str:
    """`path:first-last` (or `path:line`), the way every front end shows a source."""
    first, last = lines
    return f"{path}:{first}" + (f"-{last}" if last != first else "")


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    section: str
    path: str
    lines: tuple[int, int]
    quote: str  # verbatim from the source lines
    rank: int  # rank of the passage it comes from

    @property
    def where(self) -> str:
        return place(self.path, self.lines)

    def to_json(self) -> dict:
        return {"n": self.n, "doc_id": self.doc_id, "title": self.title, "section": self.section,
                "path": self.path, "lines": list(self.lines), "quote": self.quote}


@dataclass(frozen=True)
class Answer:
    question: str
    query: str  # the terms searched, after analysis and follow-up context
    found: bool
    text: str  # sentences with [n] markers, or NOTHING_FOUND
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    terms: tuple[str, ...]  # the question's own terms (without carried context)

    def to_json(self) -> dict:
        return {
            "question": self.question, "query": self.query, "found": self.found, "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "passages": [{"rank": h.rank, "score": round(h.score, 6), "doc_id": h.document.doc_id,
                          "title": h.document.title, "section": h.passage.section, "path": h.document.path,
                          "lines": [h.passage.first_line, h.passage.last_line], "text": h.passage.text}
                         for h in self.hits],
        }


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
        for position, sentence in enumerate(hit.passage.sentences()):
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
        score = sum(idf[t] * counts[t] * (k1 + 1) / (counts[t] + k1 * (1 - b + b * length / avg_len))
                    for t in idf if counts.get(t))
        if score > 0:
            # A sentence from a stronger passage wins a near tie.
            candidates.append(_Candidate(hit, sentence, position, score * (0.75 + 0.25 * hit.score / best_hit)))
    return candidates


def compose(question: str, terms: list[str], search_terms: list[str], hits: list[Hit],
            reader: IndexReader, max_sentences: int, min_coverage: float, k1: float = 1.2) -> Answer:
    """Build the answer from ranked hits. `terms`: the question's own; `search_terms`: with context."""
    query = " ".join(search_terms)
    own = terms or search_terms
    if not hits or coverage(reader, own, hits) < min_coverage:
        return Answer(question, query, False, NOTHING_FOUND, (), (), tuple(terms))
    candidates = sorted(_sentence_scores(reader, search_terms, hits, k1, SENTENCE_B), key=lambda c: -c.score)
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
        return Answer(question, query, False, NOTHING_FOUND, (), (), tuple(terms))

    # Sentences that stand next to each other in one passage piece share one citation.
    groups: list[list[_Candidate]] = []
    for cand in chosen:
        for group in groups:
            last = group[-1]
            if (last.hit.index == cand.hit.index and abs(last.position - cand.position) == 1
                    and "\n\n" not in cand.hit.passage.text[min(last.sentence.end, cand.sentence.end):
                                                            max(last.sentence.start, cand.sentence.start)]):
                group.append(cand)
                group.sort(key=lambda c: c.position)
                break
        else:
            groups.append([cand])

    citations, parts = [], []
    for n, group in enumerate(groups, 1):
        first, last = group[0], group[-1]
        passage = first.hit.passage
        quote = passage.text[first.sentence.start:last.sentence.end]
        citations.append(Citation(n, first.hit.document.doc_id, first.hit.document.title, passage.section,
                                  first.hit.document.path, (first.sentence.first_line, last.sentence.last_line),
                                  quote, first.hit.rank))
        parts.append(f"{' '.join(quote.split())} [{n}]")
    return Answer(question, query, True, "\n\n".join(parts), tuple(citations), tuple(hits), tuple(terms))
