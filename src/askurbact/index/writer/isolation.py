"""Parsing apart: the readers of PDF, Word and web pages run C code (pdfium, libxml2, zip
inflation) over whatever the corpus holds, and a hostile or broken file can make them hang
or crash the process. So those files are parsed in a child of the process indexing them,
one file at a time, each within `max_parse_seconds`: a file over the limit, or one its
reader crashes on, is skipped with the reason, the child is replaced, and the rest is indexed.

What comes back was made from an untrusted file, so it is data, never pickle: the document
and its warnings as JSON, the passages as the cache's own records (`index.records`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Callable
from multiprocessing.context import BaseContext

import numpy as np

from ...errors import CorpusFileError, describe
from ...ingest import parse_file
from ...ingest.chunking import chunk
from ...ingest.formats import format_for
from ...ingest.formats.extracted import TIMED_OUT
from ...model import Document, Passage
from ..manifest import SkippedFile
from ..records import decode_record, document_from_json, document_json, encode_records
from .processes import stop_signals_held

NOT_RETRIED = " (not tried again until it changes; 'askurbact index --full' tries again)"
GRACE_SECONDS = 0.5  # past the limit before the child is killed: a reader's own check may end it cleanly first


def still_timed_out(skipped: SkippedFile | None, stat: tuple[int, ...] | None) -> str | None:
    """Why to skip again, unread, a file that took longer than its time limit last time (its
    manifest entry `skipped`) and has not changed since (`stat`: its size and time first): it
    would only make every update wait as long again. None when it must be read."""
    if skipped is None or not skipped.reason.startswith(TIMED_OUT) or stat is None \
            or tuple(stat[:2]) != (skipped.size, skipped.mtime_ns):
        return None
    return skipped.reason if skipped.reason.endswith(NOT_RETRIED) else skipped.reason + NOT_RETRIED


def isolated(rel: str) -> bool:
    """Whether a file's format is parsed apart (the registry says it is `isolated`)."""
    return format_for(rel).isolated


class ApartParser:
    """A child process that parses files, started on first use and replaced after a crash or
    a hang (`shared_parser` keeps one per indexing process). `start_method` gives the
    multiprocessing context (fork or spawn) at that moment; `initializer(*initargs)` runs
    first in the child (so that it dies with its parent)."""

    def __init__(self, start_method: Callable[[], BaseContext], time_limit: float, chunk_words: int,
                 initializer: Callable[..., None] | None = None, initargs: tuple = ()):
        self._start_method = start_method
        self.time_limit = time_limit
        self._chunk_words = chunk_words
        self._initializer = (initializer, initargs)
        self._process = None
        self._conn = None

    def parse(self, rel: str, data: bytes) -> tuple[Document, list[str], list[Passage]]:
        """The document, warnings and passages of one file; raises CorpusFileError to skip it."""
        if self._conn is None:
            self._start()
        try:
            self._conn.send_bytes(rel.encode())
            self._conn.send_bytes(data)
            if not self._conn.poll(self.time_limit + GRACE_SECONDS):
                self._stop()
                raise CorpusFileError(f"{TIMED_OUT} {self.time_limit:g} s")
            head = json.loads(self._conn.recv_bytes())
            records = self._conn.recv_bytes() if "document" in head else b""
        except (EOFError, OSError):  # the child died: a crash in the reader
            raise CorpusFileError(self._crash(rel)) from None
        if "error" in head:
            raise CorpusFileError(str(head["error"]))
        document = document_from_json(head["document"])
        offsets = head["offsets"]
        passages = [decode_record(records[a:b], document.doc_id) for a, b in zip(offsets, offsets[1:])]
        return document, [str(w) for w in head["warnings"]], passages

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send_bytes(b"")  # the child's sign to end
            self._process.join(5)
            self._stop()

    def _start(self) -> None:
        context = self._start_method()
        self._conn, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end, self.time_limit, self._chunk_words,
                                                             *self._initializer), daemon=True)
        with stop_signals_held():  # a Ctrl+C in the middle of the fork would be lost (processes.py)
            self._process.start()
        child_end.close()

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None and process.is_alive():
            process.kill()
        if process is not None:
            process.join()
        if conn is not None:
            conn.close()

    def _crash(self, rel: str) -> str:
        process = self._process
        self._stop()
        code = process.exitcode if process is not None else None
        how = f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        return f"the {format_for(rel).name.upper()} reader crashed on it ({how})"


_shared: tuple[int, tuple, ApartParser] | None = None  # (pid, settings, parser) of this process


def shared_parser(start_method: Callable[[], BaseContext], time_limit: float, chunk_words: int,
                  initializer: Callable[..., None] | None = None) -> ApartParser:
    """This process's parser, kept from batch to batch in a worker: its child starts (and loads
    pdfium and its fonts) once per worker, not once per batch. `initializer(os.getpid())` runs
    in the child."""
    global _shared
    settings = (time_limit, chunk_words)
    if _shared is not None and _shared[0] == os.getpid() and _shared[1] == settings:
        return _shared[2]
    if _shared is not None and _shared[0] == os.getpid():
        _shared[2].close()
    # A parser inherited through fork belongs to the parent (its pipe too): left alone.
    _shared = (os.getpid(), settings, ApartParser(start_method, time_limit, chunk_words, initializer,
                                                   (os.getpid(),)))
    return _shared[2]


def release_parser() -> None:
    """After an in-process run: the indexer's own parser ends (the command line's or the
    chat's process lives on, its child would idle). A worker's parser ends with the worker."""
    global _shared
    if _shared is not None and _shared[0] == os.getpid():
        _shared[2].close()
        _shared = None


def _serve(conn, time_limit: float, chunk_words: int, initializer, initargs: tuple) -> None:
    """The child: parse each file it is sent until it is sent an empty name."""
    import faulthandler

    faulthandler.disable()  # a reader's crash is reported as one line by the parent, not as a dump
    if initializer is not None:
        initializer(*initargs)
    with contextlib.suppress(KeyboardInterrupt, EOFError, OSError):  # Ctrl+C or the parent gone: just end
        while rel := conn.recv_bytes().decode():
            data = conn.recv_bytes()
            try:
                loaded = parse_file(rel, data, time_limit)
                passages = chunk(loaded.document.doc_id, loaded.blocks, chunk_words)
            except CorpusFileError as exc:
                conn.send_bytes(json.dumps({"error": str(exc)}).encode())
                continue
            except Exception as exc:  # a reader's bug on this file must not stop the others
                what = describe(exc) if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {exc}"
                conn.send_bytes(json.dumps({"error": f"the reader failed ({' '.join(what.split())[:200]})"}).encode())
                continue
            records, offsets = encode_records(passages) if passages else (b"", np.zeros(1, np.int64))
            conn.send_bytes(json.dumps({"document": document_json(loaded.document), "warnings": loaded.warnings,
                                        "offsets": offsets.tolist()}, ensure_ascii=False).encode())
            conn.send_bytes(records)
