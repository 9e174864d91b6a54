"""The format registry: each format's name, suffixes, reader version and whether it is
read in isolation, declared here, and its reader in the module of that name (`extract`:
a file's bytes into blocks), imported when a file of it is first read. The file's suffix
chooses the format here and nowhere else; the version goes into the cache key, so
changing one reader re-reads only its files. A format whose reader runs C code over
untrusted bytes (PDF, Word, HTML) is `isolated`: the indexer parses its files in a child
process, each within a time limit, so a file that hangs or crashes its reader is skipped,
not fatal. Declared here rather than in each module: a one-off `ask` checks every file's
reader and version, and importing the readers (lxml, pypdfium2's layout code) cost it 19 ms."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Format:
    name: str  # also its module's name
    suffixes: tuple[str, ...]
    version: int
    isolated: bool = False

    @property
    def reader(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.name}")

    def extract(self, data: bytes, rel_path: str, time_limit: float | None = None):
        return self.reader.extract(data, rel_path, time_limit)


FORMATS: tuple[Format, ...] = (
    Format("markdown", (".md", ".markdown"), 1),
    Format("text", (".txt",), 1),
    # 4: a table of contents opens no section; 3: hyphenated words joined on cut lines, ff read as
    # "\u21b5" fixed; 2: headings without an outline
    Format("pdf", (".pdf",), 4, isolated=True),
    # 3: a table of contents opens no section; 2: streamed body, core properties from docProps/core.xml
    Format("docx", (".docx",), 3, isolated=True),
    # 3: footnote marks dropped, lists in table cells kept; 2: a heading right before the article
    Format("html", (".html", ".htm"), 3, isolated=True),
)
SUFFIXES = tuple(suffix for fmt in FORMATS for suffix in fmt.suffixes)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}


def format_for(rel_path: str) -> Format:
    """The format of a corpus file, by its suffix (case ignored); KeyError if none."""
    name = rel_path.rsplit("/", 1)[-1].lower()
    return _BY_SUFFIX["." + name.rsplit(".", 1)[-1]]


def reader_of(rel_path: str) -> str:
    """The reader and its version that a file is indexed with, "pdf/1": kept per file in the
    manifest, so that a new version of one reader re-reads only its files."""
    fmt = format_for(rel_path)
    return f"{fmt.name}/{fmt.version}"
