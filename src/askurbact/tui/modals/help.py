"""F1: the keys of the chat, in one table (the README's key table lists the same rows)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

# (keys, what they do); tests check README.md lists the same.
KEYS: list[tuple[str, str]] = [
    ("Enter", "ask the question typed (follow-ups use the chat's context)"),
    ("Esc", "back to the question box from anywhere, cancelling the question being answered; "
            "closes a dialog or the passage view"),
    ("Tab / Shift+Tab", "move between the saved chats, the answers, the question and the sources"),
    ("Enter / Space (on an answer)", "select it: the sources pane shows its sources"),
    ("1 … 9", "open that source of the selected answer (outside a text field); or click a [n] marker"),
    ("Ctrl+O", "open the sources while typing: the one highlighted in the sources pane, else the first"),
    ("Alt+1 … 9, Ctrl+1 … 9", "open that source while typing, where the terminal reports these keys "
                              "(kitty keyboard protocol)"),
    ("Enter (on a source)", "open the passage: cited sentences and query terms highlighted, with its neighbours"),
    ("PgUp / PgDn; ↑ / ↓ (on an answer)", "scroll the conversation"),
    ("← / → or p / n (passage view)", "previous / next source of the answer; 1 … 9 that source"),
    ("o (passage view)", "open the file at the quote: $VISUAL or $EDITOR +LINE, or open_command"),
    ("Ctrl+N", "new chat"),
    ("Ctrl+S", "export the chat to a Markdown file (asks before replacing a file)"),
    ("Ctrl+Y", "copy the selected answer (with its sources) to the clipboard"),
    ("Ctrl+F", "filter: limit the chat to some documents or tags (Space toggles, Ctrl+S applies)"),
    ("Ctrl+R", "re-index the corpus in the background (the chat stays usable)"),
    ("Ctrl+B", "show / hide the saved chats"),
    ("Ctrl+L", "search the saved chats (Enter opens the one that matches)"),
    ("F2", "rename the current chat (r or F2 on a chat in the list)"),
    ("F8", "delete the current chat, after confirming (Delete, d or F8 on a chat in the list)"),
    ("Ctrl+P", "command palette: new chat, export, re-index, filters, copy, rename, delete, search, theme"),
    ("F1", "this table of keys"),
    ("Ctrl+Q", "quit (every chat is already saved)"),
]


def keys_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("Keys", style="bold", ratio=2)
    table.add_column("Action", ratio=5)
    for keys, what in KEYS:
        table.add_row(Text(keys), Text(what))  # Text: "[n]" is no markup
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="help"):
            yield Label(Text("askurbact chat: keys", style="bold"))
            with VerticalScroll(id="help-keys"):
                yield Static(keys_table())
            yield Label(id="help-hint", classes="dim")

    def on_mount(self) -> None:
        keys = self.query_one("#help-keys", VerticalScroll)
        keys.focus()
        self.watch(keys, "scroll_y", self._hint, init=False)
        self.call_after_refresh(self._hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._hint)

    def _hint(self, *_: object) -> None:
        """Says when rows are out of sight, and how to reach them."""
        keys = self.query_one("#help-keys", VerticalScroll)
        below, above = keys.scroll_y < keys.max_scroll_y, keys.scroll_y > 0
        where = "below" if below and not above else "above" if above and not below else "above and below"
        hint = f"More keys {where}: \u2191/\u2193, PgUp/PgDn scroll. Esc closes." if below or above else "Esc closes."
        self.query_one("#help-hint", Label).update(hint)
