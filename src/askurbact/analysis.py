"""Text analysis: one analyzer turns both documents and queries into index terms.

Steps: Unicode normalisation and accent folding (Malmö = Malmo, Łódź = Lodz),
case folding, one kind of apostrophe, word tokens, stopwords, Snowball stemming
(PyStemmer) in the document's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

import Stemmer

DEFAULT_LANG = "en"

# ISO 639-1 code -> Snowball algorithm name (PyStemmer).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish",
    "fr": "french", "ga": "irish", "hu": "hungarian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "tr": "turkish",
}
# Names accepted in front matter besides the ISO codes.
LANG_NAMES = {name: code for code, name in SNOWBALL.items()}

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
_WORD = re.compile(r"[^\W_]{2,}|\d")
# _FOLD as a dict and as a regex finding its characters.
_FOLD_MAP = {chr(code): to for code, to in _FOLD.items()}
_FOLD_CHARS = re.compile("[" + "".join(map(re.escape, _FOLD_MAP)) + "]")
# For ASCII text, folding + _WORD amount to: lower case, every non-alphanumeric byte is a
# space, split, drop lone letters (done by _Stems). bytes.translate with this table and
# bytes.split do that in C, much faster than the regex.
_ASCII_TOKENS = bytes(ord(chr(i).lower()) if i < 128 and chr(i).isalnum() else ord(" ") for i in range(256))
# Non-ASCII characters that separate words (not letters, digits or "_").
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]")
# The commonest of them in English text; they fold to no letter or digit.
_COMMON_MARKS = "\u2019\u201c\u201d\u2018\u2014"


def supported_lang(lang: object) -> str | None:
    """The ISO code of a front-matter `lang` value ("fr", "fr-BE", "french"), or None."""
    if not isinstance(lang, str):
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    code = LANG_NAMES.get(code, code)
    return code if code in SNOWBALL else None


def normalize_lang(lang: object) -> str:
    """A supported ISO code for `lang`, English when it is missing or unknown."""
    return supported_lang(lang) or DEFAULT_LANG


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
    return _WORD.findall(fold(text))


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """The stopword list of a language, folded like the text it filters."""
    path = resources.files("askurbact").joinpath("stopwords").joinpath(f"{lang}.txt")
    if path.is_file():
        raw = path.read_text(encoding="utf-8").split()
    else:
        # Snowball publishes lists only for some languages; the stop-words package covers the rest.
        from stop_words import StopWordError, get_stop_words

        try:
            raw = get_stop_words(lang)
        except StopWordError:
            raw = []
    folded = set()
    for word in raw:
        folded.update(words(word))
    return frozenset(folded)


class Analyzer:
    """Turns text into index terms for one language. Cheap to call; stems are cached."""

    def __init__(self, lang: str = DEFAULT_LANG):
        self.lang = normalize_lang(lang)
        self._stop = stopwords(self.lang)
        # No cache in the stemmer: _Stems is one, and a faster one.
        self._stemmer = Stemmer.Stemmer(SNOWBALL[self.lang], 0)
        self._stems = _Stems(self._stop, self._stemmer)

    def terms(self, text: str) -> list[str]:
        """Index terms of `text`, in order, repeats kept (BM25 counts them)."""
        # Stopwords map to None (every stem is a non-empty str): map + filter(None) keep the
        # per-token work in C.
        return list(filter(None, map(self._stems.__getitem__, _tokens(text))))

    def stems(self, tokens: list[bytes] | list[str]) -> list[str | None]:
        """The term of each token (as `_tokens` gives them), None where it gives none."""
        return list(map(self._stems.__getitem__, tokens))

    def counts(self, text: str) -> Counter[str]:
        return Counter(self.terms(text))


def _tokens(text: str) -> list[bytes] | list[str]:
    """Word tokens of folded `text`, lone letters included: `_Stems` drops those.

    Text that is ASCII once its separators are spaces gives bytes tokens (see
    _ASCII_TOKENS), other text str tokens."""
    spaced = ascii_spaced(text)
    if spaced is not None:
        return spaced.split()
    text = _NON_ASCII_NON_WORD.sub(" ", fold(_without_common_marks(text)))
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_TOKENS).split()
    return _WORD.findall(text)


def ascii_spaced(text: str) -> bytes | None:
    """`text` as ASCII bytes, lower case, every byte that is no letter or digit a space, so
    that its tokens are `.split()`; None if `text` needs folding first (it has non-ASCII
    letters). Most text takes this path: its per-character work runs in C."""
    if not text.isascii():
        text = _without_common_marks(text)
        if not text.isascii():
            return None
    return text.encode("ascii").translate(_ASCII_TOKENS)


def _without_common_marks(text: str) -> str:
    # Non-ASCII punctuation (curly quotes, dashes) only separates words, as a space does;
    # without it, text is often ASCII and can take the fast path. The commonest marks go
    # first, before folding (str.replace is quick, and they fold to no letter).
    for mark in _COMMON_MARKS:
        text = text.replace(mark, " ")
    return text


class _Stems(dict):
    """Memo: token (str, or ASCII bytes) -> its stem, or None for a stopword or a lone letter.

    Filled on first use of each token (__missing__), up to _MEMO_SIZE tokens, so that its
    memory stays bounded (about 150 bytes a token). By then the frequent words are in;
    a token met later is stemmed again each time it occurs.
    """

    def __init__(self, stop: frozenset[str], stemmer: Stemmer.Stemmer):
        super().__init__()
        self._stop = stop
        self._stem = stemmer.stemWord

    def __missing__(self, token: str | bytes) -> str | None:
        word = token.decode("ascii") if type(token) is bytes else token
        # _WORD keeps a single character only if it is a digit.
        if word in self._stop or (len(word) == 1 and not word.isdecimal()):
            stem = None
        else:
            stem = self._stem(word) or None  # never an empty term: filter(None) drops it
        if len(self) < _MEMO_SIZE:
            self[token] = stem
        return stem


_MEMO_SIZE = 100_000


@lru_cache(maxsize=None)
def analyzer(lang: str = DEFAULT_LANG) -> Analyzer:
    return Analyzer(lang)


def query_terms(text: str, langs: list[str] | tuple[str, ...] = (DEFAULT_LANG,)) -> list[str]:
    """Terms of a query, analysed for every language present in the index.

    The first language's terms keep their order and repeats; other languages add only
    the stems the first did not produce, so a word is never counted twice.
    """
    langs = list(dict.fromkeys(normalize_lang(lang) for lang in langs)) or [DEFAULT_LANG]
    result = analyzer(langs[0]).terms(text)
    seen = set(result)
    for lang in langs[1:]:
        for term in analyzer(lang).terms(text):
            if term not in seen:
                seen.add(term)
                result.append(term)
    return result


_ABBREVIATIONS = frozenset(
    "e.g i.e etc mr mrs ms dr prof st vs no nos fig cf al approx ca jr sr inc ltd co dept art vol pp p".split()
)
_OPENERS = "\"'\u201c\u2018(["


def _may_be_abbreviation() -> str:
    """Lookbehinds, tested right after a period, that hold when the word before the period
    may be an abbreviation or initial (_is_abbreviation then decides), so that most
    periods need no Python step: white space before the period (the word is further
    back), a one-character word, or a listed abbreviation in any case (lower() never
    changes a word's length but for "İ", which no abbreviation has).
    """
    by_length: dict[int, list[str]] = {}
    for word in sorted(_ABBREVIATIONS):
        by_length.setdefault(len(word), []).append(re.escape(word))
    tests = [r"(?<=\s.)", r"(?<=(?<!\S)\S.)"]
    tests += [rf"(?<=(?<!\S)(?i:{'|'.join(words)}).)" for _, words in sorted(by_length.items())]
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
    for match in _SENTENCE_END.finditer(_marks_as_periods(text)):
        # Every test of a character reads `text`, not the copy the regex scanned.
        if match[_OTHER] is not None:
            nxt = text[match.end()]
            if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
                continue
        if match[_CHECK] is not None:
            dot = match.start()
            if text[dot] == "." and _is_abbreviation(_last_word(text, start, dot)):
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
    return starts, ends


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


def _is_abbreviation(word: str) -> bool:
    """Whether a period after `word` ends an abbreviation or an initial, not a sentence."""
    word = word.lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def signature() -> dict:
    """What the index must record so a change of analysis forces a rebuild."""
    return {"name": "askurbact-snowball", "version": 1, "stemmer": Stemmer.version()}
