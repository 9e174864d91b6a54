"""The chat application: ties the headless core (`Assistant`) to the widgets.

Everything comes from the `Settings` given to the app (no import-time state), so tests can
run it on temporary folders. Retrieval and indexing run in thread workers; the UI never
waits for them.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, LoadingIndicator, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from ..config import Settings, load_preferences, save_setting
from ..core import Assistant, clean_question
from ..errors import ExportError, IndexProblem, QuestionError, SessionError, describe
from ..export import default_export_path, export_session
from ..search.filter import Filter
from ..session import Session
from .chat_view import AnswerBlock, ChatView
from .help import HelpScreen
from .modals import ConfirmScreen, FilterScreen, PromptScreen
from .passage_view import PassageScreen
from .sidebar import ChatList, Sidebar
from .sources import SourcesPane, source_items


class ChatScreen(Screen):
    """The main screen: saved chats | conversation + question | sources."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#question"

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="indexing"):
            yield Label("Re-indexing ", id="indexing-label")
            yield ProgressBar(id="index-progress", show_eta=False)
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            with Vertical(id="center"):
                yield ChatView(id="chat")
                with Horizontal(id="busy"):
                    yield LoadingIndicator()
                    yield Label("Searching the documents\u2026 Esc cancels", id="busy-label")
                yield Input(placeholder="Ask a question and press Enter (F1: keys)", id="question")
            yield SourcesPane(id="sources")
        yield Footer()

    def on_mount(self) -> None:
        self.app.chat_ready()


def _built(built_at: str) -> str:
    try:
        return dt.datetime.fromisoformat(built_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return built_at or "?"


class AskUrbactApp(App[None]):
    TITLE = "askurbact"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+n", "new_chat", "New chat"),
        Binding("ctrl+s", "export", "Export"),
        Binding("ctrl+f", "filter", "Filter"),
        Binding("ctrl+r", "reindex", "Re-index"),
        Binding("ctrl+y", "copy_answer", "Copy answer", show=False),
        Binding("ctrl+b", "toggle_sidebar", "Chats", show=False),
        Binding("ctrl+l", "search_chats", "Search chats", show=False),
        Binding("f2", "rename_chat", "Rename chat", show=False),
        Binding("f8", "delete_chat", "Delete chat", show=False),
        Binding("escape", "cancel", "Cancel", show=False),
        *(Binding(str(n), f"cite({n})", f"Source {n}", show=False) for n in range(1, 10)),
    ]
    # Actions that act on the chat screen: off while another screen is on top.
    MAIN_ONLY = {"new_chat", "export", "filter", "copy_answer", "toggle_sidebar", "search_chats", "rename_chat",
                 "delete_chat", "cancel", "cite", "help"}

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.assistant = Assistant(settings, notify=self._core_message)
        self.session: Session = Session(self.assistant.sessions.new_id())
        self.selected: AnswerBlock | None = None
        self.index_ready = False
        self._lock = threading.Lock()  # one question (or the start-up index check) at a time
        self._ticket = 0  # the question being answered; a cancelled one gets a stale ticket
        self._asking: Worker | None = None
        self._pending = None  # QuestionBlock of the question being answered
        self._sidebar_toggled = False
        self.chat_screen = ChatScreen()

    # ------------------------------------------------------------------ set-up

    def get_default_screen(self) -> Screen:
        return self.chat_screen

    def on_mount(self) -> None:
        prefs = load_preferences(self.settings)
        for name in (prefs.get("theme"), self.settings.theme):
            if isinstance(name, str) and name in self.available_themes:
                self.theme = name
                break
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def chat_ready(self) -> None:
        """The chat screen is composed: fill it, check the index."""
        self.refresh_sidebar()
        self.refresh_status()
        self._prepare_index()

    def _theme_changed(self, theme) -> None:
        try:
            save_setting(self.settings, "theme", theme.name)
        except OSError as exc:
            self.notify(f"cannot save the theme: {describe(exc)}", severity="warning")

    def _core_message(self, message: str) -> None:
        """`Assistant.notify`: called from worker threads (or the UI thread)."""
        if threading.get_ident() == self._thread_id:
            self.notify(message)
        else:
            try:
                self.call_from_thread(self.notify, message)
            except RuntimeError:
                pass

    @work(thread=True, group="index", exit_on_error=False)
    def _prepare_index(self) -> None:
        with self._lock:
            try:
                self.assistant.ensure_index()
                self.assistant.status()
                ok, error = True, None
            except Exception as exc:  # missing corpus, broken index...: say so, stay up
                ok, error = False, exc
        self._from_thread(self._index_prepared, ok, error)

    def _from_thread(self, callback, *args) -> None:
        if get_current_worker().is_cancelled:
            return
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:  # the app has gone
            pass

    def _index_prepared(self, ok: bool, error: Exception | None) -> None:
        self.index_ready = ok
        if error is not None:
            self.notify(describe(error), title="Index", severity="error", timeout=10)
        self.refresh_status()

    # ------------------------------------------------------------------ helpers

    def q(self, selector, kind=None):
        """A widget of the chat screen (whichever screen is on top)."""
        return self.chat_screen.query_one(selector, kind) if kind else self.chat_screen.query_one(selector)

    @property
    def chat(self) -> ChatView:
        return self.q("#chat", ChatView)

    @property
    def sources(self) -> SourcesPane:
        return self.q("#sources", SourcesPane)

    @property
    def sidebar(self) -> Sidebar:
        return self.q("#sidebar", Sidebar)

    @property
    def busy(self) -> bool:
        return self._asking is not None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in self.MAIN_ONLY and self.screen is not self.chat_screen:
            return False
        return True

    def refresh_status(self) -> None:
        parts = []
        try:
            status = self.assistant.status() if self.index_ready else None
        except IndexProblem:
            status = None  # the status line says "no index"; asking reports the problem itself
        if status is not None:
            parts.append(f"{status.documents} document{'s' * (status.documents != 1)} \u00b7 "
                         f"{status.passages} passages \u00b7 built {_built(status.built_at)}")
            if status.skipped:
                parts.append(f"{status.skipped} skipped")
        else:
            parts.append("index: not ready")
        where = self.current_filter()
        parts.append(f"filter: {where.describe()}" if where else "filter: all documents")
        title = self.session.title or "new chat"
        parts.append(f"chat: {title}")
        self.q("#status", Static).update(" \u2502 ".join(parts))

    def current_filter(self) -> Filter:
        return self.session.filter

    def refresh_sidebar(self) -> None:
        sidebar = self.sidebar
        try:
            store = self.assistant.sessions
            sessions = store.search(sidebar.search_text) if sidebar.search_text else store.list()
        except (OSError, SessionError) as exc:
            self.notify(describe(exc), severity="error")
            sessions = []
        sidebar.show(sessions, self.session.id)

    def _set_busy(self, busy: bool) -> None:
        self.q("#busy").set_class(busy, "-active")

    def select_answer(self, block: AnswerBlock | None) -> None:
        for other in self.chat.answers:
            other.set_class(other is block, "-selected")
        self.selected = block
        self.sources.show(block.answer if block else None)

    # ------------------------------------------------------------------ asking

    @on(Input.Submitted, "#question")
    def ask_question(self, event: Input.Submitted) -> None:
        event.stop()
        self.ask(event.value)

    def ask(self, text: str) -> None:
        try:
            question = clean_question(text)
        except QuestionError as exc:
            self.notify(describe(exc), title="Question", severity="warning")
            return
        if self.busy:
            self.notify("still answering the previous question; Esc cancels it", severity="warning")
            return
        self.q("#question", Input).value = ""
        self._pending = self.chat.add_question(question, pending=True)
        self._ticket += 1
        self._set_busy(True)
        self._asking = self._answer(question, self.session, self._ticket)

    @work(thread=True, group="ask", exit_on_error=False)
    def _answer(self, question: str, session: Session, ticket: int) -> None:
        # The worker only reads the chat; the turn is recorded on the main thread, and only
        # if the question was not cancelled meanwhile.
        with self._lock:
            try:
                answer = self.assistant.ask(question, session=session, record=False)
            except Exception as exc:
                self._from_thread_always(self._ask_failed, ticket, exc)
                return
            self._from_thread_always(self._answered, ticket, answer)

    def _from_thread_always(self, callback, *args) -> None:
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    def _answered(self, ticket: int, answer) -> None:
        if ticket != self._ticket:  # cancelled: the answer is dropped, the saved chat untouched
            return
        try:
            self.assistant.record(self.session, answer)
        except SessionError as exc:
            self.notify(describe(exc), severity="error")
        self._asking = None
        self._set_busy(False)
        if self._pending is not None:
            self._pending.set_pending(False)
            self._pending = None
        block = self.chat.add_answer(answer, len(self.session.turns) - 1)
        self.select_answer(block)
        if not answer.found:
            self.notify("Nothing relevant found in the documents for this question. Try other words, "
                        "or clear the filter (Ctrl+F).", title="Nothing found", severity="warning")
        self.refresh_sidebar()
        self.refresh_status()

    def _ask_failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._ticket:
            return
        self._asking = None
        self._set_busy(False)
        if self._pending is not None:
            self._pending.set_pending(False, "not answered")
            self._pending = None
        severity = "warning" if isinstance(exc, QuestionError) else "error"
        self.notify(describe(exc), title="Question" if severity == "warning" else "Error", severity=severity,
                    timeout=8)

    def action_cancel(self) -> None:
        if not self.busy:
            return
        self._ticket += 1
        self._asking.cancel()
        self._asking = None
        self._set_busy(False)
        if self._pending is not None:
            self._pending.set_pending(False, "cancelled")
            self._pending = None
        self.notify("Question cancelled.")

    # ------------------------------------------------------------------ sources

    @on(AnswerBlock.Selected)
    def _answer_selected(self, event: AnswerBlock.Selected) -> None:
        self.select_answer(event.block)

    @on(AnswerBlock.CitationClicked)
    def _citation_clicked(self, event: AnswerBlock.CitationClicked) -> None:
        self.select_answer(event.block)
        self.open_source(event.n)

    @on(SourcesPane.Open)
    def _source_open(self, event: SourcesPane.Open) -> None:
        self.open_source(event.n)

    def action_cite(self, n: int) -> None:
        self.open_source(n)

    def open_source(self, n: int) -> None:
        if self.selected is None:
            self.notify("No answer selected yet.", severity="warning")
            return
        items = self.sources.items
        position = next((i for i, item in enumerate(items) if item.n == n), None)
        if position is None:
            self.notify(f"The selected answer has no source [{n}].", severity="warning")
            return
        try:
            reader = self.assistant.reader
            langs = tuple(reader.langs)
        except Exception as exc:
            self.notify(describe(exc), severity="warning")
            reader, langs = None, ("en",)
        terms = self.selected.answer.query.split()
        self.push_screen(PassageScreen(items, position, reader, terms, langs))

    def action_copy_answer(self) -> None:
        block = self.selected
        if block is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        lines = [block.text, ""]
        lines += [f"[{item.n}] {item.title}" + (f", {item.section}" if item.section else "") + f" ({item.where})"
                  for item in source_items(block.answer)]
        self.copy_to_clipboard("\n".join(lines).strip() + "\n")
        self.notify("Answer copied to the clipboard.")

    # ------------------------------------------------------------------ chats

    def show_session(self, session: Session) -> None:
        self.session = session
        chat = self.chat
        chat.clear()
        last = None
        for i, turn in enumerate(session.turns):
            chat.add_question(turn.question)
            last = chat.add_answer(turn.answer, i)
        self.select_answer(last)
        self.refresh_sidebar()
        self.refresh_status()

    def action_new_chat(self) -> None:
        self.action_cancel()
        self.show_session(Session(self.assistant.sessions.new_id()))
        self.q("#question", Input).focus()
        self.notify("New chat.")

    @on(Sidebar.Open)
    def _open_chat(self, event: Sidebar.Open) -> None:
        self.open_chat(event.session_id)

    def open_chat(self, session_id: str) -> None:
        self.action_cancel()
        try:
            session = self.assistant.sessions.load(session_id, create=False)
        except SessionError as exc:
            self.notify(describe(exc), severity="error")
            self.refresh_sidebar()
            return
        self.show_session(session)
        self.q("#question", Input).focus()

    @on(Input.Changed, "#chat-search")
    def _search_chats(self, event: Input.Changed) -> None:
        self.refresh_sidebar()

    @on(Input.Submitted, "#chat-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.q("#chat-list", ChatList).focus()

    def action_search_chats(self) -> None:
        self._show_sidebar()
        self.q("#chat-search", Input).focus()

    def _show_sidebar(self) -> None:
        screen = self.chat_screen
        if screen.has_class("-narrow"):
            screen.add_class("-sidebar-on")
        screen.remove_class("-sidebar-off")

    def action_toggle_sidebar(self) -> None:
        screen = self.chat_screen
        if screen.has_class("-narrow"):
            screen.toggle_class("-sidebar-on")
        else:
            screen.toggle_class("-sidebar-off")

    def _saved(self, session_id: str) -> bool:
        return self.assistant.sessions.path(session_id).exists()

    def action_rename_chat(self, session_id: str | None = None) -> None:
        session_id = session_id or self.session.id
        if not self._saved(session_id):
            self.notify("Ask a question first: a chat is saved with its first answer.", severity="warning")
            return
        try:
            title = self.assistant.sessions.load(session_id, create=False).title
        except SessionError as exc:
            self.notify(describe(exc), severity="error")
            return

        def done(new_title: str | None) -> None:
            if not new_title or not new_title.strip():
                return
            try:
                renamed = self.assistant.sessions.retitle(session_id, new_title)
            except SessionError as exc:
                self.notify(describe(exc), severity="error")
                return
            if session_id == self.session.id:
                self.session.title = renamed.title
                self.session.updated = renamed.updated
            self.refresh_sidebar()
            self.refresh_status()

        self.push_screen(PromptScreen("Rename the chat", title, ok="Rename"), done)

    def action_delete_chat(self, session_id: str | None = None) -> None:
        session_id = session_id or self.session.id
        if not self._saved(session_id):
            self.notify("This chat is not saved yet: nothing to delete.", severity="warning")
            return
        title = next((s.title for s in self.sidebar.sessions if s.id == session_id), session_id)

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.assistant.sessions.delete(session_id)
            except (OSError, SessionError) as exc:
                self.notify(describe(exc), severity="error")
                return
            if session_id == self.session.id:
                self.action_cancel()
                self.show_session(Session(self.assistant.sessions.new_id()))
            self.refresh_sidebar()
            self.notify(f"Deleted the chat \u201c{title}\u201d.")

        self.push_screen(ConfirmScreen(f"Delete the chat \u201c{title}\u201d? This cannot be undone.", "Delete"), done)

    @on(ChatList.Rename)
    def _rename_from_list(self, event: ChatList.Rename) -> None:
        self.action_rename_chat(event.session_id)

    @on(ChatList.Delete)
    def _delete_from_list(self, event: ChatList.Delete) -> None:
        self.action_delete_chat(event.session_id)

    # ------------------------------------------------------------------ export

    def default_export_path(self) -> Path:
        return default_export_path(self.session)

    def action_export(self) -> None:
        if not self.session.turns:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        session = copy.deepcopy(self.session)

        def write(path: Path, force: bool) -> None:
            try:
                written = export_session(session, path, force=force)
            except ExportError as exc:
                self.notify(describe(exc), severity="error")
                return
            self.notify(f"Exported to {written}", title="Export")

        def chosen(value: str | None) -> None:
            if not value or not value.strip():
                return
            path = Path(value.strip()).expanduser()
            if path.exists() and not path.is_dir():
                self.push_screen(ConfirmScreen(f"{path} already exists. Replace it?", "Replace"),
                                 lambda yes: write(path, True) if yes else None)
            else:
                write(path, False)

        self.push_screen(PromptScreen("Export this chat to a Markdown file:", str(self.default_export_path()),
                                      ok="Export"), chosen)

    # ------------------------------------------------------------------ filter

    def action_filter(self) -> None:
        try:
            documents = [(doc.doc_id, doc.title) for doc, _ in self.assistant.sources()]
            tags = self.assistant.tags()
        except Exception as exc:
            self.notify(describe(exc), severity="error")
            return

        def chosen(value: Filter | None) -> None:
            if value is None:
                return
            self.set_filter(value)

        self.push_screen(FilterScreen(documents, tags, self.session.filter), chosen)

    def set_filter(self, value: Filter) -> None:
        self.session.filter = value
        if self.session.turns:
            try:
                self.assistant.sessions.save(self.session)
            except SessionError as exc:
                self.notify(describe(exc), severity="error")
        self.refresh_status()
        where = self.current_filter()
        self.notify(f"Filter: {where.describe()}" if where else "Filter cleared: all documents.")

    # ------------------------------------------------------------------ re-index

    def action_reindex(self) -> None:
        if self.workers and any(w.group == "reindex" and w.is_running for w in self.workers):
            self.notify("Re-indexing is already running.", severity="warning")
            return
        bar = self.q("#index-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.q("#indexing").add_class("-active")
        self._reindex()

    @work(thread=True, group="reindex", exit_on_error=False)
    def _reindex(self) -> None:
        def progress(done: int, total: int, what: str, passages: int) -> None:
            self._from_thread(self._index_progress, done, total)

        try:
            report, error = self.assistant.update(progress=progress), None
        except Exception as exc:
            report, error = None, exc
        self._from_thread(self._reindexed, report, error)

    def _index_progress(self, done: int, total: int) -> None:
        self.q("#index-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _reindexed(self, report, error) -> None:
        self.q("#indexing").remove_class("-active")
        if error is not None:
            self.notify(describe(error), title="Re-index", severity="error", timeout=10)
        else:
            self.index_ready = True
            self.notify(report.summary(), title="Re-indexed")
            for path, reason in report.skipped.items():
                self.notify(f"skipped {path}: {reason}", severity="warning")
        self.refresh_status()

    # ------------------------------------------------------------------ help, palette

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New chat", "Start a new conversation (Ctrl+N)", self.action_new_chat)
        yield SystemCommand("Export chat", "Save the chat as a Markdown file (Ctrl+S)", self.action_export)
        yield SystemCommand("Re-index", "Update the index from the corpus folder (Ctrl+R)", self.action_reindex)
        yield SystemCommand("Filter", "Limit the chat to some documents or tags (Ctrl+F)", self.action_filter)
        yield SystemCommand("Clear filter", "Search all documents again", lambda: self.set_filter({}))
        yield SystemCommand("Copy answer", "Copy the selected answer to the clipboard (Ctrl+Y)",
                            self.action_copy_answer)
        yield SystemCommand("Rename chat", "Rename the current chat (F2)", self.action_rename_chat)
        yield SystemCommand("Delete chat", "Delete the current chat (F8)", self.action_delete_chat)
        yield SystemCommand("Search chats", "Find saved chats by their words (Ctrl+L)", self.action_search_chats)
        yield SystemCommand("Toggle chats", "Show or hide the saved chats (Ctrl+B)", self.action_toggle_sidebar)
        yield SystemCommand("Help", "The keys of the chat (F1)", self.action_help)
