"""The reader of an index folder's live generation, for a process that asks many questions
(a chat, the benchmark): opened again when an indexer has replaced the generation."""

from __future__ import annotations

import os
from pathlib import Path

from .format import CURRENT, current_generation
from .reader import IndexReader


def _pointer_stamp(index_dir: Path) -> tuple[int, int, int, int] | None:
    """The CURRENT pointer's inode, size and change times; None without one. The writer
    replaces the pointer by renaming a new file onto it, so a new generation is a new
    inode: one stat a question tells whether the pointer may have changed, instead of
    opening and reading it (a twentieth of a question's time). As git does with the
    index's stat data, the file is read again whenever any of it differs."""
    try:
        st = os.stat(index_dir / CURRENT)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class LiveReader:
    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._reader: IndexReader | None = None
        self._stamp: tuple[int, int, int, int] | None = None

    def get(self) -> IndexReader:
        """The reader of the live generation (raises IndexProblem as IndexReader does)."""
        # The stamp is taken before the pointer is read: a replacement in between shows as a
        # changed stamp at the next question, never as a stale reader kept for good.
        stamp = _pointer_stamp(self.index_dir)
        if self._reader is not None and stamp is not None and stamp == self._stamp:
            return self._reader
        generation = current_generation(self.index_dir)
        if self._reader is None or generation != self._reader.folder:
            self._reader = IndexReader(self.index_dir)
        self._stamp = stamp
        return self._reader

    def forget(self) -> None:
        """Open the generation again at the next question (this process has just written one)."""
        self._reader = None
        self._stamp = None
