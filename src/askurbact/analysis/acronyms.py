"""Acronyms and the words they stand for.

"What does AFC stand for?" is answered by the sentence that spells it out ("the American
Football Conference (AFC) champion"), which may hold no other word of the question; its
answer type is such a spelling out: words whose first letters make the acronym, in order.
"""

from __future__ import annotations

import re

# Two to eight capitals, written alone ("AFC", "URBACT"; not "SoCal" or "vBNS").
_ACRONYM = re.compile(r"\b[A-Z]{2,8}\b")
# Words as their first letters are read: "Command/Service Module" is three, "Latter-day" two,
# "People's" one.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def acronyms(text: str) -> tuple[str, ...]:
    """The acronyms `text` writes, in order, once each; none in text written all in capitals
    ("WHAT DOES IT MEAN?"), where capitals tell nothing."""
    if not any(c.islower() for c in text):
        return ()
    return tuple(dict.fromkeys(_ACRONYM.findall(text)))


def spells_out(text: str, acronym: str, skipped: frozenset[str]) -> bool:
    """Whether `text` has words whose first letters are the letters of `acronym`, in order;
    words of `skipped` (the language's stopwords: "of", "and") may stand between them, as
    in "Organization of Arab Petroleum Exporting Countries", or spell a letter, as "of" in
    "Freedom of Information" (FOI); the first and the last letter are never a stopword's."""
    letters = acronym.lower()
    words = _WORD.findall(text)
    return any(_spelled(words, start, letters, skipped) for start, word in enumerate(words)
               if _spells(word, skipped) and word[0].lower() == letters[0])


def _spelled(words: list[str], at: int, letters: str, skipped: frozenset[str]) -> bool:
    """Whether words[at:] spell `letters` from words[at], which spells letters[0]."""
    if len(letters) == 1:
        return True
    for j in range(at + 1, len(words)):
        word = words[j]
        stop = word.lower() in skipped
        if word[0].lower() == letters[1] and not _is_acronym(word) and (not stop or len(letters) > 2) \
                and _spelled(words, j, letters[1:], skipped):
            return True
        if not stop:  # only stopwords may stand between two spelling words
            return False
    return False


def _spells(word: str, skipped: frozenset[str]) -> bool:
    # A stopword spells no first letter.
    return word.lower() not in skipped and not _is_acronym(word)


def _is_acronym(word: str) -> bool:
    # Another acronym spells no letter ("the AFC champion" spells no "AC").
    return len(word) > 1 and word.isupper()
