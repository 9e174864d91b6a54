"""PDF text layer -> cleaned page texts and paragraph blocks, each cited to a physical page and a
line of that page's text.

pdfium's own text order is the content stream's order: superscripts break lines, columns that a
producer draws row by row interleave, running headers sit between paragraphs. So the page text is
rebuilt from geometry (see `pdflayout`) and cleaned (headers, footers, page numbers, hyphens)
before it becomes the page text: what `askurbact text --page N` shows is exactly what was indexed.
Geometry is read per pdfium line (a handful of calls) rather than per character, which keeps the
whole thing several hundred pages a second.
"""

from __future__ import annotations

import re
import statistics
import time

from ...errors import CorpusFileError
from . import pdflayout
from .extracted import Extracted, check_time
from .pdflayout import Row

_NO_OCR = "no text layer on {} (scanned?): run OCR first, for example with ocrmypdf"
_JUNK_TITLE = re.compile(r"^(untitled|microsoft word - .*|.*\.(pdf|docx?|indd|tex|dvi))$", re.I)


def extract(data: bytes, rel_path: str, time_limit: float | None = None) -> Extracted:
    """Read a PDF; raises CorpusFileError with the reason when nothing can be indexed."""
    from . import pdftext  # pdfium loads only when a PDF is read

    started = time.monotonic()
    pdf = pdftext.open_pdf(data)
    try:
        pages, textless, blank = [], [], 0
        for index in range(len(pdf)):
            check_time(started, time_limit)
            rows, has_images = pdftext.read_page(pdf, index)
            pages.append(rows)
            if not rows:
                textless.append(index + 1) if has_images else None
                blank += not has_images
        if len(textless) + blank == len(pages):
            raise CorpusFileError(_NO_OCR.format(_page_ranges(textless)) if textless else "no text on any page")
        texts, blocks = pdflayout.paginate(pages, pdftext.outline(pdf, len(pages)))
        warnings = [_NO_OCR.format(_page_ranges(textless))] if textless else []
        return Extracted(blocks, _metadata(pdftext.info(pdf), pages), warnings, texts)
    finally:
        pdf.close()


def _page_ranges(numbers: list[int]) -> str:
    """'page 3' or 'pages 3-7, 9': how a reader names pages."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
    return ("page " if len(numbers) == 1 else "pages ") + text


def _metadata(info: dict[str, str], pages: list[list[Row]]) -> dict:
    meta = {}
    title = re.sub(r"\s+", " ", info.get("Title", "")).strip()
    meta["title"] = title if title and not _JUNK_TITLE.match(title) else _first_page_title(pages)
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", info.get("CreationDate", "").strip())
    if match and 1900 < int(match.group(1)) < 2200:
        meta["date"] = "-".join(g for g in match.groups() if g)
    if info.get("Author", "").strip():
        meta["author"] = info["Author"].strip()
    if info.get("Lang"):
        meta["lang"] = info["Lang"]
    return {k: v for k, v in meta.items() if v}


def _first_page_title(pages: list[list[Row]]) -> str | None:
    """The first page's first line with the lines after it in the same type (a title set on two
    or three lines), or a much larger line just below it (a cover's "Front cover" above the title)."""
    rows = next(([r for r in rows if not r.rotated] for rows in pages if rows), None)
    if not rows:
        return None
    start = next((i for i, row in enumerate(rows[1:5], 1) if row.size >= 1.3 * rows[0].size), 0)
    title = [rows[start].text]
    body = statistics.median(row.size for row in rows)
    for row in rows[start + 1:start + 3] if rows[start].size > 1.05 * body else ():
        if abs(row.size - rows[start].size) > 0.1 * rows[start].size or len(" ".join(title)) > 150:
            break
        title.append(row.text)
    return " ".join(title)[:200].strip() or None
