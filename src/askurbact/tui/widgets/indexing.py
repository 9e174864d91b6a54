"""The bar that shows while the corpus is re-indexed in the background."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from ..messages import IndexProgress


class IndexingBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Label("Re-indexing ", id="indexing-label")
        yield ProgressBar(id="index-progress", show_eta=False)

    def start(self) -> None:
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-active")

    def stop(self) -> None:
        self.remove_class("-active")

    @on(IndexProgress)
    def _progress(self, event: IndexProgress) -> None:
        event.stop()
        self.query_one(ProgressBar).update(total=max(event.total, 1), progress=event.done)
