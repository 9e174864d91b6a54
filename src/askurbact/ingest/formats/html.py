"""Saved web page -> the article's paragraphs (trafilatura), each cited to the line of the source
file where its element starts.

trafilatura is what tells the article from menus, sidebars, cookie banners and footers, but it
returns a new tree without source positions. So the page is parsed a second time with lxml, its
visible text laid out as one normalised stream that remembers, for every character, the block
element (p, li, td, h2...) it came from; each extracted paragraph is found in that stream, in
order, and takes that element's `sourceline`. A reader opening the file at that line sees the
paragraph start there.
"""

from __future__ import annotations

import bisect
import re
import time
from array import array

from ...errors import CorpusFileError
from ...model import Block
from .extracted import Extracted, check_time

MAX_BYTES = 20_000_000
MAX_ELEMENTS = 100_000  # twenty times a long Wikipedia article
MAX_TEXT = 3_000_000  # visible characters (a long book); the extractor needs ~70 bytes of memory each
MAX_DEPTH = 250  # libxml2 silently drops what is nested deeper than 255: refuse rather than index half
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "tr", "blockquote", "pre",
          "figcaption", "caption", "div", "section", "article", "main", "header", "footer", "aside", "nav",
          "table", "ul", "ol", "dl", "figure", "address", "summary", "details", "body", "form", "fieldset"}
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACE = re.compile(r"[\s\u00a0\u202f\u2007]+")
_INNER_BLOCKS = {"p", "list", "table", "head", "quote"}  # a <code> inside a paragraph is inline
_GOOGLEOFF = re.compile(r"^\s*googleoff:\s*(all|index)\s*$")


def extract(data: bytes, rel_path: str, time_limit: float | None = None) -> Extracted:
    """Read a saved web page; raises CorpusFileError with the reason when it cannot be indexed."""
    started = time.monotonic()
    source = _decode(data)
    tree = _parse(source)
    _drop_footnote_marks(tree)  # before the stream is laid out: paragraphs are found in it as extracted
    _inline_cell_lists(tree)
    stream = _SourceStream(tree)  # before trafilatura, which prunes the tree it is given
    headings = _headings(tree)
    _drop_googleoff(tree)
    import trafilatura  # imported here: only indexing a web page pays for it

    try:
        doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=True)
    except Exception as exc:  # trafilatura can raise lxml or its own errors on odd markup
        raise CorpusFileError(f"the page cannot be parsed ({type(exc).__name__})") from None
    check_time(started, time_limit)
    if doc is None or doc.body is None:
        raise CorpusFileError("no main text found in the page")
    blocks, path = [], []
    units = list(_units(doc.body))
    units = _lead_heading(headings, stream, units) + units
    for kind, level, text in units:
        if blocks and blocks[-1].text == text:
            continue  # nested <p><p> comes out twice
        if kind == "head":
            path = [h for h in path if h[0] < level] + [(level, text)]
        line = stream.line_of(text.replace(" | ", " ") if kind == "row" else text)
        blocks.append(Block(text, line, tuple(t for _, t in path), heading=kind == "head"))
    if not blocks:
        raise CorpusFileError("no main text found in the page")
    return Extracted(blocks, _metadata(doc, stream.lang), [], None)


_CHROME = re.compile(r"(?i)sidebar|widget|menu|share|social|follow|related|promo|banner|cookie|newsletter")


def _headings(tree) -> list[tuple[int, str]]:
    """(level, text) of the page's h1-h6 that may open its article, read before trafilatura
    prunes the tree: not in navigation or a sidebar, and not a row of links."""
    found = []
    for element in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _norm(element.text_content())
        if not text or len(element.findall(".//a")) > 1:
            continue
        if any(a.tag in ("nav", "aside", "footer") or _CHROME.search(f"{a.get('class', '')} {a.get('id', '')}")
               for a in element.iterancestors()):
            continue
        found.append((int(element.tag[1]), text))
    return found


def _lead_heading(headings: list[tuple[int, str]], stream: _SourceStream, units: list) -> list:
    """The heading right before the article when the extractor left it out (a deck or sub-title
    made of a link, outside <article>): only markup stands between it and the first paragraph."""
    if not units or units[0][0] == "head":
        return []
    first = stream.text.find(_INVISIBLE.sub("", units[0][2])[:80])
    before = stream.text[:first].rstrip() if first > 0 else ""
    return next(([("head", level, text)] for level, text in headings if before.endswith(text)), [])


def _decode(data: bytes) -> str:
    if not data.strip():
        raise CorpusFileError("empty file")
    if len(data) > MAX_BYTES:
        raise CorpusFileError(f"too large for a web page ({len(data) / 1e6:.1f} MB, more than {MAX_BYTES / 1e6:g} MB)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusFileError("not a web page (binary content)")
    from trafilatura.utils import decode_file  # the same charset guess trafilatura would make

    text = decode_file(data)
    # lxml refuses str input that still declares an encoding; the bytes were decoded already
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def _parse(source: str):
    """The source tree, with line numbers; refused when it is too big or too deep to walk safely."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(source, parser=lxml.html.HTMLParser(huge_tree=False))
    except Exception as exc:
        raise CorpusFileError(f"the page cannot be parsed ({type(exc).__name__})") from None
    count, text, stack = 0, 0, [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_ELEMENTS:
            what = f"nested more than {MAX_DEPTH} deep" if depth > MAX_DEPTH else f"more than {MAX_ELEMENTS} elements"
            raise CorpusFileError(f"refused: the page has {what}")
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        text += len(element.tail or "") + (len(element.text or "") if tag not in _SKIP else 0)
        stack.extend((child, depth + 1) for child in element)
    if text > MAX_TEXT:  # an upper bound of the visible text, before anything is built from it
        raise CorpusFileError(f"refused: the page holds {text / 1e6:.3g} million characters of text "
                              f"(more than {MAX_TEXT / 1e6:g}): save the article alone, or as a .txt file")
    return tree


def _drop_googleoff(tree) -> None:
    """What the publisher fenced off with <!--googleoff: all--> (next-post teasers, promos) is
    declared not part of the page's content: remove it up to the matching googleon."""
    import lxml.etree

    for comment in list(tree.iter(lxml.etree.Comment)):
        if not _GOOGLEOFF.match(comment.text or ""):
            continue
        sibling = comment.getnext()
        while sibling is not None and not (sibling.tag is lxml.etree.Comment and "googleon" in (sibling.text or "")):
            following = sibling.getnext()
            if isinstance(sibling.tag, str):
                sibling.drop_tree()
            sibling = following


# MediaWiki's footnote marks: <sup class="reference"> ("[14]", and "reference nowrap", a page
# number ":228"), its inline maintenance tags <sup class="noprint Inline-Template"> ("[citation
# needed]", "[dubious]") and <sup class="... noprint asof-tag update"> ("[update]"). Beside askurbact's
# own citation numbers a quote's "[14]" reads as one of them, and it names a footnote not indexed.
_FOOTNOTE_CLASSES = {"reference", "noprint", "Inline-Template"}


def _drop_footnote_marks(tree) -> None:
    """Remove footnote reference marks, keeping the text after them: the <sup>s above, and any link
    to a footnote (MediaWiki's href="#cite_note-...", DPUB-ARIA's role="doc-noteref" that pandoc
    writes) with the <sup> around it when that holds nothing else."""
    marks = [sup for sup in tree.iter("sup") if _FOOTNOTE_CLASSES & set(sup.get("class", "").split())]
    for link in tree.iter("a"):
        if (link.get("href") or "").startswith("#cite_note-") or link.get("role") == "doc-noteref":
            parent = link.getparent()
            alone = parent is not None and parent.tag == "sup" and len(parent) == 1 and not _norm(
                (parent.text or "") + (link.tail or ""))
            marks.append(parent if alone else link)
    dropped: set = set()
    for mark in marks:
        if mark not in dropped and not any(a in dropped for a in mark.iterancestors()):
            dropped.add(mark)
            mark.drop_tree()  # lxml.html's drop_tree keeps the tail text


def _inline_cell_lists(tree) -> None:
    """A list inside a table cell becomes the cell's text, its items joined with "; ".
    trafilatura keeps such lists only in its recall mode (a precision choice of its own), so the
    cell came out empty and its row lost the list. Not in navigation tables (a Wikipedia sidebar or
    navbox of links): they are what trafilatura's choice keeps out. Innermost lists first (reverse
    document order), so an item's own sub-list is already text when the item is read."""
    lists = []
    for element in tree.iter("ul", "ol"):
        ancestors = list(element.iterancestors())
        if any(a.tag in ("td", "th") for a in ancestors) and not any(map(_navigation, ancestors)):
            lists.append(element)
    for element in reversed(lists):
        items = [text for text in (_norm(_visible_text(li)) for li in element.iterchildren("li")) if text]
        text = "".join(item + ("" if i == len(items) - 1 else " " if item[-1] in ".;:,!?" else "; ")
                       for i, item in enumerate(items))
        _replace_with_text(element, text)


def _navigation(element) -> bool:
    """A navigation block, or a table marked as one (only tables: a Wikipedia <body>'s classes
    name its "main-menu" too)."""
    if element.tag in ("nav", "aside", "footer") or element.get("role") == "navigation":
        return True
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    return element.tag == "table" and ("navbox" in marks or bool(_CHROME.search(marks)))


def _visible_text(element) -> str:
    """An element's text as the page shows it: without scripts and styles, blocks spaced apart."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else None  # None: a comment
        if tag is not None and tag not in _SKIP:
            text = _visible_text(child)
            parts.append(f" {text} " if tag in _BLOCK or tag == "br" else text)
        parts.append(child.tail or "")
    return "".join(parts)


def _replace_with_text(element, text: str) -> None:
    """`element` out of the tree, `text` (and the element's tail) where it stood, spaced from the
    text around it as the block it was."""
    parent, before = element.getparent(), element.getprevious()
    text = f" {text} {element.tail or ''}"
    if before is not None:
        before.tail = (before.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def _units(elements):
    """(kind, heading level, text) for each paragraph, heading, list item and table row, in order."""
    for child in elements:
        tag = child.tag
        if tag == "head":
            rend = child.get("rend", "")
            text = _norm(_own_text(child))
            if text:
                yield "head", int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2, text
        elif tag == "table":
            for row in child.iter("row"):
                text = " | ".join(t for t in (_norm(_cell_text(c)) for c in row.iterchildren("cell")) if t)
                if text:
                    yield "row", None, text
        elif tag == "list":
            yield from _units(child)
        else:  # p, item, quote, code, or inline markup straight in the body
            text = _norm(_own_text(child))
            if text:
                yield "p", None, text
            yield from _units([c for c in child if c.tag in _INNER_BLOCKS or c.tag == "item"])


def _own_text(element) -> str:
    """The element's text without that of the blocks nested in it (they are units of their own)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _INNER_BLOCKS and child.tag not in ("list", "item", "row", "cell"):
            parts.append("".join(child.itertext()) if child.tag != "lb" else " ")
        elif child.tag == "cell":
            parts.append(" " + "".join(child.itertext()) + " ")
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(element) -> str:
    """A table cell's whole text: paragraphs and lists inside it are part of its row, spaced apart."""
    parts = [element.text or ""]
    for child in element:
        block = child.tag in _INNER_BLOCKS or child.tag in ("list", "item", "lb")
        parts.append(f" {_cell_text(child)} " if block else _cell_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _SourceStream:
    """The source page's visible text, normalised, with the start line of the block element each
    character sits in; paragraphs are looked up in document order from a moving cursor."""

    def __init__(self, tree):
        self.raw: list[str] = []
        self.starts: list[int] = []  # offset in the raw text where each chunk starts
        self.lines: list[int] = []  # source line of each chunk's block element
        self.size = 0
        self._walk(tree, tree.sourceline or 1)
        # Same-length replacements: an offset in `cleaned` is one in the raw text. Offsets are kept
        # in arrays, and no list of the page's words is made: memory stays a few bytes a word.
        cleaned = _INVISIBLE.sub(" ", "".join(self.raw)).replace("\u00a0", " ")
        del self.raw
        self.text = re.sub(r"\s+", " ", cleaned).strip()  # the words, one space between
        self.token_raw, self.token_norm = array("q"), array("q")  # where each word starts in both
        at = 0
        for match in re.finditer(r"\S+", cleaned):
            start, end = match.span()
            self.token_raw.append(start)
            self.token_norm.append(at)
            at += end - start + 1
        self.cursor, self.last_line = 0, tree.sourceline or 1
        self.lang = _page_lang(tree)

    def _add(self, text: str | None, line: int) -> None:
        if text:
            self.raw.append(text)
            self.starts.append(self.size)
            self.lines.append(line)
            self.size += len(text)

    def _walk(self, element, line: int) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is not None and tag.lower() not in _SKIP:
            block = tag.lower() in _BLOCK or tag.lower() == "br"
            here = (element.sourceline or line) if block else line
            self._add("\n" if block else None, here)
            self._add(element.text, here)
            for child in element:
                self._walk(child, here)
            self._add("\n" if block else None, here)
        self._add(element.tail, line)

    def line_of(self, paragraph: str) -> int:
        """The source line where `paragraph` starts; searched from the last match on, then from the
        top; the previous paragraph's line when trafilatura reworded it beyond recognition."""
        probe = _INVISIBLE.sub("", paragraph)
        for needle in (probe, probe[:80], probe[:30]):
            for start in (self.cursor, 0):
                at = self.text.find(needle, start)
                if at >= 0 and needle:
                    self.cursor = at + len(needle)
                    self.last_line = self._line_at(at)
                    return self.last_line
        return self.last_line

    def _line_at(self, at: int) -> int:
        i = bisect.bisect_right(self.token_norm, at) - 1
        raw = self.token_raw[i] + (at - self.token_norm[i])
        return self.lines[bisect.bisect_right(self.starts, raw) - 1]


def _page_lang(tree) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang")
    if not lang:
        found = tree.xpath("//meta[@http-equiv='content-language' or @property='og:locale']/@content")
        lang = found[0] if found else None
    return lang


def _metadata(doc, page_lang: str | None) -> dict:
    meta = {"title": doc.title, "date": doc.date, "url": doc.url, "author": doc.author}
    lang = doc.language or page_lang
    if lang:
        lang = lang.strip().replace("_", "-")
        meta["lang"] = lang.split("-")[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}(-\w+)*", lang) else lang
    return {k: v.strip() for k, v in meta.items() if isinstance(v, str) and v.strip()}
