"""Page geometry -> reading order, running-header removal and paragraphs, for pdf.py.

Kept apart from pdfium so it is plain Python over boxes (PDF units, y grows upwards): it can be
read, tested and tuned without a PDF. Reading order is a recursive XY cut that prefers a vertical
cut (a gutter no line crosses, with real text on both sides) and otherwise cuts between rows,
merging consecutive rows that share a gutter back together first; that is what keeps a two-column
body whole under a full-width title without interleaving its lines.
"""

from __future__ import annotations

import difflib
import re
import statistics
from dataclasses import dataclass, field

from ...model import Block
from .pdfheadings import BULLET, heading_like, place_headings
from .pdfhyphens import HYPHEN_END, Spellings, dehyphenate
from .toc import Item, entry_numbers, sections

MAX_SEGMENTS = 6000  # past this a page is a drawing or a glyph soup: keep pdfium's order, bounded time
_EDGE = 0.14  # share of the page height, top and bottom, where running headers and footers live
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page|p\.|seite|s\.|pag\.)?\s*[-\u2013\u2014]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-\u2013\u2014]?"
    r"(?:\s*(?:of|/|von|de)\s*\d{1,4})?$")
_SENTENCE_END = re.compile(r"[.!?:;\"\u201d)]$")


@dataclass
class Seg:
    """A run of text on one baseline, as pdfium or the character pass gave it."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    h: float  # line height of its font: the unit of every threshold here
    hyphen: bool = False  # pdfium marked the end as a hyphenation
    rotated: bool = False
    bold: bool = False  # of its first character: a bold line after body text is a heading


@dataclass
class Row:
    """One line of the page text."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    h: float
    hyphen: bool = False
    size: float = 0.0  # height of its longest segment: type size, not a stray brace's font box
    rotated: bool = False
    bold: bool = False
    zone: str | None = None  # "top" / "bottom": among the page's edge rows
    segs: list = field(default_factory=list, repr=False)


def scattered(rects: list[tuple], h: float) -> bool:
    """Whether a pdfium line's parts jump (gap wider than a word space, backwards, another row)."""
    return any(_jump(a, b, h) for a, b in zip(rects, rects[1:]))


def jumps(frame: tuple, box: tuple) -> bool:
    return _jump(frame[4], box, frame[3] - frame[1])


def grow(frame: tuple | None, tight: tuple, loose: tuple) -> tuple:
    """Union of a character run's boxes, its height the first character's font height; the last
    character's tight box rides along for jumps()."""
    if frame is None:
        return (tight[0], loose[1], tight[2], loose[3], tight)
    return (frame[0], frame[1], max(frame[2], tight[2]), frame[3], tight)


def _jump(a: tuple, b: tuple, h: float) -> bool:
    gap = _gap_max(h)  # tight boxes: a full stop and an accent need not overlap, so compare centres
    return b[0] - a[2] > gap or b[0] < a[0] - gap or abs(b[1] + b[3] - a[1] - a[3]) > 1.4 * h


def _gap_max(h: float) -> float:
    # wider than a stretched word space, narrower than LaTeX's 10 pt \columnsep at 10 pt type
    return max(0.6 * h, 3.0)


def reading_order(segs: list[Seg], page_height: float) -> list[Row]:
    upright = [s for s in segs if not s.rotated and s.text]
    if len(upright) > MAX_SEGMENTS:
        rows = [_row([s]) for s in upright]
    else:
        rows = [row for leaf in _cut(_merge_lines(upright)) for row in _leaf_rows(leaf)]
    _mark_edges(rows, page_height)
    return rows + [_row([s]) for s in segs if s.rotated and s.text]  # margin labels go last


def _merge_lines(segs: list[Seg]) -> list[Row]:
    """Segments on one baseline and close together are one line (superscripts included)."""
    lines: list[Row] = []
    active: list[Row] = []
    for s in sorted(segs, key=lambda s: (-(s.y0 + s.y1), s.x0)):
        active = [line for line in active if line.y0 <= s.y1 + 2 * s.h]
        for line in reversed(active):
            small = line.h if line.h < s.h else s.h
            overlap = (line.y1 if line.y1 < s.y1 else s.y1) - (line.y0 if line.y0 > s.y0 else s.y0)
            if overlap < 0.5 * small or s.x0 - line.x1 > _gap_max(small) or line.x0 - s.x1 > _gap_max(small):
                continue
            line.segs.append(s)
            line.x0, line.x1 = min(line.x0, s.x0), max(line.x1, s.x1)
            line.y0, line.y1, line.h = min(line.y0, s.y0), max(line.y1, s.y1), max(line.h, s.h)
            break
        else:
            line = Row("", s.x0, s.y0, s.x1, s.y1, s.h, segs=[s])
            lines.append(line)
            active.append(line)
    for line in lines:
        line.segs.sort(key=lambda s: s.x0)
        line.text, line.hyphen = _join(line.segs), line.segs[-1].hyphen
        line.size = max(line.segs, key=lambda s: len(s.text)).h
        line.bold = line.segs[0].bold
    return lines


def _join(segs: list) -> str:
    out = segs[0].text
    for a, b in zip(segs, segs[1:]):
        out += ("" if b.x0 - a.x1 < 0.12 * min(a.h, b.h) else " ") + b.text
    return out


def _row(segs: list) -> Row:
    return Row(_join(segs), min(s.x0 for s in segs), min(s.y0 for s in segs), max(s.x1 for s in segs),
               max(s.y1 for s in segs), max(s.h for s in segs), segs[-1].hyphen,
               max(segs, key=lambda s: len(s.text)).h, segs[0].rotated, segs[0].bold, segs=segs)


def _gutters(lines: list[Row], wmin: float) -> list[tuple[float, float]]:
    """Free x-intervals at least `wmin` wide between the lines' extents, widest first."""
    spans = sorted((line.x0, line.x1) for line in lines)
    found, end = [], spans[0][1]
    for a, b in spans[1:]:
        if a - end >= wmin:
            found.append((end, a))
        end = max(end, b)
    return sorted(found, key=lambda g: g[0] - g[1])


def _columns(lines: list[Row]) -> tuple[list[Row], list[Row]] | None:
    """A vertical cut between real columns: both sides hold lines of running-text width."""
    if len(lines) < 4:
        return None
    wmin = max(_gap_max(statistics.median(line.h for line in lines)), 4.0)
    width = max(line.x1 for line in lines) - min(line.x0 for line in lines)
    for left_end, right_start in _gutters(lines, wmin):
        left = [line for line in lines if line.x1 <= left_end]
        right = [line for line in lines if line.x0 >= right_start]
        if len(left) >= 2 and len(right) >= 2 and all(
                statistics.median(line.x1 - line.x0 for line in side) >= 0.18 * width for side in (left, right)):
            return left, right
    return None


def _cut(lines: list[Row]) -> list[list[Row]]:
    if len(lines) < 2:
        return [lines] if lines else []
    split = _columns(lines)
    if split:
        return _cut(split[0]) + _cut(split[1])
    bands = _bands(lines)
    if len(bands) == 1:
        return [lines]
    groups: list[list[Row]] = [bands[0]]
    for band in bands[1:]:
        wmin = max(_gap_max(min(line.h for line in band)), 4.0)
        if _gutters(groups[-1] + band, wmin):  # the band continues the group's column layout
            groups[-1] = groups[-1] + band
        else:
            groups.append(band)
    if len(groups) == 1:
        return [lines]
    return [leaf for group in groups for leaf in _cut(group)]


def _bands(lines: list[Row]) -> list[list[Row]]:
    """Split top to bottom wherever no line covers a horizontal strip."""
    ordered = sorted(lines, key=lambda line: -line.y1)
    bands, bottom = [[ordered[0]]], ordered[0].y0
    for line in ordered[1:]:
        if line.y1 < bottom:
            bands.append([line])
        else:
            bands[-1].append(line)
        bottom = min(bottom, line.y0) if line.y1 >= bottom else line.y0
    return bands


def _leaf_rows(lines: list[Row]) -> list[Row]:
    """Inside one column, lines at the same height are one row (a table's cells), left to right."""
    rows: list[list[Row]] = []
    for line in sorted(lines, key=lambda line: -(line.y0 + line.y1)):
        last = rows[-1][0] if rows else None
        if last and min(last.y1, line.y1) - max(last.y0, line.y0) >= 0.5 * min(last.h, line.h):
            rows[-1].append(line)
        else:
            rows.append([line])
    out = []
    for group in rows:
        group.sort(key=lambda line: line.x0)
        segs = [s for line in group for s in line.segs]
        row = _row(group) if len(group) > 1 else group[0]
        row.text = " ".join(line.text for line in group)
        row.hyphen, row.segs = group[-1].hyphen, segs
        row.size = max(segs, key=lambda s: len(s.text)).h
        out.append(row)
    return out


def _mark_edges(rows: list[Row], height: float) -> None:
    by_top = sorted(rows, key=lambda r: -r.y1)
    for row in by_top[:3]:
        row.zone = "top" if row.y0 >= (1 - _EDGE) * height else row.zone
    for row in by_top[::-1][:3]:
        row.zone = "bottom" if row.y1 <= _EDGE * height else row.zone


def _signature(text: str) -> str:
    text = re.sub(r"\b[ivxlcdm]{1,7}\b", "#", text.lower())
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_running(pages: list[list[Row]]) -> None:
    """Drop page numbers and lines repeated at the same edge of other pages (exactly, or nearly
    within two pages: OCR spells the same running head differently)."""
    seen: dict[tuple[str, str], set[int]] = {}
    for p, rows in enumerate(pages):
        for row in rows:
            if row.zone:
                seen.setdefault((row.zone, _signature(row.text)), set()).add(p)
    for p, rows in enumerate(pages):
        pages[p] = [row for row in rows if not (row.zone and _running(row, p, pages, seen))]


def _running(row: Row, p: int, pages: list[list[Row]], seen: dict) -> bool:
    if _PAGE_NUMBER.match(row.text):
        return True
    if len(row.text) > 150:
        return False
    if len(seen[(row.zone, _signature(row.text))]) >= 2:
        return True
    sig = _signature(row.text)
    for q in (p - 2, p - 1, p + 1, p + 2):
        if 0 <= q < len(pages):
            for other in pages[q]:
                if other.zone == row.zone and _similar(sig, _signature(other.text)):
                    return True
    return False


def _similar(a: str, b: str) -> bool:
    if not a or abs(len(a) - len(b)) > 0.2 * len(a):
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() > 0.85 and matcher.ratio() > 0.85


def paginate(pages: list[list[Row]], outline: list[tuple]) -> tuple[list[str], list[Block]]:
    """Page texts and their blocks: paragraphs split on gaps, indents, bullets, type size and
    headings (the outline's, else lines that look like headings); words hyphenated at a line
    end joined on the upper line."""
    strip_running(pages)
    spellings = Spellings(row.text for rows in pages for row in rows)
    marks: dict[int, list[tuple]] = {}
    for level, title, page, top in outline:
        marks.setdefault(page, []).append((level, title, top))
    texts, items, placed = [], [], []  # placed: (item, text, line, page) of each block
    for p, rows in enumerate(pages):
        paragraphs = _paragraphs(rows, place_headings(rows, marks.get(p, [])))
        if not outline:  # no bookmarks: lines set as headings are headings
            paragraphs = heading_like(paragraphs, rows)
        lines: list[str] = []
        for para, head in paragraphs:
            texts_ = dehyphenate([row.text for row in para], spellings)
            numbers = entry_numbers([row.text for row in para], [_number_apart(row) for row in para])
            if head is not None:  # a heading opens its section even when it has no rows here
                items.append(Item(head[0], head[1], numbers))
            if not texts_:
                continue
            if lines:
                lines.append("")
            if head is None and len(texts_) == 1 and _PAGE_NUMBER.match(texts_[0]):
                continue  # a lone number (a chapter's big numeral, a stray folio) is no passage
            if head is None:
                items.append(Item(None, texts_[0], numbers))
            placed.append((len(items) - 1, "\n".join(texts_), len(lines) + 1, p + 1))
            lines.extend(texts_)
        texts.append("\n".join(lines))
    paths = sections(items)  # a table of contents opens no section (toc.py)
    return texts, [Block(text, line, paths[i][0], heading=paths[i][1], page=page) for i, text, line, page in placed]


def _number_apart(row: Row) -> bool:
    """Whether the row ends in a number set far right of the rest (a table of contents' page)."""
    segs = row.segs
    return len(segs) > 1 and segs[-1].x0 - segs[-2].x1 > 3 * row.h and segs[-1].text.strip().isalnum()


def _paragraphs(rows: list[Row], heads: dict) -> list[tuple[list[Row], tuple | None]]:
    """Runs of rows that read as one paragraph, each with the (level, title) starting there."""
    gaps = [a.y0 - b.y1 for a, b in zip(rows, rows[1:]) if b.y1 <= a.y0 + a.h and b.x0 < a.x1]
    usual = max(statistics.median(gaps), 0.0) if gaps else 0.0
    out, current, pending, skip = [], [], None, 0
    for i, row in enumerate(rows):
        if i in heads:
            span, level, title = heads[i]
            if current or pending:
                out.append((current, pending))
            current, pending = [], (level, title)
            if span:
                out.append((rows[i:i + span], pending))
                pending, skip = None, span
        if skip:
            skip -= 1
            continue
        if current and _breaks(rows, i, current[-1], usual):
            out.append((current, pending))
            current, pending = [], None
        current.append(row)
    if current or pending:
        out.append((current, pending))
    return [(para, head) for para, head in out if para or head]


def _breaks(rows: list[Row], i: int, prev: Row, usual: float) -> bool:
    row = rows[i]
    h = max(row.h, prev.h)
    if row.y1 > prev.y0 + 0.5 * h or row.x0 >= prev.x1:  # next column or back up: continue a sentence
        return not (prev.hyphen or prev.text.endswith("-") or not _SENTENCE_END.search(prev.text)
                    and (row.text[:1].islower() or prev.text[-1:].islower() or prev.text.endswith(",")))
    if row.text[:1].islower() and (prev.hyphen or HYPHEN_END.search(prev.text)) and not BULLET.match(row.text):
        return False  # the rest of a word broken at the line end, whatever the gap (a formula) or indent (a reference)
    if prev.y0 - row.y1 > max(0.45 * h, usual + 0.3 * h):
        return True
    if abs(row.size - prev.size) > 0.15 * max(row.size, prev.size) or BULLET.match(row.text):
        return True
    ends = bool(_SENTENCE_END.search(prev.text))
    if prev.bold != row.bold and (ends if row.bold else not ends):
        return True  # into a bold heading after a finished sentence, or out of one
    after = rows[i + 1] if i + 1 < len(rows) else None
    if after and prev.x0 + 0.8 * h < row.x0 < prev.x0 + 4 * h and abs(after.x0 - prev.x0) < 0.3 * h:
        return True  # an indented first line, the lines after it flush again
    right = max(prev.x1, row.x1, after.x1 if after else row.x1)
    return ends and prev.x1 < right - 3 * h and row.text[:1].isupper()
