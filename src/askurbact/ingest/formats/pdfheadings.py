"""Where a PDF's headings are, for pdflayout: the outline's entries placed on the rows that spell
them, or, in a PDF without an outline, the lines set as headings (larger type, short, no
sentence end, text under them).

Measured on the samples without an outline (docs/formats.md): the sections of multi_page.pdf
and redp5110_sampled.pdf are those of docling's reference; designed pages (an annual report's
cover, a booklet's exercise labels) give some false headings, which cost little: a heading is
only a section name and the start of a passage.
"""

from __future__ import annotations

import re
import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pdflayout import Row

BULLET = re.compile(r"^(?:[\u2022\u2023\u2043\u25aa\u25cf\u25cb\u25a0\u25a1\u25e6\u27a2\u25ba\u25b6\u2713\u2714"
                    r"\u2013\u2014*\u00b7\ue000-\uf8ff]|\(?(?:\d{1,2}|[a-z])[.)])\s")


def _key(text: str) -> str:
    text = re.sub(r"(?i)^\s*(?:(?:chapter|kapitel|part|teil|section|appendix|anhang)\s+)?"
                  r"(?:\d+|[ivxlc]+|[a-z])?(?:\.\d+)*\.?\s+(?=\S)", "", text)
    return re.sub(r"[\W_]+", "", text.lower())


def place_headings(rows: list[Row], marks: list[tuple]) -> dict[int, tuple[int, int, str]]:
    """{first row: (rows it spans, level, title)} for the outline entries pointing at this page:
    the rows that spell the title, else the first row at or below the bookmark's height."""
    heads, start = {}, 0
    for level, title, top in marks:
        want, found = _key(title), None
        for i in range(start, len(rows)):
            got = ""
            for n in range(3):
                if i + n >= len(rows):
                    break
                got += _key(rows[i + n].text)
                if got == want and want:
                    found = (i, n + 1)
                    break
                if not want.startswith(got):
                    break
            if found:
                break
        if found is None:
            below = [i for i in range(start, len(rows)) if top is None or rows[i].y1 <= top + 2]
            found = (below[0] if below else len(rows), 0)
        i, span = found
        heads[i] = (span, level, title) if i not in heads or span else heads[i]
        start = i + span
    return heads


_SENTENCE_END = re.compile(r"[.,;:!?]$")
_NOT_A_HEADING = re.compile(r"(?i)^(?:figure|fig\.|table|source|note|chart|exhibit)\b|\.{4,}|\u2026|^\w{1,4}:\s")
MIN_HEADING_SIZE = 1.08  # times the page's body type: 12 pt over 11 pt


def _body_size(rows: list[Row]) -> float:
    """The type size most of the page's text is set in (rows weighted by their length)."""
    sizes = [row.size for row in rows for _ in range(max(1, len(row.text) // 20))]
    return statistics.median(sizes) if sizes else 0.0


def _heading_level(para: list[Row], following: list[Row], body: float) -> int | None:
    """1-3 (by type size) when `para` reads as a heading of the paragraph after it, else None."""
    text = " ".join(row.text for row in para)
    size = max(row.size for row in para)
    if (len(para) > 2 or len(text) > 120 or len(text.split()) > 14 or size < MIN_HEADING_SIZE * body
            or _SENTENCE_END.search(text) or _NOT_A_HEADING.search(text) or BULLET.match(text)
            or not (text[:1].isupper() or text[:1].isdigit()) or not re.search(r"[^\W\d_]{3}", text)):
        return None
    after = " ".join(row.text for row in following)
    if max(row.size for row in following) * 1.05 > size or (len(following) < 2 and len(after.split()) < 12):
        return None  # a heading introduces text in a smaller type
    return 1 if size >= 1.6 * body else 2 if size >= 1.3 * body else 3


Paragraphs = list[tuple["list[Row]", "tuple | None"]]  # the rows of each, and the (level, title) it opens


def heading_like(paragraphs: Paragraphs, rows: list[Row]) -> Paragraphs:
    """The page's paragraphs, those set as headings given their (level, title)."""
    body = _body_size(rows)
    out = []
    for i, (para, head) in enumerate(paragraphs):
        if head is None and para and i + 1 < len(paragraphs) and paragraphs[i + 1][0]:
            level = _heading_level(para, paragraphs[i + 1][0], body)
            if level is not None:
                head = (level, " ".join(row.text for row in para))
        out.append((para, head))
    return out
