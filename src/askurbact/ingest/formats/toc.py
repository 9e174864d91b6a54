"""Tables of contents, for the PDF and Word readers: the heading path of each block, with a table
of contents kept out of it.

Passages are indexed under their headings (analysis.indexed_text), so a wrong heading costs
ranking. A table of contents is a list of headings with their page numbers: its lines are not
headings of what follows them, and its title ("Contents", "Inhalt", "Sommaire") stands over the
table only. Before this, redp5110_sampled.pdf had "Contents" over 17 of its 57 passages: the
table and the whole next page, a brochure that never says "contents".

A table is a run of entries (a title, then a page number: "1.3 Security controls . . . 3",
"SECTION 1 Introduction 2", Word's "A. PURPOSE1-1" glued to its number) whose page numbers never
go down, at least three of them, or fewer right under a heading that names a table of contents.
Page numbers that never go down are what tell a table of contents from a table of prices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A page number: arabic, roman (front matter), or chapter-page ("3-12", Word manuals).
_NUMBER = r"(?:\d{1,4}|[ivxlcdm]{1,7}|\d{1,3}[-\u2013]\d{1,4})"
# A title (from a letter or a digit: "= x + 10" is a formula), then a dotted (or underlined, or
# ellipsis) leader or a space, then the number.
_ENTRY = re.compile(rf"(?i)^(?P<title>(?:[^\W\d_]|\d.*?[^\W\d_]).*?)"
                    rf"(?P<leader>(?:\s*\.){{2,}}\s*|[\s_\u2026\u00b7]*)(?P<page>{_NUMBER})$")
_TITLE = re.compile(
    r"(?i)^(?:table\s+of\s+contents?|contents?|inhalt(?:sverzeichnis)?|inhaltsübersicht|sommaire"
    r"|table\s+des\s+mati[eè]res|[ií]ndice(?:\s+general)?|contenidos?|sumário|sommario|inhoud(?:sopgave)?"
    r"|spis\s+treści|obsah|sisällys(?:luettelo)?|innhold|indholdsfortegnelse|innehåll(?:sförteckning)?"
    r"|list\s+of\s+(?:figures|tables|illustrations)|figures|tables)$")
MAX_ENTRY_CHARS = 240  # a title of at most 200 characters, its leader and its number
MIN_ENTRIES = 3  # a run this long is a table of contents whatever heads it
_GAP = 2  # lines inside a table that are no entries (a title wrapped on two lines, "Section Page")


def page_number(text: str, apart: bool = False) -> tuple[int, int, int] | None:
    """The page number a table-of-contents line ends with, as (kind, chapter, page) to compare
    in order (front matter's roman numbers come before arabic ones); None when it is no entry.
    Without a dotted leader, only a number the reader saw `apart` (a tab, a wide gap) counts:
    "Definition 67", "Aufgabe 10" are a theorem's and an exercise's labels."""
    text = text.strip()
    # Longer lines are no entries; and the pattern's lazy title before an optional leader
    # backtracks quadratically: a malformed file's line of 20,000 dots took 30 s.
    if len(text) > MAX_ENTRY_CHARS:
        return None
    match = _ENTRY.match(text)
    if not match or len(match["title"]) > 200:
        return None
    title, leader, page = match["title"].rstrip(), match["leader"], match["page"]
    dotted = "." in leader
    if not dotted and not apart and not (not leader and title[-1:].isupper() and "-" in page):
        return None  # but Word's "PURPOSE1-1" (its tab lost) is an entry
    if not dotted and re.search(r"[.!?;:,=]$", title):
        return None  # a sentence or a formula that ends in a number, a list's "Step 3:"
    if page[0].isdigit():
        chapter, _, number = page.replace("\u2013", "-").rpartition("-")
        return (1, int(chapter or 0), int(number))
    if not re.fullmatch(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})", page):
        return None  # "ivy", "mix": a word, no number
    if not dotted and (page != page.lower() or len(page) < 2):
        return None  # front matter is numbered "xi"; "Vitamin C", "World War II", "IBM i" are titles
    return (0, 0, _roman(page))


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for a, b in zip(text, text[1:] + " "):
        total += -values[a] if values.get(b, 0) > values[a] else values[a]
    return total


@dataclass
class Item:
    """One block as a reader found it: its heading level (None for body text) and title, and the
    page numbers of its lines that read as table-of-contents entries (None: it is no entry)."""

    level: int | None
    title: str
    numbers: Sequence[tuple] | None = None


def entry_numbers(lines: Sequence[str], apart: Sequence[bool] = ()) -> list[tuple] | None:
    """A paragraph's page numbers when most of its lines are table-of-contents entries (a wrapped
    title leaves a line without one), else None. `apart`: each line's number is set apart."""
    found = [n for n in (page_number(line, i < len(apart) and apart[i]) for i, line in enumerate(lines)) if n]
    return found if found and 2 * len(found) >= len(lines) else None


def sections(items: list[Item]) -> list[tuple[tuple[str, ...], bool]]:
    """(heading path, whether it is a heading) for each item: headings open sections as usual,
    except inside a table of contents, whose entries and headings open none, and whose title
    closes once the table ends (the sections before it at its level and deeper stay closed)."""
    starts, inside = _tables(items)
    out, path, base = [], [], None  # base: the path to go back to when the table ends
    for i, item in enumerate(items):
        if i in starts:  # a table's first line: its title is the heading just before, if any
            title = starts[i]
            base = [t for t in path if t[0] < items[title].level] if title is not None else list(path)
        if base is not None and i in inside:
            out.append((tuple(t for _, t in path), False))
            continue
        if base is not None:
            path, base = base, None
        if item.level is not None:
            path = [t for t in path if t[0] < item.level] + [(item.level, item.title)]
        out.append((tuple(t for _, t in path), item.level is not None))
    return out


def _tables(items: list[Item]) -> tuple[dict[int, int | None], set[int]]:
    """{first index of each table: index of its title heading or None}, and every index inside a
    table. A table is a run of entries, a line or two without a number allowed between two."""
    found: dict[int, int | None] = {}
    inside: set[int] = set()
    i = 0
    while i < len(items):
        if items[i].numbers is None:
            i += 1
            continue
        start, end, j = i, i, i + 1
        while j < len(items) and j - end <= _GAP + 1:
            if items[j].numbers is not None:
                end = j
            elif items[j].level is not None and (j + 1 >= len(items) or items[j + 1].numbers is None):
                break  # a heading that no entry follows: the body after the table
            j += 1
        title = _title(items, start)
        run = [n for k in range(start, end + 1) if items[k].numbers for n in items[k].numbers]
        named = title is not None and _TITLE.match(items[title].title.strip())
        if _rising(run) and (len(run) >= MIN_ENTRIES or named):
            found[start] = title
            inside.update(range(start, end + 1))
        i = end + 1
    return found, inside


def _title(items: list[Item], start: int) -> int | None:
    """The heading right above a table's first entry, over at most two short lines ("Section Page")."""
    for k in range(start - 1, max(start - 1 - _GAP, -1), -1):
        if items[k].level is not None:
            return k
        if items[k].numbers is not None or len(items[k].title.split()) > 4:
            return None
    return None


def _rising(numbers: list[tuple]) -> bool:
    """Page numbers in reading order: never lower than the one before (roman and arabic apart)."""
    last: dict[int, tuple] = {}
    for kind, *rest in numbers:
        if kind in last and tuple(rest) < last[kind]:
            return False
        last[kind] = tuple(rest)
    return True
