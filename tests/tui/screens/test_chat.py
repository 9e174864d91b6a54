"""Pilot tests of the chat screen: asking, answers and their sources, saved chats."""

from __future__ import annotations

from textual.widgets import Input, Markdown, Static

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.screens.passage import PassageScreen
from askurbact.tui.widgets.conversation import NOTHING_HINT, AnswerBlock
from askurbact.tui.widgets.sources import SourcesPane

from ..helpers import ask, chat_of, messages, settle

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
        # What was searched shows under the answer, as on the command line.
        note = answers[0].query_one(".searched", Static)
        assert str(note.render()) == "searched for mayor seoul"
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
        assert app.chat_screen.selected is second and second.has_class("-selected")
        first.focus()  # Tab reaching an answer leaves the sources as they are (issue 15)...
        await pilot.pause()
        assert app.chat_screen.selected is second
        await pilot.press("enter")  # ...Enter selects it
        await pilot.pause()  # the selection is a message: let it be handled (a loaded machine is slower)
        assert app.chat_screen.selected is first
        assert app.screen.query_one(SourcesPane).items[0].path == "social-innovation-behind-the-city-scene.md"
        markdown = first.query_one(Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "cite:2"))
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen) and app.screen.items[app.screen.position].n == 2


async def test_follow_up_uses_context(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, "How did Seoul's mayor involve citizens?")
        await ask(app, pilot, "Which institutions did he create under his office?")
        answers = list(app.screen.query(AnswerBlock))
        assert len(answers) == 2
        assert "Social Innovation Bureau" in answers[1].text
        assert len(app.chat_screen.session.turns) == 2


async def test_nothing_found_and_empty_question(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, "the what")  # only common words
        assert any("no words to search" in m for m in messages(app))
        assert not app.screen.query(AnswerBlock)
        await ask(app, pilot, "What is the boiling point of mercury?")
        answer = app.screen.query_one(AnswerBlock)
        # The answer says so itself, with what to try; no toast repeats it (issue 15).
        assert "found nothing relevant" in answer.text
        assert str(answer.query_one(".nothing-hint", Static).render()) == NOTHING_HINT
        assert not any("Nothing relevant" in m or "nothing relevant" in m for m in messages(app))
        assert not answer.answer.citations
        assert not app.screen.query_one(SourcesPane).items
        await pilot.press("enter")  # empty question
        await settle(app, pilot)
        assert any("empty" in m for m in messages(app))
        assert len(app.screen.query(AnswerBlock)) == 1


async def test_cancel_ignores_the_answer(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        app.chat_screen.asking_lock.acquire()  # hold the worker back: the question stays "being answered"
        app.screen.query_one("#question", Input).value = "How did Seoul's mayor involve citizens?"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat_screen.busy and app.screen.query_one("#busy").has_class("-active")
        await pilot.press("escape")
        app.chat_screen.asking_lock.release()
        await settle(app, pilot)
        assert not app.chat_screen.busy
        assert len(app.screen.query(AnswerBlock)) == 1
        assert len(app.chat_screen.session.turns) == 1
        assert len(app.assistant.sessions.load(app.chat_screen.session.id).turns) == 1


async def test_saved_chat_reopens_after_restart(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(app, pilot, MAYOR)
        session_id = app.chat_screen.session.id
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
        assert app.chat_screen.session.id == session_id
        answers = list(app.screen.query(AnswerBlock))
        assert len(answers) == 1 and "Won Soon Park" in answers[0].text
        assert app.screen.query_one(SourcesPane).items
        # The follow-up goes on in the reopened chat.
        await ask(app, pilot, "Which institutions did he create under his office?")
        assert len(app.assistant.sessions.load(session_id).turns) == 2


async def test_copy_answer(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "Won Soon Park" in app.clipboard and "social-innovation-behind-the-city-scene.md:43" in app.clipboard


async def _at_end(chat, pilot) -> bool:
    """Whether the chat view shows its end, once the layout has settled (a loaded machine is slower)."""
    for _ in range(40):
        await pilot.pause(0.05)
        if chat.scroll_y == chat.max_scroll_y:
            return True
    return False


async def test_a_narrower_window_keeps_the_latest_answer_in_sight(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await chat_of(app, pilot, (MAYOR, "What was created in Kavala?", "What did Medellin build first?"))
        assert chat.max_scroll_y > 0 and await _at_end(chat, pilot)
        await pilot.resize_terminal(80, 24)  # every answer gets taller
        assert await _at_end(chat, pilot)
        await pilot.press("pageup")  # the reader scrolls back: the view stays where they put it
        await pilot.pause()
        kept = chat.scroll_y
        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        assert chat.scroll_y < chat.max_scroll_y and abs(chat.scroll_y - kept) < chat.max_scroll_y
