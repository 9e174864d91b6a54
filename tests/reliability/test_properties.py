"""Property-based tests (hypothesis, derandomized): the analyzer, the chunker, the loader
and the query path never raise on arbitrary input, chunking loses no text, and every
sentence's line numbers point at its verbatim text in the source."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askurbact import analysis
from askurbact.analysis import passage_sentences
from askurbact.errors import CorpusFileError
from askurbact.ingest import parse_file
from askurbact.ingest.chunking import chunk
from askurbact.ingest.front_matter import split_front_matter

MARKERS = re.compile(r"^[ \t]*(?:(?:#{1,6}|[-*+\u2022]|\d{1,9}[.)]|>)[ \t]*)*")
FAST = settings(derandomize=True, deadline=None, max_examples=150,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Markdown-ish lines: headings, list items, quotes, code fences, tables, sentences, junk.
WORDS = st.sampled_from(["city", "Kavala", "e.g.", "Dr.", "mayor", "J.", "Smith", "lab", "42", "Łódź", "café",
                         "it's", "speaker’s", "—", "(see", "note)", "\"Yes\"", "ok!", "why?", "A.", "x", "ünïcode",
                         "مرحبا", "中文", "🙂", "\t", "*bold*", "`code`", "[link](x)", "<b>", "&amp;", "\\*"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=25).map(" ".join)
PREFIX = st.sampled_from(["", "", "", "# ", "## ", "- ", "* ", "1. ", "> ", "    ", "  - ", "| ", "```", "---",
                          "===", "<!-- ", "[ref]: ", "\t"])
LINE = st.one_of(st.tuples(PREFIX, SENTENCE).map("".join), st.just(""), st.text(max_size=40))
BODY = st.lists(LINE, max_size=40).map("\n".join)
FRONT = st.sampled_from(["", "---\ntitle: T\n---\n", "---\ndate: 2020-01-02\ntags: [a, b]\n---\n",
                         "---\n---\n", "---\nlang: fr\n...\n"])


@FAST
@given(st.text(max_size=3000), st.sampled_from(list(analysis.SNOWBALL)))
def test_analyzer_never_raises(text, lang):
    terms = analysis.analyzer(lang).terms(text)
    assert all(isinstance(t, str) and t for t in terms)
    analysis.query_terms(text, [lang, "en", "xx"])
    for a, b in analysis.sentence_spans(text):
        assert 0 <= a < b <= len(text) and text[a:b] == text[a:b].strip()


@FAST
@given(st.binary(max_size=2000), st.sampled_from(["a.md", "b.txt", "c.markdown"]))
def test_parse_file_arbitrary_bytes_only_corpus_file_error(data, name):
    try:
        parse_file(name, data)
    except CorpusFileError:
        pass


@FAST
@given(st.text(max_size=2000), st.sampled_from(["a.md", "b.txt"]), st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_parse_file_arbitrary_text_only_corpus_file_error(text, name, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates cannot be encoded at all
        data = text.encode(encoding, "surrogatepass")
    try:
        parse_file(name, data)
    except CorpusFileError:
        pass


@FAST
@given(st.text(max_size=1500))
def test_front_matter_arbitrary_yaml_only_corpus_file_error(raw):
    try:
        split_front_matter("---\n" + raw + "\n---\nbody\n")
    except CorpusFileError:
        pass


def _check_chunking(source: str, name: str, chunk_words: int) -> None:
    try:
        loaded = parse_file(name, source.encode("utf-8"))
    except CorpusFileError:
        return
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    _, _, offset = split_front_matter("\n".join(lines))
    passages = chunk(loaded.document.doc_id, loaded.blocks, chunk_words)
    assert passages
    covered = set()
    for p in passages:
        assert p.first_line >= 1 and p.first_line <= p.last_line <= len(lines)
        covered.update(range(p.first_line, p.last_line + 1))
        window = "\n".join(lines[p.first_line - 1:p.last_line])
        for s in passage_sentences(p):
            assert p.first_line <= s.first_line <= s.last_line <= p.last_line
            assert s.text == p.text[s.start:s.end]
            assert s.text in "\n".join(lines[s.first_line - 1:s.last_line]), (s, lines[s.first_line - 1:s.last_line])
            assert s.text in window
    # No text lost: every body line with a letter or digit (besides list/heading/quote
    # markers such as an empty "1." item) is inside some passage's range.
    for number, line in enumerate(lines[offset:], offset + 1):
        if re.search(r"[^\W_]", MARKERS.sub("", line)):
            assert number in covered, (number, line)


@FAST
@given(FRONT, BODY, st.sampled_from(["a.md", "b.txt"]), st.sampled_from([20, 40, 150]))
def test_chunking_loses_no_text_and_lines_point_at_text(front, body, name, chunk_words):
    _check_chunking(front + body, name, chunk_words)


@FAST
@given(st.text(max_size=1500), st.sampled_from(["a.md", "b.txt"]))
def test_chunking_arbitrary_text(text, name):
    _check_chunking(text, name, 20)
