"""Sentences: where they start and end in a text, and a passage's sentences with the
source lines each one spans (what a citation points at)."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import repeat
from operator import add

from ..model import PIECE_SEPARATOR, Passage, Sentence

_ABBREVIATIONS = frozenset(
    "e.g i.e etc mr mrs ms dr prof st vs no nos fig cf al approx ca jr sr inc ltd co dept art vol pp p".split()
)


# A "sentence" longer than this (no sentence end for 80 words: a list, a table, text with
# no punctuation) is read as parts of at most this many words: an answer quotes sentences,
# and one of 1,000 words made a 6,700-character quote. On SQuAD, 29 of 5,065 sentences are
# longer; cutting them changed no figure of benchmarks/answers.py.
MAX_SENTENCE_WORDS = 80
_WORDS = re.compile(r"\S+")
_OTHER_SPACES = ("\n", "\t", "\xa0")

_OPENERS = "\"'\u201c\u2018(["
_CLOSERS = "\"'\u201d\u2019)]"


def _may_be_abbreviation() -> str:
    """Lookbehinds, tested right after a period, that hold when the word before the period
    may be an abbreviation or initial (_is_abbreviation then decides), so that most
    periods need no Python step: white space before the period (the word is further
    back), a one-character word, or a listed abbreviation in any case (lower() never
    changes a word's length but for "İ", which no abbreviation has), each after white
    space or an opening bracket or quote.
    """
    by_length: dict[int, list[str]] = {}
    for word in sorted(_ABBREVIATIONS):
        by_length.setdefault(len(word), []).append(re.escape(word))
    # The word starts after white space or an opening bracket or quote: "(e.g. Warsaw)".
    starts = r"(?<![^\s\"'\u201c\u2018(\[])"
    tests = [r"(?<=\s.)", rf"(?<={starts}\S.)"]
    tests += [rf"(?<={starts}(?i:{'|'.join(words)}).)" for _, words in sorted(by_length.items())]
    return "|".join(tests)


# A sentence end: end punctuation, closing quotes, white space, then (lookahead) an ASCII
# capital, digit or opener, or any non-ASCII character (`other`), which sentence_bounds
# checks. `check` is set (to "") when the word before the first mark may be an abbreviation.
# The regex scans a copy of the text where every end mark is "." (see _marks_as_periods):
# the engine finds a literal first character several times faster than a set of them.
_SENTENCE_END = re.compile(
    r"\."
    rf"(?P<check>{_may_be_abbreviation()})?"
    r"\.*[\"'\u201d\u2019)\]]*(?P<space>\s+)"
    r"(?=[A-Z0-9\"'(\[]|(?P<other>[^\x00-\x7f]))"
)


# Group numbers: faster than names.
_CHECK, _SPACE, _OTHER = (_SENTENCE_END.groupindex[name] for name in ("check", "space", "other"))


_LEADING_SPACE = re.compile(r"\s*")

# A table of contents' or an index's entry ends in a dotted leader ("....", ". . . .", "……",
# "····") and a page number. The number ends the entry, though no period follows it; and the
# leader's dots end no sentence ("1 Introduction . . . 3 2 Tram depot . . . 9": one entry a
# sentence, each with its own number). The leader is found alone, its number tried after it:
# one pattern for both backtracked quadratically over a long run of ". ".
_LEADER = re.compile(r"(?:[.\u00b7][ \t]?){4,}[.\u00b7]|\u2026{2,}")
_PAGE = re.compile(r"[ \t]*(?:\d{1,4}|(?i:[ivxlcdm]{1,7}))(?=\s|$)")
_LEADER_MARKS = ("....", ". . . .", "\u2026\u2026", "\u00b7\u00b7\u00b7", "\u00b7 \u00b7 \u00b7")


def contents_entries(text: str) -> list[tuple[int, int]]:
    """(start of its leader, end of its page number) of each table-of-contents entry in `text`."""
    if not any(map(text.__contains__, _LEADER_MARKS)):  # most texts: no step in Python
        return []
    found = []
    for leader in _LEADER.finditer(text):
        page = _PAGE.match(text, leader.end())
        if page is not None:
            found.append((leader.start(), page.end()))
    return found


def is_contents_entry(text: str) -> bool:
    """Whether a sentence is a table-of-contents entry: a heading with its page number."""
    entries = contents_entries(text)
    return bool(entries) and entries[-1][1] >= len(text.rstrip())


_LOOK_BACK = 40  # characters searched for the word before a period; longer words are rare


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, white space trimmed, text itself untouched.

    A boundary is end punctuation, then space, then a capital, digit or opening quote;
    common abbreviations and initials ("e.g.", "J. Smith") are not boundaries.
    """
    return list(zip(*sentence_bounds(text)))


def sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """`sentence_spans(text)` as two lists, the starts and the ends, for bulk use."""
    starts: list[int] = []
    ends: list[int] = []
    start = _LEADING_SPACE.match(text).end()
    entries = contents_entries(text)
    leaders = [a for a, _ in entries]
    for match in _SENTENCE_END.finditer(_marks_as_periods(text)):
        if entries:  # a leader's dots, before its page number, end no sentence
            at = bisect_right(leaders, match.start()) - 1
            if at >= 0 and match.start() < entries[at][1]:
                continue
        # Every test of a character reads `text`, not the copy the regex scanned.
        if match[_OTHER] is not None:
            nxt = text[match.end()]
            if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
                continue
        if match[_CHECK] is not None:
            dot = match.start()
            if text[dot] == "." and _is_abbreviation(_last_word(text, start, dot), text[dot + 1:dot + 2]):
                continue
        # The sentence ends where the white space starts; the next starts after it, at a
        # character that is never white space: no trimming needed.
        starts.append(start)
        ends.append(match.start(_SPACE))
        start = match.end()
    rest = len(text[start:].rstrip())
    if rest:
        starts.append(start)
        ends.append(start + rest)
    if entries:
        return _cut_after_entries(text, starts, ends, [end for _, end in entries])
    return starts, ends


def _cut_after_entries(text: str, starts: list[int], ends: list[int], cuts: list[int]) -> tuple[list[int], list[int]]:
    """The sentences cut after each table-of-contents entry's page number (`cuts`)."""
    new_starts, new_ends = [], []
    at = 0
    for a, b in zip(starts, ends):
        while at < len(cuts) and cuts[at] <= a:
            at += 1
        while at < len(cuts) and cuts[at] < b:
            new_starts.append(a), new_ends.append(cuts[at])
            a = _LEADING_SPACE.match(text, cuts[at]).end()
            at += 1
        new_starts.append(a), new_ends.append(b)
    return new_starts, new_ends


def _marks_as_periods(text: str) -> str:
    """`text` with "!", "?" and "\u2026" made ".", for _SENTENCE_END: same length, same
    matches. (The copy may show abbreviations that `text` has not, as "e!g": such a
    match gets `check` set, and _is_abbreviation, reading `text`, decides.)"""
    return text.replace("!", ".").replace("?", ".").replace("\u2026", ".")


def _last_word(text: str, start: int, end: int) -> str:
    """The last white-space separated word of text[start:end], "" if none.

    Splits only the last _LOOK_BACK characters unless the word may reach further back:
    splitting the whole sentence so far made sentence_spans quadratic in sentence length.
    """
    window = max(start, end - _LOOK_BACK)
    before = text[window:end].rsplit(None, 1)
    if window > start and len(before) < 2:
        before = text[start:end].rsplit(None, 1)
    return before[-1] if before else ""


def _is_abbreviation(word: str, after: str = "") -> bool:
    """Whether a period after `word` ends an abbreviation or an initial, not a sentence.
    `after`: the character after the period. A word in quotes or brackets whose period
    the quote or bracket closes ("\u201cNo.\u201d", "(B.)") is a whole utterance: it ends."""
    if word[:1] in _OPENERS and after in _CLOSERS:
        return False
    word = word.lower().rstrip(".").lstrip(_OPENERS)  # "(e.g." is "e.g"
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def cut_long_sentences(text: str, starts: list[int], ends: list[int], counts: list[int],
                       max_words: int = MAX_SENTENCE_WORDS) -> tuple[list[int], list[int], list[int]]:
    """The sentences (`starts`, `ends`, word `counts`), each of more than `max_words` words cut
    into parts of about equal size, at most that long. A part ends at a line break where one
    falls in its last third (a list's lines stay whole), else between words."""
    new_starts, new_ends, new_counts = [], [], []
    for a, b, n in zip(starts, ends, counts):
        if n <= max_words:
            new_starts.append(a), new_ends.append(b), new_counts.append(n)
            continue
        words = [m.span() for m in _WORDS.finditer(text, a, b)]
        size = -(-len(words) // -(-len(words) // max_words))  # ceil(words / parts), parts = ceil(words / max)
        first = 0
        while first < len(words):
            end = min(len(words), first + size)
            if end < len(words):
                end = next((i for i in range(end, first + (2 * size) // 3, -1)
                            if "\n" in text[words[i - 1][1]:words[i][0]]), end)
            new_starts.append(words[first][0]), new_ends.append(words[end - 1][1]), new_counts.append(end - first)
            first = end
    return new_starts, new_ends, new_counts


def _readable_spans(text: str) -> list[tuple[int, int]]:
    """sentence_spans(text), a sentence of more than MAX_SENTENCE_WORDS words in parts."""
    starts, ends = sentence_bounds(text)
    # This runs for every passage a question reads: words are counted only in a sentence
    # that may have too many, one with MAX_SENTENCE_WORDS or more spaces, line breaks, tabs
    # and no-break spaces (its words are at most those plus one, but for rarer white space:
    # such a sentence is read whole, as the index did before it cut them).
    spans = list(zip(starts, ends))
    if not spans:
        return spans
    gaps = list(map(text.count, repeat(" "), starts, ends))  # map: the counting runs in C
    for space in _OTHER_SPACES:  # a table's text may be tab-separated, a web page's no-break spaced
        if space in text:
            gaps = list(map(add, gaps, map(text.count, repeat(space), starts, ends)))
    if max(gaps) < MAX_SENTENCE_WORDS:
        return spans
    counts = [len(_WORDS.findall(text, a, b)) for a, b in zip(starts, ends)]
    return list(zip(*cut_long_sentences(text, starts, ends, counts)[:2]))


def passage_sentences(passage: Passage) -> list[Sentence]:
    """The sentences of a passage, each with its offsets and the source lines it spans.
    A sentence never crosses a piece boundary (a blank line between source blocks)."""
    result = []
    text, pieces = passage.text, passage.pieces
    bounds = [start for start, _ in pieces[1:]] + [len(text) + len(PIECE_SEPARATOR)]
    for (start, line), end in zip(pieces, bounds):
        piece = text[start:end - len(PIECE_SEPARATOR)]
        # Lines counted on from the last sentence's start (Passage.line_at counts from the
        # piece's start each time: this runs for every sentence of every passage read).
        at = 0
        for a, b in _readable_spans(piece):
            line += piece.count("\n", at, a)
            last = line + piece.count("\n", a, b - 1)
            result.append(Sentence(piece[a:b], line, last, start + a, start + b))
            at = a
    return result
