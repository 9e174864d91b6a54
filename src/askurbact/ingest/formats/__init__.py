"""The format registry: one module per format, each declaring its NAME, SUFFIXES and
VERSION and reading a file's bytes into blocks (`extract`). The file's suffix chooses
the format here and nowhere else; the version goes into the cache key, so changing one
reader re-reads only its files. A format whose reader runs C code over untrusted bytes (PDF,
Word, HTML) also says ISOLATED = True: the indexer parses its files in a child process, each
within a time limit, so a file that hangs or crashes its reader is skipped, not fatal."""

from __future__ import annotations

from types import ModuleType

from . import docx, html, markdown, pdf, text

FORMATS: tuple[ModuleType, ...] = (markdown, text, pdf, docx, html)
SUFFIXES = tuple(suffix for fmt in FORMATS for suffix in fmt.SUFFIXES)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.SUFFIXES}


def format_for(rel_path: str) -> ModuleType:
    """The reader of a corpus file, by its suffix (case ignored); KeyError if none."""
    name = rel_path.rsplit("/", 1)[-1].lower()
    return _BY_SUFFIX["." + name.rsplit(".", 1)[-1]]


def reader_of(rel_path: str) -> str:
    """The reader and its version that a file is indexed with, "pdf/1": kept per file in the
    manifest, so that a new version of one reader re-reads only its files."""
    fmt = format_for(rel_path)
    return f"{fmt.NAME}/{fmt.VERSION}"
