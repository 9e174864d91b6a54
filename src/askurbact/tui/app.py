"""The chat application: the screens, the theme, the command palette and the keys that
work everywhere. The chat screen owns the conversation (`screens/chat.py`); the flows that
go through dialogs are in `chats.py`.

Everything comes from the `Settings` given to the app (no import-time state), so tests can
run it on temporary folders.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen

from ..config import Settings, load_preferences, save_setting
from ..core import Assistant
from ..errors import describe
from ..printable import printable
from ..search.filter import Filter
from .messages import CoreNotice
from .screens.chat import ChatScreen
from .terminal import controlling_terminal, end_as_hung_up, hung_up

MAX_TOASTS = 3
HANGUP_CHECK_SECONDS = 1.0


class AskUrbactApp(App[None]):
    TITLE = "askurbact"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [Binding("ctrl+r", "reindex", "Re-index", show=False)]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.assistant = Assistant(settings, notify=self._core_message)
        self.chat_screen = ChatScreen(self.assistant)

    def get_default_screen(self) -> Screen:
        return self.chat_screen

    def on_mount(self) -> None:
        prefs = load_preferences(self.settings)
        for name in (prefs.get("theme"), self.settings.theme):
            if isinstance(name, str) and name in self.available_themes:
                self.theme = name
                break
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        terminal = None if self.is_headless else controlling_terminal()
        if terminal is not None:
            self.set_interval(HANGUP_CHECK_SECONDS, lambda: self._leave_if_hung_up(terminal))

    def _leave_if_hung_up(self, terminal: int) -> None:
        """Its window was closed: nobody can use the chat any more."""
        if hung_up(terminal):
            end_as_hung_up()

    def _theme_changed(self, theme) -> None:
        try:
            save_setting(self.settings, "theme", theme.name)
        except OSError as exc:
            self.notify(f"cannot save the theme: {describe(exc)}", severity="warning")

    def _core_message(self, message: str) -> None:
        """`Assistant.notify`, called from worker threads or the UI thread alike."""
        try:
            self.post_message(CoreNotice(message))
        except RuntimeError:  # the event loop has closed: the app is gone
            pass

    @on(CoreNotice)
    def _core_notice(self, event: CoreNotice) -> None:
        self.notify(event.text)

    def action_reindex(self) -> None:
        self.chat_screen.flows.reindex()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Always plain text, whatever `markup` says: file names and questions may hold brackets;
        and no control character (file names and errors come from outside)."""
        super().notify(printable(message), title=title, severity=severity, timeout=timeout, markup=False)

    @on(Notify)
    def _one_toast_each(self, event: Notify) -> None:
        """Before Textual shows a toast: not if the same one is showing; at most MAX_TOASTS,
        the oldest go."""
        new = event.notification
        shown = list(self._notifications)
        if any(n.message == new.message and n.title == new.title for n in shown):
            event.prevent_default()
            return
        for old in shown[:max(0, len(shown) - MAX_TOASTS + 1)]:
            self._unnotify(old, refresh=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Keys" panel would be a second help: F1's list is the one.
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")
        chat = self.chat_screen
        yield SystemCommand("New chat", "Start a new conversation (Ctrl+N)", chat.action_new_chat)
        yield SystemCommand("Export chat", "Save the chat as a Markdown file (Ctrl+S)", chat.action_export)
        yield SystemCommand("Re-index", "Update the index from the corpus folder (Ctrl+R)", self.action_reindex)
        yield SystemCommand("Filter", "Limit the chat to some documents or tags (Ctrl+F)", chat.action_filter)
        yield SystemCommand("Clear filter", "Search all documents again", lambda: chat.flows.set_filter(Filter()))
        yield SystemCommand("Copy answer", "Copy the selected answer to the clipboard (Ctrl+Y)",
                            chat.action_copy_answer)
        yield SystemCommand("Rename chat", "Rename the current chat (F2)", chat.action_rename_chat)
        yield SystemCommand("Delete chat", "Delete the current chat (F8)", chat.action_delete_chat)
        yield SystemCommand("Search chats", "Find saved chats by their words (Ctrl+L)", chat.action_search_chats)
        yield SystemCommand("Toggle chats", "Show or hide the saved chats (Ctrl+B)", chat.action_toggle_sidebar)
        yield SystemCommand("Help", "The keys of the chat (F1)", chat.action_help)
