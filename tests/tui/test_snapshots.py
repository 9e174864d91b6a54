"""Snapshots of the main screen with an answer, at the smallest supported size and a larger one."""

from __future__ import annotations

import pytest

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.widgets import sidebar as sidebar_module
from askurbact.tui.widgets import status as status_module

from .helpers import ask


@pytest.fixture
def steady(monkeypatch):
    """No clock times on screen: the index build time and chat dates are fixed."""
    monkeypatch.setattr(status_module, "built", lambda built_at: "2026-01-01 12:00")
    monkeypatch.setattr(sidebar_module, "when", lambda session: "2026-01-01")


async def _asked(pilot) -> None:
    await ask(pilot.app, pilot, "Who is the mayor of Seoul?")
    pilot.app.screen.query_one("#question").focus()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen_with_answer(snap_compare, settings, steady, size):
    assert snap_compare(AskUrbactApp(settings), terminal_size=size, run_before=_asked)
