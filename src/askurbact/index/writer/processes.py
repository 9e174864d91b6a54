"""How the writer starts child processes (indexing workers, the parsing child of
`isolation.py`): fork from the command line, spawn from the chat's threads, each child
ending with the indexer and leaving Ctrl+C and SIGTERM to it."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


def child_start(parent: int) -> None:
    """First thing in a child (a worker, a parsing child). Ctrl+C reaches the whole process
    group: a child ignores it and the indexer stops the children (no traceback from each);
    SIGTERM ends a child quietly. When the indexer is killed (kill -9), its children end too,
    instead of waiting forever for work (Linux: the parent-death signal)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held while the indexer started this child
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the indexer was gone before that took hold
        os._exit(1)


def start_method():
    """fork when this process has one Python thread (the command line, on Linux): the workers
    start at once, where spawn re-imports numpy and askurbact in each (~0.3 s). The chat UI
    indexes from a thread, and forking a process with other threads can deadlock: spawn there.
    (Native threads numpy may have started handle fork themselves.)"""
    import multiprocessing
    import threading

    fork = sys.platform.startswith("linux") and threading.active_count() == 1
    if not fork:
        _start_resource_tracker()
    return multiprocessing.get_context("fork" if fork else "spawn")


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker, which spawn needs, with a real file as its
    stderr. It passes on sys.stderr's file descriptor, and inside the chat UI Textual has
    replaced sys.stderr with an object whose fileno() is -1: the start failed there with
    "bad value(s) in fds_to_keep". The null device then: nothing the tracker might say
    belongs on the chat's screen."""
    from multiprocessing import resource_tracker

    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return  # it starts on its own, with this stderr
    except (AttributeError, OSError, ValueError):
        pass
    saved = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


STOP_SIGNALS = {2, 15}  # SIGINT, SIGTERM


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Ctrl+C or SIGTERM while a worker is forked would be lost: raised in a fork hook, the
    exception is only printed ("Exception ignored in: _releaseLock") and indexing goes on.
    Held here, the signal arrives once the workers are started (and they, which inherit the
    mask, let it through again in their initializer)."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
