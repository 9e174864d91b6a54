"""The index folder is askurbact's own: marked when it is made, refused when it holds
someone else's files, and pruned of nothing but the names askurbact itself writes.

Names askurbact writes (and so may delete) in the index folder:
    .askurbact-index            the marker (never deleted)
    CURRENT, .CURRENT.<8>.tmp   the pointer and the temporary file it is replaced by
    gen-<hex>-<pid>/            generations
    cache/<40 hex>.entry        cache entries, and .<40 hex>.<pid>, the file one is written to
    cache/<40 hex>-<12 hex>.vectors.npy   an entry's passage vectors (writer/vectors.py), same temporary name
    .lock                       the writers' lock
Anything else there (a user's file, a folder under cache/) is left alone.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Collection
from pathlib import Path

from ...errors import IndexProblem
from ...storage import TEMP_SUFFIX
from ..format import CURRENT, current_generation, read_json
from ..manifest import read_manifest
from ..records import ENTRY

MARKER = ".askurbact-index"
MARKER_FORMAT = 1
MARKER_TEXT = (f"askurbact index folder, format {MARKER_FORMAT}\n"
               "askurbact writes and deletes its own files here; keep nothing of yours in this folder.\n")

GENERATION = re.compile(r"gen-[0-9a-f]{16}-[0-9]+")  # generation.py: time_ns in hex (16 digits until 2554), pid
CACHE_ENTRY = re.compile(r"([0-9a-f]{40})" + re.escape(ENTRY))
CACHE_VECTORS = re.compile(r"([0-9a-f]{40})-[0-9a-f]{12}\.vectors\.npy")  # writer/vectors.py
CACHE_TEMP = re.compile(r"\.[0-9a-f]{40}\.[0-9]+")  # writer/cache.py: write_entry
CURRENT_TEMP = re.compile(re.escape(f".{CURRENT}.") + r"[0-9a-z_]{8}" + re.escape(TEMP_SUFFIX))


def claim(index_dir: Path) -> str | None:
    """Make sure `index_dir` is askurbact's before anything is written there: create and
    mark a new (or empty) folder, adopt an index an earlier askurbact made (it wrote no
    marker), and refuse any other folder. Returns a note for the user when it adopted one."""
    marker = index_dir / MARKER
    if marker.is_file():
        return None
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexProblem(f"the index folder {index_dir} is a file; choose a folder with --index")
    if index_dir.is_dir() and not _as_good_as_empty(index_dir):
        if not _made_by_askurbact(index_dir):
            raise IndexProblem(f"the index folder {index_dir} holds files that are not an askurbact index "
                               f"(it has no {MARKER}); choose an empty or new folder with --index")
        _write_marker(marker)
        return f"the index folder {index_dir} was made by an earlier askurbact: adopted (marked with {MARKER})"
    index_dir.mkdir(parents=True, exist_ok=True)
    _write_marker(marker)
    return None


def _as_good_as_empty(index_dir: Path) -> bool:
    """Nothing in it, or only what a run that stopped at once leaves: its lock, an empty cache."""
    return all(child.name == ".lock" and _is_file(child)
               or child.name == "cache" and child.is_dir() and not any(child.iterdir())
               for child in index_dir.iterdir())


def _made_by_askurbact(index_dir: Path) -> bool:
    """An unmarked index of an earlier askurbact: CURRENT names a generation whose
    manifest is askurbact's (its format and analysis recorded as askurbact writes them)."""
    try:
        manifest = read_manifest(index_dir)
    except IndexProblem:
        return False
    gen = current_generation(index_dir)
    analysis = manifest.analysis if manifest else None
    return (gen is not None and GENERATION.fullmatch(gen.name) is not None
            and isinstance(analysis, dict) and str(analysis.get("name", "")).startswith("askurbact-"))


def generations(index_dir: Path) -> set[Path]:
    return {child for child in index_dir.iterdir()
            if GENERATION.fullmatch(child.name) and child.is_dir() and not child.is_symlink()}


def keys_of(generation: Path | None) -> set[str]:
    """Cache keys a generation reads passage texts from (none if it is unreadable)."""
    try:
        return {str(d["key"]) for d in read_json(generation / "documents.json")} if generation else set()
    except (IndexProblem, KeyError, TypeError):
        return set()


def tidy(index_dir: Path) -> None:
    """Delete the cache entries no generation uses and every temporary file, leaving the
    generations as they are: after a run that could not finish writing (on a full disk its
    entries are what keeps the next run from fitting), or one that changed nothing."""
    kept = generations(index_dir)
    prune(index_dir, kept, set().union(*map(keys_of, kept)) if kept else set())


def _mb(count: int) -> str:
    return f"{count / 1e6:,.0f}" if count >= 10e6 else f"{count / 1e6:.1f}"


def write_failure(index_dir: Path, exc: OSError, need: int) -> IndexProblem:
    """The one-line error of a run that failed writing to the index folder."""
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT) or re.search(r"requested and \d+ written", str(exc))
    if not full:
        return IndexProblem(f"cannot write to the index folder {index_dir}: {exc.strerror or exc}; "
                            "the previous index is unchanged")
    try:
        free = f"{_mb(shutil.disk_usage(index_dir).free)} MB free"
    except OSError:
        free = "free space unknown"
    return IndexProblem(f"the disk of the index folder {index_dir} is full: this run needs about {_mb(need)} MB "
                        f"there ({free}); free some space or choose another --index, then run 'askurbact index' "
                        "again (the previous index is unchanged)")


def _write_marker(marker: Path) -> None:
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:  # another run marked it first
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(MARKER_TEXT)


def _is_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def prune(index_dir: Path, keep: Collection[Path | None], live_keys: set[str]) -> None:
    """Delete generations not in `keep`, cache entries whose key is not in `live_keys`, and
    every temporary file. Only for the holder of the lock: nobody else writes meanwhile,
    so a temporary file is a leftover (of a killed run)."""
    for gen in generations(index_dir) - set(keep):
        shutil.rmtree(gen, ignore_errors=True)
    for child in index_dir.iterdir():
        if CURRENT_TEMP.fullmatch(child.name) and _is_file(child):
            child.unlink(missing_ok=True)
    cache_dir = index_dir / "cache"
    if not cache_dir.is_dir():
        return
    for child in cache_dir.iterdir():
        entry = CACHE_ENTRY.fullmatch(child.name) or CACHE_VECTORS.fullmatch(child.name)
        if (entry and entry.group(1) not in live_keys or CACHE_TEMP.fullmatch(child.name)) and _is_file(child):
            child.unlink(missing_ok=True)
