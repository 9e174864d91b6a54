"""A damaged index: the command line says what is wrong and how to fix it (never answers
from a half-broken index), and `askurbact index --full` repairs every case."""

from __future__ import annotations

import json

import numpy as np
import pytest

from askurbact.core import Assistant
from askurbact.errors import IndexProblem, describe
from askurbact.index.reader import IndexReader
from askurbact.index.writer import plan as index_mod
from askurbact.index.writer import update_index
from conftest import QUESTION, assert_clean_failure, run_cli, text


def _gen(s):
    return s.index / (s.index / "CURRENT").read_text().strip()


def _part(s, part):
    """A file of the (only) segment of the live generation."""
    (path,) = _gen(s).glob(f"*.{part}.npy")
    return path


def _truncate(path, size):
    path.write_bytes(path.read_bytes()[:size])


def _fill(path, value, start=128):
    data = bytearray(path.read_bytes())
    data[start:] = bytes([value]) * (len(data) - start)
    path.write_bytes(bytes(data))


def _edit_manifest(s, **fields):
    p = _gen(s) / "manifest.json"
    m = json.loads(p.read_text())
    m.update(fields)
    p.write_text(json.dumps(m))


DAMAGE = {
    "npy_truncated_header": lambda s: _truncate(_gen(s) / "norm.npy", 40),
    "npy_truncated_data": lambda s: _truncate(_part(s, "doc"), 300),
    "npy_empty": lambda s: _truncate(_gen(s) / "vocab.npy", 0),
    "npy_garbage_header": lambda s: (_gen(s) / "idf.npy").write_bytes(b"not numpy at all" * 20),
    "npy_pickled_object": lambda s: np.save(_gen(s) / "idf.npy", np.array([{"a": 1}], dtype=object),
                                            allow_pickle=True),
    "npy_wrong_shape": lambda s: np.save(_gen(s) / "passage_doc.npy", np.zeros((2, 2), np.int32)),
    "postings_out_of_range": lambda s: _fill(_part(s, "doc"), 0x7F),
    "passages_truncated": lambda s: [_truncate(p, 500) for p in (s.index / "cache").glob("*.entry")],
    "manifest_not_json": lambda s: (_gen(s) / "manifest.json").write_text("{not json"),
    "manifest_not_object": lambda s: (_gen(s) / "manifest.json").write_text("[1, 2]"),
    "manifest_newer_format": lambda s: _edit_manifest(s, format=99),
    "manifest_missing": lambda s: (_gen(s) / "manifest.json").unlink(),
    "array_missing": lambda s: (_gen(s) / "rec_span.npy").unlink(),
    "segment_part_missing": lambda s: _part(s, "tf").unlink(),
    "segment_offsets_corrupted": lambda s: _fill(_part(s, "off"), 0x7F),
    "record_spans_corrupted": lambda s: _fill(_gen(s) / "rec_span.npy", 0x7F),
    "idf_corrupted": lambda s: _fill(_gen(s) / "idf.npy", 0xFF),
    "documents_missing": lambda s: (_gen(s) / "documents.json").unlink(),
    "generation_missing": lambda s: __import__("shutil").rmtree(_gen(s)),
    "current_points_nowhere": lambda s: (s.index / "CURRENT").write_text("gen-does-not-exist"),
    "current_escapes": lambda s: (s.index / "CURRENT").write_text("../../etc"),
    "current_empty": lambda s: (s.index / "CURRENT").write_text(""),
}

# Damage found by these tests and fixed in index.py: checked the same way.
DAMAGE.update({
    "documents_empty_list": lambda s: (_gen(s) / "documents.json").write_text("[]"),
    "documents_wrong_fields": lambda s: (_gen(s) / "documents.json").write_text('[{"x": 1}]'),
    "manifest_passages_not_int": lambda s: _edit_manifest(s, passages="many"),
    "norms_corrupted": lambda s: _fill(_gen(s) / "norm.npy", 0xFF),
    "contributions_corrupted": lambda s: _fill(_part(s, "impact"), 0xFF),
})


def _spans(s, start, end):
    path = _gen(s) / "rec_span.npy"
    spans = np.load(path).astype(np.uint64 if start >= 2**63 else np.int64)
    spans[:] = (start, end)
    np.save(path, spans)


# Spans no file could hold: reading them overflowed, or tried to allocate terabytes.
DAMAGE.update({
    "record_spans_far_negative": lambda s: _spans(s, -2**63, 0),
    "record_spans_past_int64": lambda s: _spans(s, 2**63, 2**63 + 5),
    "record_spans_terabytes": lambda s: _spans(s, 0, 10**13),
})


@pytest.fixture
def built(settings):
    update_index(settings, jobs=1)
    return settings


def _cli_refuses(s):
    proc = run_cli(s, "ask", QUESTION)
    line = assert_clean_failure(proc)
    assert "askurbact index --full" in line, line
    return line


def _repairs(s):
    update_index(s, full=True, jobs=1)
    reader = IndexReader(s.index)
    assert reader.n_passages > 0
    assert Assistant(s).ask(QUESTION).found


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_index_is_refused_then_repaired(built, name):
    DAMAGE[name](built)
    _cli_refuses(built)
    _repairs(built)


def test_full_rebuild_through_cli_repairs(built):
    DAMAGE["npy_truncated_data"](built)
    _cli_refuses(built)
    proc = run_cli(built, "index", "--full")
    assert proc.returncode == 0, text(proc.stderr)
    proc = run_cli(built, "ask", QUESTION)
    assert proc.returncode == 0 and b"Seoul" in proc.stdout


def _damage_cache(s):
    for entry in (s.index / "cache").glob("*.entry"):
        _truncate(entry, 10)
    (s.corpus / "what-makes-local-innovation-work.md").touch()  # make the plain index re-check it


def test_cache_damage_repaired_by_full(built):
    _damage_cache(built)
    _repairs(built)


def test_cache_damage_handled_by_plain_index(built):
    _damage_cache(built)
    (built.corpus / "social-innovation-behind-the-city-scene.md").write_text("# New\n\nSeoul mayor text.\n")
    report = update_index(built, jobs=1)
    assert report.documents >= 1


def test_index_folder_not_writable_simulated(built, monkeypatch):
    """As root chmod does not stop writes: simulate with a PermissionError from mkdir."""
    before = (built.index / "CURRENT").read_text()

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(index_mod.Path, "mkdir", refuse)
    with pytest.raises(IndexProblem, match="permission denied") as info:
        update_index(built, full=True, jobs=1)
    assert "\n" not in describe(info.value)
    monkeypatch.undo()
    assert (built.index / "CURRENT").read_text() == before
    assert Assistant(built).ask(QUESTION).found


@pytest.mark.parametrize("errno_name", ["EACCES", "ENOSPC"])
def test_write_failure_mid_generation_keeps_old_index(built, monkeypatch, errno_name):
    import errno

    before = (built.index / "CURRENT").read_text()
    gens = sorted(p.name for p in built.index.glob("gen-*"))
    calls = {"n": 0}
    real_save = np.save

    def failing_save(path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            code = getattr(errno, errno_name)
            raise OSError(code, __import__("os").strerror(code), str(path))
        return real_save(path, *args, **kwargs)

    monkeypatch.setattr(index_mod.np, "save", failing_save)
    with pytest.raises(IndexProblem) as info:  # an OSError before the disk-full work (issue 13, item 10)
        update_index(built, full=True, jobs=1)
    assert "\n" not in describe(info.value) and str(built.index) in describe(info.value)
    monkeypatch.undo()
    assert (built.index / "CURRENT").read_text() == before
    assert sorted(p.name for p in built.index.glob("gen-*")) == gens  # the half-written one is gone
    assert Assistant(built).ask(QUESTION).found
    _repairs(built)


def test_current_not_utf8_refused_and_repaired(built):
    (built.index / "CURRENT").write_bytes(b"\xff\xfe\x00gen")
    with pytest.raises(IndexProblem, match="index --full"):
        IndexReader(built.index)
    _repairs(built)


# Damage to values inside well-formed arrays (corrupted numbers, spans out of range) shows
# at a query only when it reads them; `index` finds it by the generation's file stamps (and a
# truncated cache entry by its size) and rebuilds.
@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_plain_index_rebuilds_a_broken_index_instead_of_calling_it_unchanged(built, name):
    DAMAGE[name](built)
    _cli_refuses(built)
    proc = run_cli(built, "index")
    assert proc.returncode == 0, text(proc.stderr)
    assert b"0 unchanged" in proc.stdout  # rebuilt, not called unchanged
    assert b"rebuilt from the corpus" in proc.stderr  # and the user is told why
    proc = run_cli(built, "ask", QUESTION)
    assert proc.returncode == 0 and b"Seoul" in proc.stdout
