"""Bad corpus files: each is reported once with its reason, the rest is indexed.

Tests run as root here, so `chmod 000` would not stop a read: unreadable files are
simulated by making the indexer's `open` raise PermissionError (monkeypatch)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from askurbact.index.freshness import check_freshness
from askurbact.index.reader import IndexReader
from askurbact.index.writer import cache as index_mod
from askurbact.index.writer import update_index
from conftest import run_cli, text
from index_helpers import passage_ids

LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
---

Body of the laughing document.
"""

# name -> (bytes, expected reason fragment or None when the file must be indexed)
BAD_FILES = {
    "latin1.md": ("# Caf\xe9\n\nUn caf\xe9 \xe0 Kavala.\n".encode("latin-1"), "not UTF-8"),
    "utf16.md": ("# Zebrafish report\n\nThe zebrafish of Kavala.\n".encode("utf-16"), None),
    "binary.md": (bytes(range(256)) * 8, "binary"),
    "empty.md": (b"", "empty"),
    "blank.md": (b"\n  \n\t\n", "empty"),
    "huge.md": (b"# Huge\n\n" + b"Many words in a sentence. " * 4000, "max_file_mb"),
    "badyaml.md": (b"---\ntitle: [unclosed\n---\n\nBody.\n", "malformed front matter"),
    "control_yaml.md": (b"---\ntitle: a\x08b\n---\n\nBody.\n", "malformed front matter"),
    "deep_yaml.md": (b"---\nx: " + b"[" * 5000 + b"\n---\n\nBody.\n", "malformed front matter"),
    "unclosed_fm.md": (b"---\ntitle: x\n\nBody without the end of the front matter.\n", "never ends"),
    "list_fm.md": (b"---\n- a\n- b\n---\n\nBody.\n", "not a mapping"),
    "laughs.md": (LAUGHS.encode(), "aliases"),
    "only_fm.md": (b"---\ntitle: Nothing\n---\n", "no text"),
    "wrong_types.md": (b"---\ntitle: [1, 2]\ndate: not a date\ntags: {a: 1}\nlang: klingon\n---\n\n"
                       b"# Quokka notes\n\nThe quokka of Kavala.\n", None),
    "bad_utf16.md": (b"\xff\xfe" + b"a\x00" * 5 + b"\x00\xd8", "UTF-16"),
}


def _write_bad(corpus: Path) -> None:
    for name, (data, _) in BAD_FILES.items():
        (corpus / name).write_bytes(data)


def test_bad_files_each_skipped_once_rest_indexed(settings):
    small = dataclasses.replace(settings, max_file_mb=0.05)
    _write_bad(small.corpus)
    report = update_index(small, jobs=1)
    for name, (_, reason) in BAD_FILES.items():
        if reason is None:
            assert name not in report.skipped
        else:
            assert reason in report.skipped.get(name, ""), (name, report.skipped.get(name))
    reader = IndexReader(small.index)
    paths = {d.path for d in reader.documents}
    assert {"utf16.md", "wrong_types.md", "social-innovation-behind-the-city-scene.md",
            "what-makes-local-innovation-work.md"} <= paths
    doc = next(d for d in reader.documents if d.path == "wrong_types.md")
    assert doc.date is None and doc.tags == () and doc.lang == "en"
    warnings = [w for w in report.warnings if w.startswith("wrong_types.md")]
    assert any("date" in w for w in warnings) and any("tags" in w for w in warnings)
    # A second run does not read them again and reports nothing new.
    assert check_freshness(small).fresh
    again = update_index(small, jobs=1)
    assert again.unchanged == len(paths) and not again.changed


def test_cli_reports_each_skipped_file_once(settings, tmp_path):
    _write_bad(settings.corpus)
    config = tmp_path / "askurbact.yaml"
    config.write_text("max_file_mb: 0.05\n")
    (settings.corpus / "outside.md").symlink_to("/etc/hostname")
    proc = run_cli(settings, "index", extra=("--config", str(config)))
    err = text(proc.stderr)
    assert proc.returncode == 0 and "Traceback" not in err, err
    for name, (_, reason) in BAD_FILES.items():
        lines = [line for line in err.splitlines() if f"skipped {name}:" in line]
        assert len(lines) == (0 if reason is None else 1), (name, err)
    assert err.count("skipped outside.md: a link to outside the corpus folder") == 1
    ask = run_cli(settings, "ask", "Who is the mayor of Seoul?", extra=("--config", str(config)))
    assert ask.returncode == 0, text(ask.stderr)


def test_symlinks_outside_not_followed_and_loops_do_not_hang(settings, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nThe password is swordfish.\n")
    c = settings.corpus
    (c / "out.md").symlink_to(outside)
    (c / "loop1.md").symlink_to(c / "loop2.md")
    (c / "loop2.md").symlink_to(c / "loop1.md")
    (c / "self.md").symlink_to("self.md")
    (c / "dangling.md").symlink_to("nowhere.md")
    (c / "sub").mkdir()
    (c / "sub" / "up").symlink_to("..")  # a folder loop
    (c / "sub" / "inside.md").symlink_to(c / "what-makes-local-innovation-work.md")
    (c / "sub" / "away").symlink_to(tmp_path)  # a folder link out of the corpus
    os.mkfifo(c / "pipe.md")  # opening it would block forever
    report = update_index(settings, jobs=1)
    reader = IndexReader(settings.index)
    # Three documents: the two real ones and the link inside the corpus, under its own path.
    assert len(reader.documents) == 3
    assert not any("swordfish" in reader.passage(i)[0].text for i in passage_ids(reader))
    assert not any(b"swordfish" in p.read_bytes() for p in settings.index.rglob("*") if p.is_file())
    for name, why in [("out.md", "outside"), ("loop1.md", "loop"), ("self.md", "loop"),
                      ("dangling.md", "does not exist"), ("pipe.md", "not a regular file")]:
        assert why in report.skipped[name], report.skipped
    assert check_freshness(settings).fresh


def test_unreadable_file_simulated(settings, monkeypatch):
    target = settings.corpus / "what-makes-local-innovation-work.md"
    real_open = open

    def fake_open(path, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(index_mod, "open", fake_open, raising=False)
    report = update_index(settings, jobs=1)
    assert report.skipped == {"what-makes-local-innovation-work.md": "permission denied"}
    assert report.documents == 1


def test_file_vanishes_while_indexing(settings, monkeypatch):
    real = index_mod._read_corpus_file

    def vanish(path, max_bytes):
        if path.name.startswith("what-makes"):
            path.unlink()
        return real(path, max_bytes)

    monkeypatch.setattr(index_mod, "_read_corpus_file", vanish)
    report = update_index(settings, jobs=1)
    assert report.skipped == {"what-makes-local-innovation-work.md": "vanished while indexing"}
    assert report.documents == 1
    monkeypatch.undo()
    assert check_freshness(settings).fresh  # the vanished file is gone; nothing to redo
    IndexReader(settings.index)


def _change_while_reading(monkeypatch):
    real = index_mod._read_corpus_file

    def change(path, max_bytes):
        data = real(path, max_bytes)
        if path.name.startswith("what-makes"):
            path.write_text("# Rewritten\n\nThe narwhal of Kavala.\n")
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        return data

    monkeypatch.setattr(index_mod, "_read_corpus_file", change)


def test_file_changes_while_indexing_no_crash(settings, monkeypatch):
    _change_while_reading(monkeypatch)
    report = update_index(settings, jobs=1)
    assert report.documents == 2 and not report.skipped
    IndexReader(settings.index)


def test_file_changed_while_indexing_is_seen_as_stale(settings, monkeypatch):
    _change_while_reading(monkeypatch)
    update_index(settings, jobs=1)
    monkeypatch.undo()
    assert not check_freshness(settings).fresh


def test_large_file_message_gives_a_true_size(settings):
    small = dataclasses.replace(settings, max_file_mb=0.3)
    (small.corpus / "big.md").write_bytes(b"# Big\n\n" + b"word " * 80_000)
    reason = update_index(small, jobs=1).skipped["big.md"]
    assert not reason.startswith("0 MB")


def test_identical_files_keep_their_own_paths(settings):
    source = settings.corpus / "what-makes-local-innovation-work.md"
    (settings.corpus / "copy.md").write_bytes(source.read_bytes())
    update_index(settings, jobs=1)
    paths = sorted(d.path for d in IndexReader(settings.index).documents)
    assert paths == ["copy.md", "social-innovation-behind-the-city-scene.md", "what-makes-local-innovation-work.md"]
