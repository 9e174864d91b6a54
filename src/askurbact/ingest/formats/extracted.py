"""What every format module returns, so indexing, citations and `askurbact text` treat a PDF page,
a Word paragraph and a web page line alike.

The contract that matters: a block's `text` is a verbatim slice of the text a reader can be shown
(a PDF's page text, a DOCX's paragraph list, an HTML file's source line), so a quote can always be
found again at its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class UnreadableFile(Exception):
    """The file cannot be indexed; str(exc) is the one-line reason for the user."""


@dataclass(frozen=True)
class Block:
    text: str  # verbatim slice of the extracted text; never empty
    line: int  # 1-based: PDF line in the page text; DOCX body paragraph; HTML source line
    section: tuple[str, ...]  # heading path above the block, outermost first
    heading: bool = False
    page: int | None = None  # PDF: 1-based physical page; else None


@dataclass
class Extracted:
    blocks: list[Block]
    meta: dict  # any of: title, date (YYYY[-MM[-DD]]), lang, url, author
    warnings: list[str] = field(default_factory=list)  # one line each, for the user
    pages: list[str] | None = None  # PDF: each page's text; DOCX: one string, line n = paragraph n
