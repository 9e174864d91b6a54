"""Ingest: find the corpus files, read each with its format's reader, describe the
document (title, date, language, tags) and cut it into passages (`chunking`).

`parse_file` is the one way in for every format."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import normalize_lang, supported_lang
from ..analysis.identify import SAMPLE_CHARS, identify_language
from ..model import Block, Document
from .formats import SUFFIXES, format_for
from .front_matter import date_field, tags_field, text_field


@dataclass
class LoadedFile:
    document: Document
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    pages: list[str] | None = None


def doc_id_of(rel_path: str) -> str:
    """A document's id, from its path alone (it never changes as other files come and go),
    readable and unique in the corpus: a Markdown file named `.md` drops that suffix
    (`notes.md` is `notes`); any other file keeps its whole path (`notes.txt`, `report.pdf`:
    the same report is often there twice, as report.docx and the report.pdf made from it),
    and so does a `.md` file whose name would still end like a corpus file (`notes.txt.md`),
    so that no two files share an id (every corpus file's name ends with a known suffix)."""
    stem = rel_path[:-3] if rel_path.endswith(".md") else ""
    if stem and not stem.endswith("/") and not stem.lower().endswith(SUFFIXES):
        return stem
    return rel_path


def parse_file(rel_path: str, data: bytes, time_limit: float | None = None) -> LoadedFile:
    """Read one corpus file. Raises CorpusFileError when it cannot be indexed (or, with a
    `time_limit` in seconds, when its reader finds it is taking longer)."""
    fmt = format_for(rel_path)
    extracted = fmt.extract(data, rel_path, time_limit)
    meta, warnings = extracted.meta, list(extracted.warnings)
    file_stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    title = text_field(meta, "title", warnings) or extracted.default_title or file_stem
    lang_value = meta.get("lang", meta.get("language"))
    lang = normalize_lang(lang_value)
    if lang_value is not None and supported_lang(lang_value) is None:
        warnings.append(f"'lang' {str(lang_value)[:20]!r} is not a supported language; using {lang}")
    elif lang_value is None:  # a document that does not say is read in the language its words are in
        lang = identify_language(_sample(extracted.blocks)) or lang
    document = Document(
        doc_id=doc_id_of(rel_path),
        path=rel_path,
        title=title,
        lang=lang,
        date=date_field(meta, warnings),
        publisher=text_field(meta, "publisher", warnings),
        tags=tags_field(meta, warnings),
        format=fmt.name,
    )
    return LoadedFile(document, extracted.blocks, warnings, extracted.pages)


def _sample(blocks: list[Block]) -> str:
    """The start of a document's text, enough to tell its language."""
    parts, size = [], 0
    for block in blocks:
        parts.append(block.text)
        size += len(block.text)
        if size >= SAMPLE_CHARS:
            break
    return "\n".join(parts)
