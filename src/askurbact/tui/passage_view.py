"""The passage view: a cited passage in full, cited sentences and query terms highlighted,
between its neighbours in the document for context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..analysis import query_terms
from ..errors import describe
from .sources import SourceItem, score_bar, short_section

_WORD = re.compile(r"\w+")
CITED = "bold reverse"
OTHER_CITED = "reverse"
TERM = "bold underline"


@dataclass(frozen=True)
class Shown:
    """A passage as shown: its number in the index (None if not found) and where it stands."""

    index: int | None
    section: str
    first_line: int
    last_line: int
    text: str
    page: int | None = None  # a PDF's page: its lines count in that page

    def span(self, format: str) -> str:
        """Its place as the sources pane says it: 'p. 12, lines 3-8', '¶ 41-42', 'lines 96-97'."""
        lines = f"{self.first_line}-{self.last_line}"
        if self.page is not None:
            return f"p. {self.page}, lines {lines}"
        return f"\u00b6 {lines}" if format == "docx" else f"lines {lines}"


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


def locate(reader, item: SourceItem) -> tuple[Shown | None, Shown | None, Shown | None]:
    """(previous, cited, next) passages of the cited document, found in the current index."""
    doc_index = next((i for i, d in enumerate(reader.documents) if d.doc_id == item.doc_id), None)
    fallback = None
    if item.passage_text is not None and item.passage_lines:
        fallback = Shown(None, item.section, item.passage_lines[0], item.passage_lines[1], item.passage_text, item.page)
    if doc_index is None:
        return None, fallback, None
    numbers = reader.passages_of(doc_index)
    first = item.lines[0]
    for i in numbers:
        passage, _ = reader.passage(i)
        if passage.page == item.page and passage.first_line <= first <= passage.last_line:
            def shown(j: int) -> Shown | None:
                if j not in numbers:
                    return None
                p, _ = reader.passage(j)
                return Shown(j, p.section, p.first_line, p.last_line, p.text, p.page)
            cited = Shown(i, passage.section, passage.first_line, passage.last_line, passage.text, passage.page)
            return shown(i - 1), cited, shown(i + 1)
    return None, fallback, None


class PassageScreen(Screen[None]):
    """One source of an answer; left/right go through the answer's other sources."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("left,p", "step(-1)", "Prev source"),
        Binding("right,n", "step(1)", "Next source"),
    ]

    def __init__(self, items: list[SourceItem], position: int, reader, terms: list[str],
                 langs: tuple[str, ...] = ("en",)) -> None:
        super().__init__()
        self.items = items
        self.position = position
        self.reader = reader
        self.terms = set(terms)
        self.langs = langs
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

    def show(self) -> None:
        item = self.items[self.position]
        try:
            before, cited, after = locate(self.reader, item) if self.reader is not None else (None, None, None)
        except Exception as exc:  # a damaged index: say so, keep the view
            self.notify(describe(exc), severity="error")
            before = cited = after = None
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
            body.border_title = f"cited passage, {cited.span(item.format)}"
        for widget_id, shown, label in (("#context-before", before, "before"), ("#context-after", after, "after")):
            widget = self.query_one(widget_id, Static)
            widget.display = shown is not None
            if shown is not None:
                other_section = shown.section and shown.section != (cited.section if cited else "")
                widget.border_title = f"{label}: {shown.span(item.format)}" + (
                    f" \u2014 {shown.section}" if other_section else "")
                widget.update(highlight(shown.text, [], self.terms, self.langs, others))
        scroll = self.query_one("#passage-scroll", VerticalScroll)
        self.call_after_refresh(lambda: scroll.scroll_to_widget(body, top=True, animate=False))
