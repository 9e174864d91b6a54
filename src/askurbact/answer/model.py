"""An answer and its citations, and their JSON form: the one place that writes it (for
`ask --json`, saved chats and exports) and reads it back (saved chats, the chat UI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import SECTION_SEPARATOR, Document, Hit, Passage
from ..search.filter import Filter

NOTHING_FOUND = "I found nothing relevant to this question in the documents."
NOTHING_MORE = "I found nothing more on this in the documents than this chat has already shown."


def place(path: str, lines: tuple[int, int] | list[int], page: int | None = None, format: str = "markdown") -> str:
    """Where a quote stands, the way a person looks it up: `report.pdf, p. 12` (a PDF's
    physical page; its lines stay in the JSON), `handbook.docx, ¶ 41-42` (paragraphs of the
    body), `article.html:120` and `article.md:96-97` (lines of the source file)."""
    if page is not None:
        return f"{path}, p. {page}"
    first, last = lines
    span = f"{first}" + (f"-{last}" if last != first else "")
    if format == "docx":
        return f"{path}, \u00b6 {span}"
    return f"{path}:{span}"


def missing_words(words: tuple[str, ...]) -> str:
    """How an answer or a source shows the question's words it lacks: "missing: euros"."""
    return f"missing: {' '.join(words)}"


# What an answer saved before a field was kept, or hand-edited, has there: shown only if
# it has the right type (a damaged field is left out, the answer is kept).
def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else ()


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    section: str
    path: str
    lines: tuple[int, int]
    quote: str  # verbatim from the source lines
    rank: int  # rank of the passage it comes from
    page: int | None = None
    format: str = "markdown"
    missing: tuple[str, ...] = ()  # the question's words this quote does not hold (see select.quote_missing)

    @property
    def where(self) -> str:
        return place(self.path, self.lines, self.page, self.format)

    @property
    def heading(self) -> str:
        """The section without the document's title at its head ("" for the title itself):
        `Title > Public lab` is shown beside the title as `Public lab`."""
        head, _, rest = self.section.partition(SECTION_SEPARATOR)
        return rest if head == self.title else self.section

    def link(self, folder: Path) -> str:
        """The quote's place with the folder: `folder/path:line` for files cited by line, as
        terminals and editors open them; as a reader looks them up for a PDF's page and a Word
        file's paragraphs (`folder/report.pdf, p. 12`, `folder/handbook.docx, ¶ 41-42`)."""
        path = (folder / self.path).as_posix()
        if self.by_line:
            return f"{path}:{self.lines[0]}"
        return place(path, self.lines, self.page, self.format)

    @property
    def by_line(self) -> bool:
        """Whether `lines` are lines of the file itself (not of a PDF page, nor Word paragraphs)."""
        return self.page is None and self.format != "docx"

    def to_json(self) -> dict:
        return {"n": self.n, "doc_id": self.doc_id, "title": self.title, "section": self.section,
                "path": self.path, "lines": list(self.lines), "page": self.page, "format": self.format,
                "quote": self.quote, "missing": list(self.missing)}

    @classmethod
    def from_json(cls, d: dict) -> Citation:
        first, last = d["lines"]
        return cls(int(d["n"]), str(d["doc_id"]), str(d["title"]), str(d.get("section") or ""), str(d["path"]),
                   (int(first), int(last)), str(d["quote"]), int(d.get("rank") or 0), _page(d.get("page")),
                   str(d.get("format") or "markdown"), _strings(d.get("missing")))


def _page(value: object) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def hit_to_json(h: Hit) -> dict:
    return {"rank": h.rank, "score": round(h.score, 6), "doc_id": h.document.doc_id, "title": h.document.title,
            "section": h.passage.section, "path": h.document.path, "lines": [h.passage.first_line, h.passage.last_line],
            "page": h.passage.page, "format": h.document.format, "text": h.passage.text}


def hit_from_json(d: dict) -> Hit:
    """A hit as saved: enough to show it again (its index slot is gone, so -1)."""
    first, last = (int(x) for x in d["lines"])
    passage = Passage(str(d["doc_id"]), str(d.get("section") or ""), first, last, str(d["text"]), ((0, first),),
                      _page(d.get("page")))
    document = Document(str(d["doc_id"]), str(d["path"]), str(d["title"]), "en",
                        format=str(d.get("format") or "markdown"))
    return Hit(int(d["rank"]), float(d["score"]), -1, passage, document)


@dataclass(frozen=True)
class Answer:
    question: str
    query: str  # the terms searched, after analysis and follow-up context
    found: bool
    text: str  # sentences with [n] markers, or NOTHING_FOUND
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    terms: tuple[str, ...]  # the question's own terms (without carried context)
    words: str = ""  # what was searched, as words a person reads (not stems)
    semantic: bool = False  # passage vectors (the semantic extra) took part in the search
    # The question's words that none of its quotes holds (see select.quote_missing): an answer
    # about the subject that lacks the detail asked for shows what it lacks.
    missing: tuple[str, ...] = ()
    # The filter the search ran under (None: not known); a chat's turn keeps it, the JSON not.
    filter: Filter | None = None

    @property
    def searched(self) -> str:
        """What was searched, for a person: the words, else (an answer saved before they
        were kept) the terms."""
        return self.words or self.query

    @property
    def note(self) -> str:
        """The line shown under an answer: what was searched, then the words none of its
        quotes holds, if any ("searched for budget hope institute euros · missing: euros")."""
        missing = f" \u00b7 {missing_words(self.missing)}" if self.missing else ""
        return f"searched for {self.searched}{missing}"

    def to_json(self) -> dict:
        return {"question": self.question, "query": self.query, "searched": self.searched, "found": self.found,
                "answer": self.text, "citations": [c.to_json() for c in self.citations],
                "passages": [hit_to_json(h) for h in self.hits], "missing": list(self.missing),
                **({"semantic": True} if self.semantic else {})}

    @classmethod
    def from_json(cls, d: dict) -> Answer:
        """An answer as `to_json` wrote it; raises KeyError, TypeError or ValueError if the
        data is not one."""
        if not isinstance(d, dict):
            raise TypeError("an answer is a JSON object")
        return cls(str(d["question"]), str(d.get("query") or ""), bool(d.get("found")), str(d.get("answer") or ""),
                   tuple(Citation.from_json(c) for c in d.get("citations") or ()),
                   tuple(hit_from_json(h) for h in d.get("passages") or ()), (), words=_string(d.get("searched")),
                   semantic=d.get("semantic") is True, missing=_strings(d.get("missing")))
