"""Citations: the chosen sentences become quotes, each with the exact place it stands."""

from __future__ import annotations

from ..model import Hit, Sentence
from .model import Citation

Chosen = tuple[Hit, Sentence, int]  # a sentence, the hit it is from and its position there


def _adjacent(a: Chosen, b: Chosen) -> bool:
    """Next to each other in one passage piece (no blank line between them)."""
    (hit_a, s_a, pos_a), (hit_b, s_b, pos_b) = a, b
    return (hit_a.index == hit_b.index and abs(pos_a - pos_b) == 1
            and "\n\n" not in hit_a.passage.text[min(s_a.end, s_b.end):max(s_a.start, s_b.start)])


def cite(chosen: list[Chosen]) -> tuple[tuple[Citation, ...], str]:
    """Citations and the answer text (each quote followed by its [n]), in the order the
    sentences were chosen; neighbouring sentences share one citation."""
    groups: list[list[Chosen]] = []
    for item in chosen:
        for group in groups:
            if _adjacent(group[-1], item):
                group.append(item)
                group.sort(key=lambda c: c[2])
                break
        else:
            groups.append([item])
    citations, parts = [], []
    for n, group in enumerate(groups, 1):
        (hit, first, _), (_, last, _) = group[0], group[-1]
        passage, document = hit.passage, hit.document
        quote = passage.text[first.start:last.end]
        citations.append(Citation(n, document.doc_id, document.title, passage.section, document.path,
                                  (first.first_line, last.last_line), quote, hit.rank, passage.page, document.format))
        parts.append(f"{' '.join(quote.split())} [{n}]")
    return tuple(citations), "\n\n".join(parts)
