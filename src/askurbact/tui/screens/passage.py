"""The passage view: a cited passage in full, cited sentences and query terms highlighted,
between its neighbours in the document for context."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from functools import lru_cache

from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...analysis import query_terms
from ...core import Assistant, PassageContext
from ...errors import describe
from ...model import Passage
from ...printable import printable
from ..opener import CannotOpen, open_command
from ..widgets.sources import SourceItem, score_bar, short_section

_WORD = re.compile(r"\w+")
CITED = "bold reverse"
OTHER_CITED = "reverse"
TERM = "bold underline"


@lru_cache(maxsize=4096)
def _word_terms(word: str, langs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(query_terms(word, langs))


def _quote_pattern(quote: str) -> re.Pattern | None:
    words = quote.split()
    return re.compile(r"\s+".join(map(re.escape, words))) if words else None


def highlight(text: str, cited: list[str], terms: set[str], langs: tuple[str, ...] = ("en",),
              others: list[str] = ()) -> Text:
    """`text` with the `cited` sentences reversed+bold, `others` reversed, query terms bold+underlined."""
    result = Text(text)
    for quotes, style in ((others, OTHER_CITED), (cited, CITED)):
        for quote in quotes:
            pattern = _quote_pattern(quote)
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                result.stylize(style, m.start(), m.end())
    if terms:
        for m in _WORD.finditer(text):
            if _word_terms(m.group(), langs) & terms:
                result.stylize(TERM, m.start(), m.end())
    return result


def _lines(passage: Passage, format: str) -> str:
    """Where a passage stands, as the sources pane says it: 'lines 96-97', a PDF's
    'p. 12, lines 3-8' (lines count on each page), a Word file's '¶ 41-42'."""
    first, last = passage.first_line, passage.last_line
    span = f"{first}" if first == last else f"{first}-{last}"
    if passage.page is not None:
        return f"p. {passage.page}, line{'s' * (first != last)} {span}"
    return f"\u00b6 {span}" if format == "docx" else f"line{'s' * (first != last)} {span}"


def _visible(passage: Passage | None) -> Passage | None:
    """A passage as shown: control characters in it made visible (its lines stay)."""
    return passage and dataclasses.replace(passage, text=printable(passage.text), section=printable(passage.section))


def locate(assistant: Assistant, item: SourceItem) -> PassageContext | None:
    """The cited passage as the index holds it now, with its neighbours; else the passage as
    saved with the answer (its neighbours unknown); None when neither is known. A passage at
    the cited lines that no longer holds the quote (the file was edited since) is not the one cited."""
    found = assistant.passage_context(item.doc_id, item.lines[0], item.page)
    if found is not None and " ".join(item.quote.split()) not in " ".join(found.passage.text.split()):
        found = None
    if found is None and item.passage_text is not None and item.passage_lines:
        first, last = item.passage_lines
        saved = Passage(item.doc_id, item.section, first, last, item.passage_text, ((0, first),), item.page)
        return PassageContext(None, saved, None)
    return found


class PassageScreen(Screen[None]):
    """One source of an answer; left/right go through the answer's other sources."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("left,p", "step(-1)", "Prev source"),
        Binding("right,n", "step(1)", "Next source"),
        Binding("o", "open_file", "Open the file here"),
        *(Binding(str(n), f"jump({n})", f"Source {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, assistant: Assistant, items: list[SourceItem], position: int, terms: list[str]) -> None:
        super().__init__()
        self.assistant = assistant
        self.items = items
        self.position = position
        self.terms = set(terms)
        self.langs: tuple[str, ...] = ("en",)
        self.passage_text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="passage-title")
        with VerticalScroll(id="passage-scroll"):
            yield Static(id="context-before", classes="context")
            yield Static(id="passage-text")
            yield Static(id="context-after", classes="context")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def action_step(self, delta: int) -> None:
        if self.items:
            self.position = (self.position + delta) % len(self.items)
            self.show()

    def action_jump(self, n: int) -> None:
        position = next((i for i, item in enumerate(self.items) if item.n == n), None)
        if position is None:
            self.notify(f"This answer has no source [{n}].", severity="warning")
        else:
            self.position = position
            self.show()

    def action_open_file(self) -> None:
        """The cited file at the quote: in the editor (the chat waits), or a viewer beside it."""
        item = self.items[self.position]
        settings = self.assistant.settings
        try:
            command = open_command(settings.corpus / item.path, item.lines[0], item.page, item.format,
                                   settings.open_command)
        except CannotOpen as exc:
            self.notify(describe(exc), title="Open", severity="warning", timeout=10)
            return
        try:
            if command.in_terminal:
                with self.app.suspend():
                    subprocess.run(command.argv, check=False)
            else:
                subprocess.Popen(command.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        except SuspendNotSupported:
            self.notify("this terminal cannot be handed to an editor; set open_command instead",
                        title="Open", severity="warning")
        except OSError as exc:
            reason = exc.strerror or describe(exc)
            self.notify(f"cannot run {command.argv[0]}: {reason}", title="Open", severity="error")
        else:
            if not command.in_terminal:
                self.notify(f"Opening {item.where}", title="Open")

    def show(self) -> None:
        item = self.items[self.position]
        try:
            context = locate(self.assistant, item)
            self.langs = self.assistant.languages
        except Exception as exc:  # no index, or a damaged one: say so, show the quote alone
            self.notify(describe(exc), severity="warning")
            context = None
        before, cited, after = map(_visible, (context.before, context.passage, context.after) if context
                                   else (None, None, None))
        title = Text()
        title.append(f"[{item.n}] ", style="bold")
        title.append(item.title, style="bold")
        section = short_section(item.section, item.title)
        if section:
            title.append(f" \u2014 {section}", style="italic")
        title.append(f"\n{item.where}   {score_bar(item.ratio)} {item.score:.1f}   "
                     f"source {self.position + 1} of {len(self.items)}", style="dim")
        self.query_one("#passage-title", Static).update(title)
        others = [i.quote for i in self.items if i is not item]
        body = self.query_one("#passage-text", Static)
        if cited is None:
            self.passage_text = item.quote
            body.update(highlight(item.quote, [item.quote], self.terms, self.langs))
            body.border_title = "quote (the passage is no longer in the index)"
        else:
            self.passage_text = cited.text
            body.update(highlight(cited.text, [item.quote], self.terms, self.langs, others))
            body.border_title = f"cited passage, {_lines(cited, item.format)}"
        for widget_id, shown, label in (("#context-before", before, "before"), ("#context-after", after, "after")):
            widget = self.query_one(widget_id, Static)
            widget.display = shown is not None
            if shown is not None:
                other_section = shown.section and shown.section != (cited.section if cited else "")
                widget.border_title = f"{label}: {_lines(shown, item.format)}" + (
                    f" \u2014 {shown.section}" if other_section else "")
                widget.update(highlight(shown.text, [], self.terms, self.langs, others))
        scroll = self.query_one("#passage-scroll", VerticalScroll)
        self.call_after_refresh(lambda: scroll.scroll_to_widget(body, top=True, animate=False))
