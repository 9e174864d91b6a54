"""The chat flows that go through a dialog or run in the background: new, open, copy,
rename, delete, export, filter, index check and re-index. Each acts on the chat screen it was made for and keeps the
store, the exporter and the indexer behind the core."""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import TYPE_CHECKING

from textual.widgets import Input

from ..errors import ExportError, SessionError, describe
from ..export import default_export_path, export_session
from ..search.filter import Filter
from ..session import Session
from .messages import IndexChecked, IndexProgress, Reindexed
from .modals.confirm import ConfirmScreen
from .modals.filter import FilterScreen
from .modals.prompt import PromptScreen
from .screens.passage import PassageScreen
from .widgets.indexing import IndexingBar
from .widgets.sources import source_items

if TYPE_CHECKING:
    from .screens.chat import ChatScreen


class ChatFlows:
    def __init__(self, screen: ChatScreen) -> None:
        self.screen = screen
        self.assistant = screen.assistant

    @property
    def session(self) -> Session:
        return self.screen.session

    def _error(self, exc: BaseException) -> None:
        self.screen.notify(describe(exc), severity="error")

    def _saved(self, session_id: str) -> bool:
        return self.assistant.sessions.exists(session_id)

    # ------------------------------------------------------------------ open, copy, rename, delete

    def show_session(self, session: Session) -> None:
        """Show `session` in the chat screen, its last answer selected."""
        screen = self.screen
        screen.session = session
        chat = screen.chat
        chat.clear()
        last = None
        for i, turn in enumerate(session.turns):
            chat.add_question(turn.question)
            last = chat.add_answer(turn.answer, i)
        screen.select_answer(last)
        screen.refresh_sidebar()

    def new_chat(self) -> None:
        self.screen.action_cancel()
        self.show_session(Session(self.assistant.sessions.new_id()))
        self.screen.query_one("#question", Input).focus()
        self.screen.notify("New chat.")

    def open_chat(self, session_id: str) -> None:
        self.screen.action_cancel()
        try:
            session = self.assistant.sessions.load(session_id, create=False)
        except SessionError as exc:
            self._error(exc)
            self.screen.refresh_sidebar()
            return
        self.show_session(session)
        self.screen.query_one("#question", Input).focus()

    def open_source(self, n: int) -> None:
        """The passage view on source [n] of the selected answer (0: the one highlighted in the
        sources pane, else the first)."""
        selected = self.screen.selected
        if selected is None:
            self.screen.notify("No answer selected yet.", severity="warning")
            return
        items = self.screen.sources.items
        if n == 0 and items:
            n = self.screen.sources.highlighted_n or items[0].n
        position = next((i for i, item in enumerate(items) if item.n == n), None)
        if position is None:
            missing = f"source [{n}]" if n else "source"
            self.screen.notify(f"Answer {selected.number} has no {missing}.", severity="warning")
            return
        terms = selected.answer.query.split()
        self.screen.app.push_screen(PassageScreen(self.assistant, items, position, terms))

    def copy_answer(self) -> None:
        block = self.screen.selected
        if block is None:
            self.screen.notify("No answer to copy yet.", severity="warning")
            return
        lines = [block.text, ""]
        lines += [f"[{item.n}] {item.title}" + (f", {item.section}" if item.section else "") + f" ({item.where})"
                  for item in source_items(block.answer)]
        self.screen.app.copy_to_clipboard("\n".join(lines).strip() + "\n")
        self.screen.notify("Answer copied to the clipboard.")

    def rename(self, session_id: str) -> None:
        if not self._saved(session_id):
            self.screen.notify("Ask a question first: a chat is saved with its first answer.", severity="warning")
            return
        try:
            title = self.assistant.sessions.load(session_id, create=False).title
        except SessionError as exc:
            self._error(exc)
            return

        def done(new_title: str | None) -> None:
            if not new_title or not new_title.strip():
                return
            try:
                renamed = self.assistant.sessions.retitle(session_id, new_title)
            except SessionError as exc:
                self._error(exc)
                return
            if session_id == self.session.id:
                self.session.title = renamed.title
                self.session.updated = renamed.updated
            self.screen.refresh_sidebar()

        self.screen.app.push_screen(PromptScreen("Rename the chat", title, ok="Rename"), done)

    def delete(self, session_id: str) -> None:
        if not self._saved(session_id):
            self.screen.notify("This chat is not saved yet: nothing to delete.", severity="warning")
            return
        title = next((s.title for s in self.screen.sidebar.sessions if s.id == session_id), session_id)

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.assistant.sessions.delete(session_id)
            except (OSError, SessionError) as exc:
                self._error(exc)
                return
            if session_id == self.session.id:
                self.screen.action_cancel()
                self.show_session(Session(self.assistant.sessions.new_id()))
            self.screen.refresh_sidebar()
            self.screen.notify(f"Deleted the chat \u201c{title}\u201d.")

        question = f"Delete the chat \u201c{title}\u201d? This cannot be undone."
        self.screen.app.push_screen(ConfirmScreen(question, "Delete"), done)

    # ------------------------------------------------------------------ export

    def export(self) -> None:
        if not self.session.turns:
            self.screen.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        session = copy.deepcopy(self.session)  # the chat as it is now, whatever is asked meanwhile
        app = self.screen.app

        def write(path: Path, force: bool) -> None:
            try:
                written = export_session(session, path, force=force, corpus=self.assistant.settings.corpus)
            except ExportError as exc:
                self._error(exc)
                return
            self.screen.notify(f"Exported to {written}", title="Export")

        def chosen(value: str | None) -> None:
            if not value or not value.strip():
                return
            path = Path(value.strip()).expanduser()
            if path.exists() and not path.is_dir():
                app.push_screen(ConfirmScreen(f"{path} already exists. Replace it?", "Replace"),
                                lambda yes: write(path, True) if yes else None)
            else:
                write(path, False)

        where = str(default_export_path(self.session))
        prompt = PromptScreen("Export this chat to a Markdown file:", where, ok="Export")
        app.push_screen(prompt, chosen)

    # ------------------------------------------------------------------ filter

    def choose_filter(self) -> None:
        try:
            documents = [(doc.doc_id, doc.title) for doc, _ in self.assistant.sources()]
            tags = self.assistant.tags()
        except Exception as exc:
            self._error(exc)
            return

        def chosen(value: Filter | None) -> None:
            if value is not None:
                self.set_filter(value)

        self.screen.app.push_screen(FilterScreen(documents, tags, self.session.filter), chosen)

    def set_filter(self, value: Filter) -> None:
        self.session.filter = value
        if self.session.turns:
            try:
                self.assistant.sessions.save(self.session)
            except SessionError as exc:
                self._error(exc)
        self.screen.refresh_status()
        self.screen.notify(f"Filter: {value.describe()}" if value else "Filter cleared: all documents.")

    # ------------------------------------------------------------------ the index: checked at start-up, re-built

    def check_index(self) -> None:
        self.screen.run_worker(self._check_index, thread=True, group="index", exit_on_error=False)

    def _check_index(self) -> None:
        """In a worker thread, one at a time with questions."""
        with self.screen.asking_lock:
            try:
                self.assistant.ensure_index()
                self.assistant.status()
                error = None
            except Exception as exc:  # missing corpus, broken index...: say so, stay up
                error = exc
        self.screen.post_message(IndexChecked(error))

    def index_checked(self, event: IndexChecked) -> None:
        self.screen.index_ready = event.error is None
        if event.error is not None:
            self.screen.notify(describe(event.error), title="Index", severity="error", timeout=10)
        self.screen.refresh_status()

    def reindex(self) -> None:
        screen = self.screen
        if any(w.group == "reindex" and w.is_running for w in screen.workers):
            screen.notify("Re-indexing is already running.", severity="warning")
            return
        bar = screen.query_one(IndexingBar)
        bar.start()
        screen.run_worker(lambda: self._reindex(bar), thread=True, group="reindex", exit_on_error=False)

    def _reindex(self, bar: IndexingBar) -> None:
        """In a worker thread: progress goes to the bar, the outcome to the screen, as messages."""
        before = self.assistant.skipped_before()
        try:
            report = self.assistant.update(progress=lambda done, total, what, passages: bar.post_message(
                IndexProgress(done, total)))
        except Exception as exc:
            self.screen.post_message(Reindexed(None, exc))
            return
        with contextlib.suppress(Exception):  # open the new index here, not on the UI thread (refresh_status)
            self.assistant.status()
        self.screen.post_message(Reindexed(report, None, report.skipped_lines(before)))

    def reindexed(self, event: Reindexed) -> None:
        screen = self.screen
        screen.query_one(IndexingBar).stop()
        if event.error is not None:
            screen.notify(describe(event.error), title="Re-index", severity="error", timeout=10)
        else:
            screen.index_ready = True
            screen.notify(event.report.summary(), title="Re-indexed")
            for line in event.skipped:
                screen.notify(line, severity="warning")
        screen.refresh_status()
