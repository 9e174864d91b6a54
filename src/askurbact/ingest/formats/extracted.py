"""What a format reader gives back, whatever the format: blocks with their places, the
document's metadata as found, warnings, and (for paged formats) the text of each page
that block lines count in. Also the shared path of the text formats (decode, front
matter, blocks)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ...errors import CorpusFileError
from ...model import Block
from ..decode import decode
from ..front_matter import split_front_matter

# How every reader (and the parent, index/writer/isolation.py) words a file over its time limit.
TIMED_OUT = "took longer than"


def check_time(started: float, time_limit: float | None) -> None:
    """CorpusFileError once a reader has run past `time_limit` seconds since `started` (monotonic)."""
    if time_limit is not None and time.monotonic() - started > time_limit:
        raise CorpusFileError(f"{TIMED_OUT} {time_limit:g} s")


@dataclass
class Extracted:
    blocks: list[Block]
    meta: dict = field(default_factory=dict)  # title, date, lang, tags, publisher, url... as found
    warnings: list[str] = field(default_factory=list)
    pages: list[str] | None = None  # paged formats: each page's extracted text
    default_title: str | None = None  # when `meta` has no title


def text_document(data: bytes, blocks_of: Callable[[str, int], list[Block]], title_from_heading: bool) -> Extracted:
    """A text format's file: decoded, line ends made "\\n" (a lone CR counts as a line end,
    as in Python's universal newlines), front matter read, body cut into blocks."""
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CorpusFileError("empty file")
    meta, body, offset = split_front_matter(text)
    blocks = blocks_of(body, offset)
    if not blocks:
        raise CorpusFileError("no text after the front matter")
    first = next((b for b in blocks if b.heading), None) if title_from_heading else None
    title = (first or blocks[0]).text.split("\n", 1)[0].strip()[:200]
    return Extracted(blocks, meta, default_title=title or None)
