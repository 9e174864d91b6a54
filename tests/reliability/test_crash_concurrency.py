"""Crashes (kill -9 during `index --full`) and concurrency (two indexers, ask during index)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import kill_loop
import pytest
from filelock import FileLock

from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.errors import IndexProblem
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index
from conftest import cli_env, synthetic_corpus, synthetic_index, text

BIG_QUESTION = kill_loop.QUESTION


def test_kill_9_during_full_index_short(tmp_path):
    # Kills within the first 70% of a build's time: a run that finishes faster than the first
    # (on a machine whose load falls) still leaves enough of them killed mid-way.
    stats = kill_loop.run(kills=4, files=170, seed=3, workdir=tmp_path, latest=0.7)
    assert not stats["failures"], stats["failures"]
    assert stats["kills"] >= 2
    assert stats["generations_left"] <= 2


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Settings:
    return synthetic_index(tmp_path_factory.mktemp("big"), 170, 150, seed=5)


def _popen(s: Settings, *args):
    cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(s.corpus), "--index", str(s.index), *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(s.home),
                            cwd=s.home.parent)


def test_two_index_runs_at_once(big):
    first = _popen(big, "index", "--full")
    time.sleep(0.3)
    second = _popen(big, "index", "--full")
    outs = [p.communicate(timeout=120) for p in (first, second)]
    for p, (out, err) in zip((first, second), outs):
        assert p.returncode == 0 and b"Traceback" not in err, text(err)
    reader = IndexReader(big.index)
    assert len(reader.documents) == 170
    assert Assistant(big).ask(BIG_QUESTION).found


def test_index_while_locked_waits_or_says_so(big):
    lock = FileLock(big.index / ".lock")
    with lock:
        with pytest.raises(IndexProblem, match="another 'askurbact index' is running"):
            update_index(big, wait=False)
        waiting = _popen(big, "index")
        # Held until the child says it waits (not a fixed sleep: on a loaded machine its start
        # can take longer than any sleep, and it would find the lock free).
        said = _stderr_until(waiting, b"waiting for another", timeout=60)
        assert waiting.poll() is None  # it waits for the lock instead of writing beside us
    out, err = waiting.communicate(timeout=60)
    err = said + err
    assert waiting.returncode == 0 and b"waiting for another" in err, text(err)


def _stderr_until(proc: subprocess.Popen, marker: bytes, timeout: float) -> bytes:
    """What `proc` writes to stderr until it holds `marker` (or it ends, or `timeout` passes)."""
    import os
    import select

    got, deadline = b"", time.monotonic() + timeout
    fd = proc.stderr.fileno()
    while marker not in got and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            got += chunk
    return got


def test_ask_while_index_runs(big):
    indexer = _popen(big, "index", "--full")
    answers = 0
    deadline = time.monotonic() + 30
    while indexer.poll() is None and time.monotonic() < deadline and answers < 3:
        proc = subprocess.run([sys.executable, "-m", "askurbact.cli", "--corpus", str(big.corpus), "--index",
                               str(big.index), "ask", BIG_QUESTION], capture_output=True, env=cli_env(big.home),
                              timeout=60)
        assert proc.returncode == 0, text(proc.stderr)
        answers += 1
    indexer.communicate(timeout=60)
    assert indexer.returncode == 0 and answers >= 1


def test_ask_in_process_during_generation_swaps(big):
    """An Assistant kept open across several rebuilds follows the live generation."""
    assistant = Assistant(big)
    assert assistant.ask(BIG_QUESTION).found
    for _ in range(2):
        update_index(big, full=True)
        assert assistant.ask(BIG_QUESTION).found


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_workers_end_when_the_indexer_is_killed(tmp_path):
    """kill -9 of `askurbact index` alone (not its process group): its worker processes end
    too, instead of waiting forever for work."""
    corpus = synthetic_corpus(tmp_path / "corpus", 300, 150, seed=7)  # large enough for workers
    cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(corpus), "--index", str(tmp_path / "index"),
           "index", "--full"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env(tmp_path / "home"),
                            cwd=tmp_path)
    deadline = time.monotonic() + 30
    while not (workers := _children(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers, "the indexer started no worker processes"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while (left := [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in
                    Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0]]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"worker processes left running: {left}"
