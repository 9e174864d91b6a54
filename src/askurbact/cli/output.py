"""What the command line prints: colour (auto, always, never; NO_COLOR), messages on
stderr, JSON on stdout, and an answer as a person reads it."""

from __future__ import annotations

import codecs
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from ..printable import printable, printable_json


def color_wanted(stream: TextIO, when: str = "auto") -> bool:
    if when != "auto":
        return when == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Style:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text


def _holds_any_text(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None)
    return encoding is None or codecs.lookup(encoding).name.startswith("utf-")


def tolerant_output() -> None:
    """Output a stream's encoding cannot hold (a Latin-1 locale, PYTHONIOENCODING=ascii) must not
    crash a command: text gets a replacement mark, errors on stderr a backslash escape (JSON is
    written in ASCII then: print_json)."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper) and not _holds_any_text(stream):
            stream.reconfigure(errors=errors)


def say(message: str) -> None:
    print(f"askurbact: {printable(message)}", file=sys.stderr, flush=True)


def print_json(data: object) -> None:
    # Where stdout cannot hold every character, JSON's own \\u escapes keep the text exact.
    print(printable_json(data, ascii_only=not _holds_any_text(sys.stdout)), flush=True)


def report_error(message: str, code: int, as_json: bool, label: str = "error: ") -> None:
    """An error as one line on stderr, and for a JSON reader as an object on stdout too."""
    say(f"{label}{message}")
    if as_json:
        print_json({"error": message, "exit": code})


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def print_answer(answer, style: Style, corpus: Path) -> None:
    """The answer's text with its [n] markers, then its sources: title, section and the
    place as `corpus/path:line`, which terminals and editors open (a PDF's page and a Word
    file's paragraphs as a reader looks them up: `corpus/report.pdf, p. 12`)."""
    from ..answer.model import missing_words  # loaded by now (the answer is one); not at start-up

    if not answer.found:
        print(answer.text)
        print(style(printable(answer.note), "2"))
        return
    text = printable(answer.text)  # before the styles: their escapes are the only ones printed
    for citation in answer.citations:
        text = text.replace(f"[{citation.n}]", style(f"[{citation.n}]", "1;36"))
    print(text)
    print()
    print(style("Sources", "1"))
    for c in answer.citations:
        section = f" \u2014 {c.heading.rsplit(' > ', 1)[-1]}" if c.heading else ""
        first, last = c.lines
        span = f" (lines {first}-{last})" if last != first and c.by_line else ""
        print(f"  {style(f'[{c.n}]', '1;36')} {printable(c.title + section)}")
        missing = style(f" \u00b7 {printable(missing_words(c.missing))}", "2") if c.missing else ""
        print(f"      {style(printable(c.link(corpus)), '2')}{span}{missing}")
    print(style("\n" + printable(answer.note), "2"))
