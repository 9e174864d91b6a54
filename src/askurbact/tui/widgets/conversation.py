"""The conversation: questions and their answers (Markdown, with clickable [n] markers)."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, Static

from ...answer.model import Answer
from ...printable import printable

WELCOME = ("Ask a question about the documents, e.g. \u201cWho is the mayor of Seoul?\u201d, and press Enter. "
           "Answers are sentences quoted from the documents; [n] points to a source. F1 shows the keys.")
NOTHING_HINT = "Try other words, or widen the filter (Ctrl+F)."
_MARKER = re.compile(r"\[(\d+)\]")


def answer_markdown(answer: Answer) -> str:
    """The answer text as Markdown; each [n] marker stays visible and becomes a link to its source."""
    text = printable(answer.text)
    # Escape what Markdown would otherwise interpret, then turn the markers into links.
    text = re.sub(r"([\\`*_<>#|])", r"\\\1", text)
    return _MARKER.sub(lambda m: f"[\\[{m.group(1)}\\]](cite:{m.group(1)})", text)


class QuestionBlock(Static):
    def __init__(self, question: str, pending: bool = False) -> None:
        super().__init__(classes="question")
        self.question = question
        self.set_pending(pending)

    def set_pending(self, pending: bool, note: str = "") -> None:
        text = Text()
        text.append("You: ", style="bold")
        text.append(self.question)
        if note:
            text.append(f"  ({note})", style="dim italic")
        self.update(text)
        self.set_class(pending, "-pending")


class AnswerBlock(Vertical, can_focus=True):
    """One answer. Tab reaches it; Enter (or a click) selects it: the sources pane then shows
    its citations. Focus alone leaves the selection as it is."""

    BINDINGS = [
        Binding("enter,space", "select", "Select"),
        Binding("up", "scroll_chat(-1)", "Scroll up", show=False),
        Binding("down", "scroll_chat(1)", "Scroll down", show=False),
    ]

    class Selected(Message):
        def __init__(self, block: AnswerBlock) -> None:
            super().__init__()
            self.block = block

    class CitationClicked(Message):
        def __init__(self, block: AnswerBlock, n: int) -> None:
            super().__init__()
            self.block = block
            self.n = n

    def __init__(self, answer: Answer, turn: int) -> None:
        super().__init__(classes="answer" + ("" if answer.found else " -nothing"))
        self.answer = answer
        self.turn = turn

    @property
    def text(self) -> str:
        return self.answer.text

    @property
    def number(self) -> int:
        return self.turn + 1

    def compose(self) -> ComposeResult:
        yield Markdown(answer_markdown(self.answer), open_links=False)
        # What was searched, as under an answer on the command line: a typo's correction,
        # a follow-up's carried words and the words the sources lack are seen here.
        yield Static(printable(self.answer.note), classes="hint searched", markup=False)
        if not self.answer.found:
            yield Static(NOTHING_HINT, classes="hint nothing-hint")

    def on_mount(self) -> None:
        self.set_selected(self.has_class("-selected"))

    def set_selected(self, selected: bool) -> None:
        """Selected: a marker in the title and a heavy border, readable without colour."""
        self.set_class(selected, "-selected")
        n = len(self.answer.citations)
        sources = f" \u00b7 {n} source{'s' * (n != 1)}" if n else " \u00b7 no source"
        self.border_title = ("\u25b6 " if selected else "") + f"Answer {self.number}" + sources

    def action_select(self) -> None:
        self.post_message(self.Selected(self))

    def action_scroll_chat(self, lines: int) -> None:
        if self.parent is not None:
            self.parent.scroll_relative(y=lines, animate=False)

    def on_click(self) -> None:
        self.post_message(self.Selected(self))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.startswith("cite:") and event.href[5:].isdigit():
            self.post_message(self.CitationClicked(self, int(event.href[5:])))


class ChatView(VerticalScroll, can_focus=False):
    """The questions and answers; not a focus stop of its own (its answers are)."""

    def compose(self) -> ComposeResult:
        yield Static(WELCOME, id="welcome", classes="dim", markup=False)

    # Whether the view shows the end of the chat: kept there when the layout changes (a
    # narrower window makes every answer taller), until the reader scrolls up. (Textual's
    # anchor() does this too, but also stacks a short chat at the bottom of the view.)
    _at_end = True

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._at_end = new_value >= self.max_scroll_y - 1

    def on_resize(self) -> None:
        if self._at_end:
            self.call_after_refresh(self.scroll_end, animate=False)

    def clear(self) -> None:
        for child in list(self.children):
            if child.id != "welcome":
                child.remove()
        self.query_one("#welcome").display = True

    def add_question(self, question: str, pending: bool = False) -> QuestionBlock:
        self.query_one("#welcome").display = False
        block = QuestionBlock(question, pending)
        self.mount(block)
        self.scroll_end(animate=False)
        return block

    def add_answer(self, answer: Answer, turn: int) -> AnswerBlock:
        self.query_one("#welcome").display = False
        block = AnswerBlock(answer, turn)
        self.mount(block)
        self.call_after_refresh(self.scroll_end, animate=False)
        return block

    @property
    def answers(self) -> list[AnswerBlock]:
        return list(self.query(AnswerBlock))
