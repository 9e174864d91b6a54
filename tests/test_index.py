import json
import subprocess
import sys

import pytest

from askurbact.core import Assistant
from askurbact.index import IndexProblem, IndexReader, check_freshness, update_index


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


def test_incremental_update_equals_full_rebuild(settings, corpus, tmp_path):
    update_index(settings, jobs=1)
    (corpus / "extra.txt").write_text("Kavala pharmacy extra notes.\n\nA second paragraph on Seoul.", encoding="utf-8")
    (corpus / "social-innovation-behind-the-city-scene.md").unlink()
    update_index(settings, jobs=1)
    rebuilt = settings.__class__(corpus=corpus, index=tmp_path / "fresh", home=settings.home)
    update_index(rebuilt, full=True, jobs=1)
    a, b = IndexReader(settings.index), IndexReader(rebuilt.index)
    for name in ("vocab", "idf", "post_off", "post_doc", "post_w", "doc_len", "passage_doc", "passage_off"):
        assert (getattr(a, name) == getattr(b, name)).all(), name
    assert [a.passage(i)[0] for i in range(a.n_passages)] == [b.passage(i)[0] for i in range(b.n_passages)]


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
    code = ("import sys, json; from askurbact.index import IndexReader; r = IndexReader(__import__('pathlib').Path(sys.argv[1]));"
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
