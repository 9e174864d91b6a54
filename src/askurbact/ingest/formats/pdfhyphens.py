"""Words broken at a line end, joined again, for pdflayout.py.

A line ends in a hyphen ("-", U+2010, pdfium's hyphen mark, already "-" here) or a soft hyphen
(U+00AD, which a producer sets where it broke a word). The rest of the word moves up to the upper
line, so the word reads whole on one line of the page text, where quotes and the index find it.
A soft hyphen is only a break: it always goes. A hyphen goes when the rest starts in lower case
and the word had no other hyphen ("im-" / "prove"), unless the document writes that very word
with its hyphen inside a line and never closed ("well-" / "being" stays "well-being").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

HYPHEN_END = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010]$")
_SOFT = "\u00ad"
_COMPOUND = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:[-\u2010][^\W\d_]+)+")  # from a word's start: half the time
_WORD = re.compile(r"[^\W\d_]+")


class Spellings:
    """How the document writes its words inside lines: the hyphenated compounds, the closed words."""

    def __init__(self, lines: Iterable[str]):
        self._text = "\n".join(lines).lower()  # one pass of each pattern over the whole document
        self.hyphenated = {word.replace("\u2010", "-") for word in _COMPOUND.findall(self._text)}

    @cached_property
    def closed(self) -> set[str]:  # read only once a compound is found at a line end
        return set(_WORD.findall(self._text))

    def compound(self, head: str, rest: str) -> bool:
        """Whether head + "-" + rest is the document's own spelling of the word."""
        head, rest = head.lower(), rest.lower()
        return f"{head}-{rest}" in self.hyphenated and head + rest not in self.closed


def dehyphenate(lines: list[str], spellings: Spellings | None = None) -> list[str]:
    """The lines of one paragraph, each word broken at a line end whole on the upper line."""
    out = [line for line in lines if line]
    for i in range(len(out) - 1):
        if not HYPHEN_END.search(out[i]) or not out[i + 1][:1].isalpha():
            continue
        rest, _, tail = out[i + 1].partition(" ")
        word = out[i].rsplit(" ", 1)[-1]
        letters = _WORD.match(rest)
        keep = out[i][-1] != _SOFT and (not rest[:1].islower() or "-" in word[:-1] or (
            spellings is not None and letters is not None
            and spellings.compound(word[:-1].rsplit("-", 1)[-1], letters.group())))
        out[i] = (out[i] if keep else out[i][:-1]) + rest
        out[i + 1] = tail
    # a soft hyphen left inside a line is invisible there; one left at a line end shows as a hyphen
    return [re.sub(_SOFT + "$", "-", line).replace(_SOFT, "") if _SOFT in line else line for line in out if line]
