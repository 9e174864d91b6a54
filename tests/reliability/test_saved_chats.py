"""Saved chats under concurrency and damage (issue 13, items 2, 3, 12 and 16): every turn
kept when processes save one chat at once, the file name is a chat's identity, a damaged
file is named and left out, an answer is printed even when it cannot be saved."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from askurbact.core import Assistant
from askurbact.errors import SessionError
from askurbact.index.writer import update_index
from askurbact.session import SessionStore
from conftest import QUESTION, assert_clean_failure, cli_env, run_cli, settle, text

QUESTIONS = ["Who is the mayor of Seoul?", "What was created in Kavala?", "What were the workshops in Malmö about?",
             "Which methodology did the TOGETHER network use?"]


def _turns(settings, name: str) -> list[str]:
    raw = json.loads((settings.home / "sessions" / f"{name}.json").read_text(encoding="utf-8"))
    return [t["question"] for t in raw["turns"]]


def test_twenty_parallel_asks_in_one_chat_keep_all_twenty_turns(settings):
    update_index(settings, jobs=1)
    asked = [f"{QUESTIONS[i % len(QUESTIONS)]} ({i})" for i in range(20)]
    cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(settings.corpus), "--index", str(settings.index),
           "ask", "--session", "S"]
    procs = [subprocess.Popen([*cmd, q], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(settings.home))
             for q in asked]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, 1), text(err)
    assert sorted(_turns(settings, "S")) == sorted(asked)


def test_two_processes_with_the_chat_open_keep_each_others_turns(settings):
    update_index(settings, jobs=1)
    one, two = Assistant(settings), Assistant(settings)
    a, b = one.sessions.load("S"), two.sessions.load("S")  # both read the chat before either saves
    one.ask(QUESTIONS[0], session=a)
    two.ask(QUESTIONS[1], session=b)
    one.ask(QUESTIONS[2], session=a)
    assert _turns(settings, "S") == [QUESTIONS[0], QUESTIONS[1], QUESTIONS[2]]
    # The process that saved last also holds every turn now (its follow-ups see them).
    assert [t.question for t in a.turns] == [QUESTIONS[0], QUESTIONS[1], QUESTIONS[2]]
    # A rename made elsewhere is kept by a later save that did not change the title.
    one.sessions.retitle("S", "Cities")
    two.ask(QUESTIONS[3], session=b)
    assert json.loads((settings.home / "sessions" / "S.json").read_text())["title"] == "Cities"


def test_the_chat_ui_and_the_command_line_on_one_chat_keep_every_turn(settings):
    from askurbact.tui.app import AskUrbactApp

    update_index(settings, jobs=1)
    Assistant(settings).ask(QUESTIONS[0], session=Assistant(settings).sessions.load("S"))

    async def scenario():
        app = AskUrbactApp(settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.chat_screen.flows.open_chat("S")
            proc = run_cli(settings, "ask", "--session", "S", QUESTIONS[1], process=True)  # while the chat is open
            assert proc.returncode == 0, text(proc.stderr)
            app.chat_screen.ask(QUESTIONS[2])
            await settle(app, pilot)

    asyncio.run(scenario())
    assert _turns(settings, "S") == QUESTIONS[:3]


def test_a_copied_chat_is_a_chat_of_its_own(settings):
    update_index(settings, jobs=1)
    assert run_cli(settings, "ask", "--session", "base", QUESTIONS[0]).returncode == 0
    folder = settings.home / "sessions"
    original = (folder / "base.json").read_bytes()
    (folder / "copy.json").write_bytes(original)
    proc = run_cli(settings, "ask", "--session", "copy", QUESTIONS[1])
    assert proc.returncode == 0, text(proc.stderr)
    assert (folder / "base.json").read_bytes() == original
    assert _turns(settings, "copy") == QUESTIONS[:2]
    names = [line.split()[0] for line in text(run_cli(settings, "sessions").stdout).splitlines()]
    assert sorted(names) == ["base", "copy"]


DAMAGED = {
    "list": b"[]", "text": b'"str"', "null": b"null", "number": b"5", "turns-number": b'{"turns": 5}',
    "turn-text": b'{"turns": ["q"]}', "no-answer": b'{"turns": [{"question": "q"}]}',
    "citation-without-lines": b'{"turns": [{"question": "q", "answer": {"question": "q", "citations": [{"n": 1}]}}]}',
    "lines-of-one": b'{"turns": [{"question": "q", "answer": {"question": "q", "citations": [{"n": 1, "doc_id": "d",'
                    b' "title": "t", "path": "p", "lines": [1], "quote": "q"}]}}]}',
    "passage-score-text": b'{"turns": [{"question": "q", "answer": {"question": "q", "passages": [{"rank": 1,'
                          b' "score": "high", "doc_id": "d", "path": "p", "title": "t", "lines": [1, 2], "text": "x"}]}}]}',
    "deep": b"[" * 100_000, "not-json": b"{", "binary": b"\xff\xfe\x00garbage", "newer": b'{"format": 99}',
}


@pytest.fixture
def damaged(settings):
    update_index(settings, jobs=1)
    assert run_cli(settings, "ask", "--session", "good", QUESTIONS[0]).returncode == 0
    folder = settings.home / "sessions"
    for name, data in DAMAGED.items():
        (folder / f"{name}.json").write_bytes(data)
    (folder / "folder.json").mkdir()
    return settings


def test_damaged_chat_files_are_named_and_everything_else_works(damaged, tmp_path):
    proc = run_cli(damaged, "sessions")
    assert proc.returncode == 0, text(proc.stderr)
    assert [line.split()[0] for line in text(proc.stdout).splitlines()] == ["good"]
    warnings = text(proc.stderr).splitlines()
    for name in [*DAMAGED, "folder"]:
        assert sum(f"/{name}.json " in line for line in warnings) == 1, (name, warnings)
    assert "Traceback" not in text(proc.stderr)
    store = SessionStore(damaged.home)
    for name in [*DAMAGED, "folder"]:  # what `ask --session` and `export` read them with
        with pytest.raises(SessionError, match="move it away"):
            store.load(name)
    for name in ("null", "citation-without-lines", "deep", "folder"):  # and through the command line
        assert_clean_failure(run_cli(damaged, "ask", "--session", name, QUESTIONS[1]))
        assert_clean_failure(run_cli(damaged, "export", name, str(tmp_path / f"{name}.md")))
    assert run_cli(damaged, "ask", "--session", "good", QUESTIONS[1]).returncode == 0
    assert run_cli(damaged, "export", "good", str(tmp_path / "good.md")).returncode == 0


def test_the_chat_ui_starts_with_damaged_chat_files_present(damaged):
    from askurbact.tui.app import AskUrbactApp

    async def scenario():
        app = AskUrbactApp(damaged)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            assert [s.id for s in app.chat_screen.sidebar.sessions] == ["good"]
            shown = " ".join(n.message for n in app._notifications)
            assert all(re.search(rf"(?<![\w-]){re.escape(name)}\.json", shown) for name in DAMAGED), shown
            app.chat_screen.ask(QUESTIONS[1])
            await settle(app, pilot)
            assert app.chat_screen.index_ready and app.chat_screen.session.turns

    asyncio.run(scenario())


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.sampled_from(["format", "id", "title", "turns", "filter", "question", "answer",
                                                "citations", "passages", "lines", "n", "quote", "rank", "score",
                                                "created", "updated", "search_terms"]), inner, max_size=5),
                           max_leaves=20)


@hsettings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_any_json_in_a_chat_file_is_a_chat_or_a_clear_error(tmp_path, value):
    store = SessionStore(tmp_path / "home")
    store.folder.mkdir(parents=True, exist_ok=True)
    (store.folder / "x.json").write_text(json.dumps(value))
    try:
        store.load("x", create=False)
    except SessionError:
        pass
    store.list()
    store.damaged()


def test_an_answer_is_printed_even_when_the_chat_cannot_be_saved(settings):
    update_index(settings, jobs=1)
    folder = settings.home / "sessions"
    folder.mkdir(parents=True)
    (folder / ".S.json.lock").mkdir()  # the chat's lock cannot be taken (as with a full or read-only disk)
    proc = run_cli(settings, "ask", "--session", "S", QUESTION)
    assert "Won Soon Park" in text(proc.stdout)
    assert proc.returncode == 2 and "not saved" in text(proc.stderr) and "Traceback" not in text(proc.stderr)
    proc = run_cli(settings, "ask", "--json", "--session", "S", QUESTION)
    printed = json.loads(proc.stdout)
    assert printed["found"] and proc.returncode == 2
    # A script learns from the JSON itself that the turn was not kept, and why.
    assert printed["session"]["id"] == "S" and printed["session"]["saved"] is False
    assert printed["session"]["error"].startswith("cannot save the chat in "), printed["session"]
    (folder / ".S.json.lock").rmdir()
    saved = json.loads(run_cli(settings, "ask", "--json", "--session", "S", QUESTION).stdout)
    assert saved["session"] == {"id": "S", "saved": True, "questions": 1}


def test_renaming_or_deleting_a_chat_whose_lock_cannot_be_taken_says_what_failed(settings):
    update_index(settings, jobs=1)
    assert run_cli(settings, "ask", "--session", "S", QUESTION).returncode == 0
    lock = settings.home / "sessions" / ".S.json.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()  # the lock cannot be taken, as on a read-only or full disk
    for args, doing in ((("sessions", "rename", "S", "T"), "rename"), (("sessions", "delete", "S", "--yes"), "delete")):
        line = assert_clean_failure(run_cli(settings, *args))
        assert f"cannot {doing} the chat 'S'" in line and ".json.lock" not in line, line
    assert [s.id for s in SessionStore(settings.home).list()] == ["S"]  # nothing lost


def test_a_home_that_is_a_file_is_named_as_such(settings, tmp_path):
    update_index(settings, jobs=1)
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    import dataclasses

    s = dataclasses.replace(settings, home=home)
    for args in (("ask", "--session", "s1", QUESTION), ("sessions",), ("export", "s1", str(tmp_path / "o.md"))):
        line = assert_clean_failure(run_cli(s, *args))
        assert f"{home} is a file, not a folder" in line, line


def test_an_empty_session_name_is_refused(settings):
    update_index(settings, jobs=1)
    assert "invalid session name" in assert_clean_failure(run_cli(settings, "ask", "--session", "", QUESTION))


def test_leftover_temporary_files_of_a_chat_are_cleaned(settings):
    update_index(settings, jobs=1)
    folder = settings.home / "sessions"
    folder.mkdir(parents=True)
    leftover = folder / ".S.json.k2j4h5g6.tmp"  # what kill -9 during a save leaves
    leftover.write_text("{half")
    assert run_cli(settings, "ask", "--session", "S", QUESTION).returncode == 0
    assert not leftover.exists() and _turns(settings, "S") == [QUESTION]
