"""The optimised analysis and chunking give exactly the results of the original code.

The `_ref_*` functions below are verbatim copies of the implementations before they were
optimised (askurbact.analysis / askurbact.chunking); they are frozen on purpose: do not
"fix" them. Every test compares the live code with them, on random and on real text.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import Stemmer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askurbact import analysis, model
from askurbact.analysis import analyze as analyze_module
from askurbact.errors import CorpusFileError
from askurbact.ingest import chunking, parse_file
from askurbact.model import Block

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# The first 300 passages of ../shared/data/gutenberg_passages (public-domain prose, see its README).
GUTENBERG = Path(__file__).resolve().parents[1] / "data" / "gutenberg-300.jsonl.gz"

# ---------------------------------------------------------------- frozen reference: analysis

_REF_FOLD = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D",
    "ı": "i", "ß": "ss",
    # Every apostrophe-like mark becomes "'" so "speaker’s" and "speaker's" agree.
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
})
_REF_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_REF_WORD = re.compile(r"[^\W_]{2,}|\d")


def _ref_fold(text: str) -> str:
    if text.isascii():
        return text.lower().replace("`", "'")
    text = unicodedata.normalize("NFKD", text.translate(_REF_FOLD))
    return _REF_COMBINING.sub("", text).casefold()


def _ref_words(text: str) -> list[str]:
    return _REF_WORD.findall(_ref_fold(text))


_REF_STOP: dict[str, frozenset[str]] = {}
_REF_STEMMERS: dict[str, Stemmer.Stemmer] = {}


def _ref_stopwords(lang: str) -> frozenset[str]:
    if lang in _REF_STOP:
        return _REF_STOP[lang]
    path = resources.files("askurbact.analysis").joinpath("stopwords").joinpath(f"{lang}.txt")
    if path.is_file():
        raw = path.read_text(encoding="utf-8").split()
    else:
        from stop_words import StopWordError, get_stop_words

        try:
            raw = get_stop_words(lang)
        except StopWordError:
            raw = []
    folded = set()
    for word in raw:
        folded.update(_ref_words(word))
    _REF_STOP[lang] = frozenset(folded)
    return _REF_STOP[lang]


def _ref_terms(lang: str, text: str) -> list[str]:
    """Analyzer(lang).terms(text) as it was (lang already normalised)."""
    stop = _ref_stopwords(lang)
    stemmer = _REF_STEMMERS.setdefault(lang, Stemmer.Stemmer(analysis.SNOWBALL[lang], 100_000))
    # Words longer than 255 bytes (UTF-8, folded) are no terms (analysis version 2).
    kept = [w for w in _REF_WORD.findall(_ref_fold(text)) if w not in stop and len(w.encode()) <= 255]
    return stemmer.stemWords(kept)


_REF_ABBREVIATIONS = frozenset(
    "e.g i.e etc mr mrs ms dr prof st vs no nos fig cf al approx ca jr sr inc ltd co dept art vol pp p".split()
)
_REF_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+")
_REF_OPENERS = "\"'\u201c\u2018(["


def _ref_sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _REF_SENTENCE_END.finditer(text):
        nxt = text[match.end():match.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _REF_OPENERS):
            continue
        before = text[start:match.start()].rsplit(None, 1)
        raw = before[-1] if before else ""
        closed = raw[:1] in _REF_OPENERS and text[match.start() + 1:match.start() + 2] in "\"'\u201d\u2019)]"
        last_word = raw.lower().rstrip(".").lstrip(_REF_OPENERS)
        if text[match.start()] == "." and not closed and (
                last_word in _REF_ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())):
            continue
        _ref_append_trimmed(spans, text, start, match.end())
        start = match.end()
    _ref_append_trimmed(spans, text, start, len(text))
    return spans


def _ref_append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


# ---------------------------------------------------------------- frozen reference: chunking

_REF_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class _RefPiece:
    text: str
    line: int
    section: tuple[str, ...]
    heading: bool
    words: int


def _ref_word_count(text: str) -> int:
    return len(text.split())


def _ref_split_block(block: Block, target_words: int, max_sentence_words: int) -> list[_RefPiece]:
    text = block.text
    units: list[tuple[int, int]] = []
    for a, b in _ref_sentence_spans(text):
        if _ref_word_count(text[a:b]) <= max_sentence_words:
            units.append((a, b))
            continue
        units.extend((a + x, a + y) for x, y in _ref_cut(text[a:b], max_sentence_words))
    pieces: list[_RefPiece] = []
    run_start = run_end = None
    run_words = 0
    for a, b in units:
        n = _ref_word_count(text[a:b])
        if run_start is not None and run_words + n > target_words:
            pieces.append(_ref_piece(block, run_start, run_end, run_words))
            run_start = None
        if run_start is None:
            run_start, run_words = a, 0
        run_end = b
        run_words += n
    if run_start is not None:
        pieces.append(_ref_piece(block, run_start, run_end, run_words))
    return pieces


def _ref_cut(sentence: str, max_words: int) -> list[tuple[int, int]]:
    """A too long sentence in parts of about equal size (at most `max_words` words), each
    ending at the last line break of its last third if there is one."""
    words = [m.span() for m in re.finditer(r"\S+", sentence)]
    parts = math.ceil(len(words) / max_words)
    size = math.ceil(len(words) / parts)
    result, first = [], 0
    while first < len(words):
        end = min(first + size, len(words))
        if end < len(words):
            for i in range(end, first, -1):
                if i <= first + (2 * size) // 3:
                    break
                if "\n" in sentence[words[i - 1][1]:words[i][0]]:
                    end = i
                    break
        result.append((words[first][0], words[end - 1][1]))
        first = end
    return result


def _ref_piece(block: Block, start: int, end: int, words: int) -> _RefPiece:
    line = block.line + block.text.count("\n", 0, start)
    return _RefPiece(block.text[start:end], line, block.section, False, words)


def _ref_chunk(doc_id: str, blocks: list[Block], target_words: int = 150,
               max_sentence_words: int = 1000) -> list[model.Passage]:
    pieces: list[_RefPiece] = []
    for block in blocks:
        n = _ref_word_count(block.text)
        if n <= target_words or block.heading:
            pieces.append(_RefPiece(block.text, block.line, block.section, block.heading, n))
        else:
            pieces.extend(_ref_split_block(block, target_words, max_sentence_words))

    passages: list[model.Passage] = []
    current: list[_RefPiece] = []
    words = 0
    for piece in pieces:
        only_headings = all(p.heading for p in current)
        starts_section = piece.heading and not only_headings
        if current and (starts_section or (not only_headings and words + piece.words > target_words)):
            passages.append(_ref_passage(doc_id, current))
            current, words = [], 0
        current.append(piece)
        words += piece.words
    if current:
        passages.append(_ref_passage(doc_id, current))
    return passages


def _ref_passage(doc_id: str, pieces: list[_RefPiece]) -> model.Passage:
    offsets, parts, offset = [], [], 0
    for piece in pieces:
        offsets.append((offset, piece.line))
        parts.append(piece.text)
        offset += len(piece.text) + len(_REF_SEPARATOR)
    body = next((p for p in pieces if not p.heading), pieces[-1])
    last = pieces[-1]
    return model.Passage(
        doc_id=doc_id,
        section=" > ".join(body.section),
        first_line=pieces[0].line,
        last_line=last.line + last.text.count("\n"),
        text=_REF_SEPARATOR.join(parts),
        pieces=tuple(offsets),
    )


# ---------------------------------------------------------------- comparisons

LANGS = ["en", "fr", "de", "pl", "tr", "ru", "nl"]


def _fields(p: model.Passage) -> tuple:
    return (p.doc_id, p.section, p.first_line, p.last_line, p.text, p.pieces)


def assert_same_analysis(text: str, langs=LANGS) -> None:
    assert analysis.fold(text) == _ref_fold(text)
    assert analysis.sentence_spans(text) == _ref_sentence_spans(text)
    for lang in langs:
        assert analysis.analyzer(lang).terms(text) == _ref_terms(lang, text), lang


def assert_same_chunks(blocks: list[Block], target_words: int, max_sentence_words: int) -> None:
    got = chunking.chunk("d", blocks, target_words, max_sentence_words)
    want = _ref_chunk("d", blocks, target_words, max_sentence_words)
    assert [_fields(p) for p in got] == [_fields(p) for p in want]


def assert_same_bulk(lang: str, texts: list[str], an: analysis.Analyzer | None = None) -> None:
    """The indexer's bulk analysis finds each text's terms, as many times as they occur."""
    from askurbact.analysis.bulk import term_occurrences

    an = an or analysis.analyzer(lang)
    want = [_ref_terms(an.lang, t) for t in texts]
    vocab, term, text, lengths = term_occurrences(an, texts)
    assert vocab == sorted(set().union(*want))
    assert lengths.tolist() == [len(w) for w in want]
    got = [Counter() for _ in texts]
    for t, i in zip(term.tolist(), text.tolist()):
        got[i][vocab[t]] += 1
    assert got == [Counter(w) for w in want]


# ---------------------------------------------------------------- random text

FAST = settings(derandomize=True, deadline=None, max_examples=400,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Tokens that exercise folding, apostrophes, abbreviations, initials, ellipses and ends.
TOKEN_LIST = [
    "city", "Kavala", "e.g.", "E.G.", "i.e.", "Dr.", "dr.", "Mr.", "etc.", "No.", "p.", "pp.", "J.", "j.", "A.",
    "Approx.", "APPROX.", "xapprox.", "Prof.", "dept.", "e!g.", "Mr?", "İ.", "K.", "ſt.", "x", ".", "!", "…",
    "Smith", "Łódź", "Ł", "ł", "Straße", "ß", "ẞ", "café", "Café", "Élan", "naïve", "Malmö", "İstanbul", "ı", "Æsir",
    "œuvre", "it's", "it’s", "speaker‘s", "d'orchestre", "l`eau", "rock´n´roll", "5′", "ʼokina", "“Yes.”",
    "‘no’", "\"Quote.\"", "(see", "note.)", "[x.]", "end.", "end!", "why?", "wait…", "so...", "..", "?!",
    "42", "8", "٣", "3.14", "1.", "_", "a_b", "ﬁne", "ｆｕｌｌ", "²", "½", "Ⅻ", "ǅ", "ΣΊΣΥΦΟΣ", "ﬀ", "a\u0301",
    "\u0301", "Ǆemal", "مرحبا", "中文", "🙂", "—", "–", "-", "™", "№", "the", "The", "and", "of", "les", "der", "не",
    "innovations", "sociales", "running", "leaders", "What", "is", "Supercalifragilisticexpialidociousnessitude.",
    "\t", "\u00a0", "\u2003", "\u3000",
    # Around the term length cap (255 bytes of the folded word): ASCII, accents folded away,
    # 2- and 3-byte letters.
    "x" * 255, "X" * 256, "é" * 256, "ł" * 300, "Ж" * 127, "Ж" * 128, "中" * 85, "中" * 86, "ab" * 5000,
]
TOKENS = st.sampled_from(TOKEN_LIST)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", " \n", "\t", "\u00a0", "\u2028", "\x1c", "\x85"])
# Text whose words are separated by one space or line break: the chunker's fast path.
SPACED_TOKENS = st.sampled_from([t for t in TOKEN_LIST if not any(c.isspace() for c in t)])
SPACED_SEPARATORS = st.sampled_from([" ", " ", " ", "\n"])


@st.composite
def mixed_text(draw, max_tokens: int = 60, spaced: bool = False) -> str:
    tokens = draw(st.lists(SPACED_TOKENS if spaced else TOKENS, max_size=max_tokens))
    out = []
    for token in tokens:
        out.append(token)
        out.append(draw(SPACED_SEPARATORS if spaced else SEPARATORS))
    if out and draw(st.booleans()):
        out.pop()
    return "".join(out)


TEXT = st.one_of(mixed_text(), mixed_text(spaced=True), st.text(max_size=300),
                 st.text(alphabet=st.characters(max_codepoint=0x3ff), max_size=300))


@FAST
@given(TEXT)
def test_fold_spans_and_terms_match_the_reference(text):
    assert_same_analysis(text)


@FAST
@given(st.lists(TEXT, max_size=8), st.sampled_from(LANGS))
def test_bulk_terms_equal_terms_of_each_text(texts, lang):
    assert_same_bulk(lang, texts)


def test_bulk_terms_of_nothing_and_of_repeats():
    assert_same_bulk("en", [])
    assert_same_bulk("en", ["", "The the THE", "Running runs ran", "Running runs ran", "ß ẞ Straße"])


def test_words_past_the_term_length_cap_are_no_terms_in_either_path():
    long_ascii, long_cyrillic = "k" * 256, "Ж" * 128
    texts = [f"kavala {long_ascii} pharmacy", f"Malmö {long_cyrillic} {'Ж' * 127}", "y" * 1_000_000]
    for lang in LANGS:
        assert_same_bulk(lang, texts)
    terms = analysis.analyzer("en").terms(" ".join(texts))
    assert "kavala" in terms and max(len(t.encode()) for t in terms) <= 255


HEADINGS = st.sampled_from([(), ("Intro",), ("Intro", "Part 2"), ("Ł",)])


@st.composite
def blocks(draw) -> list[Block]:
    result, line = [], 1
    for _ in range(draw(st.integers(0, 8))):
        heading = draw(st.integers(0, 5)) == 0
        text = draw(mixed_text(max_tokens=4 if heading else 80, spaced=draw(st.booleans()))).strip() or "x"
        result.append(Block(text, line, draw(HEADINGS), heading))
        line += text.count("\n") + 1 + draw(st.integers(1, 3))
    return result


@FAST
@given(blocks(), st.integers(1, 40), st.integers(1, 12))
def test_chunks_match_the_reference(blocks, target_words, max_sentence_words):
    assert_same_chunks(blocks, target_words, max_sentence_words)


@settings(FAST, max_examples=150)
@given(TEXT, st.sampled_from(LANGS))
def test_terms_of_sentence_spans_equal_the_terms_of_each_sentence(text, lang):
    # The re-ranking reads a passage's sentences' terms in one pass over the passage.
    an = analysis.analyzer(lang)
    spans = analysis.sentence_spans(text)
    assert an.span_terms(text, spans) == [an.terms(text[a:b]) for a, b in spans]


@settings(FAST, max_examples=100)
@given(blocks(), st.integers(1, 40), st.integers(1, 12))
def test_each_sentence_of_a_passage_spans_its_source_lines(blocks, target_words, max_sentence_words):
    # Lines are counted on from sentence to sentence; Passage.line_at counts each from its piece.
    for passage in chunking.chunk("d", blocks, target_words, max_sentence_words):
        for s in analysis.passage_sentences(passage):
            assert passage.text[s.start:s.end] == s.text
            assert (s.first_line, s.last_line) == (passage.line_at(s.start), passage.line_at(s.end - 1))


# Corner cases of the sentence splitter that random text rarely hits.
EDGE_TEXTS = [
    "Mr . Smith came. Etc . Then", "He said etc. . Then more. And p . Q", "x . Y", ". Start", "  . Start. End",
    "Mr" + " " * 50 + ". Next", "J" + "." * 50 + " . Next", "Ends with e.g. E.g. Next", "A. B. C.D. E",
    "A word" + "x" * 60 + ". Next", "approx. 5 cities. Approx. Six. XAPPROX. Seven", "İ. Next. ſt. Next. K. Next",
    "Prof. Dr. Jr. St. No. Nos. Fig. Cf. Al. Ca. Sr. Inc. Ltd. Co. Dept. Art. Vol. Pp. P. Q",
    "Why? Because! Wait… Then?! No.) Yes.” “Quote.” ‘Single.’ [End.] (Next.) 3. 4. ٣. É. ǅ. Ⅻ. ½.",
    "End.\u00a0Next. End.\u2028Next. End.\x1cNext. End.\x85Next. End.\tNext. End.\r\nNext",
    "e!g. Next. Mr? Next. E?G. Next", "…. Next.... Next!.. Next", "Trailing space. \n\t ",
]


def test_sentence_corner_cases_match_the_reference():
    for text in EDGE_TEXTS:
        assert_same_analysis(text, ["en"])
        for target, limit in [(3, 2), (8, 1000)]:
            assert_same_chunks([Block(text.strip() or "x", 1, ())], target, limit)


def test_a_small_stem_memo_gives_the_same_terms(monkeypatch):
    monkeypatch.setattr(analyze_module, "_MEMO_SIZE", 3)
    fresh = analysis.Analyzer("en")
    texts = [t for t in EDGE_TEXTS + TOKEN_LIST]
    assert [fresh.terms(t) for t in texts] == [_ref_terms("en", t) for t in texts]
    assert_same_bulk("en", texts, fresh)


def test_very_long_sentences_are_cut_the_same():
    sentence = " ".join(f"w{i}" for i in range(57)) + ". Next one is short. " + "long " * 40 + "end."
    block = Block(sentence, 3, ("S",))
    for target, limit in [(10, 5), (30, 7), (150, 1000), (5, 1), (100, 20)]:
        assert_same_chunks([Block("Head", 1, ("S",), True), block], target, limit)


# ---------------------------------------------------------------- real text

def _loaded_files():
    for path in sorted(CORPUS.glob("*.md")):
        yield path.name, path.read_bytes()


def test_bundled_corpus_matches_the_reference():
    for name, data in _loaded_files():
        loaded = parse_file(name, data)
        for target in (40, 150, 300):
            assert_same_chunks(loaded.blocks, target, 1000)
        assert_same_chunks(loaded.blocks, 50, 10)
        passages = chunking.chunk("d", loaded.blocks)
        texts = [p.text for p in passages]
        for text in texts:
            assert_same_analysis(text, ["en", "fr"])
        assert_same_bulk("en", texts)


def test_gutenberg_passages_match_the_reference():
    books: dict[str, list[str]] = {}
    with gzip.open(GUTENBERG, "rt", encoding="utf-8") as handle:
        for k, line in enumerate(handle):
            if k >= 300:
                break
            record = json.loads(line)
            books.setdefault(record["src"], []).append(record["text"])
            assert_same_analysis(record["text"], ["en"])
    for src, texts in books.items():
        try:
            loaded = parse_file(src, "\n\n".join(texts).encode())
        except CorpusFileError:
            continue
        for target, limit in [(150, 1000), (60, 25)]:
            assert_same_chunks(loaded.blocks, target, limit)
        assert_same_bulk("en", [p.text for p in chunking.chunk("d", loaded.blocks)])
        assert_same_bulk("fr", texts[:20])


# ---------------------------------------------------------------- facts the fast paths rely on

def test_facts_behind_the_fast_paths():
    every_char = [chr(i) for i in range(sys.maxunicode + 1)]
    # chunking._spaced: " " is the only printable white space.
    assert [c for c in every_char if c.isspace() and c.isprintable()] == [" "]
    # analysis._may_be_abbreviation: lower() keeps a word's length, but for "İ".
    assert [c for c in every_char if len(c.lower()) != 1] == ["\u0130"]
    # analysis._tokens: the marks replaced by a space before folding fold to no word character.
    for mark in analyze_module._COMMON_MARKS:
        assert not any(c.isalnum() for c in _ref_fold(mark))
