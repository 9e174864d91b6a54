"""An index folder that cannot be written (issue 13, items 10 and 11): a full disk, a
read-only or forbidden folder. A failed run removes what it wrote and says where and how
much space it needs; a stale but valid index still answers, with one line saying why it
could not be updated. (Tests run as root: the failures are simulated.)"""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

from askurbact.core import Assistant
from askurbact.errors import IndexProblem, describe
from askurbact.index.writer import cache as cache_mod
from askurbact.index.writer import generation as generation_mod
from askurbact.index.writer import update_index
from conftest import QUESTION


def _files(folder) -> set[str]:
    return {os.path.relpath(os.path.join(d, f), folder) for d, _, names in os.walk(folder) for f in names}


def _add_files(corpus, n: int) -> None:
    for i in range(n):
        (corpus / f"added-{i}.md").write_text(f"# Added {i}\n\nA note about the harbour of Kavala, number {i}.\n" * 20)


def _full_disk_in_cache_entries(monkeypatch, after: int) -> None:
    """The disk fills up while the `after`+1-th cache entry is written (half of it is on disk)."""
    real = cache_mod._write_entry
    written = {"n": 0}

    def write_entry(path, meta, arrays, records):
        written["n"] += 1
        if written["n"] > after:
            path.write_bytes(records[: len(records) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, meta, arrays, records)

    monkeypatch.setattr(cache_mod, "_write_entry", write_entry)


def _full_disk_in_generation(monkeypatch) -> None:
    real = np.save
    calls = {"n": 0}

    def save(path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("4308 requested and 3501 written")  # numpy's own words for a short write
        return real(path, *args, **kwargs)

    monkeypatch.setattr(generation_mod.np, "save", save)


@pytest.mark.parametrize("where", ["cache entries", "generation"])
def test_a_full_disk_leaves_nothing_behind_and_says_where_and_how_much(settings, monkeypatch, where):
    update_index(settings, jobs=1)
    before = _files(settings.index)
    _add_files(settings.corpus, 4)
    if where == "cache entries":
        _full_disk_in_cache_entries(monkeypatch, after=2)
    else:
        _full_disk_in_generation(monkeypatch)
    with pytest.raises(IndexProblem) as info:
        update_index(settings, jobs=1)
    message = describe(info.value)
    assert "\n" not in message and str(settings.index) in message
    assert "is full" in message and " MB there" in message and "previous index is unchanged" in message
    assert _files(settings.index) == before  # no cache entry, temporary file or generation of the failed run
    assert Assistant(settings).reader.n_passages > 0
    monkeypatch.undo()  # space freed: the next run works
    assert update_index(settings, jobs=1).added == 4


def _read_only(monkeypatch, settings, code: int) -> None:
    """The index folder's files cannot be opened for writing (EROFS, EACCES): its lock first."""
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        if str(path).startswith(str(settings.index)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


@pytest.mark.parametrize("problem", ["read-only", "no permission", "full disk"])
def test_ask_answers_from_an_index_it_cannot_update(settings, monkeypatch, problem):
    update_index(settings, jobs=1)
    _add_files(settings.corpus, 2)  # the index is stale now
    if problem == "read-only":
        _read_only(monkeypatch, settings, errno.EROFS)
    elif problem == "no permission":
        _read_only(monkeypatch, settings, errno.EACCES)
    else:
        _full_disk_in_cache_entries(monkeypatch, after=0)
    said: list[str] = []
    assistant = Assistant(settings, notify=said.append)
    assistant.ensure_index()
    assert assistant.ask(QUESTION).found
    why = [line for line in said if "could not be updated" in line]
    assert len(why) == 1 and "\n" not in why[0] and str(settings.index) in why[0], said
    monkeypatch.undo()
    if problem == "full disk":  # nothing of the failed run was left in the way
        assert update_index(settings, jobs=1).added == 2


def test_without_an_index_an_unwritable_folder_is_still_an_error(settings, monkeypatch):
    settings.index.mkdir()
    _read_only(monkeypatch, settings, errno.EROFS)
    with pytest.raises(IndexProblem, match="cannot write to the index folder"):
        Assistant(settings).ensure_index()
