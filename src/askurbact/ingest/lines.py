"""The extracted text of a file, line by line, as its citations count lines: what
`askurbact text` prints so that anyone can check that a quote stands at its place.

PDF: each page's text, lines counted from 1 on every page. DOCX: one line per paragraph.
Other formats: each block's text at its source line (a web page shows its paragraphs at the
line their element starts on, so two may share a number; Markdown shows its text without
the list and heading marks)."""

from __future__ import annotations

from dataclasses import dataclass

from . import LoadedFile


@dataclass(frozen=True)
class TextLine:
    page: int | None  # 1-based physical page of a PDF, else None
    line: int
    text: str


@dataclass(frozen=True)
class ExtractedText:
    path: str  # relative to the corpus folder, as citations name it
    format: str
    pages: int | None  # how many pages a PDF has; None for other formats
    lines: list[TextLine]


def extracted_lines(loaded: LoadedFile) -> list[TextLine]:
    paged = any(block.page is not None for block in loaded.blocks)
    if loaded.pages is not None:
        return [TextLine(number if paged else None, line, text)
                for number, page in enumerate(loaded.pages, 1)
                for line, text in enumerate(page.split("\n") if page else [], 1)]
    return [TextLine(block.page, block.line + i, text)
            for block in loaded.blocks for i, text in enumerate(block.text.split("\n"))]
