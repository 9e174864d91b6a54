"""Plain text: each run of non-blank lines is a block; there are no sections."""

from __future__ import annotations

import re

from ...model import Block
from .extracted import Extracted, text_document


def _text_blocks(body: str, offset: int) -> list[Block]:
    blocks = []
    line, counted = 1 + offset, 0  # count newlines incrementally: linear in the file size
    for match in re.finditer(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        blocks.append(Block(match.group().rstrip(), line, ()))
    return blocks


def extract(data: bytes, rel_path: str, time_limit: float | None = None) -> Extracted:
    return text_document(data, _text_blocks, title_from_heading=False)
