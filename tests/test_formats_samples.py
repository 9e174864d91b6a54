"""Questions over real reports, a Word handbook and saved web pages (the shared samples, copied
into the test's own folder): every citation's page and lines are right, checked against the
extracted text and, independently, against the file itself."""

from __future__ import annotations

import functools
import re
import shutil
import zipfile

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant

FILES = ["pdf/react_paper.pdf", "pdf/redp5110_sampled.pdf", "pdf/failure-after-repair.pdf",
         "pdf/invalid-pdf-structure-pdfminer-one-page.pdf", "docx/handbook-872p.docx", "html/test_wikipedia.html",
         "html/nature.com.telescope.html"]
QUESTIONS = {  # question -> (file, page) of the first citation
    "What is the example of cooking up a dish in the kitchen?": ("pdf/react_paper.pdf", 1),
    "Which gene mutations are linked to breast cancer?": ("pdf/failure-after-repair.pdf", 14),
    "How is row access control activated on a table?": ("pdf/redp5110_sampled.pdf", None),
    "When did the White House issue the National Cybersecurity Strategy?":
        ("pdf/invalid-pdf-structure-pdfminer-one-page.pdf", 1),
    "Who notifies the standing trustee of the approval of the budget?": ("docx/handbook-872p.docx", None),
    "Who founded Microsoft?": ("html/test_wikipedia.html", None),
    "Who is excited to use the FAST telescope?": ("html/nature.com.telescope.html", None),
}


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


@pytest.fixture(scope="module")
def samples(docs, tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("samples")
    for rel in FILES:
        (root / "corpus" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(docs / rel, root / "corpus" / rel)
    assistant = Assistant(Settings(corpus=root / "corpus", index=root / "index", home=root / "home"))
    assert assistant.update(jobs=2).added == len(FILES)
    assistant.extracted_text = functools.cache(assistant.extracted_text)  # each file read once here
    return assistant


def _in_the_file(assistant: Assistant, citation) -> bool:
    """The quote is where the citation says, read from the file without askurbact's readers:
    pdfium's own text of that page; the paragraphs of the Word body; the HTML source lines."""
    path = assistant.settings.corpus / citation.path
    quote = _alnum(citation.quote)
    if citation.format == "pdf":
        import pypdfium2

        page = pypdfium2.PdfDocument(path)[citation.page - 1]
        return quote in _alnum(page.get_textpage().get_text_range())
    if citation.format == "docx":
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        return any(quote in _alnum(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml))
    source = path.read_text(encoding="utf-8", errors="replace").split("\n")
    first_words = citation.quote.split()[:3]
    window = " ".join(source[citation.lines[0] - 1:citation.lines[1] + 4])
    return all(word in window for word in first_words)


@pytest.mark.parametrize("question", QUESTIONS)
def test_citations_of_real_documents_are_at_their_page_and_lines(samples, question):
    answer = samples.ask(question)
    path, page = QUESTIONS[question]
    assert answer.found and answer.citations[0].path == path
    if page is not None:
        assert answer.citations[0].page == page
    for c in answer.citations:
        shown = samples.extracted_text(c.path, c.page).lines
        assert c.quote in "\n".join(line.text for line in shown if c.lines[0] <= line.line <= c.lines[1]), c.where
        assert _in_the_file(samples, c), (c.where, c.quote)
        assert (c.page is not None) == (c.format == "pdf")
