"""The data that flows between the stages: documents and their blocks (ingest), passages
and sentences (chunking, analysis), hits (search). Plain frozen dataclasses with no
behaviour beyond their own arithmetic, so every layer can use them and none owns them.
Their JSON forms live with the stage that stores them (`index.records`, `answer.model`).
"""

from __future__ import annotations

from dataclasses import dataclass

# Between the pieces of a passage: a blank line, so a piece never runs into the next.
PIECE_SEPARATOR = "\n\n"
# Between the headings of a section's path: "Title > Chapter > Part".
SECTION_SEPARATOR = " > "


@dataclass(frozen=True)
class Location:
    """Where a text stands in its file, as a reader finds it again.

    `lines` are 1-based and inclusive: lines of the source file (.md, .txt, HTML), of the
    page's extracted text (PDF) or paragraph numbers in the body (DOCX). `page` is the
    1-based physical page of a PDF, None where a format has no pages."""

    first_line: int
    last_line: int
    page: int | None = None

    @property
    def lines(self) -> tuple[int, int]:
        return self.first_line, self.last_line


@dataclass(frozen=True)
class Document:
    doc_id: str  # from the path alone: `notes.md` is `notes`, `notes.txt` stays `notes.txt` (ingest.doc_id_of)
    path: str  # relative to the corpus folder, with forward slashes
    title: str
    lang: str
    date: str | None = None
    publisher: str | None = None
    tags: tuple[str, ...] = ()
    format: str = "markdown"


@dataclass(frozen=True)
class Block:
    """A verbatim slice of a document's text (heading, paragraph, list item, table...)."""

    text: str
    line: int  # 1-based line where `text` starts (see Location)
    section: tuple[str, ...]  # heading path above the block
    heading: bool = False
    page: int | None = None


@dataclass(frozen=True)
class Sentence:
    text: str  # verbatim from the source lines first_line..last_line
    first_line: int
    last_line: int
    start: int  # offset in the passage text
    end: int


@dataclass(frozen=True)
class Passage:
    doc_id: str
    section: str  # heading path, SECTION_SEPARATOR between levels; "" before the first heading
    first_line: int
    last_line: int
    text: str  # the pieces joined by PIECE_SEPARATOR
    pieces: tuple[tuple[int, int], ...]  # (offset in `text`, source line) of each piece
    page: int | None = None  # a passage never spans pages

    @property
    def location(self) -> Location:
        return Location(self.first_line, self.last_line, self.page)

    def line_at(self, offset: int) -> int:
        """Source line of a character offset in `text`."""
        piece_offset, line = self.pieces[0]
        for start, start_line in self.pieces:
            if start > offset:
                break
            piece_offset, line = start, start_line
        return line + self.text.count("\n", piece_offset, offset)


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based
    score: float  # the passage's BM25Okapi score
    index: int  # passage slot in the index
    passage: Passage
    document: Document
