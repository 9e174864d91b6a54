"""Reading one generation of the index, memory-mapped (the writer is apart: index/writer/)."""

from __future__ import annotations

import contextlib
import math
import os
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

from .. import analysis
from ..errors import IndexProblem
from ..model import Document, Passage
from .format import FIX, FORMAT_VERSION, SLOT_ARRAYS, TERM_ARRAYS, current_generation, load_array, read_json
from .manifest import manifest_of
from .records import ENTRY, decode_record, document_from_json

# Decoded passages a reader keeps (a question reads 20 at most).
CACHED_PASSAGES = 2048
# ... and term ids (a question looks up each of its terms a dozen times).
CACHED_TERMS = 65536


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
        # Entry paths are joined as strings: a question reads about 20 passages, and building
        # each path with pathlib cost as much as reading the record.
        self._cache_prefix = f"{self.cache}{os.sep}"
        # Decoded passages by slot, and term ids: a chat's questions read the same passages
        # again, and a generation never changes (a new one is a new reader). The caches hold a
        # weak proxy of the reader, not a bound method: that would make each reader refer to
        # itself, and a swapped-out generation would stay mapped (its deleted files' disk
        # space held) until a full garbage collection.
        this = weakref.proxy(self)
        self._passage = lru_cache(maxsize=CACHED_PASSAGES)(partial(IndexReader._read_passage, this))
        self._term_ids = lru_cache(maxsize=CACHED_TERMS)(partial(IndexReader._find_term, this))
        self.manifest = manifest_of(gen)
        if self.manifest.format != FORMAT_VERSION:
            raise IndexProblem(f"the index was written by another askurbact; {FIX}")
        docs = read_json(gen / "documents.json")
        try:
            self.documents = [document_from_json(d) for d in docs]
            self._keys = [str(d["key"]) for d in docs]
            self.doc_passages = [(int(d["passages"][0]), int(d["passages"][1])) for d in docs]
            self.n_passages = self.manifest.passages
            self.n_slots = self.manifest.slots
            self.k1 = float(self.manifest.params["k1"])  # type: ignore[index]
            names = [s.name for s in self.manifest.segments]
        except (KeyError, TypeError, ValueError, IndexError):
            raise IndexProblem(f"the index is damaged (documents.json or manifest.json); {FIX}") from None
        for name in TERM_ARRAYS + SLOT_ARRAYS:
            setattr(self, name, load_array(gen, name))
        self.segments = [Segment(n, *(load_array(gen, f"{n}.{part}") for part in ("off", "doc", "tf", "impact")))
                         for n in names]
        self.langs = list(self.manifest.langs or [analysis.DEFAULT_LANG])
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
                and len(self.documents) == self.manifest.documents
                and sum(count for _, count in self.doc_passages) == self.n_passages
                and all(0 <= first and first + count <= self.n_slots for first, count in self.doc_passages)
                and (self.n_slots == 0
                     or -1 <= int(self.passage_doc.min()) <= int(self.passage_doc.max()) < len(self.documents))
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
        return self._term_ids(term)

    def _find_term(self, term: str) -> int | None:
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
        return self._passage(i)

    def _read_passage(self, i: int) -> tuple[Passage, Document]:
        doc_index = int(self.passage_doc[i])
        if doc_index < 0:
            raise IndexError(f"passage {i} was removed from the corpus")
        document = self.documents[doc_index]
        start, end = (int(x) for x in self.rec_span[i])
        try:
            # os.pread on a raw descriptor: no buffered file object, no seek (a third of the
            # time of reading a record with open()).
            fd = os.open(f"{self._cache_prefix}{self._keys[doc_index]}{ENTRY}", os.O_RDONLY)
            try:
                # A damaged span would make pread overflow or allocate terabytes.
                if not 0 <= start <= end <= os.fstat(fd).st_size:
                    raise ValueError("record span out of the entry")
                record = os.pread(fd, end - start, start)
            finally:
                os.close(fd)
            if len(record) != end - start:
                raise ValueError("truncated")
            passage = decode_record(record, document.doc_id)
        except FileNotFoundError:
            raise IndexProblem(f"the index is incomplete (the cache entry of {document.path} is missing); "
                               f"{FIX}") from None
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise IndexProblem(f"the index is damaged (passage {i}); {FIX}") from exc
        return passage, document

    def entries_complete(self) -> bool:
        """Whether every passage's record lies inside its cache entry (a truncated or missing
        entry shows here by one stat a document, not at the question that reads it)."""
        for doc_index, (first, count) in enumerate(self.doc_passages):
            if count:
                try:
                    size = os.stat(f"{self._cache_prefix}{self._keys[doc_index]}{ENTRY}").st_size
                except OSError:
                    return False
                if int(self.rec_span[first:first + count, 1].max()) > size:
                    return False
        return True

    def passages_of(self, doc_index: int) -> range:
        first, count = self.doc_passages[doc_index]
        return range(first, first + count)

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
