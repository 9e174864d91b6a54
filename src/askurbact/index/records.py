"""The passage record and document codecs: one place that writes them (for the cache
entries the writer makes) and reads them back (for the reader). A record is a passage's
place as one JSON line, then its text as it is: escaping the text as JSON cost more than
the rest of the analysis."""

from __future__ import annotations

import json

import numpy as np

from ..model import Document, Passage

ENTRY = ".entry"  # a cache entry's file name: <key>.entry


def _section_json():
    """json.dumps of a section name, memoised: a file has few sections and many passages."""
    memo: dict[str, str] = {}

    def dumped(section: str) -> str:
        text = memo.get(section)
        if text is None:
            text = memo[section] = json.dumps(section)
        return text
    return dumped


def _record(p: Passage, section_json: str) -> bytes:
    # The same bytes as json.dumps([section, first, last, pieces(, page)]), without its per-call cost.
    pieces = ", ".join(f"[{offset}, {line}]" for offset, line in p.pieces)
    page = "" if p.page is None else f", {p.page}"
    return f"[{section_json}, {p.first_line}, {p.last_line}, [{pieces}]{page}]\n{p.text}".encode()


def encode_records(passages: list[Passage]) -> tuple[bytes, np.ndarray]:
    """The records of a file's passages, and where each starts (plus the end)."""
    records = list(map(_record, passages, map(_section_json(), (p.section for p in passages))))
    rec_off = np.zeros(len(records) + 1, np.int64)
    np.cumsum([len(r) for r in records], out=rec_off[1:])
    return b"".join(records), rec_off


def decode_record(record: bytes, doc_id: str) -> Passage:
    """A passage from its record; raises ValueError, KeyError, TypeError or IndexError
    when the bytes are not a record."""
    place, text = record.split(b"\n", 1)
    fields = json.loads(place)
    section, first, last, pieces = fields[:4]
    page = int(fields[4]) if len(fields) > 4 and fields[4] is not None else None
    return Passage(doc_id, str(section), int(first), int(last), text.decode("utf-8"),
                   tuple((int(a), int(b)) for a, b in pieces), page)


def document_json(doc: Document) -> dict:
    return {"doc_id": doc.doc_id, "path": doc.path, "title": doc.title, "lang": doc.lang, "date": doc.date,
            "publisher": doc.publisher, "tags": list(doc.tags), "format": doc.format}


def document_from_json(d: dict) -> Document:
    """The inverse of document_json; raises KeyError or TypeError on a damaged record."""
    return Document(str(d["doc_id"]), str(d["path"]), str(d["title"]), str(d["lang"]), d.get("date"),
                    d.get("publisher"), tuple(d.get("tags") or ()), str(d.get("format") or "markdown"))
