"""pdfium's text layer -> segments (runs of text on one baseline, with their boxes), for pdf.py.

Geometry is read per pdfium line (a handful of calls) rather than per character, which keeps the
whole thing several hundred pages a second. Only pdf.py imports this module, inside `extract`:
a question asked of an up-to-date index never loads pdfium.
"""

from __future__ import annotations

import ctypes
import math
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...errors import CorpusFileError
from . import pdflayout
from .pdflayout import Row, Seg

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted: save a copy without a password",
    pdfium_c.FPDF_ERR_FORMAT: "damaged or not a PDF (its structure cannot be read)",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted with an unsupported security handler",
    pdfium_c.FPDF_ERR_FILE: "the file cannot be read",
}
_SEGMENT = re.compile(r"[^\r\n\ufffe]+\ufffe?|\ufffe")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HYPHEN_MARKS = ("\ufffe", "\u00ad")  # pdfium's mark of a hyphenated line end; a producer's soft hyphen
# Ligatures: pdfium itself spells U+FB00-FB06 as their letters (a ToUnicode "\ufb01" reads "fi").
# But the ff ligature of Computer Modern text fonts (CMR9, CMR10 in LaTeX papers: the LayoutParser
# paper's "e\u21b5orts", "di\u21b5erent", "o\u21b5-the-shelf") reads as U+21B5, a return arrow, which
# those fonts do not have. No text sets that arrow inside a word, so there, after a letter and
# before a letter or a hyphen, it is the ligature; anywhere else it stays.
_FF_ARROW = re.compile(r"(?<=[^\W\d_])\u21b5(?=[^\W\d_]|-)")


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    if not data:
        raise CorpusFileError("empty file (0 bytes)")
    if b"%PDF-" not in data[:1024]:
        raise CorpusFileError("not a PDF (no %PDF- header)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        raise CorpusFileError(_LOAD_ERRORS.get(code, "damaged PDF: no page can be read")) from None


def read_page(pdf: pdfium.PdfDocument, index: int) -> tuple[list[Row], bool]:
    """The page's rows in reading order (before header removal), and whether it holds images."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return [], False
    try:
        textpage = page.get_textpage()
        try:
            segs = _segments(textpage.raw)  # the raw handle: the wrapper costs a lookup per call
        finally:
            textpage.close()
        rows = pdflayout.reading_order(segs, page.get_height()) if segs else []
        return rows, (not rows) and _has_images(page)
    except pdfium.PdfiumError:
        return [], False  # a page pdfium cannot lay out reads as blank, the others still count
    finally:
        page.close()


def _has_images(page) -> bool:
    """A page without text but with an image is a scan; one without either is just blank."""
    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=3))


class _Box:
    """Reusable ctypes out-parameters: allocating them per call costs more than the call."""

    def __init__(self):
        self.l, self.b, self.r, self.t = (ctypes.c_double() for _ in range(4))
        self.ltrb = [ctypes.byref(v) for v in (self.l, self.t, self.r, self.b)]
        self.lrbt = [ctypes.byref(v) for v in (self.l, self.r, self.b, self.t)]
        self.loose = pdfium_c.FS_RECTF()

    def rect(self, textpage, i):
        pdfium_c.FPDFText_GetRect(textpage, i, *self.ltrb)
        return self.l.value, self.b.value, self.r.value, self.t.value

    def char(self, textpage, i):
        if not pdfium_c.FPDFText_GetCharBox(textpage, i, *self.lrbt):
            return None
        return self.l.value, self.b.value, self.r.value, self.t.value

    def loose_char(self, textpage, i):
        if not pdfium_c.FPDFText_GetLooseCharBox(textpage, i, self.loose):
            return None
        box = self.loose
        return box.left, min(box.bottom, box.top), box.right, max(box.bottom, box.top)


def _page_text(textpage) -> tuple[str, list[int] | None]:
    """The page's text in one call, and a UTF-16 offset table only when astral characters shift it."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return "", None
    buffer = (ctypes.c_ushort * (n + 1))()
    units = max(pdfium_c.FPDFText_GetText(textpage, 0, n, buffer) - 1, 0)
    text = bytes(buffer)[: 2 * units].decode("utf-16-le", "replace")
    offsets = None
    if len(text) != units:
        offsets, at = [], 0
        for ch in text:
            offsets.append(at)
            at += 2 if ord(ch) > 0xFFFF else 1
    return _unmapped_glyphs(textpage, text, offsets), offsets


def _unmapped_glyphs(textpage, text: str, offsets: list[int] | None) -> str:
    """pdfium's page text has U+FFFE both for its hyphen mark and for a glyph its font maps to no
    character (a TeX font's ffi ligature: "di\ufffeculties", "e\ufffecient"). Split there as a
    hyphenated line end, such a word read "di-" / "culties"; the glyph is an unknown letter, so
    it becomes U+FFFD (same length: the offsets hold) and the word stays in one piece."""
    if "\ufffe" not in text:
        return text
    chars, at = list(text), text.find("\ufffe")
    while at >= 0:
        index = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, offsets[at] if offsets else at)
        if index >= 0 and _no_character(textpage, index):
            chars[at] = "\ufffd"
        at = text.find("\ufffe", at + 1)
    return "".join(chars)


def _segments(textpage) -> list[Seg]:
    """pdfium's lines (split after its hyphen marks), each with its box; lines whose parts lie far
    apart on the page (columns drawn row by row, table cells) are re-cut character by character."""
    text, offsets = _page_text(textpage)
    box, segs = _Box(), []
    for match in _SEGMENT.finditer(text):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        if len(raw) == lead:
            continue
        a, b = match.start() + lead, match.start() + len(raw.rstrip()) - 1
        if offsets:
            a, b = offsets[a], offsets[b]
        first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, a)
        last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, b)
        if first < 0 or last < first:
            continue
        segs.extend(_segment(textpage, box, raw.strip(), first, last))
    return segs


def _segment(textpage, box: _Box, raw: str, first: int, last: int) -> list[Seg]:
    if pdfium_c.FPDFText_HasUnicodeMapError(textpage, first) == 1:
        return []  # a font without a Unicode map: its "text" is glyph numbers, not words
    loose = box.loose_char(textpage, first)
    count = pdfium_c.FPDFText_CountRects(textpage, first, last - first + 1)
    rects = [box.rect(textpage, i) for i in range(max(count, 0))]
    if not rects or loose is None:
        return []
    height = max(loose[3] - loose[1], 1.0)
    angle = pdfium_c.FPDFText_GetCharAngle(textpage, first)
    rotated = abs(math.sin(angle)) > 0.3 if angle >= 0 else False
    if not rotated and pdflayout.scattered(rects, height):
        return _by_character(textpage, box, first, last)
    x0, x1 = min(r[0] for r in rects), max(r[2] for r in rects)
    y0, y1 = (loose[1], loose[3]) if not rotated else (min(r[1] for r in rects), max(r[3] for r in rects))
    bold = pdfium_c.FPDFText_GetFontWeight(textpage, first) >= 600
    return [Seg(_clean(raw), x0, y0, x1, y1, height, raw.endswith(_HYPHEN_MARKS), rotated, bold)]


def _by_character(textpage, box: _Box, first: int, last: int) -> list[Seg]:
    """Cut a line where it jumps: the slow path, for the few lines that need it. A jump can only
    come between words, so only each word's first and last character are measured."""
    get_unicode = pdfium_c.FPDFText_GetUnicode
    chars = [chr(get_unicode(textpage, i)) for i in range(first, last + 1)]
    if "\x00" in chars or "\x02" in chars:  # rare: the loop below only then
        chars = [_mark(textpage, first + k) if ch in "\x00\x02" else ch for k, ch in enumerate(chars)]
    segs, words, frame = [], [], None
    for match in re.finditer(r"\S+", "".join(chars)):
        head = box.char(textpage, first + match.start())
        tail = box.char(textpage, first + match.end() - 1) if match.end() - match.start() > 1 else head
        if head is None or tail is None:
            words.append(match.group()) if words else None
            continue
        tight = (min(head[0], tail[0]), min(head[1], tail[1]), max(head[2], tail[2]), max(head[3], tail[3]))
        if frame is not None and pdflayout.jumps(frame, tight):
            segs.append(_char_seg(words, frame))
            words, frame = [], None
        frame = pdflayout.grow(frame, tight, box.loose_char(textpage, first + match.start()) or tight
                               if frame is None else tight)
        words.append(match.group())
    if frame is not None:
        segs.append(_char_seg(words, frame))
    return [s for s in segs if s.text]


def _mark(textpage, i: int) -> str:
    """Character U+0000 or U+0002 as the page text spells it: pdfium's mark for a hyphen at a line
    break reads U+0002 one character at a time but U+FFFE in the page text (as U+0002 the control
    character filter dropped it, and the word stayed split: "Vorausset" / "zung"); a glyph without
    a character reads U+0000, U+FFFD here as in _unmapped_glyphs."""
    if _no_character(textpage, i):
        return "\ufffd"
    return "\ufffe" if pdfium_c.FPDFText_IsHyphen(textpage, i) == 1 else "\x02"


def _no_character(textpage, i: int) -> bool:
    """Whether character `i` is a glyph its font maps to no character (not pdfium's hyphen mark)."""
    return pdfium_c.FPDFText_IsHyphen(textpage, i) != 1 and pdfium_c.FPDFText_GetUnicode(textpage, i) == 0


def _char_seg(words: list[str], frame: tuple) -> Seg:
    raw = " ".join(words).strip()
    x0, y0, x1, y1 = frame[:4]
    height = max(y1 - y0, 1.0)
    return Seg(_clean(raw), x0, y0, x1, y1, height, raw.endswith(_HYPHEN_MARKS), False)


def _clean(raw: str) -> str:
    text = _CONTROL.sub("", raw.replace("\t", " ").replace("\ufffe", "-").replace("\u00a0", " "))
    text = _FF_ARROW.sub("ff", text) if "\u21b5" in text else text
    return re.sub(r" {2,}", " ", text).strip()


def outline(pdf: pdfium.PdfDocument, n_pages: int) -> list[tuple[int, str, int, float | None]]:
    """Bookmarks as (level, title, page index, top y or None), in document order."""
    marks = []
    try:
        for mark in pdf.get_toc(max_depth=8):
            dest = mark.get_dest()
            page = dest.get_index() if dest is not None else None
            title = re.sub(r"\s+", " ", mark.get_title()).strip()
            if page is None or not 0 <= page < n_pages or not title:
                continue
            mode, pos = dest.get_view()
            top = pos[1] if mode == pdfium_c.PDFDEST_VIEW_XYZ and len(pos) > 1 else None
            marks.append((mark.level, title, page, top))
    except pdfium.PdfiumError:
        return []
    return marks


def info(pdf: pdfium.PdfDocument) -> dict[str, str]:
    """The document information dictionary (Title, Author, CreationDate...) and the catalog's
    language as "Lang", as far as they can be read."""
    try:
        found = dict(pdf.get_metadata_dict(skip_empty=True))
    except pdfium.PdfiumError:
        found = {}
    lang = _catalog_lang(pdf)
    if lang:
        found["Lang"] = lang
    return found


def _catalog_lang(pdf: pdfium.PdfDocument) -> str | None:
    get_language = getattr(pdfium_c, "FPDFCatalog_GetLanguage", None)  # pdfium builds since 2024
    if get_language is None:
        return None
    size = get_language(pdf, None, 0)
    if size <= 2:
        return None
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    get_language(pdf, buffer, size)
    lang = bytes(buffer)[: size - 2].decode("utf-16-le", "replace").strip()
    return lang.split("-")[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", lang) else None
