"""Snapshots of each screen at the smallest supported size and a larger one: the main
screen with an answer, the passage view, the help, the filter and the saved chats."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from askurbact import session as session_module
from askurbact.core import Assistant
from askurbact.tui.app import AskUrbactApp
from askurbact.tui.widgets import sidebar as sidebar_module
from askurbact.tui.widgets import status as status_module

from .helpers import ask, settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def steady(monkeypatch):
    """No clock times on screen: the index build time and chat times are fixed."""
    monkeypatch.setattr(status_module, "built", lambda built_at: "2026-01-01 12:00")
    monkeypatch.setattr(sidebar_module, "when", lambda session: "2026-01-01 09:30")


async def _still_cursor(pilot) -> None:
    """Cursors shown, not blinking: a blink's phase at the snapshot is the machine's timing."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def _asked(pilot) -> None:
    await ask(pilot.app, pilot, "Who is the mayor of Seoul?")
    pilot.app.screen.query_one("#question").focus()
    await _still_cursor(pilot)


def _then(*keys: str):
    async def run_before(pilot) -> None:
        await _asked(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        await _still_cursor(pilot)
    return run_before


@SIZES
def test_main_screen_with_answer(snap_compare, settings, steady, size):
    assert snap_compare(AskUrbactApp(settings), terminal_size=size, run_before=_asked)


@SIZES
def test_passage_view(snap_compare, settings, steady, size):
    assert snap_compare(AskUrbactApp(settings), terminal_size=size, run_before=_then("ctrl+o"))


@SIZES
def test_help(snap_compare, settings, steady, size):
    assert snap_compare(AskUrbactApp(settings), terminal_size=size, run_before=_then("f1"))


@SIZES
def test_filter(snap_compare, settings, steady, size):
    assert snap_compare(AskUrbactApp(settings), terminal_size=size, run_before=_then("ctrl+f"))


@SIZES
def test_saved_chats(snap_compare, settings, steady, size, monkeypatch):
    times = iter(f"2026-01-01T09:3{n}:00+00:00" for n in range(10))
    monkeypatch.setattr(session_module, "now", lambda: next(times))  # a fixed order, newest first
    assistant = Assistant(settings)
    for name, question in [("seoul", "Who is the mayor of Seoul?"), ("malmo", "What makes local innovation work in "
                           "Malmö, and who took part in the workshops there?"), ("kavala", "What was created in Kavala?")]:
        assistant.ask(question, session=assistant.sessions.load(name))

    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        if size[0] < 110:
            await pilot.press("ctrl+b")
        pilot.app.screen.query_one("#chat-list").focus()
        await _still_cursor(pilot)

    assert snap_compare(AskUrbactApp(settings), terminal_size=size, run_before=run_before)
