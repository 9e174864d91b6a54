"""`askurbact sessions`: list (also as JSON), rename and delete saved chats by name."""

import json


def _two_chats(run_cli):
    run_cli("ask", "--session", "seoul", "Who is the mayor of Seoul?")
    run_cli("ask", "--session", "malmo", "What were the workshops in Malmö about?")
    run_cli("ask", "--session", "malmo", "Who took part?")


def test_sessions_lists_by_name_as_text_and_json(run_cli):
    _two_chats(run_cli)
    code, out, _ = run_cli("sessions")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[0] == "malmo" and " 2 questions " in lines[0]
    assert lines[1].split()[0] == "seoul" and " 1 question " in lines[1] and "1 questions" not in out
    code, out, _ = run_cli("sessions", "--json")
    chats = json.loads(out)
    assert [(c["name"], c["questions"], c["title"]) for c in chats] == [
        ("malmo", 2, "What were the workshops in Malmö about?"), ("seoul", 1, "Who is the mayor of Seoul?")]
    assert all(c["created"] and c["updated"] for c in chats)
    code, out, _ = run_cli("ask", "--session", "seoul", "Which institutions did he create under his office?")
    assert "(session seoul: 2 questions)" in out


def test_rename_changes_the_name_and_never_replaces_a_chat(run_cli, tmp_path):
    _two_chats(run_cli)
    code, out, _ = run_cli("sessions", "rename", "seoul", "seoul-2014")
    assert code == 0 and out == "renamed seoul to seoul-2014\n"
    code, out, _ = run_cli("sessions", "--json")
    assert sorted(c["name"] for c in json.loads(out)) == ["malmo", "seoul-2014"]
    code, out, _ = run_cli("export", "seoul-2014", "-")
    assert code == 0 and "Chat `seoul-2014`" in out
    code, _, err = run_cli("ask", "--session", "seoul-2014", "--json", "Which institutions did he create?")
    assert code == 0 and len(json.loads(run_cli("sessions", "--json")[1])) == 2  # continued, not copied

    saved = (tmp_path / "home" / "sessions" / "malmo.json").read_bytes()
    code, out, err = run_cli("sessions", "rename", "seoul-2014", "malmo")
    assert code == 2 and out == "" and err == ("askurbact: error: a saved chat named 'malmo' already exists; "
                                               "choose another name\n")
    assert (tmp_path / "home" / "sessions" / "malmo.json").read_bytes() == saved
    for args, message in ((["nosuch", "other"], "no saved chat named 'nosuch'"),
                          (["malmo", "no spaces"], "invalid session name 'no spaces'")):
        code, _, err = run_cli("sessions", "rename", *args)
        assert code == 2 and message in err


def test_delete_asks_on_a_terminal_and_needs_yes_otherwise(run_cli, run_tty, tmp_path):
    _two_chats(run_cli)
    saved = tmp_path / "home" / "sessions" / "seoul.json"
    code, out, err = run_cli("sessions", "delete", "seoul")  # stdin is not a terminal
    assert code == 2 and saved.exists()
    assert "not deleting seoul without confirmation" in err and "--yes" in err
    run = run_tty("sessions", "delete", "seoul", tty=("stdin", "stderr"), typed="n\n")
    assert run.code == 0 and saved.exists()
    assert "Delete the saved chat seoul (\u201cWho is the mayor of Seoul?\u201d, 1 question)?" in run.screen_text
    run = run_tty("sessions", "delete", "seoul", tty=("stdin", "stderr"), typed="y\n")
    assert run.code == 0 and run.stdout == "deleted seoul\n" and not saved.exists()
    code, out, _ = run_cli("sessions", "delete", "malmo", "--yes")
    assert code == 0 and out == "deleted malmo\n"
    code, _, err = run_cli("sessions", "delete", "malmo", "--yes")
    assert code == 2 and "no saved chat named 'malmo'" in err
    assert run_cli("sessions")[1].startswith("no saved chats in ")


def test_a_damaged_chat_can_be_deleted_with_yes(run_cli, tmp_path):
    _two_chats(run_cli)
    damaged = tmp_path / "home" / "sessions" / "broken.json"
    damaged.write_text('{"not": "a chat"')
    code, out, _ = run_cli("sessions", "delete", "broken", "--yes")
    assert code == 0 and out == "deleted broken\n" and not damaged.exists()


def test_a_chat_renamed_in_the_chat_screen_is_continued_and_exported_by_its_title(run_cli, tmp_path):
    # The chat screen's F2 changes the title a chat is listed with, not its file name.
    from askurbact.session import SessionStore

    _two_chats(run_cli)
    SessionStore(tmp_path / "home").retitle("malmo", "Malmö workshops")
    code, out, err = run_cli("ask", "--session", "malmö Workshops", "Who else took part?")
    assert code == 0 and "(session malmo: 3 questions)" in out, err
    code, out, _ = run_cli("export", "Malmö workshops", "-")
    assert code == 0 and "Chat `malmo`" in out
    # A title two chats share names neither; a new chat still needs a name askurbact can give a file.
    SessionStore(tmp_path / "home").retitle("seoul", "Malmö workshops")
    code, _, err = run_cli("ask", "--session", "Malmö workshops", "Who took part?")
    assert code == 2 and "2 saved chats have the title" in err and "malmo" in err and "seoul" in err
    code, _, err = run_cli("ask", "--session", "no such chat", "Who took part?")
    assert code == 2 and "invalid session name 'no such chat': no saved chat has that title" in err
    # A name is never read as a title: "seoul" continues the chat named seoul, not one titled so.
    SessionStore(tmp_path / "home").retitle("malmo", "seoul-2")
    code, out, _ = run_cli("ask", "--session", "seoul-2", "Who is the mayor of Seoul?")
    assert code == 0 and "(session seoul-2: 1 question)" in out
    assert sorted(c["name"] for c in json.loads(run_cli("sessions", "--json")[1])) == ["malmo", "seoul", "seoul-2"]
