"""The saved chats: a search field and a list, newest first."""

from __future__ import annotations

from collections import Counter

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...errors import SessionError, describe
from ...printable import printable
from ...session import Session, SessionStore, local_minute
from ..fitting import Fitted


def when(session: Session) -> str:
    """When a chat was last used, to the minute (local time), so that two chats of one day
    are told apart."""
    return local_minute(session.updated)


def _prompt(session: Session, current: bool, named: bool = False) -> Group:
    """A chat's two lines; `named`: its name too, for chats listed with the same title."""
    title = Text(no_wrap=True, overflow="ellipsis")
    title.append("\u25b8 " if current else "  ", style="bold")
    title.append(printable(session.title or session.id), style="bold" if current else "")
    n = len(session.turns)
    stamp = f"  {when(session)}"
    lines = [title, Fitted(f"{stamp} \u00b7 {n} question{'s' * (n != 1)}", stamp, style="dim")]
    if named:  # its name, as `ask --session NAME` and `sessions` know it
        lines.append(Text(f"  {printable(session.id)}", style="dim", no_wrap=True, overflow="ellipsis"))
    return Group(*lines)


class ChatList(OptionList):
    BINDINGS = [
        Binding("r,f2", "rename", "Rename", show=False),
        Binding("delete,d,f8", "delete", "Delete", show=False),
    ]

    class Rename(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class Delete(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_rename(self) -> None:
        if (sid := self._highlighted_id()) is not None:
            self.post_message(self.Rename(sid))

    def action_delete(self) -> None:
        if (sid := self._highlighted_id()) is not None:
            self.post_message(self.Delete(sid))


class Sidebar(Vertical):
    """The chats of `store`; typing in the search field narrows the list to those that match."""

    class Open(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, store: SessionStore, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.sessions: list[Session] = []
        self.current_id: str | None = None
        self.saved = 0  # how many chats are saved, whatever the search
        self.damaged: dict[str, str] = {}  # files in the chats folder that are not readable chats: {name: why}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search chats", id="chat-search")
        yield ChatList(id="chat-list")
        yield Static("No saved chats yet.", id="chats-empty", classes="dim")

    def on_mount(self) -> None:
        self.border_title = "Chats"

    @property
    def search_text(self) -> str:
        return self.query_one("#chat-search", Input).value.strip()

    def refresh_chats(self, current_id: str | None) -> None:
        """List the saved chats again (those matching the search), `current_id` marked."""
        try:
            everything, damaged = self.store.scan()  # one read of the folder: chats and damaged files
            sessions = self.store.search(self.search_text, everything) if self.search_text else everything
        except (OSError, SessionError) as exc:
            self.notify(describe(exc), severity="error")
            everything, sessions, damaged = [], [], {}
        self.saved = len(everything)
        self.damaged = dict(sorted(damaged.items()))
        self.show(sessions, current_id)

    @on(Input.Changed, "#chat-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_chats(self.current_id)

    @on(Input.Submitted, "#chat-search")
    def _search_done(self, event: Input.Submitted) -> None:
        """Enter: the one chat that matches opens; among several, the list takes the keys."""
        event.stop()
        if len(self.sessions) == 1 and self.search_text:
            self.post_message(self.Open(self.sessions[0].id))
        else:
            self.query_one("#chat-list", ChatList).focus()

    def show(self, sessions: list[Session], current_id: str | None) -> None:
        self.sessions = sessions
        self.current_id = current_id
        chats = self.query_one("#chat-list", ChatList)
        highlighted = chats.highlighted
        chats.clear_options()
        # Chats asked the same first question share a title: their names tell them apart.
        titles = Counter(s.title or s.id for s in sessions)
        chats.add_options([Option(_prompt(s, s.id == current_id, titles[s.title or s.id] > 1), id=s.id)
                           for s in sessions])
        if sessions:
            index = next((i for i, s in enumerate(sessions) if s.id == current_id), None)
            chats.highlighted = index if index is not None else min(highlighted or 0, len(sessions) - 1)
        empty = self.query_one("#chats-empty", Static)
        empty.display = not sessions
        empty.update("No chat matches." if self.search_text else "No saved chats yet.")
        self.border_title = f"Chats ({len(sessions)})" if sessions else "Chats"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Open(event.option.id))
