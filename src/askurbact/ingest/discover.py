"""Discovery: which files under the corpus folder are documents, and which are left out
(with the reason). Nothing here opens a file, and nothing writes to the corpus."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .formats import SUFFIXES


def discover(corpus: Path) -> tuple[list[str], dict[str, str]]:
    """Relative paths of the documents under `corpus` (sorted), and those left out: {path: reason}.

    Links are followed only when they point inside the corpus, so a link loop or a link
    to elsewhere on the disk is never read. Hidden files and folders are ignored.
    """
    root = corpus.resolve()
    found: list[str] = []
    skipped: dict[str, str] = {}

    def unreadable_folder(error: OSError) -> None:
        skipped[Path(error.filename).relative_to(root).as_posix() + "/"] = error.strerror or "cannot be read"

    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable_folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            reason = _unusable(path, root)
            if reason:
                skipped[rel] = reason
                continue
            found.append(rel)
    return found, skipped


def _unusable(path: Path, root: Path) -> str | None:
    """Why a found name cannot be read as a document, or None. Never opens the file:
    a named pipe or device would block or stream forever."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (RuntimeError, OSError) as exc:  # a loop (RuntimeError before Python 3.13) or a dangling link
                if isinstance(exc, FileNotFoundError):
                    return "a link to a file that does not exist"
                return "a link loop"
            if not target.is_relative_to(root):
                return "a link to outside the corpus folder"
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None  # vanished: indexing reports it
    except OSError as exc:
        return exc.strerror or "cannot be read"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, device or socket)"
    return None
