"""Export a conversation as Markdown: the minutes of the session, with numbered references."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .errors import ExportError
from .printable import printable
from .session import Session, local_minute
from .storage import write_atomic

_MARKER = re.compile(r"\[(\d+)\]")


def to_markdown(session: Session) -> str:
    lines = [f"# {session.title or session.id}", "", f"Chat `{session.id}`, started {local_minute(session.created)}, "
             f"{len(session.turns)} question{'s' * (len(session.turns) != 1)}.", ""]
    # Citation numbers restart in every answer; in the minutes they run through the whole chat,
    # and a quote cited again (by a later answer) keeps the number it was first given.
    numbers: dict[tuple, int] = {}
    references: list[str] = []
    for number, turn in enumerate(session.turns, 1):
        answer = turn.answer
        lines += [f"## {number}. {turn.question}", ""]
        if turn.filter:  # what the answer was drawn from: "nothing found" may only mean "not there"
            lines += [f"*Searched only in: {turn.filter.describe()}*", ""]
        renumbered: dict[str, int] = {}
        for citation in answer.citations:
            key = (citation.path, citation.lines, citation.page, " ".join(citation.quote.split()))
            if key not in numbers:
                numbers[key] = len(references) + 1
                section = f", {citation.heading}" if citation.heading else ""
                references.append(f"[^{numbers[key]}]: *{citation.title}*{section} ({citation.where}): "
                                  f"\u201c{key[-1]}\u201d")
            renumbered[str(citation.n)] = numbers[key]
        lines += [_renumber(answer.text, renumbered), ""]
        if answer.missing:  # the detail asked for that the sources do not give
            lines += [f"*Missing from the sources: {' '.join(answer.missing)}*", ""]
    if references:
        lines += ["## References", "", *references, ""]
    return "\n".join(lines)


def _renumber(text: str, numbers: dict[str, int]) -> str:
    """An answer's `[n]` markers as the minutes' footnotes `[^m]`."""
    return _MARKER.sub(lambda m: f"[^{numbers[m[1]]}]" if m[1] in numbers else m[0], text)


def default_export_path(session: Session, folder: Path | None = None) -> Path:
    """Where the minutes of a chat go unless the user says otherwise: the working folder."""
    return (folder or Path.cwd()) / f"askurbact-{session.id}.md"


def _kind(mode: int) -> str | None:
    """What a file that is not a regular one is, or None for a regular file."""
    for test, kind in ((stat.S_ISLNK, "a link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def export_session(session: Session, path: Path, force: bool = False, corpus: Path | None = None) -> Path:
    """Write the minutes to `path`; an existing file is replaced only with `force`, and only
    if it is a regular file (never a link, pipe, device or folder)."""
    data = printable(to_markdown(session)).encode("utf-8")  # no control character in the file
    path = path.expanduser()
    if corpus is not None and path.resolve().is_relative_to(corpus.resolve()):
        # The next question would index the minutes as a document and cite them.
        raise ExportError(f"{path} is inside the corpus folder {corpus}; write the minutes elsewhere")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    if mode is not None and not force:
        raise ExportError(f"{path} already exists; choose another name or use --force to replace it")
    kind = None if mode is None else _kind(mode)
    if kind is not None:
        raise ExportError(f"{path} is {kind}, not a regular file; --force replaces only regular files")
    # Written beside, then moved into place: a crash never leaves a half-written file, and
    # without --force the last step refuses to replace a file that appeared meanwhile.
    try:
        write_atomic(path, data, mode=0o666, replace=force, make_folder=False)
    except FileExistsError:
        raise ExportError(f"{path} already exists; choose another name or use --force to replace it") from None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    return path
