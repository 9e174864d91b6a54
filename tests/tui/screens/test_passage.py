"""Pilot tests of the passage view."""

from __future__ import annotations

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.screens.passage import PassageScreen
from askurbact.tui.widgets.sources import SourcesPane

from ..helpers import ask

MAYOR = "Who is the mayor of Seoul?"


async def test_open_source_shows_passage(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        item = app.screen.query_one(SourcesPane).items[0]
        # From the sources list: Tab to it, Enter opens the highlighted source.
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert "Won Soon Park" in app.screen.passage_text
        assert " ".join(item.quote.split()) in " ".join(app.screen.passage_text.split())
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.position == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PassageScreen)
        # Keys 1-9 jump to a source when not typing.
        app.screen.query_one("#sources-list").focus()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen) and app.screen.position == 1


async def test_passage_of_a_removed_document_shows_as_saved(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        item = app.screen.query_one(SourcesPane).items[0]
        (settings.corpus / item.path).unlink()
        app.assistant.update()
        app.screen.query_one("#sources-list").focus()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert " ".join(item.quote.split()) in " ".join(app.screen.passage_text.split())
        assert not app.screen.query_one("#context-before").display
        assert not app.screen.query_one("#context-after").display
