"""Front matter: the optional YAML block at the top of a Markdown or text file, read with
safe_load's rules minus aliases, and the document fields taken from it (or from a binary
format's metadata): each bad field is ignored with a warning, never the whole file."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import CorpusFileError
from ..safe_yaml import AliasNotAllowed, load

MAX_FRONT_MATTER = 64 * 1024


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

    try:
        meta = load(raw)  # a control character fails here too: the reader checks the text
    except AliasNotAllowed:
        raise CorpusFileError("front matter uses YAML aliases, which are not allowed") from None
    except yaml.YAMLError as exc:
        where = f" at line {_wrong_line(exc, raw) + 2}" if getattr(exc, "problem_mark", None) else ""
        if isinstance(exc, yaml.reader.ReaderError):
            where = f" (character U+{exc.character:04X} is not allowed)" if isinstance(exc.character, int) else ""
        raise CorpusFileError(f"malformed front matter{where}") from exc
    except RecursionError:
        raise CorpusFileError("malformed front matter (nested too deeply)") from None
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


def _wrong_line(exc, raw: str) -> int:
    """The line (0-based, in `raw`) a person must fix. YAML marks where it noticed the
    problem; for something left open (`title: [unclosed`) that is the end of the block,
    so the closing `---` would be blamed: then the line that opened it is the one."""
    problem, context = exc.problem_mark, getattr(exc, "context_mark", None)
    if context is not None and not raw[problem.index:].strip():
        return context.line
    return problem.line


def text_field(meta: dict, name: str, warnings: list[str]) -> str | None:
    value = meta.get(name)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    warnings.append(f"front matter field '{name}' is not text; ignored")
    return None


def date_field(meta: dict, warnings: list[str]) -> str | None:
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


def tags_field(meta: dict, warnings: list[str]) -> tuple[str, ...]:
    value = meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [t for t in re.split(r"[,;]", value)]
    if not isinstance(value, list) or not all(isinstance(t, (str, int, float)) for t in value):
        warnings.append("front matter 'tags' is not a list of words; ignored")
        return ()
    return tuple(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))
