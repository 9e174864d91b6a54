"""DOCX extraction as a reader checks it: paragraph n of the extracted text is the cited one,
headings make sections, tables and lists are blocks, what is not body text stays out, and a
hostile archive is refused before it is parsed."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import docx as python_docx
import pytest

from askurbact.errors import CorpusFileError
from askurbact.ingest.formats import docx
from made_files import entity_docx, make_docx, make_zip, zip_bomb_docx


@functools.cache  # the handbook (1-4 s to read) is read once for the two tests that check it
def _read(docs: Path, name: str):
    return docx.extract((docs / "docx" / name).read_bytes(), name)


SAMPLES = ["0_level_headers.docx", "category-level.docx", "docx_lists.docx", "docx_page_header_footer_first_page.docx",
           "handbook-872p.docx", "lorem_ipsum.docx", "sample_docx_1.docx", "sample_docx_2_page_breaks.docx",
           "sample_docx_with_links.docx", "simple.docx", "test.docx", "unit_test_headers.docx",
           "unit_test_headers_numbered.docx", "word_sample.docx"]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_block_is_its_paragraph_line(docs, name):
    got = _read(docs, name)
    lines = got.pages[0].split("\n")
    assert len(lines) == len(got.blocks)
    for block in got.blocks:
        assert block.text and lines[block.line - 1] == block.text and block.page is None


def _heading_titles(document) -> list[str]:
    """python-docx's reading: the paragraphs in a Title or Heading N style (by style id, looked up
    once: `paragraph.style` resolves each one again, 2.7 s on the handbook)."""
    names = {style.style_id: style.name for style in document.styles}
    titles = []
    for p in document.paragraphs:
        name = names.get(p._p.style, "")
        if re.match(r"(Heading \d|Title)$", name) and p.text.strip():
            titles.append(" ".join(p.text.split()))
    return titles


def test_every_heading_of_the_handbook_is_a_section(docs):
    got = _read(docs, "handbook-872p.docx")
    heads = [b for b in got.blocks if b.heading]
    expected = _heading_titles(python_docx.Document(str(docs / "docx" / "handbook-872p.docx")))
    assert len(expected) == 294 and [b.text for b in heads] == expected
    for head in heads:
        assert head.section[-1] == head.text
    body = next(b for b in got.blocks if not b.heading and b.line > heads[5].line)
    assert body.section and body.section[-1] == [h for h in heads if h.line < body.line][-1].text


def test_headings_nest_like_the_docling_reference(docs):
    got = _read(docs, "unit_test_headers.docx")
    reference = (docs / "docx" / "expected" / "docling-groundtruth-unit_test_headers.docx.md").read_text()
    expected = [line.lstrip("#").strip() for line in reference.splitlines() if line.startswith("#")]
    assert [b.text for b in got.blocks if b.heading] == expected
    deepest = max((b for b in got.blocks if b.heading), key=lambda b: len(b.section))
    assert len(deepest.section) == 4 and deepest.section[0] == "Test Document"


def test_tables_and_lists_are_blocks(docs):
    got = _read(docs, "word_sample.docx")
    texts = [b.text for b in got.blocks]
    assert "Leaves | Ash, Elm, Maple | 50" in texts
    assert "Wear sunglasses" in texts and "Paddle about" in texts
    assert got.meta["title"] == "Swimming in the lake" and got.meta["lang"] == "en"


def test_headers_footers_and_comments_stay_out(docs):
    path = docs / "docx" / "docx_page_header_footer_first_page.docx"
    source = python_docx.Document(str(path))
    furniture = [p.text.strip() for s in source.sections
                 for part in (s.header, s.footer, s.first_page_header, s.first_page_footer)
                 for p in part.paragraphs if p.text.strip()]
    assert furniture
    got = docx.extract(path.read_bytes(), path.name)
    assert not any(f in b.text for f in furniture for b in got.blocks)

    def build(document):
        paragraph = document.add_paragraph("The body says this.")
        document.add_comment(paragraph.runs, text="A reviewer's remark", author="R")

    made = docx.extract(make_docx(build), "c.docx")
    assert [b.text for b in made.blocks] == ["The body says this."]


def test_core_properties_give_title_date_lang():
    def build(document):
        document.core_properties.title = "Final report"
        document.core_properties.language = "fr-FR"
        document.add_heading("Introduction", level=1)
        document.add_paragraph("Texte.")

    got = docx.extract(make_docx(build), "r.docx")
    assert got.meta["title"] == "Final report" and got.meta["lang"] == "fr" and re.fullmatch(r"\d{4}-\d\d-\d\d", got.meta["date"])
    assert got.blocks[1].section == ("Introduction",)


def test_zip_bombs_are_refused_before_parsing():
    with pytest.raises(CorpusFileError, match="inflates .* zip bomb"):
        docx.extract(zip_bomb_docx(), "b.docx")
    many = {f"word/media/{i}.bin": b"" for i in range(docx.MAX_ENTRIES + 1)}
    with pytest.raises(CorpusFileError, match="files inside the archive"):
        docx.extract(make_zip({"word/document.xml": b"<w/>", **many}), "m.docx")


def test_declared_entities_are_refused():
    with pytest.raises(CorpusFileError, match="DOCTYPE"):
        docx.extract(entity_docx(), "e.docx")


@pytest.mark.parametrize("data,reason", ids=["empty", "not-zip", "ole", "no-document"], argvalues=[
    (b"", "empty file (0 bytes)"),
    (b"not a zip at all", "not a Word .docx file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "encrypted or an old .doc file"),
    (make_zip({"hello.txt": b"hi"}), "not a Word document"),
])
def test_bad_files_say_why(data, reason):
    with pytest.raises(CorpusFileError) as caught:
        docx.extract(data, "x.docx")
    assert str(caught.value).startswith(reason)


def test_truncated_docx_says_why():
    data = make_docx(lambda d: d.add_paragraph("Hello " * 2000))
    with pytest.raises(CorpusFileError):
        docx.extract(data[: len(data) // 2], "t.docx")


def _toc_field(document, entries: list[str]) -> None:
    """Word's table of contents: a TOC field whose result is one paragraph per entry (title, tab, page)."""
    from docx.oxml import OxmlElement

    def run(paragraph, tag: str, **attrs):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{key}", value)
        paragraph.add_run()._r.append(element)
        return element

    for i, entry in enumerate(entries):
        paragraph = document.add_paragraph()
        if i == 0:
            run(paragraph, "w:fldChar", fldCharType="begin")
            run(paragraph, "w:instrText").text = ' TOC \\o "1-3" '
            run(paragraph, "w:fldChar", fldCharType="separate")
        title, page = entry.rsplit(" ", 1)
        paragraph.add_run(title).add_tab()
        paragraph.add_run(page)
        if i == len(entries) - 1:
            run(paragraph, "w:fldChar", fldCharType="end")


def test_a_table_of_contents_opens_no_section():
    def build(document):
        document.add_heading("Contents", 1)
        _toc_field(document, ["The harbour 2", "The new quays 2", "The tram depot 3"])
        document.add_paragraph("The city council thanks the people of Gdynia for their patience.")
        document.add_heading("The tram depot", 1)
        document.add_paragraph("The Gdynia tram depot was rebuilt in 2019.")

    blocks = docx.extract(make_docx(build), "d.docx").blocks
    assert [b.text for b in blocks if b.heading] == ["Contents", "The tram depot"]
    assert [b.section for b in blocks] == [("Contents",)] * 4 + [(), ("The tram depot",), ("The tram depot",)]


def test_a_list_of_tables_closes_before_the_body(docs):
    """0_level_headers.docx: "TABLES" heads a table of tables (a TOC field), not the introduction."""
    blocks = _read(docs, "0_level_headers.docx").blocks
    assert next(b for b in blocks if b.text == "Nothing to introduce, yet.").section == ("Introduction",)
