"""Pilot tests of the chat flows: rename, search, delete, export, re-index, filter."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.modals.confirm import ConfirmScreen
from askurbact.tui.modals.filter import FilterScreen
from askurbact.tui.modals.prompt import PromptScreen
from askurbact.tui.widgets.conversation import AnswerBlock

from .helpers import ask, messages, settle

MAYOR = "Who is the mayor of Seoul?"


async def test_rename_search_delete_chats(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(app, pilot, MAYOR)
        first = app.chat_screen.session.id
        await pilot.press("ctrl+n")
        await ask(app, pilot, "What makes local innovation work in Malmö?")
        second = app.chat_screen.session.id
        assert first != second
        sidebar = app.screen.query_one("#sidebar")
        assert {s.id for s in sidebar.sessions} == {first, second}
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = "Malmo notes"
        await pilot.press("enter")
        await pilot.pause()
        assert app.assistant.sessions.load(second).title == "Malmo notes"
        await pilot.press("ctrl+l")
        assert app.screen.focused is app.screen.query_one("#chat-search", Input)
        app.screen.focused.value = "seoul"
        await pilot.pause()
        assert [s.id for s in sidebar.sessions] == [first]
        app.screen.query_one("#chat-search", Input).value = ""
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # not confirmed: kept
        await pilot.pause()
        assert app.assistant.sessions.path(second).exists()
        await pilot.press("f8", "y")
        await pilot.pause()
        assert not app.assistant.sessions.path(second).exists()
        assert [s.id for s in sidebar.sessions] == [first]
        assert not app.screen.query(AnswerBlock)


async def test_export_markdown(settings, tmp_path):
    target = tmp_path / "minutes.md"
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == str(Path.cwd() / f"askurbact-{app.chat_screen.session.id}.md")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        text = target.read_text(encoding="utf-8")
        assert MAYOR in text and "Won Soon Park" in text
        assert "social-innovation-behind-the-city-scene.md:43" in text
        # Again: the file exists, so it asks before replacing it.
        target.write_text("old", encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "old"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "Won Soon Park" in target.read_text(encoding="utf-8")


async def test_reindex_then_ask_about_new_document(settings):
    (settings.corpus / "kavala.md").write_text(
        "---\ntitle: Kavala goes social\nlang: en\n---\n# Kavala goes social\n\n"
        "In Kavala the municipality created a social cooperative named Amalthia to run the olive groves "
        "with unemployed young people.\n", encoding="utf-8")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)  # the start-up check already notices the change; re-index anyway
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert not app.screen.query_one("#indexing").has_class("-active")
        assert any("3 documents" in m for m in messages(app))
        assert "3 documents" in str(app.screen.query_one("#status").render())
        await ask(app, pilot, "What cooperative was created in Kavala?")
        answer = app.screen.query_one(AnswerBlock)
        assert "Amalthia" in answer.text
        assert answer.answer.citations[0].path == "kavala.md"


async def test_filter_limits_to_one_document(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one(SelectionList).select("doc:what-makes-local-innovation-work")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.chat_screen.session.filter.to_json() == {"doc_ids": ["what-makes-local-innovation-work"], "tags": []}
        assert "what-makes-local-innovation-work" in str(app.screen.query_one("#status").render())
        await ask(app, pilot, "How does Malmö tackle urban deprivation?")
        answer = app.screen.query_one(AnswerBlock)
        assert answer.answer.citations
        assert {c.doc_id for c in answer.answer.citations} == {"what-makes-local-innovation-work"}
        assert app.assistant.sessions.load(app.chat_screen.session.id).filter.to_json()["doc_ids"] == ["what-makes-local-innovation-work"]


async def test_titles_with_brackets_are_text_in_the_dialogs(settings, tmp_path):
    # A chat's title is its first question, a file name can hold anything: "[/]" or
    # "[x](...)" is no markup anywhere (it crashed the delete dialog).
    (settings.corpus / "notes.md").write_text("---\ntitle: \"Budget [/] notes [b]\"\n---\n# Notes\n\n"
                                              "The budget of Kavala was voted in 2015.\n", encoding="utf-8")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(app, pilot, "Kavala [/] pharmacy [b]bold[/b]?")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Kavala [/] pharmacy [b]bold[/b]?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        listing = app.screen.query_one("#filter-list", SelectionList)
        assert any("Budget [/] notes [b]" in listing.render_line(y).text for y in range(listing.option_count))


async def test_a_question_in_an_open_chat_notices_a_document_added_meanwhile(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, MAYOR)
        (settings.corpus / "gdansk.md").write_text(
            "# Gdansk learns\n\nIn Gdansk the city council opened a night school for adults called Latarnia.\n",
            encoding="utf-8")
        await ask(app, pilot, "What night school did the council in Gdansk open?")
        answer = app.screen.query(AnswerBlock).last()
        assert "Latarnia" in answer.text and answer.answer.citations[0].path == "gdansk.md"
        assert any("updating the index" in m for m in messages(app))
