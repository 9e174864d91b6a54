"""Is the index up to date with the corpus? Compared by file size and modification time,
without reading the files (the writer re-hashes what it is told has changed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import analysis
from ..config import Settings
from ..errors import IndexProblem
from ..ingest.discover import discover
from ..ingest.formats import reader_of
from .format import FORMAT_VERSION, read_manifest


@dataclass
class Freshness:
    missing: bool = False
    changed: list[str] = field(default_factory=list)  # added, changed or removed paths
    outdated: str = ""  # why the whole index must be rebuilt, if it must

    @property
    def fresh(self) -> bool:
        return not self.missing and not self.changed and not self.outdated


def stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def check_folders(settings: Settings) -> None:
    corpus, index = settings.corpus.resolve(), settings.index.resolve()
    if not corpus.is_dir():
        looked = f"at {corpus}" if settings.corpus.is_absolute() else f"'{settings.corpus}' in {Path.cwd()}"
        raise IndexProblem(f"no corpus folder {looked}; point to it with --corpus DIR, ASKURBACT_CORPUS=DIR "
                           "or 'corpus: DIR' in askurbact.yaml")
    if index == corpus or index.is_relative_to(corpus):
        raise IndexProblem(f"the index folder {settings.index} is inside the corpus folder; choose another --index")


def check_freshness(settings: Settings) -> Freshness:
    """Compare the corpus with the manifest by size and modification time (no reading)."""
    check_folders(settings)
    manifest = read_manifest(settings.index)
    if manifest is None:
        return Freshness(missing=True)
    if manifest.get("format") != FORMAT_VERSION:
        return Freshness(outdated="the index was made by another version of askurbact")
    if manifest.get("params") != settings.index_params or manifest.get("analysis") != analysis.signature():
        return Freshness(outdated="the index settings or the text analysis changed")
    known = {**manifest.get("files", {}), **manifest.get("skipped_files", {})}
    paths, left_out = discover(settings.corpus)
    present = set(paths) | set(left_out)
    changed = [p for p in paths if p not in known]
    changed += [p for p in known if p not in present]
    for rel in paths:
        entry = known.get(rel)
        if entry is not None and (stat_key(settings.corpus / rel) != (entry["size"], entry["mtime_ns"])
                                  or ("sha256" in entry and entry.get("reader") != reader_of(rel))):
            changed.append(rel)  # changed, or indexed by another version of its reader
    return Freshness(changed=sorted(set(changed)))
