"""Crash-safe file writes: write beside, flush to disk, then rename over."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# The temporary names write_atomic uses beside `path`: `.<name>.<8 characters>.tmp`.
TEMP_SUFFIX = ".tmp"


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not every platform can open a folder; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; nothing more we can do
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, durable: bool = True, mode: int = 0o600) -> None:
    """Replace `path` with `data` so that readers see the old or the new file, never half.

    `mode` is that of a new file, less the umask: 0o600 keeps saved chats private; the
    index passes 0o666, so its files read like the ones `open` creates (0o644 under umask 022)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)
