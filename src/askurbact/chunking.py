"""Chunking: pack a document's blocks into passages of about `target_words` words.

Passages follow the structure: a heading starts a new passage (and stays with the text
under it), blocks are merged while they fit, and a long block is cut at sentence ends,
never inside a sentence (except a "sentence" of more than `max_sentence_words`, which is
no sentence: it is cut between words). Every piece of a passage is a verbatim slice of
the source, so any span of a passage maps back to exact source lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import sentence_spans
from .loading import Block

PIECE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Sentence:
    text: str  # verbatim from the source lines first_line..last_line
    first_line: int
    last_line: int
    start: int  # offset in the passage text
    end: int


@dataclass(frozen=True)
class Passage:
    doc_id: str
    section: str  # heading path, " > " between levels; "" before the first heading
    first_line: int
    last_line: int
    text: str  # the pieces joined by a blank line
    pieces: tuple[tuple[int, int], ...]  # (offset in `text`, source line) of each piece

    def line_at(self, offset: int) -> int:
        """Source line of a character offset in `text`."""
        piece_offset, line = self.pieces[0]
        for start, start_line in self.pieces:
            if start > offset:
                break
            piece_offset, line = start, start_line
        return line + self.text.count("\n", piece_offset, offset)

    def sentences(self) -> list[Sentence]:
        result = []
        bounds = [start for start, _ in self.pieces[1:]] + [len(self.text) + len(PIECE_SEPARATOR)]
        for (start, _), end in zip(self.pieces, bounds):
            piece = self.text[start:end - len(PIECE_SEPARATOR)]
            for a, b in sentence_spans(piece):
                result.append(Sentence(piece[a:b], self.line_at(start + a), self.line_at(start + b - 1), start + a, start + b))
        return result


@dataclass(frozen=True)
class _Piece:
    text: str
    line: int
    section: tuple[str, ...]
    heading: bool
    words: int


def _word_count(text: str) -> int:
    return len(text.split())


def _split_block(block: Block, target_words: int, max_sentence_words: int) -> list[_Piece]:
    """Cut a long block into runs of whole sentences of at most `target_words` words."""
    text = block.text
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        if _word_count(text[a:b]) <= max_sentence_words:
            units.append((a, b))
            continue
        words = [m.span() for m in re.finditer(r"\S+", text[a:b])]
        for i in range(0, len(words), max_sentence_words):
            group = words[i:i + max_sentence_words]
            units.append((a + group[0][0], a + group[-1][1]))
    pieces: list[_Piece] = []
    run_start = run_end = None
    run_words = 0
    for a, b in units:
        n = _word_count(text[a:b])
        if run_start is not None and run_words + n > target_words:
            pieces.append(_piece(block, run_start, run_end, run_words))
            run_start = None
        if run_start is None:
            run_start, run_words = a, 0
        run_end = b
        run_words += n
    if run_start is not None:
        pieces.append(_piece(block, run_start, run_end, run_words))
    return pieces


def _piece(block: Block, start: int, end: int, words: int) -> _Piece:
    line = block.line + block.text.count("\n", 0, start)
    return _Piece(block.text[start:end], line, block.section, False, words)


def chunk(doc_id: str, blocks: list[Block], target_words: int = 150, max_sentence_words: int = 1000) -> list[Passage]:
    """The passages of one document, in source order."""
    pieces: list[_Piece] = []
    for block in blocks:
        n = _word_count(block.text)
        if n <= target_words or block.heading:
            pieces.append(_Piece(block.text, block.line, block.section, block.heading, n))
        else:
            pieces.extend(_split_block(block, target_words, max_sentence_words))

    passages: list[Passage] = []
    current: list[_Piece] = []
    words = 0
    for piece in pieces:
        only_headings = all(p.heading for p in current)
        starts_section = piece.heading and not only_headings
        if current and (starts_section or (not only_headings and words + piece.words > target_words)):
            passages.append(_passage(doc_id, current))
            current, words = [], 0
        current.append(piece)
        words += piece.words
    if current:
        passages.append(_passage(doc_id, current))
    return passages


def _passage(doc_id: str, pieces: list[_Piece]) -> Passage:
    offsets, parts, offset = [], [], 0
    for piece in pieces:
        offsets.append((offset, piece.line))
        parts.append(piece.text)
        offset += len(piece.text) + len(PIECE_SEPARATOR)
    body = next((p for p in pieces if not p.heading), pieces[-1])
    last = pieces[-1]
    return Passage(
        doc_id=doc_id,
        section=" > ".join(body.section),
        first_line=pieces[0].line,
        last_line=last.line + last.text.count("\n"),
        text=PIECE_SEPARATOR.join(parts),
        pieces=tuple(offsets),
    )
