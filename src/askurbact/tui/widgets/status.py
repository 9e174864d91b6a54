"""The status line: the index, the chat's filter, the chat's name and how many chats are
saved. It fits its width: shorter forms of the other parts before the chat's name is cut."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from ...core import IndexStatus
from ...printable import printable
from ...search.filter import Filter
from ..fitting import shorten_end

SEPARATOR = " \u2502 "
LEVELS = 4
TITLE_ROOM = 24  # the chat's name gets at least this much before the other parts are shortened


def built(built_at: str) -> str:
    """When the index was built, in local time to the minute."""
    try:
        return dt.datetime.fromisoformat(built_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return built_at or "?"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@dataclass(frozen=True)
class Status:
    """What the status line says."""

    index: IndexStatus | None = None  # None while there is no usable index
    where: Filter = Filter()
    title: str = ""
    saved: int = 0

    def _index(self, level: int) -> str:
        if self.index is None:
            return "index: not ready"
        s = self.index
        documents, passages = _plural(s.documents, "document"), _plural(s.passages, "passage")
        forms = [f"{documents} \u00b7 {passages} \u00b7 built {built(s.built_at)}", f"{documents} \u00b7 {passages}",
                 _plural(s.documents, "doc"), _plural(s.documents, "doc")]
        return forms[level] + (f" \u00b7 {s.skipped} skipped" if s.skipped else "")

    def _filter(self, level: int) -> str:
        # Shortened, no filter still reads as all documents ("filter: none" read as "nothing searched").
        text = self.where.describe() if self.where else "all documents" if level < 2 else "all docs"
        room = (None, None, 48, 24)[level]
        return "filter: " + (text if room is None or cell_len(text) <= room else shorten_end(Text(text), room).plain)

    def _saved(self, level: int) -> str:
        word = "saved chat" if level < 3 else "chat"
        return _plural(self.saved, word) if self.saved else f"no {word}s"

    def _layout(self, level: int) -> tuple[str, str]:
        """What stands before and after the chat's name."""
        head = SEPARATOR.join([self._index(level), self._filter(level)]) + SEPARATOR + "chat: "
        return head, SEPARATOR + self._saved(level)

    def fit(self, width: int) -> Text:
        """The longest form that fits `width`: the index and the filter get shorter until the
        chat's name fits (or has TITLE_ROOM cells), then the name is cut with an ellipsis."""
        title = printable(self.title) or "new chat"
        rooms = [width - cell_len(head) - cell_len(tail) for head, tail in map(self._layout, range(LEVELS))]
        level = next((i for i, room in enumerate(rooms) if room >= cell_len(title)),
                     next((i for i, room in enumerate(rooms) if room >= TITLE_ROOM), LEVELS - 1))
        head, tail = self._layout(level)
        room = rooms[level]
        name = title if cell_len(title) <= room else shorten_end(Text(title), max(room, 1)).plain
        line = Text(head) + Text(name, style="bold") + Text(tail)
        return shorten_end(line, width) if line.cell_len > width else line


class StatusLine(Widget):
    """One line at the top of the chat screen."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.status = Status()

    def show(self, status: Status) -> None:
        self.status = status
        self.refresh()

    def render(self) -> Text:
        return self.status.fit(self.content_size.width)

    @property
    def text(self) -> str:
        """Everything the status says, whatever the width."""
        return self.status.fit(10_000).plain
