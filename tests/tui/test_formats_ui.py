"""The chat shows where a PDF or Word citation stands: its page in the sources pane and in the
passage view, which opens the cited passage on that page (lines restart on every page)."""

from __future__ import annotations

import shutil

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.tui.app import AskUrbactApp
from askurbact.tui.screens.passage import PassageScreen
from askurbact.tui.widgets.sources import SourcesPane
from made_files import add_mixed_documents

from .conftest import CORPUS
from .helpers import ask


@pytest.fixture
def mixed_settings(tmp_path) -> Settings:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    add_mixed_documents(tmp_path / "corpus")
    settings = Settings(corpus=tmp_path / "corpus", index=tmp_path / "index", home=tmp_path / "home")
    Assistant(settings).update(jobs=1)
    return settings


def _text(renderable) -> str:
    """What a widget or option shows, as plain text."""
    parts = getattr(renderable, "renderables", None)
    if parts is not None:
        return "\n".join(_text(part) for part in parts)
    forms = getattr(renderable, "forms", None)  # a line that fits its width: its full form
    if forms is not None:
        return forms[0].plain
    return getattr(renderable, "plain", str(renderable))


async def test_a_pdf_citation_shows_its_page_in_the_sources_and_the_passage_view(mixed_settings):
    app = AskUrbactApp(mixed_settings)
    async with app.run_test(size=(110, 32)) as pilot:
        await ask(app, pilot, "When does the night ferry to Karlskrona leave?")
        pane = app.screen.query_one(SourcesPane)
        assert pane.items[0].where == "report.pdf, p. 4"
        shown = _text(pane.query_one("#sources-list").get_option_at_index(0).prompt)
        assert "report.pdf, p. 4" in shown
        await pilot.press("tab", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PassageScreen)
        # Pages 1 and 2 have lines 3-5 too: the passage shown is the one on page 4.
        assert "night ferry to Karlskrona" in screen.passage_text and "tram depot" not in screen.passage_text
        assert "report.pdf, p. 4" in _text(screen.query_one("#passage-title").render())
        assert screen.query_one("#passage-text").border_title == "cited passage, p. 4, lines 1-5"


async def test_a_word_citation_shows_its_paragraph(mixed_settings):
    app = AskUrbactApp(mixed_settings)
    async with app.run_test(size=(110, 32)) as pilot:
        await ask(app, pilot, "Who repairs bicycles in Lyon?")
        assert app.screen.query_one(SourcesPane).items[0].where == "report.docx, \u00b6 3"
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert "Volunteers in Lyon" in app.screen.passage_text
        assert app.screen.query_one("#passage-text").border_title.startswith("cited passage, \u00b6 ")
