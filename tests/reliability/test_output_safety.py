"""What reaches a terminal or a file (issue 13, items 4, 6 and 14): control characters from
documents, titles and file names are shown as symbols (JSON keeps them exact, escaped),
`export --force` replaces only regular files, the chat refuses to start without a terminal."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys

import pytest

from askurbact.core import Assistant
from askurbact.index.writer import update_index
from conftest import assert_clean_failure, cli_env, run_cli, settle, text

# What a terminal obeys: C0 controls but tab and line feed, DEL, C1 controls (as UTF-8).
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
PASSAGE = f"The lighthouse of Kavala {EVIL} keeps watch over the harbour\x00 at night."


@pytest.fixture
def hostile(settings):
    """A document whose heading (its title), text and file name carry terminal escapes,
    and an unreadable file whose name does (it is reported as skipped)."""
    # A NUL in the first 8 KiB makes a file binary: this one comes later.
    filler = "".join(f"Filler paragraph {n} says little of note.\n\n" for n in range(300))
    (settings.corpus / f"beacon{EVIL}.md").write_text(f"# Beacon {EVIL} report\n\n{filler}{PASSAGE}\n",
                                                      encoding="utf-8")
    (settings.corpus / f"broken{EVIL}.md").write_bytes(b"\xe9t\xe9, Latin-1: not UTF-8")
    return settings


def _clean(data: bytes) -> bool:
    return CONTROL.search(data) is None


def test_control_characters_never_reach_the_terminal(hostile, tmp_path):
    procs = {"index": run_cli(hostile, "index"), "sources": run_cli(hostile, "sources"),
             "ask": run_cli(hostile, "ask", "--session", "s", "What keeps watch over the harbour of Kavala?"),
             "sessions": run_cli(hostile, "sessions")}
    for name, proc in procs.items():
        assert proc.returncode == 0, (name, text(proc.stderr))
        assert _clean(proc.stdout) and _clean(proc.stderr), (name, proc.stdout, proc.stderr)
    assert "lighthouse" in text(procs["ask"].stdout) and "\u241b]0;pwned" in text(procs["ask"].stdout)
    assert "beacon\u241b" in text(procs["sources"].stdout) and "broken\u241b" in text(procs["index"].stderr)
    # An error naming such a file is clean too.
    proc = run_cli(hostile, "export", "s", str(tmp_path / f"x{EVIL}" / "out.md"))
    assert_clean_failure(proc)
    assert _clean(proc.stderr)


def test_json_keeps_the_quote_exact_and_the_output_printable(hostile):
    assert run_cli(hostile, "index").returncode == 0
    proc = run_cli(hostile, "ask", "--json", "What keeps watch over the harbour of Kavala?")
    assert proc.returncode == 0, text(proc.stderr)
    assert _clean(proc.stdout)
    data = json.loads(proc.stdout)
    quotes = [c["quote"] for c in data["citations"]]
    assert any(EVIL in q for q in quotes), quotes
    assert any(p["path"] == f"beacon{EVIL}.md" for p in data["passages"])


def test_exported_minutes_hold_no_control_characters(hostile, tmp_path):
    update_index(hostile, jobs=1)
    assistant = Assistant(hostile)
    assistant.ask("What keeps watch over the harbour of Kavala?", session=assistant.sessions.load("s"))
    out = tmp_path / "minutes.md"
    assert run_cli(hostile, "export", "s", str(out)).returncode == 0
    data = out.read_bytes()
    assert _clean(data.replace(b"\n", b"")) and "lighthouse" in data.decode()


def test_the_chat_ui_shows_control_characters_as_symbols(hostile):
    from askurbact.tui.app import AskUrbactApp

    update_index(hostile, jobs=1)

    async def scenario():
        app = AskUrbactApp(hostile)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(app, pilot)
            app.chat_screen.ask("What keeps watch over the harbour of Kavala?")
            await settle(app, pilot)
            await pilot.press("1")  # open the source: the passage view
            await pilot.pause()
            shown = "".join(segment.text for strips in app.screen._compositor.render_full_update().strips
                            for strip in strips for segment in strip)
            assert "lighthouse" in shown
            assert _clean(shown.encode()), [c for c in shown if CONTROL.search(c.encode())]

    asyncio.run(scenario())


def _special_files(tmp_path):
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    target = tmp_path / "precious.md"
    target.write_text("precious")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    sock = tmp_path / "sock.md"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    kinds = {"a named pipe": fifo, "a link": link, "a socket": sock}
    if os.geteuid() == 0:  # only root makes device nodes: a private copy of /dev/null's
        device = tmp_path / "null.md"
        os.mknod(device, 0o666 | 0o020000, os.makedev(1, 3))
        kinds["a device"] = device
    return kinds, target, server


def test_export_force_replaces_only_regular_files(settings, tmp_path):
    update_index(settings, jobs=1)
    assistant = Assistant(settings)
    assistant.ask("Who is the mayor of Seoul?", session=assistant.sessions.load("s"))
    kinds, target, server = _special_files(tmp_path)
    try:
        for kind, path in kinds.items():
            before = os.lstat(path)
            line = assert_clean_failure(run_cli(settings, "export", "s", str(path), "--force"))
            assert kind in line and "regular file" in line, line
            after = os.lstat(path)
            assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode), kind
        assert target.read_text() == "precious"
        assert run_cli(settings, "export", "s", str(target), "--force").returncode == 0  # a regular file: replaced
        assert "Seoul" in target.read_text()
    finally:
        server.close()


@pytest.mark.parametrize("args", [(), ("chat",)])
def test_the_chat_without_a_terminal_says_so(settings, args):
    cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(settings.corpus), "--index", str(settings.index),
           *args]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, env=cli_env(settings.home))
    line = assert_clean_failure(proc)
    assert "the chat needs a terminal; try askurbact ask" in line
    assert proc.stdout == b""
