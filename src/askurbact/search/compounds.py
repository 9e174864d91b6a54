"""Compound words: a question's compound that the corpus never uses is searched as its parts.

German, Dutch and the Nordic languages write compounds as one word: a question about
"Bürgerbeteiligung" finds nothing in a report that writes "Beteiligung der Bürger", or that
has "Bürgerhaushalt" and "Beteiligung" but not that compound. As Lucene's dictionary
compound filter does, an unknown term is split where both sides are terms of the corpus
(the index's vocabulary is the dictionary, so nothing is shipped or guessed): the head as
a word stemmed on its own, with a linking element dropped ("Stadtteilzentrum" /
"Stadtteils", "Arbeitsmarkt" / "Arbeit"), the tail as the compound's stem ends (stemming
only changes word endings, so "bürgerbeteilig" ends as "beteiligung" stems). Of the splits,
the one whose parts are in most passages wins (their geometric mean, as Koehn and Knight's
frequency-based splitting) among those of fewest parts; a tail the corpus does not know may be split again, into three
parts at most.

Only unknown terms are split, and only where the typo tolerance (fuzzy.py) found no close
term: a compound the corpus writes whole is searched whole.
"""

from __future__ import annotations

import math

from ..analysis import analyzer
from ..index.reader import IndexReader
from .fuzzy import Correction

# The languages whose compounds are written as one word (ISO codes, as analysis.languages).
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no"})
# The shortest part: "amt", "rat" would split many words by chance.
MIN_PART = 4
# Linking elements between a compound's parts ("Arbeit-s-markt", "Kinder-garten",
# "stad-s-deel"), tried longest first; none is tried too.
LINKS = ("es", "en", "er", "s", "n", "e", "")
MAX_PARTS = 3


def _head_term(lang: str, head: str) -> str | None:
    """The corpus's stem of a compound's first part written as a word, or None."""
    terms = analyzer(lang).terms(head)
    return terms[0] if len(terms) == 1 else None


def split(reader: IndexReader, term: str, lang: str, parts: int = MAX_PARTS) -> tuple[str, ...] | None:
    """The parts, as corpus terms, of an unknown compound term; None when no split has
    every part in the corpus."""
    if parts < 2 or len(term) < 2 * MIN_PART or not term.isalpha():
        return None
    best: tuple[tuple[int, float], tuple[str, ...]] | None = None
    for at in range(MIN_PART, len(term) - MIN_PART + 1):
        tail = term[at:]
        tails = (tail,) if reader.doc_freq(tail) > 0 else split(reader, tail, lang, parts - 1)
        if not tails:
            continue
        for link in LINKS:
            word = term[:at - len(link)] if link else term[:at]
            if not term[:at].endswith(link) or len(word) < MIN_PART:
                continue
            head = _head_term(lang, word)
            if head is None or reader.doc_freq(head) == 0:
                continue
            found = (head, *tails)
            # Fewer parts first ("Erbe" inside "Bürgerbeteiligung" is chance), then commoner.
            score = (-len(found), sum(math.log(reader.doc_freq(t)) for t in found) / len(found))
            if best is None or score > best[0]:
                best = (score, found)
            break  # the longest link that makes a known head
    return best[1] if best else None


def splits(reader: IndexReader, terms: list[str] | tuple[str, ...], lang: str,
           corrected: frozenset[str] = frozenset()) -> list[Correction]:
    """Each unknown term of `terms` (not among those `corrected` already) that splits into
    corpus terms, as corrections that replace it by its parts, in order."""
    if lang not in COMPOUNDING:
        return []
    found = []
    for term in dict.fromkeys(terms):
        if term in corrected or reader.doc_freq(term) > 0:
            continue
        for part in split(reader, term, lang) or ():
            found.append(Correction(term, part, True))
    return found
