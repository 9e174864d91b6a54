"""The analysis cache: one file per analysed corpus file, `cache/<key>.entry`, keyed by
the content hash and the analysis recipe. An entry holds the records (per passage, its
place as a JSON line, then its text), the arrays (term counts per passage, by term;
passage lengths; where each record starts), then a JSON header (the document, its
vocabulary, where each array is, a CRC-32) and where that header starts. `batch.py` makes
entries; `indexer.py` reads them back for files it did not re-analyse.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ... import analysis
from ...config import Settings
from ...errors import CorpusFileError
from ...ingest import doc_id_of
from ...ingest.formats import format_for
from .. import freshness
from ..format import FORMAT_VERSION
from ..records import ENTRY

# What reading a damaged cache entry raises.
CACHE_DAMAGE = (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, OverflowError,
                MemoryError, RecursionError)


def _cache_key(sha256: str, rel: str, settings: Settings) -> str:
    # The same bytes parse differently as .txt (plain text) and as Markdown.
    fmt = format_for(rel)
    recipe = json.dumps([sha256, fmt.name, fmt.version, analysis.signature(), settings.chunk_words, FORMAT_VERSION],
                        sort_keys=True)
    return hashlib.sha256(recipe.encode()).hexdigest()[:40]


def _read_corpus_file(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusFileError(f"{size / 1e6:.1f} MB is larger than max_file_mb ({max_bytes / 1e6:g} MB)")
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def read_file(corpus: str, rel: str, settings: Settings) -> tuple[bytes, str, str, freshness.StatKey]:
    """(bytes, sha256, cache key, (size, mtime, ctime)) of one corpus file; raises CorpusFileError
    to skip it. The size and time are taken before reading: a change made while we read
    leaves the index stale, so the next run picks it up."""
    path = Path(corpus, rel)
    before = freshness.stat_key(path)
    try:
        data = _read_corpus_file(path, int(settings.max_file_mb * 1e6))
    except FileNotFoundError:
        raise CorpusFileError("vanished while indexing") from None
    except PermissionError:
        raise CorpusFileError("permission denied") from None
    except IsADirectoryError:
        raise CorpusFileError("is a folder") from None
    except OSError as exc:
        raise CorpusFileError(exc.strerror or str(exc)) from None
    sha = hashlib.sha256(data).hexdigest()
    return data, sha, _cache_key(sha, rel, settings), before or (0, 0, 0)


def write_entry(cache_dir: str, key: str, meta: dict, arrays: dict[str, np.ndarray], records: bytes) -> None:
    """Write `<key>.entry` by an atomic rename: a live generation may be reading the old one."""
    tmp = Path(cache_dir, f".{key}.{os.getpid()}")
    _write_entry(tmp, meta, arrays, records)
    os.replace(tmp, Path(cache_dir, f"{key}{ENTRY}"))


@dataclass
class Entry:
    """A live file's cache entry, loaded for building a segment."""

    rel: str
    key: str
    meta: dict
    arrays: dict[str, np.ndarray]

    @property
    def n_passages(self) -> int:
        return len(self.arrays["doc_len"])


def _write_entry(path: Path, meta: dict, arrays: dict[str, np.ndarray], records: bytes) -> None:
    """One file per entry (creating files is the slow part for many small ones): the records
    first, so their offsets (`rec_off`, kept by the index per passage) depend on the content
    only — files with the same bytes share the entry, whoever wrote it last — then the
    arrays, 8-byte aligned, then a JSON header saying where they are (with a CRC-32), then
    8 bytes: where the header starts."""
    layout, at = {}, len(records)
    for name, array in arrays.items():
        at += -at % 8
        layout[name] = [array.dtype.str, len(array), at]
        at += array.nbytes
    with open(path, "wb") as handle:
        handle.write(records)
        written, crc = len(records), 0
        for name, array in arrays.items():
            chunk = bytes(layout[name][2] - written) + np.ascontiguousarray(array).tobytes()
            crc = zlib.crc32(chunk, crc)
            handle.write(chunk)
            written = layout[name][2] + array.nbytes
        header = {"meta": meta, "arrays": layout, "records": len(records), "crc32": crc}
        handle.write(json.dumps(header, ensure_ascii=False).encode())
        handle.write(written.to_bytes(8, "little"))


_ENTRY_ARRAYS = ("term", "passage", "tf", "doc_len", "rec_off")
_ENTRY_DTYPES = frozenset({"|u1", "<u2", "<u4", "<i4", "<i8"})  # nothing else is read back


def load_entry(cache_dir: Path, rel: str, key: str) -> Entry:
    """A cache entry, postings included; raises one of CACHE_DAMAGE if it is damaged."""
    with open(cache_dir / f"{key}{ENTRY}", "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        handle.seek(max(size - 8, 0))
        header_at = int.from_bytes(handle.read(8), "little")
        if not 0 <= header_at <= size - 8:
            raise ValueError("damaged entry (header offset)")
        handle.seek(header_at)
        header = json.loads(handle.read(size - 8 - header_at))
        records = int(header["records"])
        if not 0 <= records <= header_at:
            raise ValueError("damaged entry (records)")
        handle.seek(records)
        blob = handle.read(header_at - records)  # the arrays
    if zlib.crc32(blob) != header["crc32"]:
        raise ValueError("damaged entry (checksum)")
    arrays = {}
    for name in _ENTRY_ARRAYS:
        dtype, count, offset = header["arrays"][name]
        if dtype not in _ENTRY_DTYPES or int(count) < 0 or int(offset) < records:
            raise ValueError(f"damaged entry (array {name})")
        arrays[name] = np.frombuffer(blob, np.dtype(dtype), int(count), int(offset) - records)
    meta = header["meta"]
    n, vocab = len(arrays["doc_len"]), meta["vocab"]
    rec_off = arrays["rec_off"]
    # What the indexer relies on, checked so that a damaged entry is re-analysed or skipped.
    if not (isinstance(vocab, list) and len(rec_off) == n + 1 and len(arrays["term"]) == len(arrays["passage"])
            == len(arrays["tf"]) and int(rec_off[0]) == 0 and int(rec_off[-1]) == records
            and bool((np.diff(rec_off) > 0).all()) and (not len(arrays["term"]) or (
                int(arrays["term"].max()) < len(vocab) and int(arrays["passage"].max()) < n
                and int(arrays["tf"].min()) >= 1))):
        raise ValueError("damaged entry (arrays do not fit)")
    return entry_of(rel, key, meta, arrays)


def entry_of(rel: str, key: str, meta: dict, arrays: dict[str, np.ndarray]) -> Entry:
    # The cache is keyed by content: identical files share an entry but keep their own place.
    meta = {**meta, "document": {**meta["document"], "path": rel, "doc_id": doc_id_of(rel)}}
    return Entry(rel, key, meta, arrays)
