"""Crash-safe file writes: write beside, flush to disk, then rename over."""

from __future__ import annotations

import errno
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


# What os.link raises where a file system has no hard links (then a copy is made instead).
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK)


def link_new(source: Path, target: Path, mode: int = 0o600) -> None:
    """Give the file `source` the name `target` too, never replacing a file there: a hard
    link fails if `target` exists (checking first would race). Where the file system has
    no hard links, an exclusive create and a copy. Raises FileExistsError."""
    try:
        os.link(source, target)
        return
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
            raise
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(source.read_bytes())
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(path: Path, data: bytes, durable: bool = True, mode: int = 0o600, replace: bool = True,
                 make_folder: bool = True) -> None:
    """Replace `path` with `data` so that readers see the old or the new file, never half;
    with `replace` False, write it only if no file has that name (else FileExistsError).

    `mode` is that of a new file, less the umask: 0o600 keeps saved chats private; the
    index and exports pass 0o666, so their files read like the ones `open` creates (0o644
    under umask 022). `make_folder` False: a missing folder is an error (FileNotFoundError)."""
    if make_folder:
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
        if replace:
            os.replace(tmp, path)
        else:
            link_new(tmp, path, mode)
    finally:
        tmp.unlink(missing_ok=True)
    if durable:
        fsync_dir(path.parent)
