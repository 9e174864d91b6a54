"""Text normalisation shared by indexing, queries and matching: accent and case folding
(Malmö = Malmo, Łódź = Lodz), one kind of apostrophe, word tokens."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into base + accent.
_FOLD = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D",
    "ı": "i", "ß": "ss",
    # Every apostrophe-like mark becomes "'" so "speaker’s" and "speaker's" agree.
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
})


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


# A word is a run of letters/digits; apostrophes split words ("d'orchestre" -> d, orchestre).
# Single letters carry no meaning and are dropped; a single digit ("8 cities") is kept.
WORD = re.compile(r"[^\W_]{2,}|\d")


# _FOLD as a dict and as a regex finding its characters.
_FOLD_MAP = {chr(code): to for code, to in _FOLD.items()}


_FOLD_CHARS = re.compile("[" + "".join(map(re.escape, _FOLD_MAP)) + "]")


def fold(text: str) -> str:
    """Case- and accent-folded text, with one apostrophe; used for matching, not display."""
    if text.isascii():
        return text.lower().replace("`", "'")
    # Same result as text.translate(_FOLD), several times faster: str.translate looks up
    # every character of a non-ASCII text, the regex only visits the few marks present.
    text = unicodedata.normalize("NFKD", _FOLD_CHARS.sub(_fold_char, text))
    return _COMBINING.sub("", text).casefold()


def _fold_char(match: re.Match) -> str:
    return _FOLD_MAP[match.group()]


def words(text: str) -> list[str]:
    """Folded word tokens, stopwords and stems not applied."""
    return WORD.findall(fold(text))
