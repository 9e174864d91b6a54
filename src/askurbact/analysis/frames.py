"""The words that only frame a question ("tell me about", "what happened in", "how many"):
where they stand in it. The frames of each language are in question_words."""

from __future__ import annotations

from functools import cache

from .normalize import fold
from .question_words import LANGUAGES, NONE

_Slots = tuple[tuple[frozenset[str], bool], ...]  # each word slot's (alternatives, optional)
_Frame = tuple[bool, _Slots]  # (only at the start, slots)


@cache
def _frame_patterns(lang: str) -> tuple[_Frame, ...]:
    """Each frame of the language, the longest first."""
    patterns = []
    for frame in LANGUAGES.get(lang, NONE).frames:
        slots = []
        for slot in frame.lstrip("^").split():
            optional = slot.endswith("?")
            slots.append((frozenset(fold(slot.rstrip("?")).split("|")), optional))
        patterns.append((frame.startswith("^"), tuple(slots)))
    return tuple(sorted(patterns, key=lambda p: len(p[1]), reverse=True))


@cache
def _patterns_by_first_word(lang: str) -> tuple[dict[str, tuple[_Frame, ...]], tuple[_Frame, ...]]:
    """The frames that may match at a word: by the word their first slot requires, and those
    whose first slot is optional (they may match anywhere). A question's every word was
    tried against every frame: a tenth of its time."""
    by_word: dict[str, list[_Frame]] = {}
    anywhere = []
    for pattern in _frame_patterns(lang):
        alternatives, optional = pattern[1][0]
        if optional:
            anywhere.append(pattern)
        else:
            for word in alternatives:
                by_word.setdefault(word, []).append(pattern)
    return {word: tuple(found) for word, found in by_word.items()}, tuple(anywhere)


def _match(slots: _Slots, words: list[str], at: int) -> int:
    """How many words from `at` the frame covers (0: no match). Greedy: an optional slot
    takes its word when it can."""
    i = at
    for alternatives, optional in slots:
        if i < len(words) and words[i] in alternatives:
            i += 1
        elif not optional:
            return 0
    return i - at


def frame_words(lang: str, words: list[str]) -> set[int]:
    """Positions of the words that only frame the question. A frame marked "^" counts
    only at the start ("Describe the plan" frames; "How did they describe it" does not)."""
    dropped: set[int] = set()
    by_word, anywhere = _patterns_by_first_word(lang)
    at = 0
    while at < len(words):
        leading = at == 0 or at - 1 in dropped
        candidates = by_word.get(words[at], ()) + anywhere
        covered = max((_match(slots, words, at) for start, slots in candidates if leading or not start), default=0)
        if covered:
            dropped.update(range(at, at + covered))
            at += covered
        else:
            at += 1
    return dropped
