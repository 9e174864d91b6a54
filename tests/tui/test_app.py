"""Pilot tests of the chat UI, on a temporary corpus, index and home."""

from __future__ import annotations

from textual.widgets import Input, Markdown, SelectionList

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.chat_view import AnswerBlock
from askurbact.tui.modals import ConfirmScreen, FilterScreen, PromptScreen
from askurbact.tui.passage_view import PassageScreen
from askurbact.tui.sources import SourcesPane

from .helpers import ask, messages, settle

MAYOR = "Who is the mayor of Seoul?"


async def test_ask_shows_answer_and_sources(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.focused is app.screen.query_one("#question", Input)
        await ask(app, pilot, MAYOR, type_it=True)
        answers = list(app.screen.query(AnswerBlock))
        assert len(answers) == 1
        assert "[1]" in answers[0].text and "Won Soon Park" in answers[0].text
        sources = app.screen.query_one(SourcesPane)
        assert sources.items and sources.items[0].n == 1
        assert sources.items[0].path == "social-innovation-behind-the-city-scene.md"
        assert app.screen.query_one("#question", Input).value == ""
        # Digits typed in the question are text, not source shortcuts.
        await pilot.press("2", "0", "1", "4")
        assert app.screen.query_one("#question", Input).value == "2014"
        assert not isinstance(app.screen, PassageScreen)


async def test_select_answer_and_click_citation(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await ask(app, pilot, "What makes local innovation work in Malmö?")
        first, second = app.screen.query(AnswerBlock)
        assert app.selected is second and second.has_class("-selected")
        first.focus()
        await pilot.pause()
        assert app.selected is first
        assert app.screen.query_one(SourcesPane).items[0].path == "social-innovation-behind-the-city-scene.md"
        markdown = first.query_one(Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "cite:2"))
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen) and app.screen.items[app.screen.position].n == 2


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


async def test_follow_up_uses_context(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, "How did Seoul's mayor involve citizens?")
        await ask(app, pilot, "Which institutions did he create under his office?")
        answers = list(app.screen.query(AnswerBlock))
        assert len(answers) == 2
        assert "Social Innovation Bureau" in answers[1].text
        assert len(app.session.turns) == 2


async def test_nothing_found_and_empty_question(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, "the what")  # only common words
        assert any("no words to search" in m for m in messages(app))
        assert not app.screen.query(AnswerBlock)
        await ask(app, pilot, "What is the boiling point of mercury?")
        assert any("Nothing relevant" in m for m in messages(app))
        answer = app.screen.query_one(AnswerBlock)
        assert not answer.answer.citations
        assert not app.screen.query_one(SourcesPane).items
        await pilot.press("enter")  # empty question
        await settle(app, pilot)
        assert any("empty" in m for m in messages(app))
        assert len(app.screen.query(AnswerBlock)) == 1


async def test_missing_index_is_a_notification(tmp_path):
    from askurbact.config import Settings

    settings = Settings(corpus=tmp_path / "nope", index=tmp_path / "index", home=tmp_path / "home")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(app, pilot, MAYOR)
        assert any(n.severity == "error" for n in app._notifications)
        assert app.is_running and not app.screen.query(AnswerBlock)


async def test_cancel_ignores_the_answer(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        app._lock.acquire()  # hold the worker back: the question stays "being answered"
        app.screen.query_one("#question", Input).value = "How did Seoul's mayor involve citizens?"
        await pilot.press("enter")
        await pilot.pause()
        assert app.busy and app.screen.query_one("#busy").has_class("-active")
        await pilot.press("escape")
        app._lock.release()
        await settle(app, pilot)
        assert not app.busy
        assert len(app.screen.query(AnswerBlock)) == 1
        assert len(app.session.turns) == 1
        assert len(app.assistant.sessions.load(app.session.id).turns) == 1


async def test_saved_chat_reopens_after_restart(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(app, pilot, MAYOR)
        session_id = app.session.id
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sidebar = app.screen.query_one("#sidebar")
        assert [s.id for s in sidebar.sessions] == [session_id]
        assert sidebar.sessions[0].title == MAYOR
        assert not app.screen.query(AnswerBlock)
        app.screen.query_one("#chat-list").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.session.id == session_id
        answers = list(app.screen.query(AnswerBlock))
        assert len(answers) == 1 and "Won Soon Park" in answers[0].text
        assert app.screen.query_one(SourcesPane).items
        # The follow-up goes on in the reopened chat.
        await ask(app, pilot, "Which institutions did he create under his office?")
        assert len(app.assistant.sessions.load(session_id).turns) == 2


async def test_rename_search_delete_chats(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(app, pilot, MAYOR)
        first = app.session.id
        await pilot.press("ctrl+n")
        await ask(app, pilot, "What makes local innovation work in Malmö?")
        second = app.session.id
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
        assert app.screen.query_one(Input).value.endswith(f"askurbact-{app.session.id}.md")
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


async def test_copy_answer(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "Won Soon Park" in app.clipboard and "social-innovation-behind-the-city-scene.md:43" in app.clipboard


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
        assert app.session.filter.to_json() == {"doc_ids": ["what-makes-local-innovation-work"], "tags": []}
        assert "what-makes-local-innovation-work" in str(app.screen.query_one("#status").render())
        await ask(app, pilot, "How does Malmö tackle urban deprivation?")
        answer = app.screen.query_one(AnswerBlock)
        assert answer.answer.citations
        assert {c.doc_id for c in answer.answer.citations} == {"what-makes-local-innovation-work"}
        assert app.assistant.sessions.load(app.session.id).filter.to_json()["doc_ids"] == ["what-makes-local-innovation-work"]


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
