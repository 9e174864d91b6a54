"""Markdown (CommonMark with tables, parsed by markdown-it-py): headings give sections, and
every paragraph, list item, code block and table is a block with the line it starts on
(the parser's source map). Text the parser puts in no block is kept too."""

from __future__ import annotations

import bisect
import re

from ...model import Block
from .extracted import Extracted, text_document

_MARKER = re.compile(r"^[ \t]*(?:(?:#{1,6}|[-*+\u2022]|\d{1,9}[.)]|>)[ \t]+|>)*")


def _markdown_blocks(body: str, offset: int) -> list[Block]:
    from markdown_it import MarkdownIt  # only indexing needs the parser

    lines = body.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    covered: set[int] = set()
    skip_until = None
    for i, token in enumerate(tokens):
        if token.map is not None and token.type in _TEXT_TOKENS:
            covered.update(range(*token.map))
        if skip_until is not None:
            if token.type == skip_until:
                skip_until = None
            continue
        if token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        if token.type == "heading_open":
            level = int(token.tag[1:])
            title = tokens[i + 1].content.strip()
            headings = [h for h in headings if h[0] < level] + [(level, title)]
            source = lines[start]
            col = source.find(title) if title else -1
            text = title if col >= 0 and title else _MARKER.sub("", source).rstrip()
            if text:
                blocks.append(Block(text, start + 1 + offset, tuple(h[1] for h in headings), heading=True))
            continue
        if token.type in ("paragraph_open", "fence", "code_block", "html_block", "table_open"):
            if token.type == "table_open":
                skip_until = "table_close"
            chunk = "\n".join(lines[start:end])
            stripped = _MARKER.sub("", chunk, count=1) if token.type == "paragraph_open" else chunk
            text = stripped.rstrip()
            lead = len(stripped) - len(stripped.lstrip())
            first_line = start + 1 + offset + stripped.count("\n", 0, lead)
            text = text.lstrip()
            if text:
                blocks.append(Block(text, first_line, tuple(h[1] for h in headings)))
    return _add_uncovered(blocks, lines, covered, offset)


# Tokens whose lines end up in blocks (a table's rows are inside the table's map).
_TEXT_TOKENS = frozenset({"heading_open", "paragraph_open", "fence", "code_block", "html_block", "table_open", "hr"})


_ONLY_MARKERS = re.compile(r"[ \t]*(?:(?:#{1,6}|[-*+\u2022]|\d{1,9}[.)]|>)[ \t]*)*")


def _add_uncovered(blocks: list[Block], lines: list[str], covered: set[int], offset: int) -> list[Block]:
    """Keep text the parser puts in no block (link reference definitions, for one):
    nothing a document says may be lost. Each run of such lines becomes a block."""
    runs: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if i in covered or not re.search(r"[^\W_]", line[_ONLY_MARKERS.match(line).end():]):
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    if not runs:
        return blocks
    for start, end in runs:
        text = "\n".join(lines[start:end]).strip()
        first_line = start + 1 + offset
        at = bisect.bisect_right([b.line for b in blocks], first_line)
        section = blocks[at - 1].section if at else ()
        blocks.insert(at, Block(text, first_line, section))
    return blocks


def extract(data: bytes, rel_path: str, time_limit: float | None = None) -> Extracted:
    return text_document(data, _markdown_blocks, title_from_heading=True)
