"""A passage's sentences with their index terms: what re-ranking and the choice of answer
sentences read of each passage a question reads.

Memoised: splitting and stemming the dozen passages a question reads was a third of its
time (benchmarks/answers.py, profiled), and the questions of one chat come back to the
same passages (a follow-up reads its subject's passages again). The key is the passage's
content and language, not its place in an index, so an index rebuilt under a running chat
can never be answered from a stale entry."""

from __future__ import annotations

from functools import lru_cache

from ..model import Passage, Sentence
from .analyze import analyzer
from .sentences import passage_sentences

# Passages kept: about 10 KB each (sentences, terms), so at most some 20 MB; a question reads
# 20 at most, so this holds the passages of the last hundred questions or more.
CACHED_PASSAGES = 2048


@lru_cache(maxsize=CACHED_PASSAGES)
def sentence_terms(passage: Passage, lang: str) -> tuple[tuple[Sentence, tuple[str, ...], frozenset[str]], ...]:
    """(sentence, its terms in order, the same as a set) for each sentence of `passage`,
    its terms as `analyzer(lang)` makes index terms."""
    sentences = passage_sentences(passage)
    terms_of = analyzer(lang).span_terms(passage.text, [(s.start, s.end) for s in sentences])
    return tuple((s, tuple(terms), frozenset(terms)) for s, terms in zip(sentences, terms_of))
