"""The on-disk index: its layout, and reading it memory-mapped (`indexer.py` writes it).

Layout of the index folder:
    CURRENT                   name of the live generation (replaced atomically)
    gen-*/                    one complete, immutable generation:
        manifest.json         format, settings, the files it was built from, its segments
        documents.json        the documents, each with its cache key and passage slots
        vocab.npy idf.npy df.npy term_max.npy  every term (sorted UTF-8), its idf, df and its
                              largest contribution to a score, at least 0 (a bound for pruning,
                              used only when every query term's idf is >= 0)
        doc_len.npy norm.npy passage_doc.npy rec_span.npy   one row per passage slot
        <segment>.{vocab,loff,doc,tf}.npy  a segment's postings (hard links: shared)
        <segment>.off.npy     where each term of vocab.npy starts in that segment's postings
        <segment>.impact.npy  each posting's contribution idf * tf*(k1+1)/(tf+norm) to its
                              passage's score, for this generation's idf and norms
    cache/<key>.entry         the analysed passages of one file version, by content hash: per
                              passage a JSON line [section, first line, last line, pieces] and
                              its text, then term counts per passage and a JSON header
                              (filecache.py; the index keeps byte spans into the records)
    .lock                     held while indexing

Postings are term frequencies grouped by term, in segments: a large base segment and a
small one for the files added or changed since, so an update rewrites only the small one
plus the arrays that depend on the whole corpus (per term, per slot, and the postings'
contributions: a query only adds those up). A slot whose file was changed or removed stays in
its segment, dead (`passage_doc` -1, `norm` inf), until the base is rebuilt. Only numpy
arrays (`allow_pickle=False`), JSON and text are read; nothing here writes anywhere.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import analysis
from .chunking import Passage
from .config import Settings
from .loading import Document, discover

FORMAT_VERSION = 8
CURRENT = "CURRENT"
TERM_ARRAYS = ("vocab", "idf", "df", "term_max")
SLOT_ARRAYS = ("doc_len", "norm", "passage_doc", "rec_span")
SEGMENT_PARTS = ("vocab", "loff", "doc", "tf")  # shared; plus the generation's own "<segment>.off", ".impact"
FIX = "run 'askurbact index --full' to rebuild it"


class IndexProblem(Exception):
    """The index is missing, damaged, locked or unusable; the message says what to do."""


def load_array(folder: Path, name: str, mmap: bool = True) -> np.ndarray:
    """An array file, memory-mapped read-only (as a plain ndarray view: numpy's memmap
    subclass adds a few microseconds to every operation, which a query does dozens of)."""
    try:
        return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False))
    except FileNotFoundError:
        raise IndexProblem(f"the index is incomplete ({name}.npy is missing); {FIX}") from None
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"the index is damaged ({name}.npy: {exc}); {FIX}") from None


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexProblem(f"the index is incomplete ({path.name} is missing); {FIX}") from None
    except (ValueError, OSError) as exc:
        raise IndexProblem(f"the index is damaged ({path.name} is not valid JSON); {FIX}") from exc


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise IndexProblem(f"the index pointer {index_dir / CURRENT} is damaged; {FIX}") from None
    except OSError as exc:
        raise IndexProblem(f"cannot read the index folder {index_dir}: {exc.strerror}") from None
    if not name.startswith("gen-") or "/" in name or "\\" in name:
        raise IndexProblem(f"the index pointer {index_dir / CURRENT} is damaged; {FIX}")
    return index_dir / name


def read_manifest(index_dir: Path) -> dict | None:
    gen = current_generation(index_dir)
    if gen is None:
        return None
    manifest = read_json(gen / "manifest.json")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise IndexProblem(f"the index manifest is damaged; {FIX}")
    if manifest["format"] > FORMAT_VERSION:
        raise IndexProblem(f"the index was written by a newer askurbact (format {manifest['format']}); {FIX}")
    return manifest


@dataclass(frozen=True)
class Segment:
    name: str
    off: np.ndarray  # by global term id: postings of term t are doc[off[t]:off[t + 1]]
    doc: np.ndarray  # passage slot of each posting, ascending within a term
    tf: np.ndarray  # term frequency of each posting
    impact: np.ndarray  # its contribution to the passage's score (this generation's)


class IndexReader:
    """One generation of the index, memory-mapped: opening it costs almost nothing."""

    def __init__(self, index_dir: Path):
        for attempt in range(3):
            gen = current_generation(index_dir)
            if gen is None:
                raise IndexProblem("there is no index yet; run 'askurbact index'")
            try:
                self._open(gen)
                return
            except IndexProblem:
                # An indexer may have swapped generations between reading CURRENT and the files.
                if attempt == 2 or current_generation(index_dir) == gen:
                    raise

    def _open(self, gen: Path) -> None:
        self._buffers: list[np.ndarray] = []
        self.folder = gen
        self.cache = gen.parent / "cache"
        self.manifest = read_json(gen / "manifest.json")
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT_VERSION:
            version = self.manifest.get("format") if isinstance(self.manifest, dict) else None
            newer = isinstance(version, int) and version > FORMAT_VERSION
            raise IndexProblem(f"the index was written by {'a newer' if newer else 'another'} askurbact; {FIX}")
        docs = read_json(gen / "documents.json")
        try:
            self.documents = [Document(d["doc_id"], d["path"], d["title"], d["lang"], d.get("date"),
                                       d.get("publisher"), tuple(d.get("tags") or ())) for d in docs]
            self._keys = [str(d["key"]) for d in docs]
            self.doc_passages = [(int(d["passages"][0]), int(d["passages"][1])) for d in docs]
            self.n_passages = int(self.manifest["passages"])
            self.n_slots = int(self.manifest["slots"])
            self.k1 = float(self.manifest["params"]["k1"])
            names = [str(s["name"]) for s in self.manifest["segments"]]
        except (KeyError, TypeError, ValueError, IndexError):
            raise IndexProblem(f"the index is damaged (documents.json or manifest.json); {FIX}") from None
        for name in TERM_ARRAYS + SLOT_ARRAYS:
            setattr(self, name, load_array(gen, name))
        self.segments = [Segment(n, *(load_array(gen, f"{n}.{part}") for part in ("off", "doc", "tf", "impact")))
                         for n in names]
        self.langs = list(self.manifest.get("langs") or [analysis.DEFAULT_LANG])
        try:
            fits = self._arrays_fit()
        except (TypeError, ValueError, IndexError):  # e.g. a 0-d or wrongly typed array
            fits = False
        if not fits:
            raise IndexProblem(f"the index files do not fit together (damaged or half-written); {FIX}")

    def _arrays_fit(self) -> bool:
        n_terms = len(self.vocab)
        return (self.vocab.dtype.kind == "S" and len(self.idf) == len(self.df) == len(self.term_max) == n_terms
                and all(len(s.off) == n_terms + 1 and len(s.doc) == len(s.tf) == len(s.impact) == int(s.off[-1])
                        and s.impact.dtype == np.float64
                        for s in self.segments)
                and len(self.doc_len) == len(self.norm) == len(self.passage_doc) == self.n_slots
                and self.rec_span.shape == (self.n_slots, 2)
                and len(self.documents) == int(self.manifest.get("documents", -1))
                and sum(count for _, count in self.doc_passages) == self.n_passages
                and all(0 <= first and first + count <= self.n_slots for first, count in self.doc_passages)
                and (self.n_slots == 0 or -1 <= int(self.passage_doc.min()) <= int(self.passage_doc.max()) < len(self.documents))
                and not np.isnan(self.norm).any())

    @contextlib.contextmanager
    def score_buffer(self) -> Iterator[np.ndarray]:
        """A float64 array with one zero per slot, lent to one query at a time (the chat
        asks from threads); the query must leave it all zero. Reused: no allocation and
        no page faults per query."""
        try:
            scores = self._buffers.pop()
        except IndexError:
            scores = np.zeros(self.n_slots, dtype=np.float64)
        try:
            yield scores
        finally:
            self._buffers.append(scores)

    def term_id(self, term: str) -> int | None:
        key = term.encode("utf-8")
        if len(key) > self.vocab.dtype.itemsize:
            return None
        i = int(np.searchsorted(self.vocab, key))
        return i if i < len(self.vocab) and self.vocab[i] == key else None

    def term_idf(self, term_id: int) -> float:
        value = float(self.idf[term_id])
        if not math.isfinite(value):
            raise IndexProblem(f"the index is damaged (idf); {FIX}")
        return value

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(passage slots, contributions to their scores) of a term, slots ascending.

        A later segment's slots all come after an earlier one's, so joining the segments'
        lists keeps them sorted (the search relies on that for binary searches)."""
        parts = []
        for segment in self.segments:
            lo, hi = int(segment.off[term_id]), int(segment.off[term_id + 1])
            if hi == lo:
                continue
            docs, impact = segment.doc[lo:hi], segment.impact[lo:hi]
            # Checked on the slices a query touches (cheap), so damaged bytes are never
            # answered from: slots in range and in order, contributions finite (one sum).
            if not (0 <= lo < hi <= len(segment.doc) and 0 <= int(docs[0]) and int(docs[-1]) < self.n_slots
                    and (not parts or int(parts[-1][0][-1]) < int(docs[0])) and math.isfinite(impact.sum())):
                raise IndexProblem(f"the index is damaged (postings); {FIX}")
            parts.append((docs, impact))
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return np.zeros(0, np.int32), np.zeros(0)
        return np.concatenate([d for d, _ in parts]), np.concatenate([c for _, c in parts])

    def passage(self, i: int) -> tuple[Passage, Document]:
        doc_index = int(self.passage_doc[i])
        if doc_index < 0:
            raise IndexError(f"passage {i} was removed from the corpus")
        document = self.documents[doc_index]
        start, end = (int(x) for x in self.rec_span[i])
        try:
            with open(self.cache / f"{self._keys[doc_index]}.entry", "rb") as handle:
                handle.seek(start)
                record = handle.read(end - start)
            if len(record) != end - start:
                raise ValueError("truncated")
            place, text = record.split(b"\n", 1)
            section, first, last, pieces = json.loads(place)
            passage = Passage(document.doc_id, str(section), int(first), int(last), text.decode("utf-8"),
                              tuple((int(a), int(b)) for a, b in pieces))
        except FileNotFoundError:
            raise IndexProblem(f"the index is incomplete (the cache entry of {document.path} is missing); {FIX}") from None
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise IndexProblem(f"the index is damaged (passage {i}); {FIX}") from exc
        return passage, document

    def passages_of(self, doc_index: int) -> range:
        first, count = self.doc_passages[doc_index]
        return range(first, first + count)

    def passage_ids(self) -> list[int]:
        """Every live passage slot, documents in path order, passages in source order."""
        return [i for doc_index in range(len(self.documents)) for i in self.passages_of(doc_index)]

    def doc_freq(self, term: str) -> int:
        tid = self.term_id(term)
        return 0 if tid is None else int(self.df[tid])

    def idf_of(self, term: str) -> float:
        """BM25Okapi idf of a term; a term the corpus lacks gets the idf of a term in no passage."""
        tid = self.term_id(term)
        if tid is None or int(self.df[tid]) == 0:
            n = self.n_passages
            return math.log(n + 0.5) - math.log(0.5)
        return float(self.idf[tid])


# ---------------------------------------------------------------- freshness

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
        raise IndexProblem(f"corpus folder {settings.corpus} does not exist (set --corpus or ASKURBACT_CORPUS)")
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
        if entry is not None and stat_key(settings.corpus / rel) != (entry["size"], entry["mtime_ns"]):
            changed.append(rel)
    return Freshness(changed=sorted(set(changed)))
