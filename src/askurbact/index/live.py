"""The reader of an index folder's live generation, for a process that asks many questions
(a chat, the benchmark): opened again when an indexer has replaced the generation."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from .format import CURRENT, current_generation
from .reader import IndexReader

# A pointer's stat data is trusted only once it is this old: file times may count in whole
# seconds (ext3, small-inode ext4, HFS+) or two (FAT).
SETTLED_NS = 3_000_000_000


def _pointer_stamp(index_dir: Path) -> tuple[int, int, int, int] | None:
    """The CURRENT pointer's inode, size and change times, once they can tell it apart from
    any later pointer; None otherwise (then it is read). The writer renames a new file onto
    the pointer, but its size never changes and the file system may give it the inode of
    the one before last: only its times tell two pointers apart. A pointer written within
    SETTLED_NS of now may share its times with the next one (git's "racy" index entries),
    so its stamp is not kept. One stat a question instead of reading the pointer: a
    twentieth of a question's time."""
    now = time.time_ns()
    try:
        st = os.stat(index_dir / CURRENT)
    except OSError:
        return None
    if now - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class LiveReader:
    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._reader: IndexReader | None = None
        self._stamp: tuple[int, int, int, int] | None = None
        self._lock = threading.Lock()  # the chat asks from a worker, indexes from another

    def get(self) -> IndexReader:
        """The reader of the live generation (raises IndexProblem as IndexReader does)."""
        # The stamp is taken before the pointer is read: a replacement in between shows as a
        # changed stamp at the next question, never as a stale reader kept for good.
        with self._lock:
            stamp = _pointer_stamp(self.index_dir)
            reader = self._reader
            if reader is not None and stamp is not None and stamp == self._stamp:
                return reader
            generation = current_generation(self.index_dir)
            if reader is None or generation != reader.folder:
                reader = self._reader = IndexReader(self.index_dir)
            self._stamp = stamp
            return reader

    def forget(self) -> None:
        """Open the generation again at the next question (this process has just written one)."""
        with self._lock:
            self._reader = None
            self._stamp = None
