"""The main screen: saved chats | conversation + question | sources.

It owns the chat being shown and the ask state: the question being answered (one at a
time, with a ticket so that a cancelled one is dropped when its answer arrives), the
selected answer and its sources. Retrieval runs in a thread worker that posts its result
as a message; the UI never waits for it.
"""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, LoadingIndicator
from textual.worker import Worker

from ...core import Assistant, clean_question
from ...errors import IndexProblem, QuestionError, SessionError, describe
from ...session import Session
from ..chats import ChatFlows
from ..messages import Answered, AskFailed, IndexChecked, Reindexed
from ..modals.help import HelpScreen
from ..widgets.conversation import AnswerBlock, ChatView, QuestionBlock
from ..widgets.indexing import IndexingBar
from ..widgets.question import QuestionInput
from ..widgets.sidebar import ChatList, Sidebar
from ..widgets.sources import SourcesPane
from ..widgets.status import Status, StatusLine


class ChatScreen(Screen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#question"

    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+b", "toggle_sidebar", "Chats"),
        Binding("ctrl+o", "cite(0)", "Sources"),
        Binding("ctrl+n", "new_chat", "New chat"),
        Binding("ctrl+s", "export", "Export"),
        Binding("ctrl+f", "filter", "Filter"),
        Binding("ctrl+y", "copy_answer", "Copy answer", show=False),
        Binding("ctrl+l", "search_chats", "Search chats", show=False),
        Binding("f2", "rename_chat", "Rename chat", show=False),
        Binding("f8", "delete_chat", "Delete chat", show=False),
        Binding("escape", "to_question", "Question", show=False),
        Binding("pageup", "scroll_chat(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_chat(1)", "Scroll down", show=False),
        # Digits open a source outside a text field. While typing, Ctrl+O opens the passage view
        # (where digits pick the source), and Alt/Ctrl+digit where the terminal reports them
        # (the kitty keyboard protocol; elsewhere Alt+1 arrives as a character such as "¡").
        *(Binding(str(n), f"cite({n})", f"Source {n}", show=False) for n in range(1, 10)),
        *(Binding(f"alt+{n},ctrl+{n}", f"cite({n})", f"Source {n}", show=False, priority=True) for n in range(1, 10)),
    ]

    def __init__(self, assistant: Assistant) -> None:
        super().__init__()
        self.assistant = assistant
        self.session = Session(assistant.sessions.new_id())
        self.selected: AnswerBlock | None = None
        self.index_ready = False
        self.flows = ChatFlows(self)
        self.status_line = StatusLine(id="status")
        self.sidebar = Sidebar(assistant.sessions, id="sidebar")
        self.chat = ChatView(id="chat")
        self.sources = SourcesPane(id="sources")
        self.asking_lock = threading.Lock()  # one question (or the start-up index check) at a time
        self._ticket = 0  # the question being answered; a cancelled one gets a stale ticket
        self._asking: Worker | None = None
        self._pending: QuestionBlock | None = None

    def compose(self) -> ComposeResult:
        yield self.status_line
        yield IndexingBar(id="indexing")
        with Horizontal(id="main"):
            yield self.sidebar
            with Vertical(id="center"):
                yield self.chat
                with Horizontal(id="busy"):
                    yield LoadingIndicator()
                    yield Label("Searching the documents\u2026 Esc cancels", id="busy-label")
                yield QuestionInput(placeholder="Ask a question and press Enter (F1: keys)", id="question")
            yield self.sources
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_sidebar()
        self._say_damaged_chats()
        self.flows.check_index()

    def _say_damaged_chats(self) -> None:
        """The saved chats left out of the list because they cannot be read: one toast."""
        damaged = self.sidebar.damaged  # as the sidebar's last read of the folder found them
        if len(damaged) == 1:
            self.notify(next(iter(damaged.values())), title="Saved chats", severity="warning")
        elif damaged:
            self.notify(f"{len(damaged)} saved chats cannot be read and are left out: {', '.join(damaged)} (in "
                        f"{self.assistant.sessions.folder}); move them away to start afresh",
                        title="Saved chats", severity="warning", timeout=15)

    # ------------------------------------------------------------------ state shown

    @property
    def busy(self) -> bool:
        return self._asking is not None

    def refresh_status(self) -> None:
        try:
            status = self.assistant.status() if self.index_ready else None
        except IndexProblem:
            status = None  # the status line says "no index"; asking reports the problem itself
        self.status_line.show(Status(status, self.session.filter, self.session.title, self.sidebar.saved))

    def refresh_sidebar(self) -> None:
        """The saved chats again, and the status line that counts them."""
        self.sidebar.refresh_chats(self.session.id)
        self.refresh_status()

    def select_answer(self, block: AnswerBlock | None) -> None:
        for other in self.chat.answers:
            other.set_selected(other is block)
        self.selected = block
        self.sources.show(block.answer if block else None, block.number if block else 0)

    # ------------------------------------------------------------------ asking

    @on(Input.Submitted, "#question")
    def _ask_typed(self, event: Input.Submitted) -> None:
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
        field = self.query_one("#question", Input)
        # Keys typed after Enter stay in the field (widgets/question.py); the question goes.
        field.value = field.value[len(text):] if field.value.startswith(text) else ""
        self._pending = self.chat.add_question(question, pending=True)
        self._ticket += 1
        self.query_one("#busy").add_class("-active")
        self._asking = self._answer(question, self.session, self._ticket)

    @work(thread=True, group="ask", exit_on_error=False)
    def _answer(self, question: str, session: Session, ticket: int) -> None:
        # The worker only reads the chat; the turn is recorded on the UI thread, and only
        # if the question was not cancelled meanwhile.
        with self.asking_lock:
            try:
                self.assistant.ensure_index()  # as `ask` does: a changed corpus is indexed first
                answer = self.assistant.ask(question, session=session, record=False)
            except Exception as exc:
                self.post_message(AskFailed(ticket, exc))
                return
            self.post_message(Answered(ticket, answer))

    def _done_asking(self, note: str = "") -> None:
        self._asking = None
        self.query_one("#busy").remove_class("-active")
        if self._pending is not None:
            self._pending.set_pending(False, note)
            self._pending = None

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        if event.ticket != self._ticket:  # cancelled: the answer is dropped, the saved chat untouched
            return
        answer = event.answer
        try:
            self.assistant.record(self.session, answer)
        except SessionError as exc:
            self.notify(describe(exc), severity="error")
        self._done_asking()
        self.select_answer(self.chat.add_answer(answer, len(self.session.turns) - 1))
        self.refresh_sidebar()

    @on(AskFailed)
    def _ask_failed(self, event: AskFailed) -> None:
        if event.ticket != self._ticket:
            return
        self._done_asking("not answered")
        warning = isinstance(event.error, QuestionError)
        self.notify(describe(event.error), title="Question" if warning else "Error",
                    severity="warning" if warning else "error", timeout=8)

    def action_cancel(self) -> None:
        if self._asking is None:
            return
        self._ticket += 1
        self._asking.cancel()
        self._done_asking("cancelled")
        self.notify("Question cancelled.")

    def action_to_question(self) -> None:
        """Esc: cancel the question being answered, and back to the question box from anywhere."""
        self.action_cancel()
        self.query_one("#question", Input).focus()

    def action_scroll_chat(self, pages: int) -> None:
        self.chat.scroll_page_down(animate=False) if pages > 0 else self.chat.scroll_page_up(animate=False)

    # ------------------------------------------------------------------ sources

    @on(AnswerBlock.Selected)
    def _answer_selected(self, event: AnswerBlock.Selected) -> None:
        self.select_answer(event.block)

    @on(AnswerBlock.CitationClicked)
    def _citation_clicked(self, event: AnswerBlock.CitationClicked) -> None:
        self.select_answer(event.block)
        self.flows.open_source(event.n)

    @on(SourcesPane.Open)
    def _source_open(self, event: SourcesPane.Open) -> None:
        self.flows.open_source(event.n)

    def action_cite(self, n: int) -> None:
        self.flows.open_source(n)

    # ------------------------------------------------------------------ chats

    def action_new_chat(self) -> None:
        self.flows.new_chat()

    @on(Sidebar.Open)
    def _open_chat(self, event: Sidebar.Open) -> None:
        self.flows.open_chat(event.session_id)

    def show_sidebar(self, shown: bool) -> None:
        """Show or hide the saved chats, whatever the width (until the next toggle)."""
        self.set_class(shown, "-sidebar-on")
        self.set_class(not shown, "-sidebar-off")
        if not shown and self.sidebar.has_focus_within:
            self.query_one("#question", Input).focus()

    def action_search_chats(self) -> None:
        self.show_sidebar(True)
        self.query_one("#chat-search", Input).focus()

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar(not self.sidebar.display)

    def action_rename_chat(self) -> None:
        self.flows.rename(self.session.id)

    def action_delete_chat(self) -> None:
        self.flows.delete(self.session.id)

    @on(ChatList.Rename)
    def _rename_from_list(self, event: ChatList.Rename) -> None:
        self.flows.rename(event.session_id)

    @on(ChatList.Delete)
    def _delete_from_list(self, event: ChatList.Delete) -> None:
        self.flows.delete(event.session_id)

    def action_export(self) -> None:
        self.flows.export()

    def action_copy_answer(self) -> None:
        self.flows.copy_answer()

    def action_filter(self) -> None:
        self.flows.choose_filter()

    @on(IndexChecked)
    def _index_checked(self, event: IndexChecked) -> None:
        self.flows.index_checked(event)

    @on(Reindexed)
    def _reindexed(self, event: Reindexed) -> None:
        self.flows.reindexed(event)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
