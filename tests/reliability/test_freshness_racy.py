"""An edit the file's size and times do not show (issue 13, item 5): an mtime put back with
`touch -r`, or an edit in the same timestamp tick as indexing. The index must not answer
from the old text; files changed safely before the index looked at them are never read."""

from __future__ import annotations

import json
import os
import pathlib
import time
from stat import S_ISREG

from askurbact.core import Assistant
from askurbact.index import freshness
from askurbact.index.writer import update_index
from conftest import QUESTION, run_cli, text

ARTICLE = "social-innovation-behind-the-city-scene.md"


def _edit_keeping_size(path) -> None:
    data = path.read_bytes()
    assert data.count(b"Won Soon Park") >= 1
    path.write_bytes(data.replace(b"Won Soon Park", b"Won Moon Park"))


def _cited_line(settings, answer: dict) -> str:
    citation = answer["citations"][0]
    lines = (settings.corpus / citation["path"]).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[citation["lines"][0] - 1:citation["lines"][1]])


def test_an_edit_whose_mtime_was_put_back_is_seen(settings):
    assert run_cli(settings, "index").returncode == 0
    path = settings.corpus / ARTICLE
    before = path.stat()
    _edit_keeping_size(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` would
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    proc = run_cli(settings, "ask", "--json", QUESTION)
    assert proc.returncode == 0, text(proc.stderr)
    answer = json.loads(proc.stdout)
    assert "Won Moon Park" in answer["answer"] and "Won Soon Park" not in answer["answer"]
    assert answer["citations"][0]["quote"] in _cited_line(settings, answer)


def _file_times(monkeypatch, folder, times_ns: int) -> None:
    """Every regular file under `folder` reports `times_ns` as its modification, change and
    access time, whatever is written to it (the file system's own stat, as everyone reads it)."""
    real = pathlib.Path.stat

    def stat(self, *args, **kwargs):
        st = real(self, *args, **kwargs)
        if not (str(self).startswith(str(folder)) and S_ISREG(st.st_mode)):
            return st
        seconds = times_ns / 1e9
        return os.stat_result((*tuple(st)[:7], seconds, seconds, seconds),
                              {"st_atime_ns": times_ns, "st_mtime_ns": times_ns, "st_ctime_ns": times_ns})

    monkeypatch.setattr(pathlib.Path, "stat", stat)


def test_an_edit_in_the_same_second_as_indexing_is_seen(settings, monkeypatch):
    # A file system with whole-second times where every write lands in one second: this one
    # or the next (no earlier than indexing). The edit leaves the same size, mtime and ctime.
    _file_times(monkeypatch, settings.corpus, (int(time.time()) + 1) * 1_000_000_000)
    update_index(settings, jobs=1)
    _edit_keeping_size(settings.corpus / ARTICLE)
    assistant = Assistant(settings)
    assistant.ensure_index()
    answer = assistant.ask(QUESTION)
    assert "Won Moon Park" in answer.text and "Won Soon Park" not in answer.text
    # Still racy (the same second): the next run hashes the file again and finds it unchanged.
    report = update_index(settings, jobs=1)
    assert report.updated == 0 and report.unchanged == 2


def test_files_changed_well_before_indexing_are_not_read_to_check_freshness(settings, monkeypatch):
    day_ago = time.time_ns() - 86_400 * 1_000_000_000 + 123_456_789  # sub-second times: a fine-grained file system
    _file_times(monkeypatch, settings.corpus, day_ago)
    update_index(settings, jobs=1)
    read = []
    monkeypatch.setattr(freshness, "sha256_of", lambda path: read.append(path))
    assert freshness.check_freshness(settings).fresh
    assert read == []
    # A file whose times then change is still noticed by them, without reading it either.
    _file_times(monkeypatch, settings.corpus, day_ago + 1)
    assert freshness.check_freshness(settings).changed and read == []
