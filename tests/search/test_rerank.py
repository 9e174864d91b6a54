"""Re-ranking: a passage whose document matches the question elsewhere too is preferred to
an equal match standing alone; in a corpus of one document the order is left as it was."""

from __future__ import annotations

import pytest

from askurbact.model import Document, Hit, Passage
from askurbact.search import rerank

WEIGHTS = {"canal": 2.0, "museum": 2.0, "open": 1.0}


def _hit(rank: int, score: float, doc_id: str, text: str) -> Hit:
    passage = Passage(doc_id, "", 1, 1, text, ((0, len(text)),))
    return Hit(rank, score, rank, passage, Document(doc_id, f"{doc_id}.md", doc_id.title(), "en"))


def _order(hits: list[Hit]) -> list[tuple[str, str]]:
    return [(e.hit.document.doc_id, e.hit.passage.text) for e in rerank.rerank(hits, WEIGHTS, len(hits))]


def test_an_equal_match_whose_document_matches_elsewhere_too_comes_first():
    same = "The canal museum opened in 1990."
    hits = [_hit(1, 5.0, "festivals", same), _hit(2, 5.0, "waterways", same),
            _hit(3, 3.0, "waterways", "The canal was dug in 1800 for the mills."),
            _hit(4, 2.5, "waterways", "Boats on the canal carried coal to the museum's town.")]
    assert _order(hits)[0] == ("waterways", same)
    # Without the other passages of its document, BM25's first stays first.
    assert _order(hits[:2])[0] == ("festivals", same)


@pytest.mark.parametrize("scores", [(5.0, 4.9, 1.0), (0.4, 0.39, 0.1)])
def test_in_a_corpus_of_one_document_the_order_is_left_as_it_was(monkeypatch, scores):
    texts = ["The canal museum opened in 1990.", "The canal museum is open daily.", "The museum has a cafe."]
    hits = [_hit(i, s, "waterways", t) for i, (s, t) in enumerate(zip(scores, texts), 1)]
    with_documents = _order(hits)
    monkeypatch.setitem(rerank.WEIGHTS, "document", 0.0)
    assert with_documents == _order(hits)


def test_passages_far_below_the_best_are_not_read_but_the_first_k_always_are():
    scores = (10.0, 6.0, 4.0, 3.9, 1.0)
    hits = [_hit(i, s, "waterways", f"The canal {i}.") for i, s in enumerate(scores, 1)]
    assert [h.score for h in rerank.worth_reading(hits, 2)] == [10.0, 6.0, 4.0]
    assert [h.score for h in rerank.worth_reading(hits, 5)] == list(scores)


@pytest.mark.parametrize("scores", [(0.0, 0.0, 0.0), (-0.2, -0.3, -1.5)])
def test_where_bm25_scores_say_nothing_every_passage_is_read(scores):
    # A corpus of one or two passages: BM25Okapi's floored idf gives 0 or less to every match.
    hits = [_hit(i, s, "waterways", f"The canal {i}.") for i, s in enumerate(scores, 1)]
    assert rerank.worth_reading(hits, 1) == hits


def test_where_bm25_scores_are_all_below_zero_the_sentences_decide():
    # In a corpus of a few passages BM25Okapi's idf is floored below 0, so the passage that
    # matches more of the question scores lower: its order must not count against it.
    hits = [_hit(1, -0.1, "festivals", "The museum opened."), _hit(2, -0.4, "waterways", "The canal museum opened.")]
    assert _order(hits)[0] == ("waterways", "The canal museum opened.")
