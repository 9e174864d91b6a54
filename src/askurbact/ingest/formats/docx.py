"""Word .docx -> one block per body paragraph, list item or table row, cited by paragraph number.

A .docx has no pages until Word lays it out, so the place a reader can find again is the
paragraph: `line` is the paragraph's number among the body's non-empty paragraphs (a table row
counts as one, its cells joined by " | "), and `pages` holds one string whose line n is
paragraph n. Headers, footers, comments, footnotes and deleted revisions are not body text and
stay out. The archive is checked before python-docx sees it: a zip bomb or an XML entity trick
must be refused, not parsed.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

from ...errors import CorpusFileError
from ...model import Block
from .extracted import Extracted

NAME = "docx"
SUFFIXES = (".docx",)
VERSION = 1

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # a part that inflates more than this is a bomb, not a document
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {_W + "del", _W + "delText", _W + "instrText", _W + "txbxContent", _MC_FALLBACK,
         _W + "footnoteReference", _W + "endnoteReference", _W + "commentReference", _W + "rPr", _W + "pPr"}
_CHARS = {_W + "tab": " ", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-", _W + "softHyphen": ""}
_HEADING = re.compile(r"(?i)^heading\s*(\d)$")


def extract(data: bytes, rel_path: str, time_limit: float | None = None) -> Extracted:
    """Read a .docx; raises CorpusFileError with the reason when it cannot be indexed."""
    started = time.monotonic()
    _check_archive(data)
    import docx  # imported here: only indexing a .docx pays for it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise CorpusFileError(f"damaged Word file ({type(exc).__name__})") from None
    levels = _heading_levels(document)
    blocks, lines, path = [], [], []
    for number, (text, level) in enumerate(_paragraphs(document.element.body, levels, started, time_limit), 1):
        if level is not None:
            path = [h for h in path if h[0] < level] + [(level, text)]
        blocks.append(Block(text, number, tuple(t for _, t in path), heading=level is not None))
        lines.append(text)
    if not blocks:
        raise CorpusFileError("no text in the document body")
    return Extracted(blocks, _metadata(document, blocks), [], ["\n".join(lines)])


def _check_archive(data: bytes) -> None:
    if not data:
        raise CorpusFileError("empty file (0 bytes)")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CorpusFileError("encrypted or an old .doc file: save it as .docx without a password")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise CorpusFileError("not a Word .docx file (not a zip archive)") from None
    if len(entries) > MAX_ENTRIES:
        raise CorpusFileError(f"refused: {len(entries)} files inside the archive (a zip bomb?)")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise CorpusFileError(f"refused: {total // 2**20} MB uncompressed (a zip bomb?)")
    for entry in entries:
        if entry.file_size > 2**20 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise CorpusFileError(f"refused: {entry.filename} inflates {ratio}x (a zip bomb?)")
    names = {e.filename for e in entries}
    if "word/document.xml" not in names:
        raise CorpusFileError("not a Word document (no word/document.xml inside)")
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            _check_prolog(archive, entry)


def _check_prolog(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """A DOCTYPE can only sit before the root element, so the first bytes tell: Word never writes
    one, and a declared entity is how an XML bomb starts."""
    try:
        with archive.open(entry) as part:
            head = part.read(4096)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise CorpusFileError(f"damaged Word file ({entry.filename}: {type(exc).__name__})") from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise CorpusFileError(f"refused: {entry.filename} declares a DOCTYPE or XML entities")


def _heading_levels(document) -> dict[str, int]:
    """style id -> heading level (Title 0, Heading N -> N), following "based on" so a custom style
    built on Heading 2 is a level-2 heading too; an outline level in the style counts the same."""
    styles = {}
    for style in document.styles.element.findall(_W + "style"):
        name = style.find(_W + "name")
        based = style.find(_W + "basedOn")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        styles[style.get(_W + "styleId")] = (
            name.get(_W + "val") if name is not None else "",
            based.get(_W + "val") if based is not None else None,
            int(outline.get(_W + "val")) + 1 if outline is not None and outline.get(_W + "val", "").isdigit() else None)
    levels = {}
    for style_id in styles:
        seen, current = set(), style_id
        while current in styles and current not in seen:
            seen.add(current)
            name, based, outline = styles[current]
            level = 0 if name.lower() == "title" else _heading_number(name, outline)
            if level is not None:
                levels[style_id] = level
                break
            current = based
    return levels


def _heading_number(name: str, outline: int | None) -> int | None:
    match = _HEADING.match(name.strip())
    if match:
        return int(match.group(1))
    return outline if outline is not None and outline <= 9 else None


def _paragraphs(body, levels: dict[str, int], started: float, time_limit: float | None):
    """(text, heading level or None) for each non-empty body paragraph and table row, in order."""
    for n, child in enumerate(body.iterchildren()):
        if time_limit is not None and n % 256 == 0 and time.monotonic() - started > time_limit:
            raise CorpusFileError(f"took longer than {time_limit:g} s")
        if child.tag == _W + "p":
            text = _text(child)
            if text:
                yield text, _paragraph_level(child, levels)
        elif child.tag == _W + "tbl":
            yield from ((row, None) for row in _table_rows(child))
        elif child.tag == _W + "sdt":  # a content control (a table of contents, a cover page)
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _paragraphs(content, levels, started, time_limit)


def _paragraph_level(p, levels: dict[str, int]) -> int | None:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    level = levels.get(style.get(_W + "val")) if style is not None else None
    if level is None:
        outline = p.find(f"{_W}pPr/{_W}outlineLvl")
        value = outline.get(_W + "val", "") if outline is not None else ""
        level = int(value) + 1 if value.isdigit() and int(value) < 9 else None
    return level


def _text(element) -> str:
    """A paragraph's visible text on one line: runs, hyperlinks, insertions, fields' results."""
    parts: list[str] = []
    _collect(element, parts)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _collect(element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in _CHARS:
            parts.append(_CHARS[tag])
        else:
            _collect(child, parts)


def _table_rows(table) -> list[str]:
    """Each row's cells joined by " | " (a merged cell once); a nested table's rows fold into its cell."""
    rows = []
    for tr in table.iterchildren(_W + "tr"):
        cells = []
        for tc in tr.iterchildren(_W + "tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_W + "val", "continue") == "continue":
                cells.append("")  # merged down from the row above, which holds the text
                continue
            text = " ".join(t for t in (_text(p) for p in tc.iter(_W + "p")) if t)
            cells.append(text)
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _metadata(document, blocks: list[Block]) -> dict:
    core = document.core_properties
    meta = {}
    title = (core.title or "").strip()
    if not title:
        first = next((b for b in blocks if b.heading), blocks[0])
        title = first.text[:200]
    meta["title"] = title
    created = core.created
    if created is not None and created.year > 1980:
        meta["date"] = created.date().isoformat()
    lang = (core.language or "").strip() or _default_lang(document)
    if lang:
        meta["lang"] = lang.split("-")[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}(-\w+)*", lang) else lang
    if (core.author or "").strip():
        meta["author"] = core.author.strip()
    return meta


def _default_lang(document) -> str | None:
    """The language the document's default style is set in (Word writes it; core often has none)."""
    lang = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
    return lang.get(_W + "val") if lang is not None else None
