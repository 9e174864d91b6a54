"""The index folder is askurbact's own (issue 13, items 1 and 16): a folder holding
someone else's files is refused, pruning deletes only names askurbact writes, a corpus
inside the index folder is refused, leftovers of killed runs are cleaned, CURRENT reads
like the other index files."""

from __future__ import annotations

import dataclasses
import os
import stat

from askurbact.core import Assistant
from askurbact.index.format import current_generation
from askurbact.index.writer import update_index
from conftest import QUESTION, assert_clean_failure, run_cli, text, tree_digest

MARKER = ".askurbact-index"


def test_a_folder_with_someone_elses_files_is_refused_and_left_alone(settings, tmp_path):
    folder = tmp_path / "u"
    (folder / "gen-photos").mkdir(parents=True)
    (folder / "gen-photos" / "a.jpg").write_bytes(b"photo")
    (folder / "cache").mkdir()
    (folder / "cache" / "notes.txt").write_text("my notes")
    before = tree_digest(folder)
    proc = run_cli(dataclasses.replace(settings, index=folder), "index")
    line = assert_clean_failure(proc)
    assert str(folder) in line and "not an askurbact index" in line
    assert tree_digest(folder) == before


def test_pruning_keeps_every_name_askurbact_did_not_write(settings, corpus):
    update_index(settings, jobs=1)
    index = settings.index
    assert (index / MARKER).is_file() and (index / MARKER).read_text().startswith("askurbact index folder, format 1")
    mine = {index / "gen-photos" / "a.jpg": b"photo", index / "notes.txt": b"notes",
            index / "cache" / "notes.txt": b"cache notes", index / "cache" / "sub" / "x.entry": b"x",
            index / "gen-1234" / "y": b"y"}
    for path, data in mine.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for round_ in range(3):  # each run prunes the generation before the previous one
        (corpus / f"extra-{round_}.md").write_text(f"# Extra {round_}\n\nA note about Kavala number {round_}.\n")
        update_index(settings, full=round_ == 2, jobs=1)
    assert {path: path.read_bytes() for path in mine} == mine
    assert len([p for p in index.iterdir() if p.name.startswith("gen-") and p.name.count("-") == 2]) <= 2
    assert Assistant(settings).ask(QUESTION).found


def test_a_corpus_inside_the_index_folder_is_refused(settings, tmp_path):
    index = tmp_path / "i"
    for name in ("gen-docs", "docs"):
        corpus = index / name
        corpus.mkdir(parents=True)
        (corpus / "a.md").write_text("# A\n\nKavala social pharmacy.\n")
        before = tree_digest(corpus)
        proc = run_cli(dataclasses.replace(settings, corpus=corpus, index=index), "index")
        assert "inside the index folder" in assert_clean_failure(proc)
        assert tree_digest(corpus) == before


def test_an_empty_folder_is_taken_and_marked(settings, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    s = dataclasses.replace(settings, index=folder)
    proc = run_cli(s, "index")
    assert proc.returncode == 0, text(proc.stderr)
    assert (folder / MARKER).is_file()


def test_an_index_made_before_the_marker_is_adopted(settings):
    update_index(settings, jobs=1)
    (settings.index / MARKER).unlink()  # as the previous version left it: CURRENT, gen-*, cache/
    proc = run_cli(settings, "index", "--full")
    assert proc.returncode == 0, text(proc.stderr)
    assert "adopted" in text(proc.stderr)
    assert (settings.index / MARKER).is_file()
    assert run_cli(settings, "ask", QUESTION).returncode == 0


def test_leftovers_of_killed_runs_are_cleaned(settings, corpus):
    update_index(settings, jobs=1)
    index = settings.index
    # What kill -9 leaves: the temporary file of CURRENT and of a cache entry, just now.
    leftovers = [index / ".CURRENT.k2j4h5g6.tmp", index / "cache" / f".{'ab' * 20}.4242"]
    for path in leftovers:
        path.write_bytes(b"half")
    (corpus / "new.md").write_text("# New\n\nA new note about Kavala.\n")
    update_index(settings, jobs=1)
    assert not [p for p in leftovers if p.exists()]


def test_a_folder_under_cache_does_not_break_indexing(settings, corpus):
    update_index(settings, jobs=1)
    (settings.index / "cache" / "sub").mkdir()
    for n in range(2):
        (corpus / f"n{n}.md").write_text(f"# N{n}\n\nKavala note {n}.\n")
        update_index(settings, jobs=1)
    assert (settings.index / "cache" / "sub").is_dir()


def test_current_is_readable_like_the_other_index_files(settings):
    update_index(settings, jobs=1)
    gen = current_generation(settings.index)
    mode = lambda path: stat.S_IMODE(os.stat(path).st_mode)
    assert mode(settings.index / "CURRENT") == mode(gen / "manifest.json")
