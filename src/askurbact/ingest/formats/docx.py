"""Word .docx -> one block per body paragraph, list item or table row, cited by paragraph number.

A .docx has no pages until Word lays it out, so the place a reader can find again is the
paragraph: `line` is the paragraph's number among the body's non-empty paragraphs (a table row
counts as one, its cells joined by " | "), and `pages` holds one string whose line n is
paragraph n. Headers, footers, comments, footnotes and deleted revisions are not body text and
stay out. The archive is checked before anything is parsed: a zip bomb or an XML entity trick
must be refused. The body is streamed (lxml's iterparse, each top-level paragraph or table
dropped once read) and images are never inflated, so memory follows the largest paragraph or
table, not the document.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass, field

from ...errors import CorpusFileError
from ...model import Block
from .extracted import Extracted, check_time
from .toc import Item, entry_numbers, sections

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XML = 30 * 1024 * 1024  # the parts that are parsed; media is never inflated
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # a part that inflates more than this is a bomb, not a document
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DC, _DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {_W + "del", _W + "delText", _W + "instrText", _W + "txbxContent", _MC_FALLBACK,
         _W + "footnoteReference", _W + "endnoteReference", _W + "commentReference", _W + "rPr", _W + "pPr"}
_CHARS = {_W + "tab": " ", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-", _W + "softHyphen": ""}
_HEADING = re.compile(r"(?i)^heading\s*(\d)$")
_TOC_STYLE = re.compile(r"(?i)^(?:toc\s*\d|table\s+of\s+figures)$")  # Word's names for a table of contents' lines


def extract(data: bytes, rel_path: str, time_limit: float | None = None) -> Extracted:
    """Read a .docx; raises CorpusFileError with the reason when it cannot be indexed."""
    started = time.monotonic()
    archive = _check_archive(data)
    from lxml import etree  # imported here: only indexing a Word file pays for it

    try:
        main = _target(archive, "_rels/.rels", "/officeDocument") or "word/document.xml"
        part_rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
        styles = _xml(archive, _target(archive, part_rels, "/styles", base=posixpath.dirname(main)))
        core = _xml(archive, _target(archive, "_rels/.rels", "/core-properties") or "docProps/core.xml")
        levels, toc_styles = _heading_levels(styles)
        items, lines = [], []
        with archive.open(main) as body:
            for text, level, numbers in _body(body, _Reading(levels, toc_styles), started, time_limit):
                items.append(Item(level, text, numbers))
                lines.append(text)
        # a table of contents opens no section (toc.py)
        blocks = [Block(text, n, path, heading=heading) for n, (text, (path, heading)) in
                  enumerate(zip(lines, sections(items)), 1)]
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise CorpusFileError(f"damaged Word file ({type(exc).__name__})") from None
    if not blocks:
        raise CorpusFileError("no text in the document body")
    return Extracted(blocks, _metadata(core, styles, blocks), [], ["\n".join(lines)])


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _xml(archive: zipfile.ZipFile, name: str | None):
    """A small part (styles, properties, relationships) as a tree; None when it is absent."""
    if name is None or name not in archive.NameToInfo:
        return None
    from lxml import etree

    return etree.fromstring(archive.read(name), _parser())


def _target(archive: zipfile.ZipFile, rels: str, kind: str, base: str = "") -> str | None:
    """The part a relationship of `kind` (the end of its Type) in `rels` points at."""
    root = _xml(archive, rels)
    for rel in root.iter(_REL) if root is not None else ():
        if rel.get("Type", "").endswith(kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(base, target))
    return None


def _check_archive(data: bytes) -> zipfile.ZipFile:
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
    xml = sum(e.file_size for e in entries if e.filename.endswith((".xml", ".rels")))
    if total > MAX_UNCOMPRESSED or xml > MAX_XML:
        size, limit = (xml, MAX_XML) if xml > MAX_XML else (total, MAX_UNCOMPRESSED)
        raise CorpusFileError(f"refused: {size // 2**20} MB uncompressed, more than {limit // 2**20} MB (a zip bomb?)")
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
    return archive


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


def _heading_levels(root) -> tuple[dict[str, int], set[str]]:
    """style id -> heading level (Title 0, Heading N -> N), following "based on" so a custom style
    built on Heading 2 is a level-2 heading too; an outline level in the style counts the same.
    And the ids of the styles of a table of contents' lines (TOC 1, built on it, table of figures)."""
    styles = {}
    for style in root.findall(_W + "style") if root is not None else ():
        name = style.find(_W + "name")
        based = style.find(_W + "basedOn")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        styles[style.get(_W + "styleId")] = (
            name.get(_W + "val") if name is not None else "",
            based.get(_W + "val") if based is not None else None,
            int(outline.get(_W + "val")) + 1 if outline is not None and outline.get(_W + "val", "").isdigit() else None)
    levels, toc = {}, set()
    for style_id in styles:
        seen, current = set(), style_id
        while current in styles and current not in seen:
            seen.add(current)
            name, based, outline = styles[current]
            if _TOC_STYLE.match(name.strip()):
                toc.add(style_id)
                break
            level = 0 if name.lower() == "title" else _heading_number(name, outline)
            if level is not None:
                levels[style_id] = level
                break
            current = based
    return levels, toc


def _heading_number(name: str, outline: int | None) -> int | None:
    match = _HEADING.match(name.strip())
    if match:
        return int(match.group(1))
    return outline if outline is not None and outline <= 9 else None


@dataclass
class _Reading:
    """What reading the body's paragraphs needs: the heading level of each heading style, the
    ids of the table-of-contents styles, and the fields open so far (a field runs over many
    paragraphs), each [its code, whether it is a TOC], kept by _in_toc_field."""

    levels: dict[str, int]
    toc_styles: set[str]
    fields: list[list] = field(default_factory=list)


def _body(stream, reading: _Reading, started: float, time_limit: float | None):
    """(text, heading level or None, its table-of-contents page numbers or None) for each
    non-empty body paragraph and table row, in order, each top-level element of the body dropped
    once read."""
    from lxml import etree

    depth = 0
    events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False)
    for n, (event, element) in enumerate(events):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if depth != 2:  # w:document > w:body > here
            continue
        if n % 4096 == 0:
            check_time(started, time_limit)
        yield from _paragraphs([element], reading)
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def _paragraphs(children, reading: _Reading, in_toc: bool = False):
    """(text, heading level or None, ToC page numbers or None) for the paragraphs and table rows
    among `children`."""
    for child in children:
        if child.tag == _W + "p":
            text = _text(child)
            style = child.find(f"{_W}pPr/{_W}pStyle")
            level = _paragraph_level(child, reading.levels)
            entry = _in_toc_field(child, reading.fields) or in_toc and level is None or (
                style is not None and style.get(_W + "val") in reading.toc_styles)
            if text:  # a ToC line's page number follows a tab, lost in `text`: it is apart
                yield text, level, (entry_numbers([text], [True]) or []) if entry else entry_numbers([text])
        elif child.tag == _W + "tbl":
            yield from ((row, None, None) for row in _table_rows(child))
        elif child.tag == _W + "sdt":  # a content control (a table of contents, a cover page)
            content = child.find(_W + "sdtContent")
            gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
            toc = gallery is not None and "contents" in gallery.get(_W + "val", "").lower()
            if content is not None:
                yield from _paragraphs(content.iterchildren(), reading, in_toc or toc)


def _in_toc_field(p, fields: list[list]) -> bool:
    """Whether paragraph `p` is inside a TOC field (Word's table of contents or of figures) or
    starts one; `fields` is the stack of the fields open before it, each [code, is a TOC], kept
    up to date for the paragraphs after it (a field runs over many paragraphs)."""
    inside = any(toc for _, toc in fields)
    for node in p.iter(_W + "fldChar", _W + "instrText", _W + "fldSimple"):
        if node.tag == _W + "instrText" and fields:
            fields[-1][0] += node.text or ""
            fields[-1][1] = fields[-1][0].strip().upper().startswith("TOC")
            inside = inside or fields[-1][1]
        elif node.tag == _W + "fldSimple":
            inside = inside or node.get(_W + "instr", "").strip().upper().startswith("TOC")
        elif node.get(_W + "fldCharType") == "begin":
            fields.append(["", False])
        elif node.get(_W + "fldCharType") == "end" and fields:
            fields.pop()
    return inside


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


def _metadata(core, styles, blocks: list[Block]) -> dict:
    """Title, date, language and author from the core properties; the title else from the first
    heading (or paragraph), the language else from the default style."""
    def prop(tag: str) -> str:
        found = core.find(tag) if core is not None else None
        return " ".join((found.text or "").split()) if found is not None else ""

    meta = {"title": prop(_DC + "title") or next((b for b in blocks if b.heading), blocks[0]).text[:200]}
    created = prop(_DCTERMS + "created")[:10]
    try:
        if created and dt.date.fromisoformat(created).year > 1980:
            meta["date"] = created
    except ValueError:
        pass
    lang = prop(_DC + "language") or _default_lang(styles)
    if lang:
        meta["lang"] = lang.split("-")[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}(-\w+)*", lang) else lang
    if prop(_DC + "creator"):
        meta["author"] = prop(_DC + "creator")
    return meta


def _default_lang(styles) -> str | None:
    """The language the document's default style is set in (Word writes it; core often has none)."""
    lang = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang") if styles is not None else None
    return lang.get(_W + "val") if lang is not None else None
