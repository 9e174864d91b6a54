"""`-` is standard input or output; places print as `path:line`, openable from where the
command runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

QUESTIONS = "Who is the mayor of Seoul?\n\nWhich institutions did he create under his office?\n"


def test_ask_dash_answers_each_line_of_stdin_as_ndjson(run_cli):
    code, out, err = run_cli("ask", "--json", "-", input=QUESTIONS + "bitcoin blockchain mining difficulty\n")
    assert code == 1, err  # one of them found nothing
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["question"] for a in answers] == ["Who is the mayor of Seoul?",
                                                "Which institutions did he create under his office?",
                                                "bitcoin blockchain mining difficulty"]
    assert [a["found"] for a in answers] == [True, True, False]
    assert "seoul" not in answers[1]["query"].split()  # without --session, each stands alone


def test_ask_dash_with_a_session_is_one_conversation(run_cli):
    code, out, _ = run_cli("ask", "--json", "--session", "seoul", "-", input=QUESTIONS)
    assert code == 0
    follow_up = json.loads(out.splitlines()[1])
    assert "seoul" in follow_up["query"].split() and "Social Innovation Bureau" in follow_up["answer"]
    code, out, _ = run_cli("sessions", "--json")
    assert [(s["name"], s["questions"]) for s in json.loads(out)] == [("seoul", 2)]


def test_ask_dash_reports_a_bad_line_and_answers_the_rest(run_cli):
    code, out, err = run_cli("ask", "--json", "-", input="what is the\nWho is the mayor of Seoul?\n")
    assert code == 2
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {"question": "what is the", "error": first["error"], "exit": 2} and "no words" in first["error"]
    assert second["found"] is True
    assert err.count("askurbact: error:") == 1
    code, out, _ = run_cli("ask", "-", input=QUESTIONS)  # as text: each answer under its question
    assert code == 0
    assert out.startswith("> Who is the mayor of Seoul?\n") and "\n> Which institutions did he create" in out


def test_ask_dash_with_undecodable_bytes_still_answers(tmp_path, corpus):
    env = {**os.environ, "ASKURBACT_HOME": str(tmp_path / "home"), "ASKURBACT_CORPUS": str(corpus),
           "ASKURBACT_INDEX": str(tmp_path / "index")}
    done = subprocess.run([sys.executable, "-m", "askurbact.cli", "ask", "--json", "-"], capture_output=True,
                          input=b"\xef\xbb\xbfWho is the mayor of Seoul\xff?\r\n", env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["question"] == "Who is the mayor of Seoul\ufffd?"  # no BOM, no CR


def test_export_dash_writes_the_minutes_to_stdout(run_cli, tmp_path):
    run_cli("ask", "--session", "seoul", "Who is the mayor of Seoul?")
    code, out, err = run_cli("export", "seoul", "-")
    assert code == 0, err
    assert out.startswith("# Who is the mayor of Seoul?\n") and "## References" in out
    assert not (tmp_path / "-").exists()


def test_sources_print_as_path_line_from_the_working_folder(run_cli, tmp_path, corpus):
    code, out, _ = run_cli("ask", "--corpus", "corpus", "What was created in Kavala?", env={"ASKURBACT_CORPUS": ""})
    assert code == 0
    places = [line.strip() for line in out.splitlines() if ".md:" in line]
    assert places and all(p.startswith("corpus/") for p in places), out
    path, _, rest = places[0].partition(":")
    line = int(rest.split()[0])
    assert "Social Pharmacy" in (tmp_path / path).read_text().splitlines()[line - 1]  # opens from here
    code, out, _ = run_cli("ask", "--json", "What was created in Kavala?")
    citation = json.loads(out)["citations"][0]
    assert not Path(citation["path"]).is_absolute() and (corpus / citation["path"]).is_file()


def test_ask_dash_with_nothing_on_stdin_says_so(run_cli):
    for given in ("", "\n  \n"):
        code, out, err = run_cli("ask", "-", input=given)
        assert code == 2 and out == "" and err.strip().splitlines()[-1] == (
            "askurbact: error: no question on standard input (one question a line)"), err
        assert err.count("error") == 1 and "Traceback" not in err


def test_output_an_encoding_cannot_hold_is_escaped_in_json_and_replaced_in_text(run_cli):
    # A Latin-1 or ASCII locale cannot encode every character of a document ("Malmö", curly quotes).
    question = "What is Malmö known for?"
    code, exact, _ = run_cli("ask", "--json", question, process=True)
    assert code == 0
    code, out, err = run_cli("ask", "--json", question, env={"PYTHONIOENCODING": "ascii"}, process=True)
    assert code == 0, err
    assert out.isascii() and json.loads(out) == json.loads(exact)  # escapes read back to the same text
    code, out, err = run_cli("ask", question, env={"PYTHONIOENCODING": "ascii"}, process=True)
    assert code == 0 and "Traceback" not in err
    assert "Malm?" in out and "[1]" in out
    code, out, err = run_cli("sources", env={"PYTHONIOENCODING": "ascii"}, process=True)
    assert code == 0 and "Traceback" not in err
