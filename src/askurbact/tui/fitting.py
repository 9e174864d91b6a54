"""Text that fits the width it is drawn at: the longest of a few forms that fits, or one
shortened with an ellipsis (in the middle for paths, whose both ends matter), never cut
mid-word by wrapping. Rich renderables, so they fit again whenever a pane is resized."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

ELLIPSIS = "\u2026"


def _prefix(text: str, cells: int) -> str:
    """The longest start of `text` that takes at most `cells` cells."""
    used = 0
    for i, char in enumerate(text):
        used += cell_len(char)
        if used > cells:
            return text[:i]
    return text


def shorten_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells, its middle replaced by an ellipsis when too long
    (the end, with a file's name and line, keeps the larger share)."""
    if cell_len(text) <= width:
        return text
    if width < 2:
        return ELLIPSIS[:width]
    room = width - 1
    head = _prefix(text, room // 2)
    tail = _prefix(text[::-1], room - cell_len(head))[::-1]
    return head + ELLIPSIS + tail


def shorten_end(text: Text, width: int) -> Text:
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text


class Fitted:
    """One line: the first of `forms` that fits, else the last one shortened."""

    def __init__(self, *forms: str | Text, middle: bool = False, style: str = "") -> None:
        self.forms = [form if isinstance(form, Text) else Text(form, style=style) for form in forms]
        self.middle = middle

    def fit(self, width: int) -> Text:
        for form in self.forms:
            if form.cell_len <= width:
                return form
        last = self.forms[-1]
        if self.middle:
            return Text(shorten_middle(last.plain, width), style=last.style)
        return shorten_end(last, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = self.fit(options.max_width)
        line.no_wrap = True
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, max(form.cell_len for form in self.forms))
