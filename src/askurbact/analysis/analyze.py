"""The analyzer: one recipe turns both documents and queries into index terms.

Steps: Unicode normalisation and accent folding, case folding, one kind of apostrophe,
word tokens, stopwords, Snowball stemming (PyStemmer) in the document's language.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import Stemmer

from ..model import SECTION_SEPARATOR
from .languages import DEFAULT_LANG, SNOWBALL, normalize_lang, stopwords
from .normalize import WORD, fold

# For ASCII text, folding + WORD amount to: lower case, every non-alphanumeric byte is a
# space, split, drop lone letters (done by _Stems). bytes.translate with this table and
# bytes.split do that in C, much faster than the regex.
_ASCII_TOKENS = bytes(ord(chr(i).lower()) if i < 128 and chr(i).isalnum() else ord(" ") for i in range(256))


# Non-ASCII characters that separate words (not letters, digits or "_").
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]")


# The commonest of them in English text; they fold to no letter or digit.
_COMMON_MARKS = "\u2019\u201c\u201d\u2018\u2014"


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

    def span_terms(self, text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
        """`terms(text[a:b])` for each (a, b) of `spans`, with `text` made ASCII once instead
        of once a span (ascii_spaced keeps offsets: it maps each character to one byte)."""
        spaced = ascii_spaced(text)
        if spaced is None:
            return [self.terms(text[a:b]) for a, b in spans]
        stem = self._stems.__getitem__
        return [list(filter(None, map(stem, spaced[a:b].split()))) for a, b in spans]

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
    return WORD.findall(text)


def ascii_spaced(text: str) -> bytes | None:
    """`text` as ASCII bytes, lower case, every byte that is no letter or digit a space, so
    that its tokens are `.split()`, and as long as `text` (offsets stay valid); None if
    `text` has a character that folds to no single ASCII one (Greek, "ß", a combining
    accent). Most text takes this path: its per-character work runs in C."""
    if not text.isascii():
        text = _without_common_marks(text)
        if not text.isascii():
            text = _folded_one_to_one(text)
            if text is None:
                return None
    return text.encode("ascii").translate(_ASCII_TOKENS)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Blocks searched for characters that fold to one ASCII character: Latin letters with
# accents, punctuation, currency and letter-like symbols ("é", "–", "£", "K").
_ONE_TO_ONE_BLOCKS = ((0x80, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20A0, 0x20D0), (0x2100, 0x2150))


@cache
def _one_to_one() -> dict[str, str]:
    """Character -> the one ASCII character that folding and word splitting make of it
    (a space for a non-word mark), for the characters of _ONE_TO_ONE_BLOCKS that have one."""
    table = {}
    for first, end in _ONE_TO_ONE_BLOCKS:
        for code in range(first, end):
            c = chr(code)
            to = _NON_ASCII_NON_WORD.sub(" ", fold(c))
            if len(to) == 1 and to.isascii():
                table[c] = to
    return table


def _folded_one_to_one(text: str) -> str | None:
    """`text` folded character by character, when each of its non-ASCII characters folds to
    one ASCII character (as _tokens would fold the whole text: folding is per character
    there too, except in combining sequences, whose accents have no entry); else None.
    Only the few non-ASCII characters are visited."""
    table = _one_to_one()
    if not set(_NON_ASCII.findall(text)) <= table.keys():
        return None
    return _NON_ASCII.sub(lambda m: table[m.group()], text)


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
        if len(token) > MAX_TERM_BYTES // 4 and _utf8_length(token) > MAX_TERM_BYTES:
            return None  # too long to be a word; not memoised either: it may be megabytes
        word = token.decode("ascii") if type(token) is bytes else token
        # WORD keeps a single character only if it is a digit.
        if word in self._stop or (len(word) == 1 and not word.isdecimal()):
            stem = None
        else:
            stem = self._stem(word) or None  # never an empty term: filter(None) drops it
        if len(self) < _MEMO_SIZE:
            self[token] = stem
        return stem


# Longer tokens are dropped, as Lucene's StandardAnalyzer does past 255: no word is that
# long, and the index vocabulary is fixed-width (its longest term sets every term's size).
MAX_TERM_BYTES = 255


def _utf8_length(token: str | bytes) -> int:
    return len(token) if type(token) is bytes else len(token.encode("utf-8"))


_MEMO_SIZE = 100_000


@cache
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


# A passage is indexed under the headings it stands under: a passage is about what they name
# even where it does not say it again ("Super Bowl 50" over each paragraph of that article),
# as BM25F's title field makes it, in one field. The document's title is not: taken from
# metadata, a site's <title>, a first line or the file's name, it often names something else
# too ("Microsoft - Wikipedia", "CONTENTS", "scan_0001") and would count in every passage of a
# long document. Only the deepest headings, up to SUBJECT_WORDS words in all: a reader may leave
# a chapter's heading path over the rest of a long file (a Word handbook's appendices under
# "CHAPTER 7 – REPORTS, AUDITS, COMPLIANCE > D. EVALUATION, COMPLIANCE AND TERMINATION > ..."),
# and the whole path, or twice, gave the same SQuAD figures but drew its words' questions to
# those passages. SQuAD part 1: hit@3 +0.006 to +0.010 on three seeds of corpus 0-15, within
# 0.001 on corpus 8-23 (docs/quality.md, eleventh round).
SUBJECT_WORDS = 8


def indexed_text(section: str, text: str) -> str:
    """What a passage is indexed as (`text` itself is what is shown and quoted): the deepest
    distinct headings of its `section` path that have SUBJECT_WORDS
    words or fewer together, once, above its text (a section's first passage holds its
    heading's line too, so there it counts twice). A heading longer than that on its own is
    a sentence a reader took for one: left out, the ones above it still count."""
    names: list[str] = []
    words = 0
    for name in reversed(section.split(SECTION_SEPARATOR)):
        name = name.strip()
        size = len(name.split())
        if not name or size > SUBJECT_WORDS or name.casefold() in (n.casefold() for n in names):
            continue
        words += size
        if words > SUBJECT_WORDS:
            break
        names.insert(0, name)
    return "\n".join([" ".join(names), text]) if names else text


def signature() -> dict:
    """What the index must record so a change of analysis forces a rebuild (version 3:
    "won" and "let" are no longer stopwords, as parts of "won't" and "let's"; 4: a period
    after an abbreviation or initial in brackets or quotes, "(e.g. Warsaw)", ends no
    sentence: long blocks, cut at sentence ends, may be cut elsewhere; 5: a "sentence" of
    more than 80 words is cut in parts, see ingest/chunking.py; 6: a document that names no
    language is analysed in the one its words are in, see analysis/identify.py; 7: a passage
    was indexed with its title and section; 8: under its section's headings; 9: under its
    deepest headings, once; 10: a heading too long on its own is skipped, not the end, see
    indexed_text; 11: a table of contents' entry, its dotted leader and page number, is a
    sentence of its own, see sentences.contents_entries: long blocks may be cut elsewhere)."""
    return {"name": "askurbact-snowball", "version": 11, "stemmer": Stemmer.version(),
            "max_term_bytes": MAX_TERM_BYTES}
