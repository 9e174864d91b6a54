from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class TtyRun:
    code: int
    stdout: str  # what went to a pipe (empty for a stream on the terminal)
    stderr: str
    terminal: str  # everything written to the terminal, escape sequences and all

    @property
    def screen_text(self) -> str:
        return ANSI.sub("", self.terminal)


def _drain(fd: int, chunks: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: every writer of the terminal has closed it
            return
        if not chunk:
            return
        chunks.append(chunk)


@pytest.fixture
def run_tty(tmp_path: Path, corpus: Path):
    """Run the real command line with some of its streams on a pseudo-terminal (160x40),
    the way a person runs it; `typed` is what the person types."""

    def run(*args: str, tty: tuple[str, ...] = ("stderr",), typed: str = "", env: dict | None = None,
            cwd: Path | None = None) -> TtyRun:
        environment = {**os.environ, "ASKURBACT_HOME": str(tmp_path / "home"), "ASKURBACT_CORPUS": str(corpus),
                       "ASKURBACT_INDEX": str(tmp_path / "index"), "TERM": "xterm-256color"}
        environment.pop("NO_COLOR", None)
        environment.update(env or {})
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        streams = {name: slave if name in tty else subprocess.PIPE for name in ("stdout", "stderr")}
        stdin = slave if "stdin" in tty else subprocess.DEVNULL
        proc = subprocess.Popen([sys.executable, "-m", "askurbact.cli", *args], stdin=stdin, env=environment,
                                cwd=cwd or tmp_path, **streams)
        os.close(slave)
        chunks: list[bytes] = []
        reader = threading.Thread(target=_drain, args=(master, chunks), daemon=True)
        reader.start()
        if typed:
            os.write(master, typed.encode())
        out, err = proc.communicate(timeout=120)
        reader.join(timeout=10)
        os.close(master)
        return TtyRun(proc.returncode, (out or b"").decode(), (err or b"").decode(),
                      b"".join(chunks).decode("utf-8", "replace"))

    return run
