"""Compound words: a question's compound that the corpus never uses is searched as its parts.

German, Dutch and the Nordic languages write compounds as one word: a question about
"Bürgerbeteiligung" finds nothing in a report that writes "Beteiligung der Bürger", or that
has "Bürgerhaushalt" and "Beteiligung" but not that compound. As Lucene's dictionary
compound filter does, an unknown term is split where both sides are terms of the corpus
(the index's vocabulary is the dictionary, so nothing is shipped or guessed): the
question's word is cut, and each part stemmed as a word on its own, the first with a linking
element dropped ("Arbeitsmarkt": "Arbeit", "Markt"). Of the splits with the fewest parts,
the one whose parts are in most passages wins (their geometric mean, as Koehn and Knight's
frequency-based splitting); a tail the corpus does not know may be split again, into three
parts at most.

Only unknown terms are split, and only where the typo tolerance (fuzzy.py) found no close
term: a compound the corpus writes whole is searched whole. Names are not split: "Freiburg"
is no "frei" and "burg", and a city the corpus lacks stays a name it lacks.
"""

from __future__ import annotations

import math
from collections.abc import Callable

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
# Longer words are not split: each cut stems its parts, and no compound is this long.
MAX_WORD = 64


def _term(lang: str, word: str) -> str | None:
    """The corpus's stem of a compound's part written as a word, or None."""
    terms = analyzer(lang).terms(word)
    return terms[0] if len(terms) == 1 else None


def split(reader: IndexReader, word: str, lang: str, parts: int = MAX_PARTS,
          memo: dict | None = None) -> tuple[str, ...] | None:
    """The parts, as corpus terms, of a compound `word` (as the question writes it, in lower
    case); None when no split has every part in the corpus. The word is split, not its stem:
    Snowball cuts a long word harder than a short one ("Stadtzeitung" stems to "stadtzeit",
    "Zeitung" to "zeitung"), so the end of a compound's stem is often no stem of its last word."""
    if parts < 2 or not MIN_PART * 2 <= len(word) <= MAX_WORD or not word.isalpha():
        return None
    memo = {} if memo is None else memo  # a tail is tried from every cut before it
    if (word, parts) in memo:
        return memo[word, parts]
    best: tuple[tuple[int, float], tuple[str, ...]] | None = None
    for at in range(MIN_PART, len(word) - MIN_PART + 1):
        last = _term(lang, word[at:])
        known = last is not None and reader.doc_freq(last) > 0
        tails = (last,) if known else split(reader, word[at:], lang, parts - 1, memo)
        if not tails:
            continue
        for link in LINKS:
            head_word = word[:at - len(link)] if link else word[:at]
            if not word[:at].endswith(link) or len(head_word) < MIN_PART:
                continue
            head = _term(lang, head_word)
            if head is None or reader.doc_freq(head) == 0:
                continue
            found = (head, *tails)
            # Fewer parts first ("Erbe" inside "Bürgerbeteiligung" is chance), then commoner.
            score = (-len(found), sum(math.log(reader.doc_freq(t)) for t in found) / len(found))
            if best is None or score > best[0]:
                best = (score, found)
            break  # the longest link that makes a known head
    memo[word, parts] = best[1] if best else None
    return memo[word, parts]


def splits(reader: IndexReader, terms: list[str] | tuple[str, ...], lang: str,
           word_of: Callable[[str], str | None], keep: frozenset[str] = frozenset()) -> list[Correction]:
    """Each unknown term of `terms` (not among those to `keep` whole: corrected already, or
    names) whose word (`word_of`) splits into corpus terms, as corrections that replace it
    by its parts, in order."""
    if lang not in COMPOUNDING:
        return []
    found = []
    for term in dict.fromkeys(terms):
        if term in keep or reader.doc_freq(term) > 0:
            continue
        for part in split(reader, word_of(term) or term, lang) or ():
            found.append(Correction(term, part, True, part=True))
    return found
