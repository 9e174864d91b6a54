"""A reader that hangs, crashes the process or fails on one file: that file is skipped with the
reason, within its time limit, and every other file is indexed, whether the indexer parses
in its own process or in worker processes."""

from __future__ import annotations

import os
import signal
import time

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.index.writer import batch, isolation, update_index
from askurbact.ingest.formats import pdf
from made_files import make_pdf

LIMIT = 1.0
HOSTILE = {  # what the patched PDF reader does on a file holding the marker
    "hangs.pdf": b"HANG", "segfaults.pdf": b"SEGV", "exits.pdf": b"EXIT", "fails.pdf": b"BUG",
}


def _hostile_reader(real):
    def extract(data: bytes, rel_path: str, time_limit: float | None = None):
        if b"HANG" in data:
            time.sleep(3600)  # never checks its time limit: only killing it ends it
        if b"SEGV" in data:
            os.kill(os.getpid(), signal.SIGSEGV)
        if b"EXIT" in data:
            os._exit(3)
        if b"BUG" in data:
            raise ZeroDivisionError("division by zero")
        return real(data, rel_path, time_limit)
    return extract


@pytest.fixture
def hostile_corpus(corpus, monkeypatch):
    monkeypatch.setattr(pdf, "extract", _hostile_reader(pdf.extract))  # forked children inherit it
    for name, marker in HOSTILE.items():
        (corpus / name).write_bytes(b"%PDF-1.4\n" + marker + b"\n%%EOF\n")
    (corpus / "good.pdf").write_bytes(make_pdf(["Depot report\n\nThe Gdynia tram depot was rebuilt with solar panels in 2019."]))
    return corpus


@pytest.mark.parametrize("jobs", [1, 2], ids=["in the indexer", "in worker processes"])
def test_hanging_and_crashing_readers_skip_their_file_only(hostile_corpus, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(batch, "MIN_BATCH_BYTES", 0)  # with 2 jobs: several batches, several workers
    settings = Settings(corpus=hostile_corpus, index=tmp_path / "ix", home=tmp_path / "home", max_parse_seconds=LIMIT)
    started = time.monotonic()
    report = update_index(settings, jobs=jobs)
    elapsed = time.monotonic() - started
    assert report.skipped == {
        "hangs.pdf": "took longer than 1 s",
        "segfaults.pdf": "the PDF reader crashed on it (killed by SIGSEGV)",
        "exits.pdf": "the PDF reader crashed on it (exit code 3)",
        "fails.pdf": "the reader failed (ZeroDivisionError: division by zero)",
    }
    assert report.added == 3  # the two bundled articles and good.pdf
    assert elapsed < 1 + LIMIT + 3  # one time limit (and its grace), not one per hostile file or worse
    answer = Assistant(settings).ask("When was the Gdynia tram depot rebuilt with solar panels?")
    assert answer.found and answer.citations[0].path == "good.pdf" and answer.citations[0].page == 1


def test_the_time_limit_is_a_setting(tmp_path):
    from askurbact.config import load_settings
    from askurbact.errors import ConfigError

    (tmp_path / "a.yaml").write_text("max_parse_seconds: 5\n", encoding="utf-8")
    assert load_settings(tmp_path / "a.yaml").max_parse_seconds == 5
    (tmp_path / "b.yaml").write_text("max_parse_seconds: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="max_parse_seconds"):
        load_settings(tmp_path / "b.yaml")


def test_from_a_thread_the_child_is_spawned_and_reads_the_same(corpus, tmp_path):
    """The chat UI indexes from a thread, where forking is unsafe: the parsing child is then
    spawned (a fresh interpreter), and reads the file as a forked one does."""
    import threading

    (corpus / "good.pdf").write_bytes(make_pdf(["Depot report\n\nThe Gdynia tram depot was rebuilt in 2019\n"
                                                "with solar panels on the roof of its\nnew hall for the trams."]))
    methods, start_method = [], batch._start_method

    def recording():
        methods.append(start_method().get_start_method())
        return start_method()

    settings = Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home")
    outcome = {}
    # An earlier test's update_index in this process may have left its parser running, which
    # this run would reuse without choosing a start method.
    isolation.release_parser()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "_start_method", recording)
        thread = threading.Thread(target=lambda: outcome.update(report=update_index(settings, jobs=1)))
        thread.start()
        thread.join()
    assert methods == ["spawn"] and outcome["report"].added == 3 and not outcome["report"].skipped
    hit = Assistant(settings).ask("When was the Gdynia tram depot rebuilt?").citations[0]
    assert (hit.path, hit.page, hit.lines, hit.format) == ("good.pdf", 1, (3, 5), "pdf")


def test_a_file_over_its_time_limit_does_not_make_every_update_wait(hostile_corpus, tmp_path, monkeypatch):
    """Unchanged, it is skipped again without being read (it would take as long again); changed,
    or with --full, it is read again."""
    from askurbact.index.writer import update as update_module

    read: list[str] = []  # the files each update gives its readers (not timed: a loaded machine is slow)
    real = update_module.process_files
    monkeypatch.setattr(update_module, "process_files", lambda todo, *args: read.extend(todo) or real(todo, *args))
    settings = Settings(corpus=hostile_corpus, index=tmp_path / "ix", home=tmp_path / "home", max_parse_seconds=LIMIT)
    assert update_index(settings, jobs=1).skipped["hangs.pdf"] == "took longer than 1 s"
    assert "hangs.pdf" in read
    (hostile_corpus / "good.pdf").write_bytes(make_pdf(["Depot report\n\nThe depot opened in 2021."]))
    read.clear()
    report = update_index(settings, jobs=1)
    assert "good.pdf" in read and "hangs.pdf" not in read and report.updated == 1
    assert report.skipped["hangs.pdf"] == ("took longer than 1 s (not tried again until it changes; "
                                           "'askurbact index --full' tries again)")
    started = time.monotonic()
    report = update_index(settings, jobs=1, full=True)
    assert time.monotonic() - started > LIMIT and report.skipped["hangs.pdf"] == "took longer than 1 s"
