"""Corpus files, question files and settings that used to stop everything (issue 13,
items 7, 8, 9 and 16): a name that is not UTF-8, an impossible date or a huge number in
front matter, one enormous word, two files with the same stem, a bad eval case."""

from __future__ import annotations

import dataclasses
import json
import os

from askurbact.core import Assistant
from askurbact.index.format import current_generation, load_array
from askurbact.index.writer import update_index
from askurbact.search.filter import Filter
from conftest import QUESTION, ROOT, assert_clean_failure, run_cli, text


def _du(folder) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_reason(settings):
    corpus = os.fsencode(settings.corpus)
    with open(corpus + b"/caf\xe9.md", "wb") as handle:
        handle.write(b"# x\n\nKavala text\n")
    os.mkdir(corpus + b"/d\xf6cs")
    with open(corpus + b"/d\xf6cs/inside.md", "wb") as handle:
        handle.write(b"# y\n\nMore Kavala text\n")
    proc = run_cli(settings, "index")
    assert proc.returncode == 0, text(proc.stderr)
    err = text(proc.stderr)
    assert "skipped caf\ufffd.md: its name is not valid UTF-8" in err and "skipped d\ufffdcs/: its name" in err
    assert "2 documents" in text(proc.stdout)
    proc = run_cli(settings, "ask", QUESTION)
    assert proc.returncode == 0, text(proc.stderr)
    assistant = Assistant(settings)
    assert assistant.sources() and update_index(settings, jobs=1).unchanged == 2
    assert update_index(settings, full=True, jobs=1).added == 2


BAD_DATES = {"leap": "2023-02-29", "month": "2014-13-01", "year-zero": "0000-01-01", "digits": "9" * 5000}


def test_a_bad_front_matter_value_is_ignored_with_a_warning_naming_file_and_field(settings):
    for name, value in BAD_DATES.items():
        (settings.corpus / f"{name}.md").write_text(f"---\ndate: {value}\ntitle: T {name}\n---\n# H\n\nKavala {name}.\n")
    (settings.corpus / "huge-number.md").write_text(f"---\ntitle: {'7' * 5000}\ntags: [{'8' * 5000}]\n---\nKavala.\n")
    proc = run_cli(settings, "index")
    assert proc.returncode == 0, text(proc.stderr)
    assert "7 documents" in text(proc.stdout)
    warnings = text(proc.stderr).splitlines()
    for name in BAD_DATES:
        assert any(line.startswith(f"askurbact: warning: {name}.md: front matter 'date'") for line in warnings), name
    reader = Assistant(settings).reader
    assert {d.path: d.date for d in reader.documents}["leap.md"] is None


def test_a_bad_value_or_case_in_an_eval_file_is_named_and_the_rest_runs(settings, tmp_path):
    update_index(settings, jobs=1)
    cases = tmp_path / "questions.yaml"
    cases.write_text("- id: seoul\n  ask: Who is the mayor of Seoul?\n  expect: Won Soon Park\n"
                     "- id: leap-day\n  ask: What happened on 2023-02-29?\n  expect: 2023-02-29\n"
                     f"- id: {'9' * 5000}\n  ask: Kavala?\n  expect: Social Pharmacy\n"
                     "- id: no-question\n  expect: something\n"
                     "- id: only-stopwords\n  ask: what is the of\n  expect: x\n"
                     "- id: kavala\n  ask: What was created in Kavala?\n  expect: Social Pharmacy\n")
    proc = run_cli(settings, "eval", str(cases), "--json")
    assert proc.returncode == 2 and "Traceback" not in text(proc.stderr)
    report = json.loads(proc.stdout)
    assert report["metrics"]["cases"] == 4 and report["metrics"]["errors"] == 2
    assert {e["id"] for e in report["errors"]} == {"no-question", "only-stopwords"}
    err = text(proc.stderr)
    assert "case 'no-question'" in err and "case 'only-stopwords'" in err


def test_one_enormous_word_does_not_inflate_the_index(settings, tmp_path):
    update_index(settings, jobs=1)
    plain = _du(current_generation(settings.index))
    giant = "x" * 100_000
    (settings.corpus / "giant.md").write_text(f"# Giant\n\nThe Kavala harbour word {giant} ends here.\n")
    proc = run_cli(settings, "index")
    assert proc.returncode == 0, text(proc.stderr)
    gen = current_generation(settings.index)
    assert load_array(gen, "vocab").dtype.itemsize <= 255
    assert _du(gen) < plain + 200_000  # the word itself stays in the passage text (in the cache)
    answer = Assistant(settings).ask("Which word ends in the Kavala harbour?")
    assert answer.found and any(giant in h.passage.text for h in answer.hits)


def test_files_that_share_a_stem_have_their_own_ids(settings):
    (settings.corpus / "notes.md").write_text("# Notes\n\nThe Kavala pharmacy in Markdown.\n")
    (settings.corpus / "notes.txt").write_text("Notes\n\nThe Kavala pharmacy in plain text.\n")
    (settings.corpus / "notes.txt.md").write_text("# More notes\n\nThe Kavala pharmacy, a third time.\n")
    update_index(settings, jobs=1)
    assistant = Assistant(settings)
    ids = {d.path: d.doc_id for d in assistant.reader.documents}
    assert ids["notes.md"] == "notes" and ids["notes.txt"] == "notes.txt" and ids["notes.txt.md"] == "notes.txt.md"
    assert len(set(ids.values())) == len(ids)
    for path, doc_id in ids.items():
        if path.startswith("notes"):
            answer = assistant.ask("Kavala pharmacy", where=Filter(doc_ids=frozenset({doc_id})))
            assert {h.document.path for h in answer.hits} == {path}


def test_home_of_an_unknown_user_is_a_clear_error(settings, tmp_path):
    config = tmp_path / "askurbact.yaml"
    config.write_text("home: ~nosuchuser12345/x\n")
    line = assert_clean_failure(run_cli(settings, "sessions", extra=("--config", str(config))))
    assert "'home'" in line and "~nosuchuser12345" in line


def test_a_corpus_that_is_a_file_is_named_as_such(settings, tmp_path):
    file = tmp_path / "corpus.md"
    file.write_text("# not a folder\n")
    line = assert_clean_failure(run_cli(dataclasses.replace(settings, corpus=file), "index"))
    assert "is a file, not a folder" in line


def test_k1_out_of_range_names_the_range(settings, tmp_path):
    config = tmp_path / "askurbact.yaml"
    config.write_text("k1: 1e308\n")
    line = assert_clean_failure(run_cli(settings, "index", extra=("--config", str(config))))
    assert "'k1' must be between 0.0 and 10.0" in line


def test_the_bundled_eval_file_still_loads_every_case(settings):
    import yaml

    from askurbact.evaluate import load_cases

    path = ROOT / "tests" / "eval" / "questions.yaml"
    cases, problems = load_cases(path)
    assert len(cases) == len(yaml.safe_load(path.read_text(encoding="utf-8"))) and not problems


def test_citation_lines_count_a_lone_cr_as_a_line_end(settings):
    """Item 17: the README states the convention, and citations follow it."""
    (settings.corpus / "old-mac.txt").write_bytes(b"Old notes\r\rThe lighthouse keeper of Kavala\rlit the lamp at dusk.\r")
    update_index(settings, jobs=1)
    citation = Assistant(settings).ask("Who lit the lamp in Kavala?").citations[0]
    lines = (settings.corpus / "old-mac.txt").read_text(encoding="utf-8").splitlines()  # universal newlines
    assert citation.path == "old-mac.txt" and citation.lines == (3, 4)
    assert " ".join(citation.quote.split()) in " ".join(lines[2:4])
    assert "a lone CR counts as a line end" in " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


def test_a_file_name_with_a_line_break_is_skipped_and_shown_on_one_line(settings):
    """A line break in a name would split one-line messages and citations (and could forge a
    line of output): the file is left out, its name shown with the break as a symbol."""
    (settings.corpus / "evil\nskipped notes.md").write_text("# x\n\nzebrafoo Kavala text\n", encoding="utf-8")
    proc = run_cli(settings, "index")
    assert proc.returncode == 0, text(proc.stderr)
    lines = [line for line in text(proc.stderr).splitlines() if "evil" in line]
    assert lines == ["askurbact: skipped evil\u240askipped notes.md: its name has a line break; rename it"], lines
    assert "2 documents" in text(proc.stdout)
    again = run_cli(settings, "ask", QUESTION)
    assert again.returncode == 0 and "updating the index" not in text(again.stderr), text(again.stderr)
