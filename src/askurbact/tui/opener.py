"""Open a cited file at the quote: text files in the user's editor at the line
(`$VISUAL` / `$EDITOR` with `+LINE`, which vi, vim, nano, emacs, micro and kakoune read), other
formats with the `open_command` setting, its {path}, {page} and {line} filled in."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import AskUrbactError

# Formats whose cited lines are lines of the file itself, so an editor finds them.
TEXT_FORMATS = frozenset({"markdown", "text", "html"})
EXAMPLE = 'open_command: "xdg-open {path}"'


class CannotOpen(AskUrbactError):
    """Nothing is set up to open this file, or it is gone."""


@dataclass(frozen=True)
class OpenCommand:
    argv: list[str]
    in_terminal: bool  # an editor takes over the terminal; a viewer runs beside the chat


def open_command(path: Path, line: int, page: int | None, file_format: str, configured: str | None,
                 environ: Mapping[str, str] | None = None) -> OpenCommand:
    """The command that opens `path` at `line` (on `page`); CannotOpen says what to set."""
    environ = os.environ if environ is None else environ
    if not path.is_file():
        raise CannotOpen(f"{path} is no longer there; re-index (Ctrl+R) to update the sources")
    editor = environ.get("VISUAL") or environ.get("EDITOR")
    if file_format in TEXT_FORMATS and editor:
        try:
            words = shlex.split(editor)
        except ValueError:
            raise CannotOpen(f"$VISUAL / $EDITOR is not a command line: {editor!r}") from None
        return OpenCommand([*words, f"+{line}", str(path)], in_terminal=True)
    if configured:
        values = {"path": str(path), "page": str(page or 1), "line": str(line)}
        return OpenCommand([word.format(**values) for word in shlex.split(configured)], in_terminal=False)
    if file_format in TEXT_FORMATS:
        raise CannotOpen(f"set $VISUAL or $EDITOR to open {path.name} at line {line} "
                         f"(or {EXAMPLE} in askurbact.yaml)")
    raise CannotOpen(f"set {EXAMPLE} in askurbact.yaml to open {file_format.upper()} files "
                     "({page} and {line} are filled in too)")
