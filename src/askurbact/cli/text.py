"""`askurbact text FILE [--page N]`: the extracted text with the line numbers citations use."""

from __future__ import annotations

import argparse

from .parser import EXIT_OK


def text(assistant, args: argparse.Namespace) -> int:
    """Each line with its number; a PDF's pages each under a "FILE, p. N" line."""
    extracted = assistant.extracted_text(args.file, args.page)
    shown_page = None
    for line in extracted.lines:
        if line.page is not None and line.page != shown_page:
            print(f"{'' if shown_page is None else chr(10)}{extracted.path}, p. {line.page}")
            shown_page = line.page
        print(f"{line.line:>5}  {line.text}".rstrip())
    return EXIT_OK
