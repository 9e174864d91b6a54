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
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return _COMBINING.sub("", text).casefold()


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
        self._stemmer = Stemmer.Stemmer(SNOWBALL[self.lang], 100_000)

    def terms(self, text: str) -> list[str]:
        """Index terms of `text`, in order, repeats kept (BM25 counts them)."""
        stop = self._stop
        kept = [w for w in _WORD.findall(fold(text)) if w not in stop]
        return self._stemmer.stemWords(kept)

    def counts(self, text: str) -> Counter[str]:
        return Counter(self.terms(text))


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
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+")
_OPENERS = "\"'\u201c\u2018(["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, white space trimmed, text itself untouched.

    A boundary is end punctuation, then space, then a capital, digit or opening quote;
    common abbreviations and initials ("e.g.", "J. Smith") are not boundaries.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        nxt = text[match.end():match.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        before = text[start:match.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".") if before else ""
        if text[match.start()] == "." and (last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())):
            continue
        _append_trimmed(spans, text, start, match.end())
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def signature() -> dict:
    """What the index must record so a change of analysis forces a rebuild."""
    return {"name": "askurbact-snowball", "version": 1, "stemmer": Stemmer.version()}
