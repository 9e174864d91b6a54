"""Each generation's file stamps (`stamps.json`): the size and modification time of every
file as the writer left it, checked by the writer before it builds on a generation.

The reader checks that the arrays fit together (shapes, ranges), which costs nothing and
is done at every open; a number changed inside a well-formed array shows only when a
query reads it. No file of a generation is ever written again once it is live (the next
generation links or rewrites its files), so a file whose size or time differs from its
stamp was changed by something else, and `askurbact index` rebuilds rather than calling
the index unchanged. Stamps rather than content hashes, as git trusts its index's stat
data: SHA-256 of a generation cost 0.1 s a run at 100k passages (131 MB) and would cost
seconds at 1M, twice per update (write and check); a stat costs microseconds. What a
stamp cannot see (a byte flipped on the disk, the time kept) queries still catch where a
value becomes impossible.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

NAME = "stamps.json"
# The manifest is written after the stamps, and is JSON checked field by field on load.
_UNSTAMPED = {NAME, "manifest.json"}


def _stamp(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def write_stamps(gen: Path) -> None:
    """Record the stamp of every file of `gen` (call once they are all written)."""
    stamps = {p.name: _stamp(p) for p in sorted(gen.iterdir()) if p.name not in _UNSTAMPED and p.is_file()}
    (gen / NAME).write_text(json.dumps(stamps, indent=0), encoding="utf-8")


def changed_files(gen: Path) -> list[str] | None:
    """The files of `gen` changed (or gone) since the writer stamped them, or None when the
    generation has no stamps (written before they were kept)."""
    try:
        stamps = json.loads((gen / NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return [NAME]
    if not isinstance(stamps, dict) or any("/" in str(name) or name in _UNSTAMPED for name in stamps):
        return [NAME]
    changed = []
    for name, stamp in stamps.items():
        try:
            if _stamp(gen / name) != stamp:
                changed.append(name)
        except OSError:
            changed.append(name)
    return changed
