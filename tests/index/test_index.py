import functools
import json
import os
import random
import subprocess
import sys
import threading

import numpy as np
import pytest

from askurbact.core import Assistant
from askurbact.errors import IndexProblem
from askurbact.index.freshness import check_freshness
from askurbact.index.reader import IndexReader
from askurbact.index.writer import batch, generation, plan, postings, update_index
from index_helpers import passage_ids, score_all


def _listing(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_build_reports_what_it_did(settings):
    report = update_index(settings, jobs=1)
    assert report.summary() == "2 documents: 2 added, 0 updated, 0 removed, 0 unchanged; 27 passages"
    reader = IndexReader(settings.index)
    assert reader.n_passages == 27 and len(reader.documents) == 2


def test_incremental_update_add_change_remove(settings, corpus):
    update_index(settings, jobs=1)
    (corpus / "new.md").write_text("---\ntitle: New\n---\nThe harbour of Gdynia grows.\n", encoding="utf-8")
    path = corpus / "what-makes-local-innovation-work.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nAn added closing line.\n", encoding="utf-8")
    report = update_index(settings, jobs=1)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 0, 1)
    (corpus / "new.md").unlink()
    report = update_index(settings, jobs=1)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 1, 2)
    assert report.summary().startswith("2 documents: 0 added, 0 updated, 1 removed, 2 unchanged;")


def _by_place(reader, scores=None):
    """{(path, passage number in its document): (text, score)}: independent of slot numbers."""
    return {(doc.path, n): (reader.passage(i)[0].text, None if scores is None else float(scores[i]))
            for d, doc in enumerate(reader.documents) for n, i in enumerate(reader.passages_of(d))}


def _same_index(a, b, queries):
    assert [d.path for d in a.documents] == [d.path for d in b.documents]
    assert a.n_passages == b.n_passages and _by_place(a) == _by_place(b)
    for term in {t.decode() for t in b.vocab}:
        assert a.doc_freq(term) == b.doc_freq(term) and a.idf_of(term) == b.idf_of(term), term
    for query in queries:
        assert _by_place(a, score_all(a, query)) == _by_place(b, score_all(b, query)), query  # exactly equal


def test_incremental_update_equals_full_rebuild(settings, corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "REBASE_SHARE", float("inf"))  # keep the base: exercise the small segment
    for i in range(6):
        (corpus / f"note{i}.txt").write_text(f"Note {i} on the Kavala pharmacy.\n\nTram {i} in Seoul.", encoding="utf-8")
    update_index(settings, jobs=1)
    (corpus / "extra.txt").write_text("Kavala pharmacy extra notes.\n\nA second paragraph on Seoul.", encoding="utf-8")
    (corpus / "note2.txt").write_text("Changed: the Gdynia harbour and a tram.", encoding="utf-8")
    (corpus / "social-innovation-behind-the-city-scene.md").unlink()
    first = update_index(settings, jobs=1)
    (corpus / "note4.txt").unlink()
    (corpus / "extra.txt").write_text("Extra notes changed again: Medellin.", encoding="utf-8")
    second = update_index(settings, jobs=1)
    assert not first.rebuilt_base and not second.rebuilt_base
    a = IndexReader(settings.index)
    assert len(a.segments) == 2 and a.n_slots > a.n_passages  # dead slots of the changed files remain
    rebuilt = settings.__class__(corpus=corpus, index=tmp_path / "fresh", home=settings.home)
    update_index(rebuilt, full=True, jobs=1)
    b = IndexReader(rebuilt.index)
    assert len(b.segments) == 1 and b.n_slots == b.n_passages
    _same_index(a, b, [["kavala", "pharmaci"], ["tram"], ["seoul", "tram", "tram", "medellin"], ["gdynia"], ["note"]])


def _arrays(reader):
    """Every array of an index but the segment names, for exact comparison."""
    out = {name: np.asarray(getattr(reader, name)).tolist() for name in ("vocab", "df", "idf", "term_max", "norm")}
    out["postings"] = {t.decode(): [a.tolist() for a in reader.postings(reader.term_id(t.decode()))]
                       for t in reader.vocab}
    return out


def _notes(corpus, count, words=400):
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(300)] + ["kavala", "seoul", "tram", "pharmacy", "harbour"]
    for i in range(count):
        body = "\n\n".join(" ".join(rng.choices(vocabulary, k=words // 4)) + "." for _ in range(4))
        (corpus / f"batch/n{i:02d}.txt").write_text(f"Note {i}.\n\n{body}", encoding="utf-8")


def _in_a_thread(fn, *args, **kwargs):
    """Run fn as the chat UI runs an update: from a second thread (workers are spawned then)."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(value=fn(*args, **kwargs)))
    thread.start()
    thread.join()
    return outcome["value"]


@pytest.mark.parametrize("caller", ["main thread", "a second thread"])
def test_parallel_build_equals_serial_build(settings, corpus, tmp_path, monkeypatch, caller):
    """Worker processes (forked from the command line, spawned from the chat UI's thread)
    analyse batches of files and merge them into runs: the index is the one a single process
    builds, array for array."""
    (corpus / "batch").mkdir()
    _notes(corpus, 24)
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(batch, "MIN_BATCH_BYTES", 0)  # many small batches: many runs to merge
    methods = []
    start_method = batch._start_method
    monkeypatch.setattr(batch, "_start_method", lambda: methods.append(start_method()) or methods[-1])
    run = update_index if caller == "main thread" else functools.partial(_in_a_thread, update_index)
    run(settings, jobs=2)
    expected = "spawn" if caller != "main thread" or not sys.platform.startswith("linux") else "fork"
    assert [m.get_start_method() for m in methods] == [expected]
    serial = settings.__class__(corpus=corpus, index=tmp_path / "serial", home=settings.home)
    update_index(serial, jobs=1)
    a, b = IndexReader(settings.index), IndexReader(serial.index)
    assert _arrays(a) == _arrays(b)
    _same_index(a, b, [["kavala", "tram"], ["w1", "w2", "seoul"], ["note"]])
    # An update through the workers: one file changed, one only touched (kept in the base,
    # though its worker re-read it), one added.
    (corpus / "batch/n03.txt").write_text("Changed: the Gdynia harbour and a tram.", encoding="utf-8")
    os.utime(corpus / "batch/n05.txt", ns=(1, 1))
    (corpus / "batch/n99.txt").write_text("A new note on Seoul trams.", encoding="utf-8")
    report = run(settings, jobs=2)
    assert not report.rebuilt_base and (report.added, report.updated) == (1, 1)
    update_index(serial, full=True, jobs=1)
    _same_index(IndexReader(settings.index), IndexReader(serial.index), [["gdynia", "tram"], ["w7", "seoul"]])


def test_merge_without_packed_keys_gives_the_same_postings(settings, corpus, tmp_path, monkeypatch):
    (corpus / "batch").mkdir()
    _notes(corpus, 6)
    update_index(settings, jobs=1)
    monkeypatch.setattr(postings, "MAX_KEY_BITS", 8)  # (term, slot, tf) no longer fit one key
    unpacked = settings.__class__(corpus=corpus, index=tmp_path / "unpacked", home=settings.home)
    update_index(unpacked, jobs=1)
    assert _arrays(IndexReader(settings.index)) == _arrays(IndexReader(unpacked.index))


def test_contributions_written_in_blocks_equal_one_pass(settings, corpus, tmp_path, monkeypatch):
    (corpus / "batch").mkdir()
    _notes(corpus, 6)
    update_index(settings, jobs=1)
    monkeypatch.setattr(generation, "IMPACT_BLOCK", 7)  # a few terms per block; long lists alone
    blocks = settings.__class__(corpus=corpus, index=tmp_path / "blocks", home=settings.home)
    update_index(blocks, jobs=1)
    assert _arrays(IndexReader(settings.index)) == _arrays(IndexReader(blocks.index))


def test_base_is_rebuilt_when_the_changes_grow(settings, corpus, monkeypatch):
    monkeypatch.setattr(plan, "REBASE_SHARE", 0.2)
    for i in range(10):
        (corpus / f"note{i}.txt").write_text(f"Note {i} on the Kavala pharmacy.", encoding="utf-8")
    update_index(settings, jobs=1)
    (corpus / "note1.txt").write_text("One small change.", encoding="utf-8")
    assert not update_index(settings, jobs=1).rebuilt_base
    base = IndexReader(settings.index).segments[0].name
    for path in corpus.glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    assert update_index(settings, jobs=1).rebuilt_base  # the two large files changed: dead slots pass 20%
    reader = IndexReader(settings.index)
    assert len(reader.segments) == 1 and reader.segments[0].name != base and reader.n_slots == reader.n_passages


def test_indexing_never_writes_to_the_corpus(settings, corpus):
    before = _listing(corpus)
    update_index(settings, jobs=1)
    update_index(settings, full=True, jobs=1)
    assert _listing(corpus) == before


def test_replacement_is_atomic_old_reader_keeps_working(settings, corpus):
    update_index(settings, jobs=1)
    old = IndexReader(settings.index)
    old_text = old.passage(0)[0].text
    (corpus / "more.md").write_text("# More\n\nMedellin again.\n", encoding="utf-8")
    update_index(settings, jobs=1)
    new = IndexReader(settings.index)
    assert new.folder != old.folder and new.n_passages == old.n_passages + 1
    assert old.passage(0)[0].text == old_text  # the previous generation is still whole
    assert (settings.index / "CURRENT").read_text() == new.folder.name


def test_a_second_index_run_is_told_another_is_running(settings):
    from filelock import FileLock

    settings.index.mkdir(parents=True)
    with FileLock(settings.index / ".lock"):
        with pytest.raises(IndexProblem, match="another 'askurbact index' is running"):
            update_index(settings, wait=False)


def test_stale_index_is_detected_and_updated_before_a_query(settings, corpus):
    update_index(settings, jobs=1)
    assert check_freshness(settings).fresh
    (corpus / "gdynia.md").write_text("# Gdynia\n\nGdynia built a new tram depot in 2019.\n", encoding="utf-8")
    assert check_freshness(settings).changed == ["gdynia.md"]
    messages = []
    helper = Assistant(settings, notify=messages.append)
    helper.ensure_index()
    assert any("updating the index" in m for m in messages)
    assert helper.ask("What did Gdynia build?").citations[0].path == "gdynia.md"


def test_index_written_by_one_process_is_read_by_another(settings):
    update_index(settings, jobs=1)
    code = ("import sys, json; from askurbact.index.reader import IndexReader; r = IndexReader(__import__('pathlib').Path(sys.argv[1]));"
            "print(json.dumps([r.n_passages, r.passage(3)[0].text]))")
    out = subprocess.run([sys.executable, "-c", code, str(settings.index)], capture_output=True, text=True, check=True)
    n, text = json.loads(out.stdout)
    reader = IndexReader(settings.index)
    assert n == reader.n_passages and text == reader.passage(3)[0].text


def test_index_files_hold_no_pickles(settings):
    import numpy as np

    update_index(settings, jobs=1)
    gen = IndexReader(settings.index).folder
    for path in gen.glob("*.npy"):
        np.load(path, allow_pickle=False)  # raises if an object array were stored
    for path in gen.glob("*.json"):
        json.loads(path.read_text())


def test_same_bytes_as_markdown_and_as_text_are_parsed_each_their_way(settings, corpus):
    text = "# Kavala pharmacy\n\nThe social pharmacy opened in 2013.\n"
    (corpus / "same.md").write_text(text, encoding="utf-8")
    (corpus / "same.txt").write_text(text, encoding="utf-8")
    update_index(settings, jobs=1)
    reader = IndexReader(settings.index)
    first = {d.path: reader.passage(reader.passages_of(i)[0])[0] for i, d in enumerate(reader.documents)}
    assert first["same.md"].section == "Kavala pharmacy"  # a heading in Markdown
    assert first["same.txt"].section == "" and first["same.txt"].text.startswith("# Kavala")  # plain text


def test_full_rebuild_keeps_the_previous_generation_readable(settings, corpus):
    update_index(settings, jobs=1)
    old = IndexReader(settings.index)
    path = corpus / "what-makes-local-innovation-work.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Malmö", "Malmo"), encoding="utf-8")
    update_index(settings, full=True, jobs=1)
    assert [old.passage(i)[0].text for i in passage_ids(old)]  # its cache entries were kept


def test_interrupt_after_the_swap_leaves_the_new_generation_live(settings, corpus, monkeypatch):
    update_index(settings, jobs=1)
    (corpus / "more.md").write_text("# More\n\nMedellin again.\n", encoding="utf-8")
    real = generation.write_atomic

    def swap_then_interrupt(path, data, **options):
        real(path, data, **options)
        if path.name == "CURRENT":
            raise KeyboardInterrupt

    monkeypatch.setattr(generation, "write_atomic", swap_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        update_index(settings, jobs=1)
    reader = IndexReader(settings.index)  # CURRENT names a generation that is still there
    assert "more.md" in [d.path for d in reader.documents]


def test_a_corpus_of_only_stopwords_indexes_and_finds_nothing(settings, corpus):
    for path in corpus.iterdir():
        path.unlink()
    (corpus / "empty-words.txt").write_text("The and of the.\n\nIt is what it is.\n", encoding="utf-8")
    update_index(settings, jobs=1)
    answer = Assistant(settings).ask("What was created in Kavala?")
    assert not answer.found


def test_an_index_from_another_version_is_rebuilt_with_a_clear_message(settings):
    update_index(settings, jobs=1)
    manifest = IndexReader(settings.index).folder / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "format": 1}))
    assert check_freshness(settings).outdated
    messages = []
    helper = Assistant(settings, notify=messages.append)
    helper.ensure_index()
    assert messages[0] == "the index was made by another version of askurbact: updating the index..."
    assert helper.ask("What was created in Kavala?").found


def test_identical_files_under_different_names_keep_readable_passages(settings, corpus):
    text = "# Twins\n\nThe same harbour story in two files. " * 30
    (corpus / "a.md").write_text(text, encoding="utf-8")
    (corpus / "a-twin-with-a-much-longer-name.md").write_text(text, encoding="utf-8")
    for full in (False, True, True):
        update_index(settings, full=full, jobs=1)
        reader = IndexReader(settings.index)
        texts = {reader.documents[d].path: [reader.passage(i)[0].text for i in reader.passages_of(d)]
                 for d in range(len(reader.documents))}
        assert texts["a.md"] == texts["a-twin-with-a-much-longer-name.md"] and texts["a.md"][0].startswith("Twins")
