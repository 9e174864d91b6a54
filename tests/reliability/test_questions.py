"""Bad questions, through the command line and through Assistant.ask: a clear answer
(exit 0/1) or one error line with exit 2, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from askurbact import analysis
from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.errors import QuestionError
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index
from askurbact.search.topk import search
from conftest import QUESTION, assert_clean_failure, copy_corpus, run_cli, text

BAD = {
    "empty": "",
    "spaces": "   \t  ",
    "punctuation": "?!... ,;: ---",
    "stopwords": "what is the of and who",
    "control": "Seoul\x00\x01\x1b[31m mayor\x7f",
    "emoji": "\U0001F600\U0001F3D9\ufe0f?",
    "rtl": "\u0645\u0646 \u0647\u0648 \u0639\u0645\u062f\u0629 \u0633\u064a\u0648\u0644\u061f \u202eSeoul",
    "path": "/etc/passwd",
    "relative_path": "../corpus/what-makes-local-innovation-work.md",
    "long_100k": "mayor " * 17_000,  # argv allows at most 128 KiB per argument
    "surrogate_text": "mayor \udcff\ud800",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("questions")
    s = Settings(corpus=copy_corpus(root / "corpus"), index=root / "index", home=root / "home")
    update_index(s)
    return s


@pytest.mark.parametrize("name", sorted(BAD))
def test_api_bad_question(built, name):
    assistant = Assistant(built)
    try:
        answer = assistant.ask(BAD[name])
    except QuestionError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(answer.text, str)


def test_api_one_megabyte_question(built):
    with pytest.raises(QuestionError, match="too long"):
        Assistant(built).ask("mayor Seoul " * 90_000)


def test_api_question_in_a_session_is_saved_cleanly(built):
    assistant = Assistant(built)
    session = assistant.sessions.load("weird")
    for q in ("\U0001F600 Seoul mayor?", "mayor \udcff", QUESTION):
        assistant.ask(q, session=session)
    again = assistant.sessions.load("weird", create=False)
    assert len(again.turns) == 3


# A lone surrogate cannot be put on argv: test_cli_invalid_bytes_on_argv covers its byte form.
@pytest.mark.parametrize("name", sorted(set(BAD) - {"surrogate_text"}))
def test_cli_bad_question(built, name):
    proc = run_cli(built, "ask", BAD[name].replace("\x00", ""))  # argv cannot hold NUL
    if proc.returncode == 2:
        assert_clean_failure(proc)
    else:
        assert proc.returncode in (0, 1), text(proc.stderr)
        assert "Traceback" not in text(proc.stderr) and proc.stdout


@pytest.mark.parametrize("raw", [b"\xff", b"caf\xe9 mayor", b"\xed\xa0\x80", b"Seoul \xc3"])
def test_cli_invalid_bytes_on_argv(built, raw):
    proc = run_cli(built, "ask", raw)
    if proc.returncode == 2:
        assert_clean_failure(proc)
    else:
        assert proc.returncode in (0, 1) and "Traceback" not in text(proc.stderr)
    if raw != b"\xff":
        return
    proc = run_cli(built, "ask", "--json", raw)
    assert proc.returncode in (0, 1, 2) and "Traceback" not in text(proc.stderr)


def test_cli_bad_k_and_session_name(built):
    assert "-k" in assert_clean_failure(run_cli(built, "ask", "-k", "0", QUESTION))
    assert_clean_failure(run_cli(built, "ask", "-k", "x", QUESTION))
    assert "session" in assert_clean_failure(run_cli(built, "ask", "--session", "../../etc/x", QUESTION))


def test_cli_good_question_still_answers(built):
    proc = run_cli(built, "ask", QUESTION)
    assert proc.returncode == 0 and b"Seoul" in proc.stdout


@hsettings(derandomize=True, deadline=None, max_examples=200)
@given(st.text(max_size=300))
def test_any_string_only_question_error(built, question):
    assistant = Assistant(built)
    try:
        assistant.ask(question)
    except QuestionError:
        pass
    reader = IndexReader(built.index)
    search(reader, analysis.query_terms(question, reader.langs), 5)
