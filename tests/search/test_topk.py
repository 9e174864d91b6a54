"""Score parity: the served scores equal rank_bm25.BM25Okapi.get_scores on the same tokens."""

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from askurbact.analysis import analyzer
from askurbact.config import Settings
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index
from askurbact.search import topk as search_module
from askurbact.search.filter import Filter
from askurbact.search.topk import search, top_passages
from index_helpers import indexed_terms, passage_ids, score_all

# Words the English analyzer keeps as they are (no stopwords, stable stems).
WORDS = ["harbour", "tram", "kavala", "seoul", "mayor", "pharmacy", "metrocable", "gdansk", "school", "budget",
         "citizen", "bureau", "network", "spiral", "workshop", "malmo", "housing", "transport", "energy", "park"]


def _index_random_corpus(tmp_path, seed: int, n_passages: int, common_share: float = 0.0):
    rng = random.Random(seed)
    corpus = tmp_path / f"corpus{seed}"
    corpus.mkdir()
    for i in range(n_passages):
        words = rng.choices(WORDS, k=rng.randint(1, 30))
        if rng.random() < common_share:
            words.append("park")  # a term in most passages: its idf is negative and gets the epsilon floor
        (corpus / f"p{i:04d}.txt").write_text(" ".join(words), encoding="utf-8")
    settings = Settings(corpus=corpus, index=tmp_path / f"index{seed}", home=tmp_path / "home")
    update_index(settings, jobs=1)
    reader = IndexReader(settings.index)
    tokens = [indexed_terms(reader, i) for i in range(reader.n_passages)]
    return reader, tokens, rng


@pytest.mark.parametrize("seed, n, common", [(1, 40, 0.0), (2, 60, 0.9), (3, 3, 0.0), (4, 1, 0.0), (5, 25, 0.6)])
@pytest.mark.parametrize("dense_max", [0, 30_000])
def test_scores_equal_bm25okapi_on_random_corpora(tmp_path, monkeypatch, seed, n, common, dense_max):
    monkeypatch.setattr(search_module, "DENSE_MAX_POSTINGS", dense_max)
    reader, tokens, rng = _index_random_corpus(tmp_path, seed, n, common)
    reference = BM25Okapi(tokens)
    for _ in range(15):
        query = rng.choices(WORDS + ["absentword"], k=rng.randint(1, 6))  # repeats and unknown terms too
        expected = reference.get_scores(query)
        served = score_all(reader, query)
        np.testing.assert_allclose(served, expected, rtol=1e-12, atol=1e-12)
        top = top_passages(reader, query, 10)
        assert all(score != 0 for _, score in top)
        assert [s for _, s in top] == [served[i] for i, _ in top]  # the pruned top-k scores bit-for-bit alike
        nonzero = np.flatnonzero(expected)
        assert {i for i, _ in top} <= set(nonzero.tolist())
        if len(nonzero) >= 10:
            tenth = sorted(expected[nonzero], reverse=True)[9]
            assert {i for i, s in top if s > tenth + 1e-9} == {i for i in nonzero if expected[i] > tenth + 1e-9}


def test_bm25_parameters_are_honoured(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, text in enumerate(["seoul mayor mayor", "seoul park", "tram tram tram seoul budget budget"]):
        (corpus / f"{i}.txt").write_text(text)
    settings = Settings(corpus=corpus, index=tmp_path / "i", home=tmp_path / "h", k1=0.9, b=0.4, epsilon=0.5)
    update_index(settings, jobs=1)
    reader = IndexReader(settings.index)
    tokens = [indexed_terms(reader, i) for i in range(3)]
    reference = BM25Okapi(tokens, k1=0.9, b=0.4, epsilon=0.5)
    np.testing.assert_allclose(score_all(reader, ["seoul", "mayor", "tram"]), reference.get_scores(["seoul", "mayor", "tram"]))


def test_search_returns_ranked_hits_with_places_and_never_zero_scores(assistant):
    hits = search(assistant.reader, ["kavala", "pharmaci"], k=5)
    assert hits[0].rank == 1 and "Kavala" in hits[0].passage.text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.score > 0 for h in hits)
    assert search(assistant.reader, ["zzzunknown"], k=5) == []


def test_filter_limits_results_to_chosen_documents(assistant):
    only = Filter(doc_ids=frozenset({"what-makes-local-innovation-work"}))
    hits = search(assistant.reader, ["malmo"], k=10, where=only)
    assert hits and {h.document.doc_id for h in hits} == {"what-makes-local-innovation-work"}
    by_tag = search(assistant.reader, ["malmo"], k=10, where=Filter(tags=frozenset({"Seoul"})))
    assert {h.document.doc_id for h in by_tag} == {"social-innovation-behind-the-city-scene"}


@pytest.mark.parametrize("dense_max", [0, 30_000])
def test_scores_equal_bm25okapi_after_incremental_updates(tmp_path, monkeypatch, dense_max):
    """An updated index (a base with dead slots plus a small segment) scores like a fresh one,
    and its pruning bounds still hold though the average passage length has grown."""
    from askurbact.index import bm25 as scoring
    from askurbact.index.writer import plan

    monkeypatch.setattr(plan, "REBASE_SHARE", float("inf"))
    monkeypatch.setattr(search_module, "DENSE_MAX_POSTINGS", dense_max)
    reader, _, rng = _index_random_corpus(tmp_path, 7, 50, 0.0)
    corpus = reader.folder.parent.parent / "corpus7"
    settings = Settings(corpus=corpus, index=reader.folder.parent, home=tmp_path / "home")
    for round_ in range(3):
        for path in rng.sample(sorted(corpus.iterdir()), 6):
            path.unlink() if rng.random() < 0.3 else path.write_text(" ".join(rng.choices(WORDS, k=rng.randint(1, 30))))
        # long passages: the average length grows, so the base's saturations grow too
        (corpus / f"new{round_}.txt").write_text("tram tram metrocable " + " ".join(rng.choices(WORDS, k=80)))
        assert not update_index(settings, jobs=1).rebuilt_base
    reader = IndexReader(settings.index)
    assert len(reader.segments) == 2 and reader.n_slots > reader.n_passages
    for term in WORDS:  # each generation's contributions and bounds are its own
        tid = reader.term_id(analyzer("en").terms(term)[0])
        docs, impact = reader.postings(tid)
        tf = np.concatenate([s.tf[s.off[tid]:s.off[tid + 1]] for s in reader.segments])
        assert impact.tolist() == scoring.contributions(tf, reader.norm[docs], reader.term_idf(tid), reader.k1).tolist()
        assert impact.max() == reader.term_max[tid], term
    live = passage_ids(reader)
    reference = BM25Okapi([indexed_terms(reader, i) for i in live])
    for _ in range(20):
        query = rng.choices(WORDS + ["absentword"], k=rng.randint(1, 6))
        expected = reference.get_scores(query)
        served = score_all(reader, query)
        np.testing.assert_allclose(served[live], expected, rtol=1e-12, atol=1e-12)
        dead = np.setdiff1d(np.arange(reader.n_slots), live)
        assert not served[dead].any()  # removed passages never score
        top = [(live.index(i), s) for i, s in top_passages(reader, query, 5)]
        want = sorted(((i, s) for i, s in enumerate(expected) if s != 0), key=lambda x: (-x[1], x[0]))[:5]
        assert [s for _, s in top] == pytest.approx([s for _, s in want], rel=1e-12)


ZIPF_VOCAB = [f"{a}{b}" for a in ("kav", "seo", "mal", "gda", "med", "lod") for b in ("ala", "ul", "mo", "nsk", "in", "z")]
ZIPF_WEIGHTS = [1 / (i + 1) for i in range(len(ZIPF_VOCAB))]  # a few words in most passages, many rare ones


def _zipf_text(rng, low=3, high=40):
    return " ".join(rng.choices(ZIPF_VOCAB, ZIPF_WEIGHTS, k=rng.randint(low, high)))


def _assert_top_k_is_sorted_scores(reader, rng, k):
    vocab = ZIPF_VOCAB
    for _ in range(60):
        query = [analyzer("en").terms(w)[0] for w in rng.choices(vocab, k=rng.randint(2, 6))]
        scores = score_all(reader, query)
        nonzero = np.flatnonzero(scores)
        want = [(int(i), float(scores[i])) for i in nonzero[np.lexsort((nonzero, -scores[nonzero]))][:k]]
        assert top_passages(reader, query, k) == want, query


@pytest.mark.parametrize("dense_max", [0, 30_000])  # 0: every query takes the MaxScore path
@pytest.mark.parametrize("k", [1, 3, 10, 250])  # 250: more than the rarer terms' lists hold
def test_pruned_top_k_equals_sorting_every_score(tmp_path, monkeypatch, k, dense_max):
    """top_passages skips postings that cannot rank (a bound on the k-th score; MaxScore on
    long lists); its result must equal sorting the scores of every passage, ties by order."""
    monkeypatch.setattr(search_module, "DENSE_MAX_POSTINGS", dense_max)
    rng = random.Random(k)
    corpus = tmp_path / "zipf"
    corpus.mkdir()
    for i in range(300):
        (corpus / f"p{i:03d}.txt").write_text(_zipf_text(rng))
    settings = Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home")
    update_index(settings, jobs=1)
    _assert_top_k_is_sorted_scores(IndexReader(settings.index), rng, k)


@pytest.mark.parametrize("dense_max", [0, 30_000])
def test_pruned_top_k_after_updates_that_lengthen_passages(tmp_path, monkeypatch, dense_max):
    """The base's term bounds were taken with a smaller average length: they must still hold."""
    from askurbact.index.writer import plan

    monkeypatch.setattr(plan, "REBASE_SHARE", float("inf"))
    monkeypatch.setattr(search_module, "DENSE_MAX_POSTINGS", dense_max)
    rng = random.Random(11)
    corpus = tmp_path / "zipf"
    corpus.mkdir()
    for i in range(300):
        (corpus / f"p{i:03d}.txt").write_text(_zipf_text(rng, 3, 12))
    settings = Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home")
    update_index(settings, jobs=1)
    for round_ in range(3):
        for path in rng.sample(sorted(corpus.iterdir()), 20):
            path.write_text(_zipf_text(rng, 60, 200))
        assert not update_index(settings, jobs=1).rebuilt_base
    reader = IndexReader(settings.index)
    assert len(reader.segments) == 2
    _assert_top_k_is_sorted_scores(reader, rng, 10)
