"""Corpus loading: find documents, decode them, read front matter, cut the body into blocks.

A block is a verbatim slice of the source file (heading, paragraph, list item, code,
table) with the line it starts on, so every sentence can be traced back to its place.
Nothing here writes to the corpus.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path


from .analysis import normalize_lang, supported_lang

SUFFIXES = (".md", ".markdown", ".txt")
MAX_FRONT_MATTER = 64 * 1024


class CorpusFileError(Exception):
    """A corpus file that cannot be indexed; the message is the reason, for the user."""


@dataclass(frozen=True)
class Document:
    doc_id: str  # the path without its suffix: stable and readable
    path: str  # relative to the corpus folder, with forward slashes
    title: str
    lang: str
    date: str | None = None
    publisher: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    text: str  # verbatim from the source
    line: int  # 1-based source line where `text` starts
    section: tuple[str, ...]  # heading path above the block
    heading: bool = False


@dataclass
class LoadedFile:
    document: Document
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)


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


def decode(data: bytes) -> str:
    """Text of a file: by its byte-order mark if it has one, else strict UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise CorpusFileError(f"not valid {encoding.upper()} despite its byte-order mark") from exc
    if b"\x00" in data[:8192]:
        raise CorpusFileError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusFileError(f"not UTF-8 (byte {exc.start}); save it as UTF-8") from exc


@functools.lru_cache(maxsize=None)
def _no_alias_loader() -> type:
    """safe_load's loader, minus anchors and aliases: front matter never needs them and
    they allow 'billion laughs' documents that expand without bound. (Made on first use:
    a one-off `ask` never parses front matter and need not import yaml.)"""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                raise CorpusFileError("front matter uses YAML aliases, which are not allowed")
            return super().compose_node(parent, index)

    return NoAliasLoader


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """(front matter, body, number of lines before the body)."""
    if not text.startswith("---") or text[3:4] not in ("\n", "\r"):
        return {}, text, 0
    match = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M).search(text, 4)
    if match is None:
        raise CorpusFileError("front matter starts with '---' but never ends")
    raw = text[4:match.start()]
    if len(raw) > MAX_FRONT_MATTER:
        raise CorpusFileError("front matter is larger than 64 KiB")
    import yaml

    loader = None
    try:
        # The constructor already reads the text: a control character fails here.
        loader = _no_alias_loader()(raw)
        meta = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        if isinstance(exc, yaml.reader.ReaderError):
            where = f" (character U+{exc.character:04X} is not allowed)" if isinstance(exc.character, int) else ""
        raise CorpusFileError(f"malformed front matter{where}") from exc
    except RecursionError:
        raise CorpusFileError("malformed front matter (nested too deeply)") from None
    finally:
        if loader is not None:
            loader.dispose()
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CorpusFileError("front matter is not a mapping of fields")
    end = match.end()
    if text[end:end + 2] == "\r\n":
        end += 2
    elif text[end:end + 1] == "\n":
        end += 1
    return meta, text[end:], text.count("\n", 0, end)


def _text_field(meta: dict, name: str, warnings: list[str]) -> str | None:
    value = meta.get(name)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    warnings.append(f"front matter field '{name}' is not text; ignored")
    return None


def _date_field(meta: dict, warnings: list[str]) -> str | None:
    value = meta.get("date")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, lambda s: dt.datetime.fromisoformat(s).date()):
            try:
                return parse(value.strip()).isoformat()
            except ValueError:
                pass
        if re.fullmatch(r"\d{4}(-\d{2})?", value.strip()):
            return value.strip()
    warnings.append(f"front matter 'date' is not a date (YYYY-MM-DD): {str(value)[:40]!r}; ignored")
    return None


def _tags_field(meta: dict, warnings: list[str]) -> tuple[str, ...]:
    value = meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [t for t in re.split(r"[,;]", value)]
    if not isinstance(value, list) or not all(isinstance(t, (str, int, float)) for t in value):
        warnings.append("front matter 'tags' is not a list of words; ignored")
        return ()
    return tuple(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))


_MARKER = re.compile(r"^[ \t]*(?:(?:#{1,6}|[-*+\u2022]|\d{1,9}[.)]|>)[ \t]+|>)*")


def _markdown_blocks(body: str, offset: int) -> list[Block]:
    from markdown_it import MarkdownIt  # only indexing needs the parser

    lines = body.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    covered: set[int] = set()
    skip_until = None
    for i, token in enumerate(tokens):
        if token.map is not None and token.type in _TEXT_TOKENS:
            covered.update(range(*token.map))
        if skip_until is not None:
            if token.type == skip_until:
                skip_until = None
            continue
        if token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        if token.type == "heading_open":
            level = int(token.tag[1:])
            title = tokens[i + 1].content.strip()
            headings = [h for h in headings if h[0] < level] + [(level, title)]
            source = lines[start]
            col = source.find(title) if title else -1
            text = title if col >= 0 and title else _MARKER.sub("", source).rstrip()
            if text:
                blocks.append(Block(text, start + 1 + offset, tuple(h[1] for h in headings), heading=True))
            continue
        if token.type in ("paragraph_open", "fence", "code_block", "html_block", "table_open"):
            if token.type == "table_open":
                skip_until = "table_close"
            chunk = "\n".join(lines[start:end])
            stripped = _MARKER.sub("", chunk, count=1) if token.type == "paragraph_open" else chunk
            text = stripped.rstrip()
            lead = len(stripped) - len(stripped.lstrip())
            first_line = start + 1 + offset + stripped.count("\n", 0, lead)
            text = text.lstrip()
            if text:
                blocks.append(Block(text, first_line, tuple(h[1] for h in headings)))
    return _add_uncovered(blocks, lines, covered, offset)


# Tokens whose lines end up in blocks (a table's rows are inside the table's map).
_TEXT_TOKENS = frozenset({"heading_open", "paragraph_open", "fence", "code_block", "html_block", "table_open", "hr"})
_ONLY_MARKERS = re.compile(r"[ \t]*(?:(?:#{1,6}|[-*+\u2022]|\d{1,9}[.)]|>)[ \t]*)*")


def _add_uncovered(blocks: list[Block], lines: list[str], covered: set[int], offset: int) -> list[Block]:
    """Keep text the parser puts in no block (link reference definitions, for one):
    nothing a document says may be lost. Each run of such lines becomes a block."""
    runs: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if i in covered or not re.search(r"[^\W_]", line[_ONLY_MARKERS.match(line).end():]):
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    if not runs:
        return blocks
    import bisect

    for start, end in runs:
        text = "\n".join(lines[start:end]).strip()
        first_line = start + 1 + offset
        at = bisect.bisect_right([b.line for b in blocks], first_line)
        section = blocks[at - 1].section if at else ()
        blocks.insert(at, Block(text, first_line, section))
    return blocks


def _text_blocks(body: str, offset: int) -> list[Block]:
    blocks = []
    line, counted = 1 + offset, 0  # count newlines incrementally: linear in the file size
    for match in re.finditer(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        blocks.append(Block(match.group().rstrip(), line, ()))
    return blocks


def parse_file(rel_path: str, data: bytes) -> LoadedFile:
    """Parse one corpus file. Raises CorpusFileError when it cannot be indexed."""
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CorpusFileError("empty file")
    meta, body, offset = split_front_matter(text)
    warnings: list[str] = []
    is_markdown = not rel_path.lower().endswith(".txt")
    blocks = _markdown_blocks(body, offset) if is_markdown else _text_blocks(body, offset)
    if not blocks:
        raise CorpusFileError("no text after the front matter")
    title = _text_field(meta, "title", warnings)
    if title is None:
        first = next((b for b in blocks if b.heading), None) if is_markdown else None
        title = (first or blocks[0]).text.split("\n", 1)[0].strip()[:200] or Path(rel_path).stem
    lang_value = meta.get("lang", meta.get("language"))
    lang = normalize_lang(lang_value)
    if lang_value is not None and supported_lang(lang_value) is None:
        warnings.append(f"front matter 'lang' {str(lang_value)[:20]!r} is not a supported language; using {lang}")
    document = Document(
        doc_id=rel_path.rsplit(".", 1)[0],
        path=rel_path,
        title=title,
        lang=lang,
        date=_date_field(meta, warnings),
        publisher=_text_field(meta, "publisher", warnings),
        tags=_tags_field(meta, warnings),
    )
    return LoadedFile(document, blocks, warnings)
