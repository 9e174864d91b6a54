"""Nothing lost: indexing never writes into the corpus, export never overwrites without
--force, a saved session file is never half-written."""

from __future__ import annotations

import json
import os

import pytest

from askurbact import storage
from askurbact.core import Assistant
from askurbact.errors import ExportError, SessionError
from askurbact.export import export_session
from askurbact.index.writer import update_index
from askurbact.session import SessionStore
from conftest import QUESTION, assert_clean_failure, run_cli, text, tree_digest


def test_indexing_never_writes_into_the_corpus(settings):
    (settings.corpus / "bad.md").write_bytes(b"\xff\xfe\x00\x00junk")
    (settings.corpus / "sub").mkdir()
    (settings.corpus / "sub" / "note.txt").write_text("A note on Kavala.\n")
    before = tree_digest(settings.corpus)
    update_index(settings, jobs=1)
    (settings.corpus / "sub" / "note.txt").write_text("A changed note on Kavala.\n")
    after_change = tree_digest(settings.corpus)
    update_index(settings, jobs=1)
    update_index(settings, full=True, jobs=1)
    Assistant(settings).ask(QUESTION)
    assert tree_digest(settings.corpus) == after_change
    assert set(before) == set(after_change)


def test_index_inside_corpus_is_refused(settings, tmp_path):
    import dataclasses

    inside = dataclasses.replace(settings, index=settings.corpus / "idx")
    before = tree_digest(settings.corpus)
    proc = run_cli(inside, "index")
    assert "inside the corpus" in assert_clean_failure(proc)
    assert tree_digest(settings.corpus) == before


@pytest.fixture
def saved(settings):
    update_index(settings, jobs=1)
    assistant = Assistant(settings)
    session = assistant.sessions.load("minutes")
    assistant.ask(QUESTION, session=session)
    return assistant, session


def test_export_never_overwrites_without_force(saved, settings, tmp_path):
    _, session = saved
    target = tmp_path / "out.md"
    target.write_text("precious")
    with pytest.raises(ExportError, match="--force"):
        export_session(session, target)
    assert target.read_text() == "precious"
    proc = run_cli(settings, "export", "minutes", str(target))
    assert "--force" in assert_clean_failure(proc)
    assert target.read_text() == "precious"
    # A link to a file is not followed either.
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert_clean_failure(run_cli(settings, "export", "minutes", str(link)))
    assert target.read_text() == "precious" and link.is_symlink()
    proc = run_cli(settings, "export", "minutes", str(target), "--force")
    assert proc.returncode == 0, text(proc.stderr)
    assert "Seoul" in target.read_text()
    assert_clean_failure(run_cli(settings, "export", "minutes", str(tmp_path)))  # a folder
    assert_clean_failure(run_cli(settings, "export", "minutes", str(tmp_path / "no" / "such" / "dir.md")))
    assert_clean_failure(run_cli(settings, "export", "nosuchchat", str(tmp_path / "x.md")))
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_crash_mid_write_leaves_old_file(saved, tmp_path, monkeypatch):
    _, session = saved
    target = tmp_path / "out.md"
    target.write_text("precious")
    real_fsync = os.fsync

    def crash(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(ExportError, match="No space"):
        export_session(session, target, force=True)
    with pytest.raises(ExportError):
        export_session(session, tmp_path / "new.md")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_text() == "precious"
    assert not (tmp_path / "new.md").exists()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_session_never_half_written(saved, monkeypatch, where):
    assistant, session = saved
    path = assistant.sessions.path("minutes")
    good = path.read_bytes()

    class Crash(BaseException):  # like a kill: not an Exception, nothing may swallow it
        pass

    if where == "write":
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)

            class Half:
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()

                def write(self, data):
                    handle.write(data[: len(data) // 2])
                    handle.flush()
                    raise Crash()

            return Half()

        monkeypatch.setattr(storage.os, "fdopen", fdopen)
    elif where == "fsync":
        monkeypatch.setattr(storage.os, "fsync", lambda fd: (_ for _ in ()).throw(Crash()))
    else:
        monkeypatch.setattr(storage.os, "replace", lambda a, b: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        assistant.ask("What was created in Kavala?", session=session)
    monkeypatch.undo()
    assert path.read_bytes() == good
    json.loads(path.read_text())
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(SessionStore(assistant.settings.home).load("minutes", create=False).turns) == 1


def test_damaged_session_file_is_a_clear_error(saved, settings):
    assistant, _ = saved
    assistant.sessions.path("minutes").write_bytes(b'{"id": "minutes", "turns": [')
    with pytest.raises(SessionError, match="move it away"):
        assistant.sessions.load("minutes")
    proc = run_cli(settings, "ask", "--session", "minutes", QUESTION)
    assert "move it away" in assert_clean_failure(proc)
    assert run_cli(settings, "sessions").returncode == 0
