"""The filter dialog at 80x24: whole document names, not names cut by their ids."""

from __future__ import annotations

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.modals.filter import FilterScreen

from ..helpers import settle


async def test_document_names_are_whole_at_80_columns(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        titles = [doc.title for doc, _ in app.assistant.sources()]
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        listing = app.screen.query_one("#filter-list")
        shown = [listing.render_line(y).text for y in range(len(titles))]
        for title, line in zip(titles, shown):
            assert title in line and "\u2026" not in line


async def test_wide_enough_the_ids_show_too(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        documents = [(doc.doc_id, doc.title) for doc, _ in app.assistant.sources()]
        await pilot.press("ctrl+f")
        await pilot.pause()
        listing = app.screen.query_one("#filter-list")
        for y, (doc_id, title) in enumerate(documents):
            assert f"{title}  ({doc_id})" in listing.render_line(y).text
