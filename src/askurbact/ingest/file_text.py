"""The text askurbact extracts from one file, line by line as citations count lines: what
`askurbact text PATH [--page N]` prints, to check a quote at its place."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import CorpusFileError, UsageError
from . import parse_file
from .formats import SUFFIXES, format_for
from .lines import ExtractedText, extracted_lines


def file_text(settings: Settings, path: str, page: int | None = None) -> ExtractedText:
    """The extracted text of `path` (in the corpus folder, as citations name it, or any
    path); with `page`, that page of a PDF only. Read as indexing reads it, under the same
    size and time limits."""
    corpus = settings.corpus
    target = next((p for p in (corpus / path, Path(path)) if p.is_file()), None)
    if target is None:
        raise UsageError(f"{path}: no such file in the corpus folder {corpus} or here")
    try:
        rel = target.resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        rel = target.name
    if not rel.lower().endswith(SUFFIXES):
        raise UsageError(f"{path}: not a format askurbact reads ({', '.join(SUFFIXES)})")
    size = target.stat().st_size
    if size > settings.max_file_mb * 1e6:
        limit = settings.max_file_mb
        raise CorpusFileError(f"{rel}: {size / 1e6:.1f} MB is larger than max_file_mb ({limit:g} MB)")
    try:
        loaded = parse_file(rel, target.read_bytes(), settings.max_parse_seconds)
    except CorpusFileError as exc:
        raise CorpusFileError(f"{rel}: {exc}") from None
    lines = extracted_lines(loaded)
    pages = len(loaded.pages) if loaded.pages and any(b.page for b in loaded.blocks) else None
    if page is not None:
        if pages is None:
            what = "paragraphs" if format_for(rel).name == "docx" else "lines"
            raise UsageError(f"{rel} has no pages: its citations count {what}; leave out --page")
        if not 1 <= page <= pages:
            raise UsageError(f"{rel} has {pages} page{'s' * (pages != 1)}; --page must be between 1 and {pages}")
        lines = [line for line in lines if line.page == page]
    return ExtractedText(rel, loaded.document.format, pages, lines)
