"""A chat whose terminal window is closed leaves, even when the hang-up signal never
reaches it (as under `make chat`: make holds SIGHUP back while its recipe runs)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

from askurbact.tui.terminal import controlling_terminal, hung_up


def _as_session_leader_deaf_to_hangups() -> None:
    # Runs in the child after setsid(): the pseudo-terminal on stdin becomes its controlling
    # terminal, and SIGHUP is ignored, as if another program held it back.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def _read_until(stop: threading.Event, fd: int, seen: list[bytes]) -> None:
    # A read blocked on the terminal would hold it open after it is closed: poll instead.
    while not stop.is_set():
        if select.select([fd], [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.append(chunk)


def test_the_chat_leaves_when_its_terminal_is_hung_up(settings):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "ASKURBACT_HOME": str(settings.home),
           "ASKURBACT_CORPUS": str(settings.corpus), "ASKURBACT_INDEX": str(settings.index)}
    chat = subprocess.Popen([sys.executable, "-m", "askurbact.cli", "chat"], stdin=slave, stdout=slave,
                            stderr=slave, env=env, start_new_session=True,
                            preexec_fn=_as_session_leader_deaf_to_hangups)
    os.close(slave)
    seen: list[bytes] = []
    stop = threading.Event()
    reader = threading.Thread(target=_read_until, args=(stop, master, seen), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while b"Sources" not in b"".join(seen) and time.monotonic() < deadline and chat.poll() is None:
            time.sleep(0.1)
        assert b"Sources" in b"".join(seen), "the chat never drew its screen"
        stop.set()
        reader.join()
        os.close(master)  # the window is closed: the kernel hangs the terminal up
        master = -1
        assert chat.wait(timeout=15) is not None
    finally:
        if chat.poll() is None:
            chat.kill()
            chat.wait()
        if master >= 0:
            os.close(master)


def test_a_pipe_or_another_sessions_terminal_is_not_watched(monkeypatch):
    with open(os.devnull) as devnull:  # stdin from /dev/null (or a pipe): nothing to watch
        monkeypatch.setattr(sys, "__stdin__", devnull)
        assert controlling_terminal() is None
    master, slave = pty.openpty()
    try:
        assert not hung_up(slave)  # not our controlling terminal (ENOTTY): not a hang-up
    finally:
        os.close(master)
        os.close(slave)
