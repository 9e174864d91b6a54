from collections import Counter

import numpy as np

from askurbact import analysis
from askurbact.index.writer import batch
from askurbact.index.writer.cache import entry_of
from askurbact.index.writer.postings import run_of

FILES = {
    "en/kavala.md": "---\ntitle: Kavala\n---\n# Kavala\n\nThe city of Kavala created a social hub. "
                    "Leaders of the hub met the mayor.\n\n## Results\n\nA hub, a tram and 8 cities joined. " * 3,
    "fr/lyon.md": "---\nlang: fr\n---\n# Lyon\n\nLes innovations sociales de la ville de Lyon. "
                  "L'orchestre joue à Malmö et à Łódź.\n",
    "de/berlin.md": "---\nlang: de\n---\n# Berlin\n\nDie Straße der sozialen Innovationen. Die Stadt wächst.\n",
    "notes.txt": "“Yes,” said the Mayor of Seoul — the leaders’ city.\n\nA second paragraph about trams.\n",
}


def _parsed():
    return [batch.parse(rel, text.encode(), 20) for rel, text in FILES.items()]


def test_a_batch_gives_each_file_the_entry_it_gets_alone():
    together, run = batch.analyse(_parsed())
    for (rel, text), (meta, arrays, records) in zip(FILES.items(), together):
        [(alone_meta, alone_arrays, alone_records)], _ = batch.analyse([batch.parse(rel, text.encode(), 20)])
        assert meta == alone_meta and records == alone_records
        assert {k: (v.dtype, v.tolist()) for k, v in arrays.items()} == \
               {k: (v.dtype, v.tolist()) for k, v in alone_arrays.items()}


def test_an_entry_counts_the_terms_the_analyzer_finds_in_each_passage():
    """Its text under its section's headings, whatever the file's language, and whether its
    words are ASCII or not."""
    files = _parsed()
    entries, _ = batch.analyse(files)
    for f, (meta, arrays, _) in zip(files, entries):
        an = analysis.analyzer(f.loaded.document.lang)
        want = [Counter(an.terms(analysis.indexed_text(p.section, p.text))) for p in f.passages]
        got = [Counter() for _ in f.passages]
        for term, passage, tf in zip(arrays["term"].tolist(), arrays["passage"].tolist(), arrays["tf"].tolist()):
            got[passage][meta["vocab"][term]] += tf
        assert got == want and arrays["doc_len"].tolist() == [sum(c.values()) for c in want]
        assert meta["vocab"] == sorted(meta["vocab"]) and len(f.passages) > 0
    assert any(len(f.passages) > 1 for f in files)


def test_a_batch_run_is_the_merge_of_its_entries():
    entries, run = batch.analyse(_parsed())
    rels = list(FILES)
    expected = run_of([entry_of(rel, "k", meta, arrays) for rel, (meta, arrays, _) in zip(rels, entries)],
                      {rel: i for i, rel in enumerate(rels)})
    assert run.vocab == expected.vocab
    for name in ("term", "file", "passage", "tf"):
        assert np.array_equal(getattr(run, name), getattr(expected, name)), name


def test_an_empty_batch():
    entries, run = batch.analyse([])
    assert entries == [] and run.vocab == [] and len(run.term) == 0


def test_batches_hold_every_file_once_largest_first_and_shrink(monkeypatch):
    monkeypatch.setattr(batch, "MIN_BATCH_BYTES", 10)
    sizes = {f"f{i}": size for i, size in enumerate([5, 400, 30, 1000, 7, 250, 60, 2, 90, 500])}
    batches = batch._batches(list(sizes), sizes, jobs=2)
    flat = [rel for b in batches for rel in b]
    assert sorted(flat) == sorted(sizes) and len(flat) == len(sizes)
    assert [sizes[rel] for rel in flat] == sorted(sizes.values(), reverse=True)
    totals = [sum(sizes[rel] for rel in b) for b in batches]
    assert len(batches) > 2 and totals[0] > totals[-1]


def test_a_batch_holds_at_most_max_batch_bytes_unless_one_file_is_larger(monkeypatch):
    """A worker's memory is bounded by its batch, whatever the corpus size."""
    monkeypatch.setattr(batch, "MIN_BATCH_BYTES", 10)
    monkeypatch.setattr(batch, "MAX_BATCH_BYTES", 100)
    sizes = {f"f{i}": size for i, size in enumerate([300, 60, 50, 40, 40, 30, 20, 20, 10, 10] * 3)}
    batches = batch._batches(list(sizes), sizes, jobs=1)
    # A batch is closed as soon as it reaches the cap: without its last file, it is below it.
    assert all(sum(sizes[rel] for rel in b[:-1]) < 100 for b in batches)
    assert [b for b in batches if sizes[b[0]] == 300] == [[rel] for rel in sizes if sizes[rel] == 300]
    assert sorted(rel for b in batches for rel in b) == sorted(sizes) and len(batches) > 6


def test_a_heading_counts_in_the_passages_under_it_and_the_title_in_none():
    # A title from metadata often names something else too ("Microsoft - Wikipedia"); a first
    # heading ("Introduction") is about its own part, not the whole document.
    text = ("---\ntitle: Harbours - City Wiki\n---\n# Introduction\n\nThe port opened in 1900. " + "Ships came. " * 30
            + "\n\n# Funding\n\nThe region paid for the new quay. " + "Cranes were built. " * 30)
    parsed = batch.parse("harbour.md", text.encode(), 40)
    [(meta, arrays, _)] = batch.analyse([parsed])[0]
    in_passages: dict[str, set[int]] = {}
    for term, passage in zip(arrays["term"].tolist(), arrays["passage"].tolist()):
        in_passages.setdefault(meta["vocab"][term], set()).add(passage)
    under = {part: {i for i, p in enumerate(parsed.passages) if p.section == part} for part in ("Introduction", "Funding")}
    assert len(under["Introduction"]) > 1 and len(under["Funding"]) > 1  # each part in several passages
    assert in_passages["introduct"] == under["Introduction"] and in_passages["fund"] == under["Funding"]
    assert "wiki" not in in_passages and "harbour" not in in_passages
