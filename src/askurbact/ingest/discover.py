"""Discovery: which files under the corpus folder are documents, and which are left out
(with the reason). Nothing here opens a file, and nothing writes to the corpus."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .formats import SUFFIXES


def discover(corpus: Path) -> tuple[list[str], dict[str, str]]:
    """Relative paths of the documents under `corpus` (sorted), and those left out: {path: reason}.

    File links are followed only when they point inside the corpus, so a link loop or a
    link to elsewhere on the disk is never read; folder links are not followed. Hidden
    files and folders are ignored.
    """
    root = corpus.resolve()
    found: list[str] = []
    skipped: dict[str, str] = {}

    def unreadable_folder(error: OSError) -> None:
        skipped[shown(Path(error.filename).relative_to(root).as_posix() + "/")] = error.strerror or "cannot be read"

    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable_folder):
        for name in [d for d in dirs if not d.startswith(".") and _bad_name(d)]:
            skipped[shown(Path(folder, name).relative_to(root).as_posix() + "/")] = _bad_name(name)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _bad_name(d))
        for name in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            # os.walk lists a link to a folder but does not go in: say so, not a silent gap.
            skipped[Path(folder, name).relative_to(root).as_posix() + "/"] = _FOLDER_LINK
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if _bad_name(name):
                skipped[shown(rel)] = _bad_name(name)
                continue
            reason = _unusable(path, root)
            if reason:
                skipped[rel] = reason
                continue
            found.append(rel)
    return found, skipped


# A name the file system gives as bytes that are not UTF-8 (Python carries them as lone
# surrogates): it cannot be written to the index's JSON, nor printed, nor cited.
_NOT_UTF8 = "its name is not valid UTF-8; rename it (e.g. convmv -f latin1 -t utf8)"


# Folder links are not followed: a link to a parent would loop, one to a home folder would
# index all of it. (A file link inside the corpus is read.)
_FOLDER_LINK = "a link to a folder, not followed: move or copy the folder into the corpus"


# A line break in a name would split every one-line message, table row and citation that
# names the file (a name could forge a line of output); such names are left out.
_LINE_BREAK = "its name has a line break; rename it"


def _bad_name(name: str) -> str | None:
    """Why a file or folder name cannot be indexed, or None."""
    if not _utf8(name):
        return _NOT_UTF8
    if "\n" in name or "\r" in name:
        return _LINE_BREAK
    return None


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(rel: str) -> str:
    """A path as it can be shown and stored on one line: bytes that are not UTF-8 become
    U+FFFD, line breaks their visible symbols (␊, ␍)."""
    text = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text.replace("\n", "\u240a").replace("\r", "\u240d")


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
