"""F1: the keys of the chat, in one table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown

# What the README lists too: (keys, what they do).
KEYS: list[tuple[str, str]] = [
    ("Enter", "ask the question typed (follow-ups use the chat's context)"),
    ("Esc", "cancel the question being answered; close a dialog or the passage view"),
    ("Tab / Shift+Tab", "move between the question, the chat, the sources and the saved chats"),
    ("1 ... 9", "open the source with that number (when not typing a question); or click a [n] marker"),
    ("Enter (on a source)", "open the passage: cited sentences and query terms highlighted, with its neighbours"),
    ("\u2190 / \u2192 (passage view)", "previous / next source of the answer"),
    ("Ctrl+N", "new chat"),
    ("Ctrl+S", "export the chat to a Markdown file"),
    ("Ctrl+Y", "copy the selected answer (with its sources) to the clipboard"),
    ("Ctrl+F", "filter: limit the chat to some documents or tags"),
    ("Ctrl+R", "re-index the corpus (the chat stays usable)"),
    ("Ctrl+B", "show / hide the saved chats"),
    ("Ctrl+L", "search the saved chats"),
    ("F2", "rename the current chat (r on a chat in the list)"),
    ("F8", "delete the current chat, after confirming (Delete on a chat in the list)"),
    ("Ctrl+P", "command palette: new chat, export, re-index, filter, theme, ..."),
    ("F1", "this help"),
    ("Ctrl+Q", "quit (every chat is already saved)"),
]


def keys_markdown() -> str:
    rows = "\n".join(f"| {keys} | {what} |" for keys, what in KEYS)
    return ("# askurbact chat: keys\n\n| Keys | Action |\n|---|---|\n" + rows + "\n\n"
            "Answers are sentences quoted from the documents; each `[n]` points to its source. "
            "Chats are saved after every answer.")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="help"):
            with VerticalScroll():
                yield Markdown(keys_markdown())
            yield Label("Esc closes this help.", classes="dim")
