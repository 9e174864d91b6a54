"""Is the index up to date with the corpus? Compared by file size, modification and change
time, without reading the files; except, as git does with "racy" entries, a file whose
times are not safely older than the moment the index looked at it: an edit right after
(within the file system's timestamp granularity) leaves the same size and times, so such
a file is hashed, and the hash decides. (The writer re-hashes what it is told has changed.)

The change time (ctime) catches an edit whose modification time was put back (`touch -r`,
os.utime): no program can set it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import analysis
from ..config import Settings
from ..errors import IndexProblem
from ..ingest.discover import discover
from ..ingest.formats import reader_of
from .format import FORMAT_VERSION
from .manifest import FileState, SkippedFile, StatKey, read_manifest
from .vectors import wanted as wanted_vectors


@dataclass
class Freshness:
    missing: bool = False
    changed: list[str] = field(default_factory=list)  # added, changed or removed paths
    outdated: str = ""  # why the whole index must be rebuilt, if it must

    @property
    def fresh(self) -> bool:
        return not self.missing and not self.changed and not self.outdated


# How far after a file's last change the index must have looked at it for its size and
# times to vouch for its content: a file system's timestamp granularity plus the lag of
# the kernel's coarse clock behind ours (a tick, at most 10 ms). Whole-second times mean a
# file system that keeps seconds (ext3, HFS+) or two (FAT); others keep 100 ns or better
# (exFAT: 10 ms).
RACY_NS = 100_000_000
COARSE_RACY_NS = 2_100_000_000


def stat_key(path: Path) -> StatKey | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns


def is_racy(entry: FileState, checked_ns: int) -> bool:
    """Could the file have changed after the index looked at it (at `checked_ns`, or later)
    without its size or times showing it?"""
    mtime, ctime = entry.mtime_ns, entry.ctime_ns
    margin = COARSE_RACY_NS if mtime % 1_000_000_000 == 0 else RACY_NS
    return max(mtime, ctime) >= checked_ns - margin


def sha256_of(path: Path) -> str | None:
    """Hash of a file's content (None if it cannot be read: it has changed, for our purpose)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def check_folders(settings: Settings) -> None:
    corpus, index = settings.corpus.resolve(), settings.index.resolve()
    if corpus.exists() and not corpus.is_dir():
        raise IndexProblem(f"the corpus {settings.corpus} is a file, not a folder (set --corpus or ASKURBACT_CORPUS)")
    if not corpus.is_dir():
        looked = f"at {corpus}" if settings.corpus.is_absolute() else f"'{settings.corpus}' in {Path.cwd()}"
        raise IndexProblem(f"no corpus folder {looked}; point to it with --corpus DIR, ASKURBACT_CORPUS=DIR "
                           "or 'corpus: DIR' in askurbact.yaml")
    if index == corpus or index.is_relative_to(corpus):
        raise IndexProblem(f"the index folder {settings.index} is inside the corpus folder; choose another --index")
    if corpus.is_relative_to(index):
        raise IndexProblem(f"the corpus folder {settings.corpus} is inside the index folder {settings.index}; "
                           "move it out, or choose another --index")


def check_freshness(settings: Settings) -> Freshness:
    """Compare the corpus with the manifest by size and modification time (no reading)."""
    check_folders(settings)
    manifest = read_manifest(settings.index)
    if manifest is None:
        return Freshness(missing=True)
    if manifest.format != FORMAT_VERSION:
        return Freshness(outdated="the index was made by another version of askurbact")
    if manifest.params != settings.index_params or manifest.analysis != analysis.signature():
        return Freshness(outdated="the index settings or the text analysis changed")
    model = wanted_vectors(settings)
    if model is not None and (manifest.vectors or {}).get("model") != model:
        return Freshness(outdated=f"the passage vectors of the semantic extra are missing or from another model "
                                  f"(now {model})")
    checked_ns = manifest.checked_ns
    if checked_ns is None:
        return Freshness(outdated="the index does not say when it looked at the files")
    files = manifest.files
    known: dict[str, FileState | SkippedFile] = {**files, **manifest.skipped_files}
    paths, left_out = discover(settings.corpus)
    present = set(paths) | set(left_out)
    changed = [p for p in paths if p not in known]
    changed += [p for p in known if p not in present]
    for rel in paths:
        entry = known.get(rel)
        if entry is None:
            continue
        path = settings.corpus / rel
        if stat_key(path) != entry.stat or (isinstance(entry, FileState) and entry.reader != reader_of(rel)):
            changed.append(rel)  # changed, or indexed by another version of its reader
        elif isinstance(entry, FileState) and is_racy(entry, checked_ns) and sha256_of(path) != entry.sha256:
            changed.append(rel)
    return Freshness(changed=sorted(set(changed)))
