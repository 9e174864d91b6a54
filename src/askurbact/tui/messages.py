"""What the workers tell the screens. A worker thread posts one of these (posting is
thread-safe) and the handler runs on the UI thread, as harlequin's workers do: no callbacks
across threads, and a message for a screen that has gone is simply dropped."""

from __future__ import annotations

from textual.message import Message

from ..answer.model import Answer


class CoreNotice(Message):
    """A line the core wants the user to see ("no index yet: building it...")."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class IndexChecked(Message):
    """The start-up check of the index is done; `error` says why there is no usable index."""

    def __init__(self, error: Exception | None) -> None:
        super().__init__()
        self.error = error


class Answered(Message):
    """Question number `ticket` got its answer (not recorded yet: the screen does that)."""

    def __init__(self, ticket: int, answer: Answer) -> None:
        super().__init__()
        self.ticket = ticket
        self.answer = answer


class AskFailed(Message):
    """Question number `ticket` could not be answered."""

    def __init__(self, ticket: int, error: Exception) -> None:
        super().__init__()
        self.ticket = ticket
        self.error = error


class IndexProgress(Message):
    """Re-indexing has done `done` of `total` files."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class Reindexed(Message):
    """Re-indexing ended: with its report, or with the error that stopped it."""

    def __init__(self, report, error: Exception | None, skipped: list[str] | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.skipped = skipped or []  # what to say of the skipped files (UpdateReport.skipped_lines)
