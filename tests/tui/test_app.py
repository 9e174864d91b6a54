"""Pilot tests of the app: start-up without an index, help, palette, theme."""

from __future__ import annotations

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.widgets.conversation import AnswerBlock

from .helpers import ask, settle

MAYOR = "Who is the mayor of Seoul?"


async def test_missing_index_is_a_notification(tmp_path):
    from askurbact.config import Settings

    settings = Settings(corpus=tmp_path / "nope", index=tmp_path / "index", home=tmp_path / "home")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(app, pilot, MAYOR)
        assert any(n.severity == "error" for n in app._notifications)
        assert app.is_running and not app.screen.query(AnswerBlock)


async def test_help_palette_commands_and_theme(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"New chat", "Export chat", "Re-index", "Filter", "Theme"} <= titles
        app.theme = "nord"
        await pilot.pause()
    from askurbact.config import load_preferences

    assert load_preferences(settings)["theme"] == "nord"
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
