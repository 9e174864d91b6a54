"""The chat with the keyboard alone (issue 15): sources while typing, one key back to the
question, Tab that does not move the selection, markers that read without colour."""

from __future__ import annotations

from textual.widgets import Input

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.screens.passage import PassageScreen
from askurbact.tui.widgets.conversation import AnswerBlock, ChatView
from askurbact.tui.widgets.sources import HINT, SourcesPane

from ..helpers import ask, chat_of, messages, settle

MAYOR = "Who is the mayor of Seoul?"
NOTHING = "What is the boiling point of mercury?"


async def test_sources_open_while_typing(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        question = app.screen.query_one("#question", Input)
        assert app.screen.focused is question
        await pilot.press("ctrl+o")  # the first source (the one highlighted in the pane)
        assert isinstance(app.screen, PassageScreen) and app.screen.position == 0
        await pilot.press("2")  # in the passage view, digits pick the source
        assert app.screen.position == 1
        await pilot.press("escape")
        assert app.screen.focused is question and question.value == ""
        await pilot.press("alt+2")  # where the terminal reports Alt+digit
        assert isinstance(app.screen, PassageScreen) and app.screen.position == 1
        await pilot.press("escape", "ctrl+2")
        assert isinstance(app.screen, PassageScreen) and app.screen.position == 1
        await pilot.press("escape")
        assert question.value == ""


async def test_escape_goes_back_to_the_question_from_anywhere(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(app, pilot, MAYOR)
        question = app.screen.query_one("#question", Input)
        for where in ("#sources-list", "#chat-list", "#chat-search"):
            app.screen.query_one(where).focus()
            await pilot.pause()
            await pilot.press("escape")
            assert app.screen.focused is question, where
        app.screen.query_one(AnswerBlock).focus()
        await pilot.press("escape")
        assert app.screen.focused is question


async def test_tab_reaches_every_answer_and_leaves_the_sources_alone(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await ask(app, pilot, NOTHING)
        await ask(app, pilot, "What makes local innovation work in Malmö?")
        chat = app.chat_screen
        answers = list(app.screen.query(AnswerBlock))
        last = answers[-1]
        assert chat.selected is last
        sources_before = [item.n for item in chat.sources.items]
        reached, stops = set(), []
        for _ in range(12):  # round the whole focus chain, back to its first stop
            await pilot.press("tab")
            focused = app.screen.focused
            assert not isinstance(focused, ChatView), "the scroll area is no silent focus stop"
            if isinstance(focused, AnswerBlock):
                reached.add(focused.number)
                assert focused.styles.border_top[0] == "double"  # its focus shows, "nothing found" too
            assert chat.selected is last and [item.n for item in chat.sources.items] == sources_before
            if stops and focused is stops[0]:
                break
            stops.append(focused)
        assert reached == {1, 2, 3} and focused is stops[0], stops
        nothing = answers[1]
        nothing.focus()
        await pilot.press("enter")
        assert chat.selected is nothing
        assert app.screen.query_one(SourcesPane).border_title == "Sources of answer 2"


async def test_the_selected_answer_has_a_marker_not_only_a_colour(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await ask(app, pilot, NOTHING)
        first, second = app.screen.query(AnswerBlock)
        assert str(second.border_title).startswith("\u25b6 Answer 2")
        assert not str(first.border_title).startswith("\u25b6")
        assert second.styles.border_top[0] == "heavy" and first.styles.border_top[0] == "round"
        assert "Sources of answer 2" == app.screen.query_one(SourcesPane).border_title
        first.focus()
        await pilot.press("enter")
        app.screen.query_one("#question").focus()
        await pilot.pause()
        assert str(first.border_title).startswith("\u25b6 Answer 1") and first.styles.border_top[0] == "heavy"
        assert not str(second.border_title).startswith("\u25b6")


async def test_a_new_chat_has_an_empty_sources_pane(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, NOTHING)
        empty = app.screen.query_one("#sources-empty")
        assert "cites no source" in str(empty.render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert str(empty.render()) == HINT
        assert app.screen.query_one(SourcesPane).border_title == "Sources"


async def test_toasts_do_not_repeat_or_pile_up(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        for _ in range(3):
            app.notify("Question cancelled.")
        await pilot.pause()
        assert messages(app).count("Question cancelled.") == 1
        for n in range(6):
            app.notify(f"message {n}")
        await pilot.pause()
        assert messages(app) == ["message 3", "message 4", "message 5"]
        rack = app.screen.get_child_by_id("textual-toastrack")
        question = app.screen.query_one("#question")
        assert rack.region.bottom <= question.region.y  # above the question box, not over it


async def test_page_keys_scroll_the_chat_while_typing(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        chat = await chat_of(app, pilot, (MAYOR, "What makes local innovation work in Malmö?",
                                          "How did Seoul's mayor involve citizens?"))
        bottom = chat.scroll_y
        assert bottom > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert chat.scroll_y < bottom and app.screen.focused is app.screen.query_one("#question")


async def test_keys_typed_right_after_enter_stay_for_the_next_question(settings):
    # As a fast typist or a paste delivers them: Enter and the next keys in one burst.
    from textual import events

    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        field = app.screen.query_one("#question", Input)
        field.focus()
        field.value = MAYOR
        await pilot.pause()
        for key, char in [("enter", "\r"), ("n", "n"), ("e", "e"), ("x", "x"), ("t", "t")]:
            field.post_message(events.Key(key, char))  # no wait between them
        await settle(app, pilot)
        asked = [t.question for t in app.chat_screen.session.turns]
        assert asked == [MAYOR], asked
        assert app.screen.query_one("#question", Input).value == "next"
