"""An edit the file's size and times do not show (issue 13, item 5): an mtime put back with
`touch -r`, or an edit in the same timestamp tick as indexing. The index must not answer
from the old text; files changed safely before the index looked at them are never read."""

from __future__ import annotations

import json
import os
import time

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


def _frozen_clock_fs(monkeypatch, seconds: int) -> None:
    """A file system with whole-second times whose every write lands in one second (`seconds`):
    an edit right after indexing leaves the same size, mtime and ctime."""
    real = freshness.stat_key

    def stat_key(path):
        key = real(path)
        return None if key is None else (key[0], seconds * 1_000_000_000, seconds * 1_000_000_000)

    monkeypatch.setattr(freshness, "stat_key", stat_key)


def test_an_edit_in_the_same_second_as_indexing_is_seen(settings, monkeypatch):
    _frozen_clock_fs(monkeypatch, int(time.time()) + 1)  # this second or the next: no later than the edit
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
    real = freshness.stat_key
    monkeypatch.setattr(freshness, "stat_key", lambda path: None if (key := real(path)) is None
                        else (key[0], day_ago, day_ago))
    update_index(settings, jobs=1)
    read = []
    monkeypatch.setattr(freshness, "sha256_of", lambda path: read.append(path))
    assert freshness.check_freshness(settings).fresh
    assert read == []
    # A file whose times then change is still noticed by them, without reading it either.
    monkeypatch.setattr(freshness, "stat_key", lambda path: None if (key := real(path)) is None
                        else (key[0], day_ago + 1, day_ago + 1))
    assert freshness.check_freshness(settings).changed and read == []
