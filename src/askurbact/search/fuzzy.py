"""Typos and word forms: a question term the corpus does not know, or barely knows, is
matched to close terms of the index's vocabulary ("farmaci" -> "pharmaci", "kavalla" ->
"kavala", "plateaus" -> "plateau"), as Lucene's fuzzy query and SymSpell do.

Edit distance (optimal string alignment: a swap of two letters is one edit) between
stems, with RapidFuzz over the vocabulary terms of a near length; the closest wins,
then the one in most passages. Short words are left alone (one edit turns "tribe" into
"bribe"), a correction keeps the first letter, and two edits count only where they are
one sound ("farmacy" / "pharmacy", "kavalla" / "kavala"). A term the corpus knows well is
never replaced, and a rare one only gains a correction much more common than itself.
Nothing is precomputed in the index: the vocabulary is its own memory-mapped array; the
terms of one length are read from it when a term first needs them, then kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index.reader import IndexReader

# A term in at most this many passages may be a typo of a commoner one, one edit away,
# in this many times as many passages.
RARE_DF = 1
RARE_GAIN = 50
# Shortest term corrected, and the one from which two edits are allowed.
MIN_LENGTH, TWO_EDITS_FROM = 6, 7
# Spellings of one sound: two edits between words that agree once these are made one.
_SOUNDS = (("ph", "f"), ("y", "i"), ("k", "c"), ("w", "v"))


@dataclass(frozen=True)
class Correction:
    term: str  # as the question has it
    to: str  # the vocabulary term searched for it
    replaces: bool  # True: the term is unknown, and gone from the search
    part: bool = False  # `to` is one part of a compound (search/compounds.py), one correction a part


Fixes = dict[str, tuple[str, ...]]  # a question's term -> the terms searched for it


def by_term(fixes: list[Correction]) -> Fixes:
    """Each corrected term with the terms searched for it: its correction, or a compound's parts."""
    found: Fixes = {}
    for fix in fixes:
        found[fix.term] = (*found.get(fix.term, ()), fix.to)
    return found


def sound_key(term: str) -> str:
    """A term with its spellings of one sound made one and doubled letters single."""
    for spelling, sound in _SOUNDS:
        term = term.replace(spelling, sound)
    return "".join(c for i, c in enumerate(term) if i == 0 or c != term[i - 1])


def _max_edits(term: str) -> int:
    if len(term) < MIN_LENGTH or not term.isalpha():  # numbers and codes are not typos
        return 0
    return 2 if len(term) >= TWO_EDITS_FROM else 1


class Vocabulary:
    """The index's terms with their lengths, for fuzzy look-ups (one per reader)."""

    def __init__(self, reader: IndexReader):
        self.reader = reader
        vocab = reader.vocab
        width = vocab.dtype.itemsize
        raw = np.frombuffer(vocab.tobytes(), np.uint8).reshape(len(vocab), width) if len(vocab) else \
            np.zeros((0, width), np.uint8)
        self.lengths = (raw != 0).sum(axis=1)
        # Per length in bytes: (term ids, the terms as bytes), made on first need. Listing
        # them from the array was most of the time of a look-up.
        self._of_length: dict[int, tuple[np.ndarray, list[bytes]]] = {}

    def _terms_of_length(self, length: int) -> tuple[np.ndarray, list[bytes]]:
        group = self._of_length.get(length)
        if group is None:
            ids = np.flatnonzero(self.lengths == length)
            group = self._of_length.setdefault(length, (ids, self.reader.vocab[ids].tolist()))
        return group

    def closest(self, term: str, max_edits: int, min_df: int) -> str | None:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        key = term.encode("utf-8")
        found = []
        for length in range(max(1, len(key) - max_edits), len(key) + max_edits + 1):
            ids, choices = self._terms_of_length(length)
            found += [(choice, distance, int(ids[at])) for choice, distance, at in
                      process.extract(key, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=None)]
        best = None
        sound = sound_key(term)
        for choice, distance, tid in found:
            df = int(self.reader.df[tid])
            if df < min_df or choice == key:
                continue
            text = choice.decode("utf-8")
            if distance > 1 and OSA.distance(sound, sound_key(text)) > 1:
                continue  # two edits that are two sounds: another word, not a typo
            if text[:1] != term[:1] and sound_key(text)[:1] != sound[:1]:
                continue
            rank = (distance, -df, choice)
            if best is None or rank < best[0]:
                best = (rank, text)
        return best[1] if best else None


def corrections(reader: IndexReader, terms: list[str] | tuple[str, ...], vocabulary: Vocabulary | None = None
                ) -> list[Correction]:
    """Corrections for the unknown and rare terms among `terms`, in their order."""
    found = []
    for term in dict.fromkeys(terms):
        edits = _max_edits(term)
        if not edits:
            continue
        df = reader.doc_freq(term)
        if df > RARE_DF:
            continue
        vocabulary = vocabulary or Vocabulary(reader)
        to = vocabulary.closest(term, edits if df == 0 else 1, max(1, RARE_GAIN * df))
        if to is not None:
            found.append(Correction(term, to, df == 0))
    return found


def corrected(terms: list[str] | tuple[str, ...], fixes: list[Correction]) -> list[str]:
    """`terms` with each correction in place (an unknown term) or beside (a rare one); a
    compound split into its parts has one correction for each part."""
    replaced = {fix.term for fix in fixes if fix.replaces}
    searched = by_term(fixes)
    result = []
    for term in terms:
        if term not in replaced:
            result.append(term)
        result.extend(searched.get(term, ()))
    return result
