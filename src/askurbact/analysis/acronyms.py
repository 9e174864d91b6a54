"""Acronyms and the words they stand for.

"What does AFC stand for?" is answered by the sentence that spells it out ("the American
Football Conference (AFC) champion"), which may hold no other word of the question; its
answer type is such a spelling out: words whose first letters make the acronym, in order.
"""

from __future__ import annotations

import re

# Two to eight capitals, written alone ("AFC", "URBACT"; not "SoCal" or "vBNS").
_ACRONYM = re.compile(r"\b[A-Z]{2,8}\b")
# Words as their first letters are read: "Command/Service Module" is three, "Latter-day" two.
_WORD = re.compile(r"[^\W\d_]+")


def acronyms(text: str) -> tuple[str, ...]:
    """The acronyms `text` writes, in order, once each; none in text written all in capitals
    ("WHAT DOES IT MEAN?"), where capitals tell nothing."""
    if not any(c.islower() for c in text):
        return ()
    return tuple(dict.fromkeys(_ACRONYM.findall(text)))


def spells_out(text: str, acronym: str, skipped: frozenset[str]) -> bool:
    """Whether `text` has words whose first letters are the letters of `acronym`, in order;
    words of `skipped` (the language's stopwords: "of", "and") may stand between them, as
    in "Organization of Arab Petroleum Exporting Countries", but never spell a letter."""
    letters = acronym.lower()
    words = _WORD.findall(text)
    for start, first in enumerate(words):
        if first[0].lower() != letters[0] or not _spells(first, skipped):
            continue
        k, j = 1, start + 1
        while k < len(letters) and j < len(words):
            word = words[j]
            if word.lower() in skipped:
                j += 1
            elif word[0].lower() == letters[k] and _spells(word, skipped):
                k, j = k + 1, j + 1
            else:
                break
        if k == len(letters):
            return True
    return False


def _spells(word: str, skipped: frozenset[str]) -> bool:
    # Another acronym ("AFC champion") or a stopword spells no letter.
    return word.lower() not in skipped and not (len(word) > 1 and word.isupper())
