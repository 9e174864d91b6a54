"""The index manifest (manifest.json of a generation): what the generation is made of, the
settings it was built with, and the state of every corpus file when it was looked at.
`Manifest.from_json` / `to_json` are the one place it is read and written; the JSON keeps
its keys in the order askurbact has always written them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IndexProblem
from .format import FIX, FORMAT_VERSION, current_generation, read_json

StatKey = tuple[int, int, int]  # size, mtime_ns, ctime_ns


@dataclass(frozen=True)
class FileState:
    """A corpus file as the index read it: its size and times, content hash, cache key and
    the version of the reader that parsed it (None in a manifest that does not say)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    sha256: str
    key: str
    reader: str | None = None

    @property
    def stat(self) -> StatKey:
        return self.size, self.mtime_ns, self.ctime_ns


@dataclass(frozen=True)
class SkippedFile:
    """A corpus file left out, with its size and times then (so that an unchanged one is
    not read again to be told it is still bad) and why."""

    size: int
    mtime_ns: int
    ctime_ns: int
    reason: str

    @property
    def stat(self) -> StatKey:
        return self.size, self.mtime_ns, self.ctime_ns


@dataclass(frozen=True)
class SegmentInfo:
    """A segment of postings: its file-name stem, its first slot, how many slots it has, and
    the cache key of each file it holds."""

    name: str
    first: int
    slots: int
    files: dict[str, str]


@dataclass
class Manifest:
    """A manifest of another format than FORMAT_VERSION has only `format` and `analysis` read
    (the rest may be laid out otherwise): whoever reads it checks `format` first."""

    format: int
    analysis: object = None  # analysis.signature() when built: compared, never looked into
    params: object = None  # Settings.index_params when built
    built_at: str = ""
    checked_ns: int | None = None  # when the run began to look at the files; None: it does not say
    documents: int = 0
    passages: int = 0
    slots: int = 0
    langs: list[str] = field(default_factory=list)
    segments: list[SegmentInfo] = field(default_factory=list)
    files: dict[str, FileState] = field(default_factory=dict)
    skipped_files: dict[str, SkippedFile] = field(default_factory=dict)
    vectors: dict | None = None  # the semantic extra's passage vectors: index.vectors.manifest_entry

    def to_json(self) -> dict:
        files = {rel: _file_json(state) for rel, state in self.files.items()}
        skipped = {rel: {"size": s.size, "mtime_ns": s.mtime_ns, "ctime_ns": s.ctime_ns, "reason": s.reason}
                   for rel, s in self.skipped_files.items()}
        segments = [{"name": s.name, "first": s.first, "slots": s.slots, "files": dict(s.files)}
                    for s in self.segments]
        return {"slots": self.slots, "segments": segments, "format": self.format, "analysis": self.analysis,
                "params": self.params, "built_at": self.built_at, "documents": self.documents,
                "passages": self.passages, "langs": list(self.langs), "files": files,
                "skipped_files": skipped, "checked_ns": self.checked_ns,
                **({"vectors": self.vectors} if self.vectors is not None else {})}

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        """The manifest in `data` (parsed JSON); IndexProblem if it is not one askurbact wrote."""
        if not isinstance(data, dict) or not _is_int(data.get("format")):
            raise _damaged("it has no format")
        if data["format"] > FORMAT_VERSION:
            raise IndexProblem(f"the index was written by a newer askurbact (format {data['format']}); {FIX}")
        if data["format"] != FORMAT_VERSION:
            return cls(data["format"], data.get("analysis"))
        try:
            return cls._current(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _damaged(str(exc) or type(exc).__name__) from None

    @classmethod
    def _current(cls, data: dict) -> Manifest:
        segments = [SegmentInfo(_text(s["name"]), _int(s["first"]), _int(s["slots"]),
                                {_text(rel): _text(key) for rel, key in s["files"].items()})
                    for s in data["segments"]]
        if len(segments) not in (1, 2):
            raise ValueError(f"{len(segments)} segments")
        files = {_text(rel): FileState(_int(e["size"]), _int(e["mtime_ns"]), _int(e["ctime_ns"]),
                                       _text(e["sha256"]), _text(e["key"]), _optional_text(e.get("reader")))
                 for rel, e in data["files"].items()}
        skipped = {_text(rel): SkippedFile(_int(e["size"]), _int(e["mtime_ns"]), _int(e["ctime_ns"]),
                                           _text(e["reason"]))
                   for rel, e in (data.get("skipped_files") or {}).items()}
        if not isinstance(data["params"], dict):
            raise TypeError("params")
        checked_ns = data.get("checked_ns")
        vectors = data.get("vectors")
        if vectors is not None and not (isinstance(vectors, dict) and isinstance(vectors.get("model"), str)):
            raise TypeError("vectors")
        return cls(format=data["format"], analysis=data.get("analysis"), params=data["params"],
                   built_at=str(data.get("built_at", "")),
                   checked_ns=checked_ns if _is_int(checked_ns) else None,
                   documents=_int(data["documents"]), passages=_int(data["passages"]), slots=_int(data["slots"]),
                   langs=[_text(lang) for lang in data.get("langs") or ()],
                   segments=segments, files=files, skipped_files=skipped, vectors=vectors)


def _file_json(state: FileState) -> dict:
    entry: dict = {"size": state.size, "mtime_ns": state.mtime_ns, "ctime_ns": state.ctime_ns,
                   "sha256": state.sha256, "key": state.key}
    if state.reader is not None:
        entry["reader"] = state.reader
    return entry


def _damaged(what: str) -> IndexProblem:
    return IndexProblem(f"the index manifest is damaged ({what}); {FIX}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: object) -> int:
    if not _is_int(value):
        raise TypeError(f"{value!r} is not a whole number")
    return value  # type: ignore[return-value]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def read_manifest(index_dir: Path) -> Manifest | None:
    """The live generation's manifest (None when there is no index yet)."""
    gen = current_generation(index_dir)
    return None if gen is None else manifest_of(gen)


_last: tuple[tuple[str, int, int, int], Manifest] | None = None


def manifest_of(gen: Path) -> Manifest:
    """A generation's manifest, parsed once for both a freshness check and the reader that
    follows it (a one-off `ask` did it twice: 0.1 s at 20,000 files). A generation is
    written once and never changed, but the cache trusts it only while the file's inode,
    size and time are the same. Nobody changes a Manifest read here."""
    global _last
    path = gen / "manifest.json"
    try:
        st = path.stat()
        key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and _last is not None and _last[0] == key:
        return _last[1]
    manifest = Manifest.from_json(read_json(path))
    if key is not None:
        _last = (key, manifest)
    return manifest
