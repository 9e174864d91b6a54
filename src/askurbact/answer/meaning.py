"""Answer sentences chosen by meaning, for the semantic extra: when the gate lets a passage
through that shares no word with the question (a paraphrase, another language), the
sentence choice by terms (`select.compose`) has nothing to go on. The sentences of the
best passage are then embedded and the closest to the question quoted, verbatim and
cited as any other.

Only on that path: a few sentences of one passage, a few tens of milliseconds.
"""

from __future__ import annotations

import numpy as np

from ..search.rerank import Evidence
from ..search.semantic import Dense
from .cite import cite
from .model import Answer

# A second sentence is quoted when it is about as close to the question as the best one.
SECOND_WITHIN = 0.02


def by_meaning(dense: Dense, question: str, query: str, own_terms: list[str], found: list[Evidence],
               max_sentences: int) -> Answer | None:
    """The answer quoting the best passage's sentences closest to `question`; None when it
    has no sentence to quote."""
    if not found:
        return None
    best = found[0]
    rows = [r for r in best.sentences if r.terms and r.sentence.text.strip()]
    if not rows:
        return None
    closeness = dense.closeness(question, [r.sentence.text for r in rows])
    order = np.argsort(-closeness, kind="stable")
    chosen = [rows[int(order[0])]]
    for i in order[1:max_sentences]:
        if closeness[int(i)] >= closeness[int(order[0])] - SECOND_WITHIN:
            chosen.append(rows[int(i)])
    citations, text = cite([(best.hit, r.sentence, r.position) for r in chosen])
    return Answer(question, query, True, text, citations, tuple(e.hit for e in found), tuple(own_terms))
