"""What tests ask of an index that the product never needs: every score, every live
passage."""

from __future__ import annotations

import numpy as np

from askurbact.analysis import analyzer, indexed_text
from askurbact.index.reader import IndexReader


def score_all(reader: IndexReader, terms: list[str]) -> np.ndarray:
    """The score of every passage slot, terms added in query order (repeats counted), as
    rank_bm25 does: on a corpus indexed in one go, BM25Okapi.get_scores(terms)."""
    scores = np.zeros(reader.n_slots, dtype=np.float64)
    for term in terms:
        tid = reader.term_id(term)
        if tid is not None:
            docs, impact = reader.postings(tid)
            np.add.at(scores, docs, impact)
    return scores


def passage_ids(reader: IndexReader) -> list[int]:
    """Every live passage slot, documents in path order, passages in source order."""
    return [i for doc_index in range(len(reader.documents)) for i in reader.passages_of(doc_index)]


def indexed_terms(reader: IndexReader, i: int) -> list[str]:
    """The terms passage slot `i` is indexed with: its text under its section's headings
    (analysis.indexed_text), in its document's language; what BM25Okapi is given."""
    passage, document = reader.passage(i)
    return analyzer(document.lang).terms(indexed_text(passage.section, passage.text))
