"""The sources pane: the passages the selected answer cites, with a score bar."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...answer.model import Answer, Citation, missing_words
from ...model import SECTION_SEPARATOR
from ...printable import printable
from ..fitting import Fitted

BAR_CELLS = 10


@dataclass(frozen=True)
class SourceItem(Citation):
    """A citation as the sources pane shows it: with its passage's score and text."""

    score: float = 0.0  # score of the passage the quote comes from (0 when unknown)
    ratio: float = 0.0  # score relative to the best passage of the answer, 0..1
    passage_text: str | None = None  # the passage as stored with the answer
    passage_lines: tuple[int, int] | None = None


def score_bar(ratio: float, cells: int = BAR_CELLS) -> str:
    full = max(0, min(cells, round(ratio * cells)))
    return "\u2588" * full + "\u2591" * (cells - full)


def source_items(answer: Answer) -> list[SourceItem]:
    """The citations of an answer, each with the passage it quotes (as shown: control characters made visible)."""
    top = max((h.score for h in answer.hits), default=0.0) or 1.0
    items = []
    for c in answer.citations:
        first = c.lines[0]
        match = next((h for h in answer.hits if h.document.doc_id == c.doc_id and h.passage.page == c.page
                      and h.passage.first_line <= first <= h.passage.last_line), None)
        score = match.score if match else 0.0
        items.append(SourceItem(c.n, c.doc_id, printable(c.title), printable(c.section), printable(c.path), c.lines,
                                printable(c.quote), match.rank if match else 0, c.page, c.format,
                                tuple(printable(w) for w in c.missing), score=score, ratio=score / top,
                                passage_text=printable(match.passage.text) if match else None,
                                passage_lines=(match.passage.first_line, match.passage.last_line) if match else None))
    return items


def short_section(section: str, title: str) -> str:
    """The section path without the document title it usually starts with."""
    if section.startswith(title + SECTION_SEPARATOR):
        return section[len(title) + len(SECTION_SEPARATOR):]
    return "" if section == title else section


def _prompt(item: SourceItem) -> Group:
    head = Text()
    head.append(f"[{item.n}] ", style="bold")
    head.append(item.title, style="bold")
    lines: list = [head]  # the title wraps at words; the section and the place fit on one line each
    section = short_section(item.section, item.title)
    if section:
        lines.append(Fitted(Text(section, style="italic")))
    lines.append(Fitted(item.where, middle=True, style="dim"))
    bar = Text(score_bar(item.ratio))
    bar.append(f" {item.score:.1f}", style="dim")
    lines.append(bar)
    if item.missing:  # the question's words this quote does not hold: "missing: medellin"
        lines.append(Text(missing_words(item.missing), style="dim italic"))
    lines.append(Text(""))  # a gap between sources
    return Group(*lines)


HINT = ("The passages an answer cites show here. Enter or a click opens one; "
        "1-9 open a source (Ctrl+O while typing).")


class SourcesPane(Vertical):
    """A list of cited passages; Enter or a click opens one."""

    class Open(Message):
        def __init__(self, n: int) -> None:
            super().__init__()
            self.n = n

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[SourceItem] = []

    def compose(self) -> ComposeResult:
        yield Static(HINT, id="sources-empty", classes="dim")
        yield OptionList(id="sources-list")

    def on_mount(self) -> None:
        self.border_title = "Sources"
        self.query_one("#sources-list").display = False

    def show(self, answer: Answer | None, number: int = 0) -> None:
        """The sources of `answer`, answer `number` of the chat; None empties the pane."""
        self.items = source_items(answer) if answer else []
        options = self.query_one("#sources-list", OptionList)
        options.clear_options()
        options.add_options([Option(_prompt(item), id=str(item.n)) for item in self.items])
        options.display = bool(self.items)
        empty = self.query_one("#sources-empty", Static)
        empty.display = not self.items
        empty.update(HINT if answer is None else f"Answer {number} cites no source: nothing relevant was found.")
        if self.items:
            options.highlighted = 0
        self.border_title = f"Sources of answer {number}" if answer is not None else "Sources"

    @property
    def highlighted_n(self) -> int | None:
        """The number of the source highlighted in the list."""
        index = self.query_one("#sources-list", OptionList).highlighted
        return self.items[index].n if index is not None and index < len(self.items) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Open(int(event.option.id)))
