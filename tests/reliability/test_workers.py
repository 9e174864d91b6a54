"""Indexing in worker processes (issue 13, items 13 and 15): the chat UI indexes a corpus
large enough for the workers (they failed to start inside the running app), and Ctrl+C or
SIGTERM during `index` end it with one line, exit 130 or 143, the previous index unchanged."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.index.writer import batch, update_index
from conftest import QUESTION, cli_env, settle, synthetic_corpus, synthetic_index, text


@pytest.fixture
def pools(monkeypatch) -> list:
    """Workers for any update of more than a few bytes, on at least two cores; the pools made."""
    made = []

    class Counted(batch.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 1_000)
    monkeypatch.setattr(batch, "MIN_BATCH_BYTES", 1_000)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return made


def _add_reports(corpus, n: int) -> None:
    synthetic_corpus(corpus / "reports", n, 20, seed=11)


def _errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def test_the_chat_indexes_new_files_with_worker_processes(settings, pools):
    from askurbact.tui.app import AskUrbactApp

    update_index(settings, jobs=1)
    _add_reports(settings.corpus, 12)  # found stale when the chat opens

    async def scenario():
        app = AskUrbactApp(settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert not _errors(app), _errors(app)
            assert app.chat_screen.index_ready and app.assistant.status().documents == 14
            _add_reports(settings.corpus / "more", 12)
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert not _errors(app), _errors(app)
            assert app.assistant.status().documents == 26
            assert any(n.title == "Re-indexed" for n in app._notifications)

    asyncio.run(scenario())
    assert len(pools) == 2  # each update used worker processes


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Settings:
    """A corpus whose full build takes a few seconds, in worker processes, and its index."""
    return synthetic_index(tmp_path_factory.mktemp("large"), 300, 150, seed=9)


def _start_index(s: Settings) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(s.corpus), "--index", str(s.index), "index", "--full"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(s.home),
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not psutil.Process(proc.pid).children() and time.monotonic() < deadline:  # the workers are up
        time.sleep(0.02)
    time.sleep(0.2)
    return proc


@pytest.mark.parametrize("how, code", [("ctrl+c", 130), ("sigterm", 143)])
def test_an_interrupted_index_says_one_line_and_leaves_the_previous_index(large, how, code):
    live = (large.index / "CURRENT").read_text()
    proc = _start_index(large)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers, "the run used no worker processes"
    if how == "ctrl+c":
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole process group
    else:
        proc.send_signal(signal.SIGTERM)  # `kill PID`: the indexer only
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, (proc.returncode, text(err))
    assert text(err).splitlines() == ["askurbact: indexing interrupted; the previous index is unchanged"], text(err)
    assert out == b""
    assert (large.index / "CURRENT").read_text() == live
    psutil.wait_procs(workers, timeout=10)
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    assert Assistant(large).ask(QUESTION.replace("Seoul", "Kavala")).query


def test_an_interrupted_first_build_says_no_index_was_written(large, tmp_path):
    # The same corpus into a new index folder: nothing to leave "unchanged".
    first = Settings(corpus=large.corpus, index=tmp_path / "index", home=large.home)
    proc = _start_index(first)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, text(err)
    assert text(err).splitlines() == ["askurbact: indexing interrupted; no index was written "
                                      "(run askurbact index again)"], text(err)
    assert not (first.index / "CURRENT").exists()
