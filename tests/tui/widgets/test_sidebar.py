"""The saved chats are easy to find (issue 15): the toggle in the footer, the count in the
status line, one toggle whatever the width, the time beside the date."""

from __future__ import annotations

from askurbact.core import Assistant
from askurbact.session import Session
from askurbact.tui.app import AskUrbactApp
from askurbact.tui.widgets.sidebar import Sidebar, when
from askurbact.tui.widgets.status import StatusLine

from ..helpers import settle


def _saved_chats(settings, *questions: str) -> None:
    assistant = Assistant(settings)
    for i, question in enumerate(questions):
        assistant.ask(question, session=assistant.sessions.load(f"chat-{i}"))


async def test_narrow_start_hints_at_the_saved_chats(settings):
    _saved_chats(settings, "Who is the mayor of Seoul?", "What makes local innovation work in Malmö?")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        sidebar = app.screen.query_one(Sidebar)
        assert not sidebar.display  # no room at 80 columns...
        assert "2 saved chats" in app.screen.query_one(StatusLine).text  # ...but the count says they are there
        toggle = app.screen.active_bindings["ctrl+b"]
        assert toggle.binding.show and toggle.binding.description == "Chats"  # and the footer how to see them
        await pilot.press("ctrl+b")
        assert sidebar.display and len(sidebar.sessions) == 2


async def test_one_toggle_whatever_the_width(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.display
        await pilot.press("ctrl+b")  # hidden while wide
        assert not sidebar.display
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert not sidebar.display
        await pilot.press("ctrl+b")  # shown while narrow
        assert sidebar.display
        await pilot.resize_terminal(120, 40)  # then wider: still shown, as last asked
        await pilot.pause()
        assert sidebar.display
        await pilot.press("ctrl+b")
        assert not sidebar.display


async def test_hiding_the_sidebar_moves_the_focus_out_of_it(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        assert app.screen.focused is app.screen.query_one("#chat-search")
        await pilot.press("ctrl+b")
        assert app.screen.focused is app.screen.query_one("#question")


def test_the_list_tells_two_chats_of_one_day_apart():
    # The suite runs at UTC (tests/conftest.py): times saved at +01:00 show an hour earlier.
    morning = Session("a", updated="2026-12-01T09:05:59+01:00")
    evening = Session("b", updated="2026-12-01T18:40:00+01:00")
    assert when(morning) == "2026-12-01 08:05" and when(evening) == "2026-12-01 17:40"


async def test_entries_are_never_cut_mid_word(settings):
    _saved_chats(settings, "Who is the mayor of Seoul?")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+b")
        chats = app.screen.query_one("#chat-list")
        lines = [chats.render_line(y).text.strip() for y in range(2)]
        stamp = when(app.screen.query_one(Sidebar).sessions[0])
        assert lines[0].endswith("\u2026") or lines[0] == "Who is the mayor of Seoul?"
        assert lines[1] in (f"{stamp} \u00b7 1 question", stamp)  # the count goes whole, or not at all


async def test_enter_in_the_search_opens_the_one_chat_that_matches(settings):
    _saved_chats(settings, "Who is the mayor of Seoul?", "What makes local innovation work in Malmö?",
                 "What was created in Kavala?")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        app.screen.query_one("#chat-search").value = "kavala"
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.chat_screen.session.id == "chat-2"
        await pilot.press("ctrl+l")
        app.screen.query_one("#chat-search").value = "what"  # two match: the list takes over
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#chat-list") and app.chat_screen.session.id == "chat-2"


async def test_chats_with_the_same_title_show_their_names(settings):
    _saved_chats(settings, "Who is the mayor of Seoul?", "Who is the mayor of Seoul?", "What happened in Gdansk?")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chats = app.screen.query_one("#chat-list")
        shown = "\n".join(chats.render_line(y).text.strip() for y in range(chats.size.height))
        assert "chat-0" in shown and "chat-1" in shown  # the two Seoul chats, told apart
        assert "chat-2" not in shown  # a title of its own is enough
