"""PDF, Word and web pages beside Markdown and text, end to end: questions answered from the
right file and page, each quote verbatim in `askurbact text` at its place, the place written
as a person looks it up, and a new reader version re-reading only its own files."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest

from askurbact import cli
from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.index.freshness import check_freshness
from askurbact.index.manifest import read_manifest
from askurbact.index.writer import update_index
from askurbact.ingest.formats import pdf
from conftest import CORPUS
from made_files import add_mixed_documents

SEOUL = "social-innovation-behind-the-city-scene.md"
QUESTIONS = [  # question, then the first citation: path, page, lines, format, place
    ("When was the Gdynia tram depot rebuilt?", "report.pdf", 2, (3, 5), "pdf", "report.pdf, p. 2"),
    ("When does the night ferry to Karlskrona leave?", "report.pdf", 4, (3, 5), "pdf", "report.pdf, p. 4"),
    ("Who repairs bicycles in Lyon?", "report.docx", None, (3, 3), "docx", "report.docx, \u00b6 3"),
    ("How many meals does the Porto community kitchen serve?", "article.html", None, (6, 6), "html", "article.html:6"),
    ("What does the Vilnius library lend?", "notes.txt", None, (3, 3), "text", "notes.txt:3"),
    ("Who is the mayor of Seoul?", SEOUL, None, (43, 43), "markdown", f"{SEOUL}:43"),
]
FORMAT_OF = {"pdf": "pdf", "docx": "docx", "html": "html", "txt": "text", "md": "markdown"}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("mixed")
    shutil.copytree(CORPUS, root / "corpus")
    add_mixed_documents(root / "corpus")
    assistant = Assistant(Settings(corpus=root / "corpus", index=root / "index", home=root / "home"))
    report = assistant.update(jobs=1)
    assert report.added == 6 and not report.skipped
    assert report.warnings == ["report.pdf: no text layer on page 3 (scanned?): run OCR first, for example with ocrmypdf"]
    return assistant


@pytest.mark.parametrize("question,path,page,lines,fmt,where", QUESTIONS, ids=[q[1] for q in QUESTIONS])
def test_questions_are_answered_from_the_right_file_and_page(mixed, question, path, page, lines, fmt, where):
    answer = mixed.ask(question)
    first = answer.citations[0]
    assert (first.path, first.page, first.lines, first.format, first.where) == (path, page, lines, fmt, where)
    data = answer.to_json()
    assert (data["citations"][0]["page"], data["citations"][0]["format"]) == (page, fmt)
    for item in data["citations"] + data["passages"]:
        assert item["format"] == FORMAT_OF[item["path"].rsplit(".", 1)[1]]
        assert isinstance(item["page"], int) == item["path"].endswith(".pdf")


def test_every_quote_stands_verbatim_in_the_extracted_text_at_its_place(mixed):
    checked = 0
    for question, *_ in QUESTIONS:
        for c in mixed.ask(question).citations:
            shown = mixed.extracted_text(c.path, c.page).lines
            at_place = "\n".join(line.text for line in shown if c.lines[0] <= line.line <= c.lines[1])
            assert c.quote in at_place, (c.where, c.quote)
            checked += 1
    assert checked >= len(QUESTIONS)


def _cli(mixed, capsys, *args: str) -> tuple[int, str, str]:
    s = mixed.settings
    code = cli.main(["--corpus", str(s.corpus), "--index", str(s.index), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_askurbact_text_plain_answers_and_minutes_show_the_place(mixed, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ASKURBACT_HOME", str(mixed.settings.home))
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = _cli(mixed, capsys, "text", "report.pdf", "--page", "2")
    assert code == 0 and out.splitlines()[:4] == [
        "report.pdf, p. 2", "    1  Tram depot", "    2", "    3  The Gdynia tram depot was rebuilt in 2019"]
    code, out, _ = _cli(mixed, capsys, "text", "report.docx")
    assert code == 0 and "    3  Volunteers in Lyon repair bicycles every Saturday morning in the old market hall." in out
    code, _, err = _cli(mixed, capsys, "text", "report.pdf", "--page", "9")
    assert code == 2 and err == "askurbact: error: report.pdf has 4 pages; --page must be between 1 and 4\n"
    code, _, err = _cli(mixed, capsys, "text", "report.docx", "--page", "1")
    assert code == 2 and "has no pages: its citations count paragraphs" in err
    corpus = mixed.settings.corpus.as_posix()  # plain answers name the file with the corpus folder
    code, out, _ = _cli(mixed, capsys, "ask", "--session", "harbour", "When was the Gdynia tram depot rebuilt?")
    assert code == 0 and f"      {corpus}/report.pdf, p. 2\n" in out
    code, out, _ = _cli(mixed, capsys, "ask", "--session", "harbour", "Who repairs bicycles in Lyon?")
    assert code == 0 and f"      {corpus}/report.docx, \u00b6 3\n" in out
    code, out, _ = _cli(mixed, capsys, "ask", "How many meals does the Porto community kitchen serve?")
    assert code == 0 and f"      {corpus}/article.html:6\n" in out
    code, _, _ = _cli(mixed, capsys, "export", "harbour", str(tmp_path / "minutes.md"))
    minutes = (tmp_path / "minutes.md").read_text(encoding="utf-8")
    assert code == 0 and "(report.pdf, p. 2)" in minutes and "(report.docx, \u00b6 3)" in minutes


def _keys(settings: Settings) -> dict[str, str]:
    return {rel: entry.key for rel, entry in read_manifest(settings.index).files.items()}


def test_a_new_reader_version_re_reads_only_its_own_files(corpus, tmp_path, monkeypatch):
    add_mixed_documents(corpus)
    (corpus / "second.html").write_bytes((corpus / "article.html").read_bytes().replace(b"Porto", b"Braga"))
    settings = Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home")
    update_index(settings, jobs=1)
    from askurbact.ingest import formats

    for suffix in (".pdf", ".docx", ".html"):
        before = _keys(settings)
        newer = dataclasses.replace(formats._BY_SUFFIX[suffix], version=formats._BY_SUFFIX[suffix].version + 1)
        for same in newer.suffixes:
            monkeypatch.setitem(formats._BY_SUFFIX, same, newer)
        ours = sorted(rel for rel in before if rel.endswith(suffix))
        assert check_freshness(settings).changed == ours
        report = update_index(settings, jobs=1)
        after = _keys(settings)
        assert sorted(rel for rel in before if before[rel] != after[rel]) == ours  # re-read: a new cache entry
        assert report.unchanged == len(before) and check_freshness(settings).fresh


def test_an_unchanged_pdf_is_never_re_read(corpus, tmp_path, monkeypatch):
    add_mixed_documents(corpus)
    settings = Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home")
    update_index(settings, jobs=1)

    def never(*args, **kwargs):
        raise AssertionError("the PDF was parsed again")

    monkeypatch.setattr(pdf, "extract", never)  # the forked parsing child inherits it
    os.utime(corpus / "report.pdf", ns=(1, 1))  # touched, same bytes
    shutil.copy(corpus / "report.pdf", corpus / "copy-of-report.pdf")  # same bytes, another name
    report = update_index(settings, jobs=1)
    assert not report.skipped and report.added == 1 and report.unchanged == 6
    hit = Assistant(settings).ask("When does the night ferry to Karlskrona leave?").citations
    assert {c.path for c in hit} <= {"report.pdf", "copy-of-report.pdf"} and hit[0].page == 4


def test_quotes_read_words_joined_across_hyphens_and_no_footnote_marks(tmp_path):
    """What a user reads in an answer: "improve" and "efforts" whole, no "[3]" of the page's own
    footnotes beside askurbact's citation numbers; each quote verbatim in `askurbact text`."""
    from made_files import make_html, make_mapped_pdf

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.pdf").write_bytes(make_mapped_pdf([
        (72, 700, b"Quays"), (300, 700, b"The new quays of Gdynia will im-"), (300, 685, b"prove the harbour for"),
        (300, 670, b"the night ferries to Karlskrona."), (300, 640, b"Our e\x03orts for the ferries of Gdynia.")],
        {3: "\u21b5"}))
    (corpus / "kitchen.html").write_bytes(make_html("Kitchen", (
        "<p>The Porto community kitchen serves four hundred meals a day<sup class='reference'>"
        "<a href='#cite_note-3'>[3]</a></sup> to families of the neighbourhood.</p>\n"
        "<p>Cooks are trained there for six months before they find work in the restaurants of the city.</p>")))
    assistant = Assistant(Settings(corpus=corpus, index=tmp_path / "index", home=tmp_path / "home"))
    assert assistant.update(jobs=1).added == 2
    seen = []
    for question in ("What will the new quays of Gdynia improve?", "What are the efforts for the ferries of Gdynia?",
                     "How many meals does the Porto community kitchen serve?"):
        c = assistant.ask(question).citations[0]
        shown = assistant.extracted_text(c.path, c.page).lines
        assert c.quote in "\n".join(line.text for line in shown if c.lines[0] <= line.line <= c.lines[1])
        seen.append(" ".join(c.quote.split()))
    assert "The new quays of Gdynia will improve the harbour" in seen[0]
    assert "Our efforts for the ferries of Gdynia." in seen[1]
    assert "serves four hundred meals a day to families" in seen[2] and "[3]" not in seen[2]
