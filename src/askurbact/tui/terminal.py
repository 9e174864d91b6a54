"""Whether the terminal the chat runs in is still there.

When a terminal window is closed, the kernel hangs the terminal up and sends SIGHUP to
the session's leader only. Run as `askurbact chat` the chat is that leader and ends; run
under another program that holds the signal back (`make chat`: make keeps SIGHUP
blocked while its recipe runs) it is never told, and Textual's input thread reads end of
file from the dead terminal in a loop: an orphan at full CPU. So the chat checks, once a
second, that its terminal is still its controlling terminal, and ends when it is not.
"""

from __future__ import annotations

import errno
import os
import signal
import sys


def controlling_terminal() -> int | None:
    """The file descriptor of stdin when it is this process's controlling terminal, else None
    (a pipe, /dev/null, a terminal of another session: nothing to watch)."""
    try:
        fd = sys.__stdin__.fileno()  # type: ignore[union-attr]
        os.tcgetpgrp(fd)
    except (AttributeError, ValueError, OSError):
        return None
    return fd


def hung_up(fd: int) -> bool:
    """The terminal on `fd` was hung up (its window closed): the kernel answers EIO."""
    try:
        os.tcgetpgrp(fd)
    except OSError as exc:
        return exc.errno == errno.EIO
    return False


def end_as_hung_up() -> None:
    """End the process as the hang-up signal would have: at once. Not through the app's
    exit, which restores the terminal and blocks writing to a hung-up one. Nothing is lost:
    each turn of a chat is saved as it is answered, and an index is replaced atomically."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGHUP})
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGHUP)
    os._exit(128 + signal.SIGHUP)  # not reached: the signal ends the process
