"""Pick the documents and tags a chat searches."""

from __future__ import annotations

from collections import Counter

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Label, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from ...printable import printable
from ...search.filter import Filter

DIALOG_WIDTH = 130  # #filter in app.tcss: 95% of the screen, at most this
LIST_CHROME = 14  # the dialog's and the list's borders and padding, the check box, a scroll bar


class MarkedSelectionList(SelectionList):
    """A SelectionList whose check mark shows only on selected items (readable without colour)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(" " * len(segments[1].text), segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip


class FilterScreen(ModalScreen[Filter | None]):
    """Limit the chat to some documents and/or tags. Dismisses with the new Filter, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s,f10", "apply", "Apply"),
        Binding("ctrl+l", "clear", "Clear all"),
    ]

    def __init__(self, documents: list[tuple[str, str]], tags: list[str], current: Filter) -> None:
        """`documents`: (doc_id, title) pairs; `current`: the chat's filter."""
        super().__init__(classes="dialog-screen")
        self.documents = documents
        self.tags = tags
        self.current = current

    def compose(self) -> ComposeResult:
        doc_ids, tags = self.current.doc_ids, self.current.tags
        # Text, not a string: a string prompt is markup, and a title may hold "[/]".
        selections = [Selection(Text(printable(label)), f"doc:{doc_id}", doc_id in doc_ids)
                      for doc_id, label in self._labels()]
        selections += [Selection(Text(printable(f"#{tag}")), f"tag:{tag}", tag in tags) for tag in self.tags]
        with Vertical(classes="dialog wide", id="filter"):
            yield Label("Limit this chat to documents and/or tags (a document needs one of the tags). "
                        "Space toggles, Ctrl+S applies, Esc cancels; nothing selected = all documents.",
                        classes="dialog-text")
            yield MarkedSelectionList(*selections, id="filter-list")
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def _labels(self) -> list[tuple[str, str]]:
        """One line a document (a SelectionList option is one line): the titles, with their
        ids if every one fits so; the id first where two documents share a title. What is
        still too long ends with an ellipsis (the list's CSS)."""
        room = min(DIALOG_WIDTH, int(self.app.size.width * 0.95)) - LIST_CHROME
        with_ids = all(cell_len(f"{title}  ({doc_id})") <= room for doc_id, title in self.documents)
        shared = {title for title, n in Counter(title for _, title in self.documents).items() if n > 1}
        return [(doc_id, f"({doc_id}) {title}" if title in shared else f"{title}  ({doc_id})" if with_ids else title)
                for doc_id, title in self.documents]

    def on_mount(self) -> None:
        self.query_one("#filter-list", SelectionList).focus()

    def action_apply(self) -> None:
        selected = self.query_one("#filter-list", SelectionList).selected
        doc_ids = sorted(v[4:] for v in selected if v.startswith("doc:"))
        tags = sorted(v[4:] for v in selected if v.startswith("tag:"))
        self.dismiss(Filter(frozenset(doc_ids), frozenset(tags)))

    def action_clear(self) -> None:
        self.query_one("#filter-list", SelectionList).deselect_all()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.action_clear()
        else:
            self.dismiss(None)
