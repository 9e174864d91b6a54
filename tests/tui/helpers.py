from __future__ import annotations

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.widgets.conversation import ChatView


async def settle(app: AskUrbactApp, pilot) -> None:
    """Let workers finish and their messages land."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def ask(app: AskUrbactApp, pilot, question: str, type_it: bool = False) -> None:
    """Ask as a person would: the question in the input, then Enter (typing key by key is slower)."""
    await settle(app, pilot)
    field = app.screen.query_one("#question")
    field.focus()
    if type_it:
        await pilot.press(*question)
    else:
        field.value = question
    await pilot.press("enter")
    await settle(app, pilot)


async def chat_of(app: AskUrbactApp, pilot, questions) -> ChatView:
    """The chat view after asking each question in turn (settled)."""
    for question in questions:
        await ask(app, pilot, question)
    await pilot.pause()
    return app.screen.query_one(ChatView)


def messages(app: AskUrbactApp) -> list[str]:
    return [n.message for n in app._notifications]
