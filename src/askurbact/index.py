"""The on-disk index: built from the corpus, updated incrementally, read memory-mapped.

Layout of the index folder:
    CURRENT              name of the live generation (replaced atomically)
    gen-*/               one complete, immutable index generation
    cache/<key>.json|npz the analysed passages of one file version, by content hash
    .lock                held while indexing

A generation holds numpy arrays (`allow_pickle=False`) and JSON only. The postings carry
each (term, passage) pair's BM25Okapi contribution, computed at build time exactly as
`rank_bm25.BM25Okapi.get_scores` computes it, so a query only adds up the postings of its
terms. Nothing here writes to the corpus folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import analysis
from .chunking import Passage, chunk
from .config import Settings
from .loading import CorpusFileError, Document, discover, parse_file
from .storage import fsync_dir, write_atomic

FORMAT_VERSION = 1
CURRENT = "CURRENT"
ARRAYS = ("vocab", "idf", "post_off", "post_doc", "post_w", "doc_len", "passage_doc", "passage_off")
FIX = "run 'askurbact index --full' to rebuild it"

Progress = Callable[[int, int, str], None]  # (done, total, what)


class IndexProblem(Exception):
    """The index is missing, damaged, locked or unusable; the message says what to do."""


@dataclass
class UpdateReport:
    documents: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    passages: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        text = (f"{self.documents} document{'s' * (self.documents != 1)}: {self.added} added, "
                f"{self.updated} updated, {self.removed} removed, {self.unchanged} unchanged; "
                f"{self.passages} passages")
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text


# ---------------------------------------------------------------- per-file analysis

def _cache_key(sha256: str, settings: Settings) -> str:
    recipe = json.dumps([sha256, analysis.signature(), settings.chunk_words, FORMAT_VERSION], sort_keys=True)
    return hashlib.sha256(recipe.encode()).hexdigest()[:40]


def _analyse(rel: str, data: bytes, chunk_words: int) -> tuple[dict, dict[str, np.ndarray]]:
    """The cache entry of one file: document, passages and their term counts."""
    loaded = parse_file(rel, data)
    passages = chunk(loaded.document.doc_id, loaded.blocks, chunk_words)
    analyser = analysis.analyzer(loaded.document.lang)
    local: dict[str, int] = {}
    terms: list[int] = []
    counts: list[int] = []
    ptr, doc_len, rec_off = [0], [], [0]
    records = bytearray()
    for passage in passages:
        tally = analyser.counts(passage.text)
        doc_len.append(sum(tally.values()))
        for term, n in tally.items():
            terms.append(local.setdefault(term, len(local)))
            counts.append(n)
        ptr.append(len(terms))
        records += json.dumps({"section": passage.section, "lines": [passage.first_line, passage.last_line],
                               "text": passage.text, "pieces": passage.pieces}, ensure_ascii=False).encode()
        rec_off.append(len(records))
    meta = {"document": _document_json(loaded.document), "warnings": loaded.warnings, "vocab": list(local)}
    arrays = {"ptr": np.array(ptr, np.int64), "term": np.array(terms, np.int32), "tf": np.array(counts, np.int32),
              "doc_len": np.array(doc_len, np.int64), "rec_off": np.array(rec_off, np.int64),
              "records": np.frombuffer(bytes(records), np.uint8)}
    return meta, arrays


def _document_json(doc: Document) -> dict:
    return {"doc_id": doc.doc_id, "path": doc.path, "title": doc.title, "lang": doc.lang, "date": doc.date,
            "publisher": doc.publisher, "tags": list(doc.tags)}


def _read_corpus_file(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusFileError(f"{size / 1e6:.1f} MB is larger than max_file_mb ({max_bytes / 1e6:g} MB)")
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def _process_file(corpus: str, rel: str, cache_dir: str, settings: Settings) -> tuple[str, str, tuple[int, int]]:
    """Read, hash and (if not cached) analyse one file. Returns (sha256, cache key, (size, mtime)).

    Runs in a worker process for large updates; raises CorpusFileError to skip the file.
    The size and time are taken before reading: a change made while we read leaves the
    index stale, so the next run picks it up."""
    path = Path(corpus, rel)
    before = _stat_key(path)
    try:
        data = _read_corpus_file(path, int(settings.max_file_mb * 1e6))
    except FileNotFoundError:
        raise CorpusFileError("vanished while indexing") from None
    except PermissionError:
        raise CorpusFileError("permission denied") from None
    except IsADirectoryError:
        raise CorpusFileError("is a folder") from None
    except OSError as exc:
        raise CorpusFileError(exc.strerror or str(exc)) from None
    sha = hashlib.sha256(data).hexdigest()
    key = _cache_key(sha, settings)
    cache = Path(cache_dir)
    if not (cache / f"{key}.json").is_file():
        meta, arrays = _analyse(rel, data, settings.chunk_words)
        tmp = cache / f".{key}.{os.getpid()}.npz"
        np.savez(tmp, **arrays)
        os.replace(tmp, cache / f"{key}.npz")
        # The JSON is written last: its presence means the entry is complete.
        write_atomic(cache / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode(), durable=False)
    return sha, key, before or (0, 0)


# ---------------------------------------------------------------- reading

def _load_array(folder: Path, name: str, mmap: bool = True) -> np.ndarray:
    try:
        return np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
    except FileNotFoundError:
        raise IndexProblem(f"the index is incomplete ({name}.npy is missing); {FIX}") from None
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"the index is damaged ({name}.npy: {exc}); {FIX}") from None


def _read_json(path: Path):
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
    manifest = _read_json(gen / "manifest.json")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise IndexProblem(f"the index manifest is damaged; {FIX}")
    if manifest["format"] > FORMAT_VERSION:
        raise IndexProblem(f"the index was written by a newer askurbact (format {manifest['format']}); {FIX}")
    return manifest


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
        self.folder = gen
        self.manifest = _read_json(gen / "manifest.json")
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT_VERSION:
            version = self.manifest.get("format") if isinstance(self.manifest, dict) else None
            newer = isinstance(version, int) and version > FORMAT_VERSION
            raise IndexProblem(f"the index was written by {'a newer' if newer else 'another'} askurbact; {FIX}")
        docs = _read_json(gen / "documents.json")
        try:
            self.documents = [Document(d["doc_id"], d["path"], d["title"], d["lang"], d.get("date"),
                                       d.get("publisher"), tuple(d.get("tags") or ())) for d in docs]
            self.doc_passages = [(int(d["passages"][0]), int(d["passages"][1])) for d in docs]
            self.n_passages = int(self.manifest["passages"])
        except (KeyError, TypeError, ValueError, IndexError):
            raise IndexProblem(f"the index is damaged (documents.json or manifest.json); {FIX}") from None
        for name in ARRAYS:
            setattr(self, name, _load_array(gen, name))
        try:
            self._records = np.load(gen / "passages.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexProblem(f"the index is damaged (passages.npy); {FIX}") from exc
        self.langs = list(self.manifest.get("langs") or [analysis.DEFAULT_LANG])
        if not (len(self.post_off) == len(self.vocab) + 1 == len(self.idf) + 1
                and len(self.post_doc) == len(self.post_w) == int(self.post_off[-1])
                and len(self.doc_len) == len(self.passage_doc) == self.n_passages == len(self.passage_off) - 1
                and int(self.passage_off[-1]) == len(self._records)
                and len(self.documents) == int(self.manifest.get("documents", -1))
                and sum(count for _, count in self.doc_passages) == self.n_passages):
            raise IndexProblem(f"the index files do not fit together (damaged or half-written); {FIX}")

    def term_id(self, term: str) -> int | None:
        key = term.encode("utf-8")
        if len(key) > self.vocab.dtype.itemsize:
            return None
        i = int(np.searchsorted(self.vocab, key))
        return i if i < len(self.vocab) and self.vocab[i] == key else None

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = int(self.post_off[term_id]), int(self.post_off[term_id + 1])
        docs, weights = self.post_doc[lo:hi], self.post_w[lo:hi]
        # Checked on the slice a query touches (cheap), so damaged bytes are never answered from.
        if hi > lo and not (0 <= int(docs[0]) and int(docs[-1]) < self.n_passages and np.isfinite(weights).all()):
            raise IndexProblem(f"the index is damaged (postings); {FIX}")
        return docs, weights

    def passage(self, i: int) -> tuple[Passage, Document]:
        document = self.documents[int(self.passage_doc[i])]
        raw = bytes(self._records[int(self.passage_off[i]):int(self.passage_off[i + 1])])
        try:
            rec = json.loads(raw)
            passage = Passage(document.doc_id, rec["section"], rec["lines"][0], rec["lines"][1], rec["text"],
                              tuple((int(a), int(b)) for a, b in rec["pieces"]))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise IndexProblem(f"the index is damaged (passage {i}); {FIX}") from exc
        return passage, document

    def passages_of(self, doc_index: int) -> range:
        first, count = self.doc_passages[doc_index]
        return range(first, first + count)

    def idf_of(self, term: str) -> float:
        """BM25Okapi idf of a term; a term the corpus lacks gets the idf of a term in no passage."""
        tid = self.term_id(term)
        if tid is None:
            n = self.n_passages
            return math.log(n + 0.5) - math.log(0.5)
        return float(self.idf[tid])


# ---------------------------------------------------------------- freshness

@dataclass
class Freshness:
    missing: bool = False
    changed: list[str] = field(default_factory=list)  # added, changed or removed paths

    @property
    def fresh(self) -> bool:
        return not self.missing and not self.changed


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def check_freshness(settings: Settings) -> Freshness:
    """Compare the corpus with the manifest by size and modification time (no reading)."""
    _check_folders(settings)
    manifest = read_manifest(settings.index)
    if manifest is None:
        return Freshness(missing=True)
    if manifest.get("params") != settings.index_params or manifest.get("analysis") != analysis.signature():
        return Freshness(changed=["(settings changed)"])
    known = {**manifest.get("files", {}), **manifest.get("skipped_files", {})}
    paths, left_out = discover(settings.corpus)
    present = set(paths) | set(left_out)
    changed = [p for p in paths if p not in known]
    changed += [p for p in known if p not in present]
    for rel in paths:
        entry = known.get(rel)
        if entry is not None and _stat_key(settings.corpus / rel) != (entry["size"], entry["mtime_ns"]):
            changed.append(rel)
    return Freshness(changed=sorted(set(changed)))


# ---------------------------------------------------------------- building

def _check_folders(settings: Settings) -> None:
    corpus, index = settings.corpus.resolve(), settings.index.resolve()
    if not corpus.is_dir():
        raise IndexProblem(f"corpus folder {settings.corpus} does not exist (set --corpus or ASKURBACT_CORPUS)")
    if index == corpus or index.is_relative_to(corpus):
        raise IndexProblem(f"the index folder {settings.index} is inside the corpus folder; choose another --index")


def _lock(index_dir: Path, wait: bool, on_wait: Callable[[], None] | None):
    from filelock import FileLock, Timeout

    lock = FileLock(index_dir / ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise IndexProblem("another 'askurbact index' is running; try again when it has finished") from None
        if on_wait:
            on_wait()
        lock.acquire()
    return lock


def update_index(settings: Settings, full: bool = False, jobs: int | None = None,
                 progress: Progress | None = None, wait: bool = True,
                 on_wait: Callable[[], None] | None = None) -> UpdateReport:
    """Bring the index up to date with the corpus and make it live atomically."""
    started = time.perf_counter()
    _check_folders(settings)
    index_dir = settings.index
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        (index_dir / "cache").mkdir(exist_ok=True)
        lock = _lock(index_dir, wait, on_wait)
    except PermissionError:
        raise IndexProblem(f"cannot write to the index folder {index_dir}: permission denied") from None
    try:
        report = _update_locked(settings, full, jobs, progress)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _update_locked(settings: Settings, full: bool, jobs: int | None, progress: Progress | None) -> UpdateReport:
    index_dir, corpus = settings.index, settings.corpus
    cache_dir = index_dir / "cache"
    try:
        old = read_manifest(index_dir)
    except IndexProblem:
        old = None  # a damaged index is simply rebuilt
    same_recipe = (old is not None and old.get("params") == settings.index_params
                   and old.get("analysis") == analysis.signature())
    old_files = old.get("files", {}) if old and same_recipe and not full else {}
    if full:
        shutil.rmtree(cache_dir, ignore_errors=True)
        cache_dir.mkdir()

    paths, left_out = discover(corpus)
    report = UpdateReport(skipped=dict(left_out))
    states: dict[str, dict] = {}
    todo: list[str] = []
    for rel in paths:
        entry = old_files.get(rel)
        stat = _stat_key(corpus / rel)
        if entry and stat == (entry["size"], entry["mtime_ns"]) and (cache_dir / f"{entry['key']}.json").is_file():
            states[rel] = dict(entry)
        else:
            todo.append(rel)

    total = len(todo)
    if progress:
        progress(0, total, "reading")
    for done, (rel, outcome) in enumerate(_run_all(todo, corpus, cache_dir, settings, jobs), 1):
        if isinstance(outcome, CorpusFileError):
            report.skipped[rel] = str(outcome)
        else:
            sha, key, size_mtime = outcome
            states[rel] = {"size": size_mtime[0], "mtime_ns": size_mtime[1], "sha256": sha, "key": key}
        if progress:
            progress(done, total, rel)

    entries = []
    for rel in sorted(states):
        try:
            meta = json.loads((cache_dir / f"{states[rel]['key']}.json").read_text(encoding="utf-8"))
            with np.load(cache_dir / f"{states[rel]['key']}.npz", allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            report.skipped[rel] = f"its cache entry is damaged ({exc}); run 'askurbact index --full'"
            del states[rel]
            continue
        # The cache is keyed by content: identical files share an entry but keep their own place.
        meta["document"] = {**meta["document"], "path": rel, "doc_id": rel.rsplit(".", 1)[0]}
        entries.append((rel, meta, arrays))
        report.warnings.extend(f"{rel}: {w}" for w in meta["warnings"])

    old_hashes = {rel: e["sha256"] for rel, e in old_files.items()}
    for rel, state in states.items():
        if rel not in old_hashes:
            report.added += 1
        elif old_hashes[rel] != state["sha256"]:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for rel in old_hashes if rel not in states)
    report.documents = len(states)
    report.passages = sum(len(a["ptr"]) - 1 for _, _, a in entries)

    skipped_files = {}
    for rel, reason in report.skipped.items():
        stat = _stat_key(corpus / rel)
        if stat:
            skipped_files[rel] = {"size": stat[0], "mtime_ns": stat[1], "reason": reason}
    manifest = {
        "format": FORMAT_VERSION, "analysis": analysis.signature(), "params": settings.index_params,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "documents": len(entries), "passages": report.passages,
        "langs": sorted({m["document"]["lang"] for _, m, _ in entries}) or [analysis.DEFAULT_LANG],
        "files": states, "skipped_files": skipped_files,
    }
    if progress:
        progress(total, total, "writing")
    try:
        previous = current_generation(index_dir)
    except IndexProblem:
        previous = None
    reuse = previous if (old and same_recipe and not report.changed and not full) else None
    _write_generation(index_dir, entries, manifest, settings, reuse)
    _prune(index_dir, previous, {e["key"] for e in states.values()})
    return report


def _run_all(todo: list[str], corpus: Path, cache_dir: Path, settings: Settings, jobs: int | None):
    """Yield (path, (sha, key) or CorpusFileError) for each file, in parallel when it pays."""
    jobs = jobs or os.cpu_count() or 1
    big = len(todo) > 4 and sum((_stat_key(corpus / r) or (0, 0))[0] for r in todo) > 2_000_000
    if jobs > 1 and big:
        import multiprocessing

        # spawn, not fork: the chat UI calls this from a thread, and forking a threaded process can hang.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [(rel, pool.submit(_process_file, str(corpus), rel, str(cache_dir), settings)) for rel in todo]
            for rel, future in futures:
                try:
                    yield rel, future.result()
                except CorpusFileError as exc:
                    yield rel, exc
        return
    for rel in todo:
        try:
            yield rel, _process_file(str(corpus), rel, str(cache_dir), settings)
        except CorpusFileError as exc:
            yield rel, exc


def build_postings(term_ids: np.ndarray, passage_ids: np.ndarray, tf: np.ndarray, doc_len: np.ndarray,
                   n_terms: int, k1: float, b: float, epsilon: float) -> dict[str, np.ndarray]:
    """Postings sorted by term then passage, each with its BM25Okapi contribution.

    Mirrors rank_bm25.BM25Okapi: idf = log(N - df + 0.5) - log(df + 0.5); negative idfs
    are replaced by epsilon * mean idf; contribution = idf * tf*(k1+1) / (tf + k1*(1-b+b*dl/avgdl)).
    """
    n = len(doc_len)
    df = np.bincount(term_ids, minlength=n_terms)
    idf = np.log(n - df + 0.5) - np.log(df + 0.5)
    if n_terms:
        idf[idf < 0] = epsilon * (idf.sum() / n_terms)
    order = np.argsort(term_ids, kind="stable")
    post_doc = passage_ids[order].astype(np.int32)
    post_tf = tf[order].astype(np.float64)
    avgdl = doc_len.sum() / n if n else 1.0
    norm = k1 * (1 - b + b * doc_len.astype(np.int64) / avgdl)
    post_w = idf[term_ids[order]] * (post_tf * (k1 + 1) / (post_tf + norm[post_doc]))
    post_off = np.zeros(n_terms + 1, np.int64)
    np.cumsum(df, out=post_off[1:])
    return {"idf": idf, "post_off": post_off, "post_doc": post_doc, "post_w": post_w}


def _write_generation(index_dir: Path, entries: list, manifest: dict, settings: Settings, reuse: Path | None) -> None:
    gen = index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
    gen.mkdir()
    try:
        if reuse is not None and all((reuse / f"{name}.npy").is_file() for name in (*ARRAYS, "passages")):
            for name in (*ARRAYS, "passages"):
                _link_or_copy(reuse / f"{name}.npy", gen / f"{name}.npy")
            shutil.copyfile(reuse / "documents.json", gen / "documents.json")
        else:
            _write_arrays(gen, entries, settings)
        (gen / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for child in gen.iterdir():
            with open(child, "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(gen)
        # The one atomic step: readers see the old generation or the new, never a mix.
        write_atomic(index_dir / CURRENT, gen.name.encode())
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _write_arrays(gen: Path, entries: list, settings: Settings) -> None:
    vocab = sorted(set().union(*(meta["vocab"] for _, meta, _ in entries)))
    global_id = {term: i for i, term in enumerate(vocab)}
    term_parts, passage_parts, tf_parts, len_parts, off_parts, record_parts, documents = [], [], [], [], [], [], []
    base = record_base = 0
    passage_doc = []
    for doc_index, (_, meta, arrays) in enumerate(entries):
        n = len(arrays["ptr"]) - 1
        to_global = np.fromiter((global_id[t] for t in meta["vocab"]), np.int32, len(meta["vocab"]))
        term_parts.append(to_global[arrays["term"]])
        passage_parts.append(np.repeat(np.arange(base, base + n, dtype=np.int32), np.diff(arrays["ptr"])))
        tf_parts.append(arrays["tf"])
        len_parts.append(arrays["doc_len"])
        off_parts.append(arrays["rec_off"][:-1] + record_base)
        record_parts.append(arrays["records"])
        passage_doc.append(np.full(n, doc_index, np.int32))
        documents.append({**meta["document"], "passages": [base, n]})
        base += n
        record_base += len(arrays["records"])
    cat = lambda parts, dtype: np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)
    doc_len = cat(len_parts, np.int64)
    postings = build_postings(cat(term_parts, np.int32), cat(passage_parts, np.int32), cat(tf_parts, np.int32),
                              doc_len, len(vocab), settings.k1, settings.b, settings.epsilon)
    encoded = [t.encode("utf-8") for t in vocab]
    width = max((len(t) for t in encoded), default=1)
    arrays = {"vocab": np.array(encoded, dtype=f"S{width}"), **postings, "doc_len": doc_len,
              "passage_doc": cat(passage_doc, np.int32),
              "passage_off": np.append(cat(off_parts, np.int64), np.int64(record_base)),
              "passages": cat(record_parts, np.uint8)}
    for name, array in arrays.items():
        np.save(gen / f"{name}.npy", array, allow_pickle=False)
    (gen / "documents.json").write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")


def _prune(index_dir: Path, previous: Path | None, live_keys: set[str]) -> None:
    """Drop generations but the live one and its predecessor (a reader may still use it),
    leftovers of killed runs, and cache entries no file uses any more."""
    keep = {current_generation(index_dir), previous}
    for gen in index_dir.glob("gen-*"):
        if gen not in keep:
            shutil.rmtree(gen, ignore_errors=True)
    for entry in (index_dir / "cache").iterdir():
        if entry.name.split(".")[0] not in live_keys and not entry.name.startswith("."):
            entry.unlink(missing_ok=True)
        elif entry.name.startswith(".") and time.time() - entry.stat().st_mtime > 3600:
            entry.unlink(missing_ok=True)  # a temporary file of a killed run
