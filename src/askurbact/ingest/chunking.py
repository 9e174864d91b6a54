"""Chunking: pack a document's blocks into passages of about `target_words` words.

Passages follow the structure: a heading starts a new passage (and stays with the text
under it), blocks are merged while they fit, and a long block is cut at sentence ends,
never inside a sentence (except a "sentence" of more than `max_sentence_words`, which is
no sentence: it is cut in parts, as the answers read it, see analysis/sentences.py).
Every piece of a passage is a verbatim slice of the source, so any span of a passage maps back to exact source lines.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, repeat
from typing import NamedTuple

from ..analysis import sentence_bounds
from ..analysis.sentences import MAX_SENTENCE_WORDS, cut_long_sentences
from ..model import PIECE_SEPARATOR, SECTION_SEPARATOR, Block, Passage


class _Piece(NamedTuple):
    text: str
    line: int
    section: tuple[str, ...]
    heading: bool
    words: int
    page: int | None


def _word_count(text: str) -> int:
    return len(text.split())


def _spaced(text: str) -> str | None:
    """`text` with its line breaks made spaces, if then every two words of it are
    separated by exactly one " " and it is trimmed and non-empty; else None.

    Then `spaced.count(" ", a, b) + 1` is the number of words of any trimmed, non-empty
    span of `text`: counted in C, without building the list of words as str.split does.
    """
    spaced = text.replace("\n", " ") if "\n" in text else text
    if not spaced or spaced[0] == " " or spaced[-1] == " " or "  " in spaced:
        return None
    if spaced.isascii():
        if any(map(spaced.__contains__, _ASCII_SPACE)):  # faster than isprintable()
            return None
    elif not spaced.isprintable():  # every white space character but " " is non-printable
        return None
    return spaced


_ASCII_SPACE = "".join(c for c in map(chr, range(128)) if c.isspace() and c != " ")


def _split_block(block: Block, target_words: int, max_sentence_words: int, spaced: str | None) -> list[_Piece]:
    """Cut a long block into runs of whole sentences of at most `target_words` words.
    `spaced` is `_spaced(block.text)`."""
    text = block.text
    starts, ends = sentence_bounds(text)
    # Word counts of all sentences, computed in C (map) rather than a loop per sentence.
    if spaced is not None:  # spaced.count(" ", a, b) + 1
        counts = list(map((1).__add__, map(spaced.count, repeat(" "), starts, ends)))
    else:
        counts = list(map(len, map(str.split, map(text.__getitem__, map(slice, starts, ends)))))
    if counts and max(counts) > max_sentence_words:
        starts, ends, counts = cut_long_sentences(text, starts, ends, counts, max_sentence_words)
    return [_piece(block, starts[i], ends[k - 1], words) for i, k, words in _runs(counts, target_words)]


def _runs(counts: list[int], target_words: int) -> list[tuple[int, int, int]]:
    """(first, end, words) of each run of units, greedily packed: a run takes its first unit
    and then each next unit while the run stays within `target_words` words.

    One step per run, not per unit: the end of a run is found by bisecting the running
    totals of words (non-decreasing, as counts are not negative).
    """
    totals = [0, *accumulate(counts)]
    runs = []
    first = 0
    while first < len(counts):
        # Units first..end-1 are the most that stay within the target; at least one.
        end = max(bisect_right(totals, totals[first] + target_words) - 1, first + 1)
        runs.append((first, end, totals[end] - totals[first]))
        first = end
    return runs


def _piece(block: Block, start: int, end: int, words: int) -> _Piece:
    text = block.text
    line = block.line + (text.count("\n", 0, start) if "\n" in text else 0)  # `in` is faster
    return _Piece(text[start:end], line, block.section, False, words, block.page)


def chunk(doc_id: str, blocks: list[Block], target_words: int = 150,
          max_sentence_words: int = MAX_SENTENCE_WORDS) -> list[Passage]:
    """The passages of one document, in source order."""
    pieces: list[_Piece] = []
    for block in blocks:
        text = block.text
        spaced = _spaced(text)
        if spaced is not None:
            n = spaced.count(" ") + 1
        else:
            # At most target_words + 1 words are split off: enough to tell a long block.
            n = len(text.split(None, target_words))
            if n > target_words and block.heading:  # a long heading keeps its full count
                n = _word_count(text)
        if n <= target_words or block.heading:
            pieces.append(_Piece(text, block.line, block.section, block.heading, n, block.page))
        else:
            pieces.extend(_split_block(block, target_words, max_sentence_words, spaced))

    passages: list[Passage] = []
    current: list[_Piece] = []
    words = 0
    only_headings = True  # all(p.heading for p in current)
    for piece in pieces:
        # A passage never spans pages: a citation names one page.
        starts_section = (piece.heading and not only_headings) or (current and piece.page != current[-1].page)
        if current and (starts_section or (not only_headings and words + piece.words > target_words)):
            passages.append(_passage(doc_id, current))
            current, words, only_headings = [], 0, True
        current.append(piece)
        words += piece.words
        only_headings = only_headings and piece.heading
    if current:
        passages.append(_passage(doc_id, current))
    return passages


def _passage(doc_id: str, pieces: list[_Piece]) -> Passage:
    last = pieces[-1]
    last_line = last.line + (last.text.count("\n") if "\n" in last.text else 0)  # `in` is faster
    if len(pieces) == 1:  # the common case, made short
        return Passage(doc_id, SECTION_SEPARATOR.join(last.section), last.line, last_line, last.text,
                       ((0, last.line),), last.page)
    offsets, parts, offset = [], [], 0
    for piece in pieces:
        offsets.append((offset, piece.line))
        parts.append(piece.text)
        offset += len(piece.text) + len(PIECE_SEPARATOR)
    body = next((p for p in pieces if not p.heading), last)
    return Passage(
        doc_id=doc_id,
        section=SECTION_SEPARATOR.join(body.section),
        first_line=pieces[0].line,
        last_line=last_line,
        text=PIECE_SEPARATOR.join(parts),
        pieces=tuple(offsets),
        page=last.page,
    )
