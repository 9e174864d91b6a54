"""Options as scripts and people expect them: global options anywhere, errors that a JSON
reader can read, help that says everything, colour on demand, shell completion."""

import json
import re
import subprocess
from pathlib import Path

import pytest

NO_ENV = {"ASKURBACT_CORPUS": "", "ASKURBACT_INDEX": ""}  # only the options say where things are
COMMANDS = ("chat", "index", "ask", "sources", "eval", "sessions", "export", "text", "completion")


def test_global_options_work_after_the_command(run_cli, tmp_path, corpus):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out, err = run_cli("ask", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--json",
                             "Who is the mayor of Seoul?", cwd=elsewhere, env=NO_ENV)
    assert code == 0, err
    assert json.loads(out)["found"] and (tmp_path / "ix" / "CURRENT").is_file()
    code, out, _ = run_cli("index", "--index", str(tmp_path / "ix"), "--corpus", str(corpus), cwd=elsewhere,
                           env=NO_ENV)
    assert code == 0 and "2 unchanged" in out
    code, out, _ = run_cli("sessions", "list", "--json", "--debug", cwd=elsewhere)
    assert code == 0 and json.loads(out) == []
    # Before the command they work as they did.
    code, out, _ = run_cli("--corpus", str(corpus), "--index", str(tmp_path / "ix"), "sources", cwd=elsewhere,
                           env=NO_ENV)
    assert code == 0 and "2 documents, 27 passages" in out


def test_with_json_an_error_is_a_json_object_too(run_cli, tmp_path):
    assert run_cli("index")[0] == 0
    cases = [(["ask", "--json", "-k", "0", "Seoul"], "argument -k: must be between 1 and 1000, not 0"),
             (["ask", "--json", "what is the"], "no words to search for"),
             (["--corpus", str(tmp_path / "missing"), "ask", "--json", "Seoul?"], "no corpus folder"),
             (["sessions", "--json", "--nosuchoption"], "unrecognized arguments: --nosuchoption"),
             (["eval", "--json", str(tmp_path / "missing.yaml")], "missing.yaml")]
    for args, message in cases:
        code, out, err = run_cli(*args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and message in err, (args, err)
        data = json.loads(out)
        assert data["exit"] == 2 and message in data["error"] and out.count("\n") == 1, (args, out)
    code, out, err = run_cli("ask", "what is the")  # without --json, stdout stays empty
    assert code == 2 and out == ""


def test_usage_errors_read_alike_and_exit_2(run_cli):
    code, _, err = run_cli("ask", "-k", "0", "Seoul")
    assert code == 2
    assert err == "askurbact: error: argument -k: must be between 1 and 1000, not 0 (see askurbact ask --help)\n"
    code, _, err = run_cli("eval", "questions.yaml", "-k", "many")
    assert code == 2 and err.startswith("askurbact: error: argument -k: must be a whole number, not 'many'")
    assert err.endswith("(see askurbact eval --help)\n")
    code, _, err = run_cli("sessions", "rename", "only-one")
    assert code == 2 and err.endswith("(see askurbact sessions rename --help)\n")


def test_debug_errors_exit_2_with_the_traceback(run_cli, tmp_path):
    code, out, err = run_cli("--debug", "--corpus", str(tmp_path / "missing"), "index")
    assert code == 2 and "Traceback" in err and err.strip().splitlines()[-1].startswith("askurbact: error:")
    code, _, err = run_cli("index", "--debug", "--corpus", str(tmp_path / "missing"))
    assert code == 2 and "Traceback" in err


def test_from_another_folder_it_says_where_it_looked_and_how_to_point_it_there(run_cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, _, err = run_cli("ask", "Who is the mayor of Seoul?", cwd=elsewhere, env=NO_ENV)
    assert code == 2
    assert f"no corpus folder 'corpus' in {elsewhere}" in err
    assert "--corpus" in err and "ASKURBACT_CORPUS" in err and "askurbact.yaml" in err


def test_each_command_has_help_with_arguments_an_example_and_exit_codes(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    for variable in ("ASKURBACT_CORPUS", "ASKURBACT_INDEX", "ASKURBACT_HOME", "NO_COLOR"):
        assert variable in out
    assert all(command in out for command in COMMANDS) and "exit codes:" in out
    for command in (*COMMANDS, "sessions rename", "sessions delete", "sessions list"):
        code, out, _ = run_cli(*command.split(), "--help")
        assert code == 0, command
        assert f"usage: askurbact {command}" in out
        assert "example:\n  askurbact " in out and "exit codes:\n  0 " in out and "\n  2 " in out, command
        assert "--corpus DIR" in out and "--color WHEN" in out, command  # the global options, after it too
    code, out, _ = run_cli("ask", "--help")
    assert "'-' reads questions from stdin" in out and "NDJSON" in out and "1    nothing relevant found" in out
    code, out, _ = run_cli("export", "--help")
    assert "'-' writes to stdout" in out and "NAME" in out and "--force" in out


def test_color_always_and_never_beside_no_color(run_cli, run_tty):
    code, out, _ = run_cli("ask", "--color", "always", "What was created in Kavala?")  # NO_COLOR=1, a pipe
    assert code == 0 and "\x1b[1;36m[1]\x1b[0m" in out
    on_terminal = run_tty("ask", "What was created in Kavala?", tty=("stdout",))
    assert on_terminal.code == 0 and "\x1b[1;36m[1]" in on_terminal.terminal
    for extra, env in ((["--color", "never"], {}), ([], {"NO_COLOR": "1"})):
        run = run_tty("ask", *extra, "What was created in Kavala?", tty=("stdout",), env=env)
        assert run.code == 0 and "Social Pharmacy" in run.terminal and "\x1b[" not in run.terminal
    code, _, err = run_cli("ask", "--color", "sometimes", "Kavala")
    assert code == 2 and "invalid choice: 'sometimes'" in err


def test_completion_scripts_come_from_the_parser(run_cli, tmp_path):
    code, script, _ = run_cli("completion", "bash")
    assert code == 0
    (tmp_path / "askurbact.bash").write_text(script)
    probe = ('source askurbact.bash\n'
             'complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _shtab_askurbact;'
             ' echo "${COMPREPLY[*]}"; }\n'
             'complete_words askurbact ses\ncomplete_words askurbact sessions ""\n'
             'complete_words askurbact ask --co\n')
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["sessions", "list rename delete", "--corpus --config --color"]
    for shell, marker in (("zsh", "#compdef askurbact"), ("fish", "complete -c askurbact")):
        code, script, _ = run_cli("completion", shell)
        assert code == 0 and marker in script
        assert all(command in script for command in COMMANDS) and "--session" in script and "rename" in script


@pytest.mark.parametrize("shell", ["powershell", ""])
def test_completion_for_an_unknown_shell_is_a_usage_error(run_cli, shell):
    code, out, err = run_cli("completion", shell)
    assert code == 2 and out == "" and "invalid choice" in err


def test_the_readme_lists_every_command_and_its_options(run_cli):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("| command | what it does |")[1].split("\n\n")[0]
    rows = re.findall(r"^\| `askurbact ([^`]*)`", table, re.M)
    assert {row.split()[0] for row in rows if row} == set(COMMANDS) - {"chat"}
    for row in rows:  # each documented option is one the command takes
        words = row.replace("\\|", " ").split()
        if not words:
            continue
        command = words[:2] if words[0] == "sessions" and len(words) > 1 and words[1].isalpha() else words[:1]
        code, out, _ = run_cli(*command, "--help")
        assert code == 0, row
        for option in re.findall(r"(?<![\w-])(-k|--[a-z-]+)", row):
            assert option in out, (row, option)
