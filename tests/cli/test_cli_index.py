"""`askurbact index`: a progress bar for a person, one line for a script, and no new
generation when nothing changed."""

import json
import os
import time

from askurbact.index import freshness


def test_index_on_a_terminal_shows_files_passages_rate_and_time_left(run_tty):
    run = run_tty("index", tty=("stderr",))
    assert run.code == 0, run.terminal
    assert run.stdout.startswith("2 documents: 2 added, 0 updated, 0 removed, 0 unchanged; 27 passages")
    screen = run.screen_text
    assert "2/2 files" in screen and "27 passages" in screen and "files/s" in screen
    assert "0:00:00" in screen  # the time left
    assert "\x1b[" in run.terminal  # drawn in place, with colour: NO_COLOR is not set


def test_index_bar_honours_color_never(run_tty):
    run = run_tty("index", "--color", "never", tty=("stderr",))
    assert run.code == 0 and "27 passages" in run.screen_text
    assert not any(f"\x1b[{n}m" in run.terminal for n in (31, 32, 33, 35, 36, 90, 91))


def test_index_without_a_terminal_prints_one_summary_line(run_cli):
    code, out, err = run_cli("index")
    assert code == 0 and err == ""
    assert out.count("\n") == 1 and out.startswith("2 documents: 2 added")


def _live(index) -> tuple[str, str, list[str]]:
    generation = (index / "CURRENT").read_text()
    manifest = json.loads((index / generation / "manifest.json").read_text())
    return generation, manifest["built_at"], sorted(p.name for p in index.glob("gen-*"))


def _past_the_racy_margin() -> None:
    """Wait until files written just now are older than the racy margin: an index built
    sooner records them as racy, and the next run hashes them again and settles them with a
    generation of its own (git's racy-clean rule; tests/reliability/test_freshness_racy.py).
    With the CLI run in this process, a build follows the corpus's copy within that margin."""
    time.sleep(freshness.RACY_NS / 1e9 + 0.05)


def test_index_with_nothing_changed_writes_nothing(run_cli, tmp_path, corpus):
    index = tmp_path / "index"
    _past_the_racy_margin()
    assert run_cli("index")[0] == 0
    before = _live(index)
    code, out, _ = run_cli("index")
    assert code == 0 and out.startswith("2 documents: 0 added, 0 updated, 0 removed, 2 unchanged; 27 passages")
    assert _live(index) == before  # same generation, same "built", no new folder
    # A file's time changes (content the same): the new times are recorded, counts unchanged.
    path = corpus / "what-makes-local-innovation-work.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    _past_the_racy_margin()  # of the change time utime set
    code, out, _ = run_cli("index")
    assert out.startswith("2 documents: 0 added, 0 updated, 0 removed, 2 unchanged; 27 passages")
    assert _live(index)[0] != before[0]
    after_touch = _live(index)
    assert run_cli("index")[0] == 0 and _live(index) == after_touch


def test_index_with_a_skipped_file_and_nothing_changed_writes_nothing(run_cli, tmp_path, corpus):
    (corpus / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nBody.\n")
    _past_the_racy_margin()
    code, _, err = run_cli("index")
    assert code == 0 and "skipped broken.md: malformed front matter at line 2" in err
    before = _live(tmp_path / "index")
    code, out, err = run_cli("index")
    assert out.startswith("2 documents: 0 added, 0 updated, 0 removed, 2 unchanged; 27 passages; 1 skipped")
    assert "skipped broken.md" in err and _live(tmp_path / "index") == before


def test_a_corpus_folder_left_empty_keeps_the_index_until_the_index_folder_is_removed(run_cli, tmp_path):
    # An unmounted share or a mistyped --corpus looks like every document removed.
    assert run_cli("index")[0] == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    for full in ((), ("--full",)):
        code, out, err = run_cli("--corpus", str(empty), "index", *full)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert "holds no documents; the index of 2 documents is kept" in err
    # The same for a folder whose files all fail (a share mounted as another user reads so).
    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    (unreadable / "a.md").write_text("---\ntitle: [unclosed\n---\n# A\n\nText.\n")
    code, out, err = run_cli("--corpus", str(unreadable), "index")
    assert code == 2 and "none of the 1 file in the corpus folder" in err and "a.md: malformed front matter" in err
    code, out, _ = run_cli("ask", "Who is the mayor of Seoul?")
    assert code == 0 and "Won Soon Park" in out
    import shutil

    shutil.rmtree(tmp_path / "index")
    code, out, _ = run_cli("--corpus", str(empty), "index")
    assert code == 0 and out.startswith("0 documents")


def test_an_index_copied_without_its_files_times_is_rebuilt_and_the_user_told_why(run_cli, tmp_path):
    import shutil

    assert run_cli("index")[0] == 0
    shutil.copytree(tmp_path / "index", tmp_path / "copy", copy_function=shutil.copyfile)  # as `cp -r`
    env = {"ASKURBACT_INDEX": str(tmp_path / "copy")}
    code, out, err = run_cli("index", env=env)
    assert code == 0 and "2 added" in out and "copied without their times" in err
    shutil.copytree(tmp_path / "index", tmp_path / "kept")  # as `cp -a`: times kept
    code, out, err = run_cli("index", env={"ASKURBACT_INDEX": str(tmp_path / "kept")})
    assert code == 0 and "2 unchanged" in out and err == ""
