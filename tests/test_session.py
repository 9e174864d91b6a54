import pytest

from askurbact.core import Assistant
from askurbact.errors import SessionError
from askurbact.session import Session


def test_follow_up_is_answered_in_the_context_of_the_previous_turn(assistant):
    session = assistant.sessions.load("seoul")
    assistant.ask("How did Seoul's mayor involve citizens?", session=session)
    answer = assistant.ask("Which institutions did he create under his office?", session=session)
    assert "seoul" in answer.query.split() and "Social Innovation Bureau" in answer.text


def test_follow_up_with_no_words_of_its_own_uses_the_previous_question(assistant):
    session = assistant.sessions.load("kavala")
    assistant.ask("What was created in Kavala?", session=session)
    answer = assistant.ask("Where was that?", session=session)
    assert "kavala" in answer.query.split() and answer.found


def test_a_new_topic_is_not_mixed_with_the_previous_one(assistant):
    session = assistant.sessions.load("topics")
    assistant.ask("What was created in Kavala?", session=session)
    answer = assistant.ask("Which methodology did the TOGETHER network use?", session=session)
    assert "kavala" not in answer.query.split() and "SPIRAL" in answer.text


def test_sessions_are_saved_and_continued_by_a_new_process(assistant, settings):
    session = assistant.sessions.load("minutes")
    assistant.ask("Who is the mayor of Seoul?", session=session)
    again = Assistant(settings).sessions.load("minutes", create=False)
    assert again.title == "Who is the mayor of Seoul?" and len(again.turns) == 1
    assert again.turns[0].answer.found is True
    assert [s.id for s in assistant.sessions.list()] == ["minutes"]
    assert assistant.sessions.search("won soon") and not assistant.sessions.search("mercury")


def test_an_answer_can_be_recorded_later_or_not_at_all(assistant):
    session = assistant.sessions.load("later")
    answer = assistant.ask("Who is the mayor of Seoul?", session=session, record=False)
    assert session.turns == [] and assistant.sessions.list() == []
    assistant.record(session, answer)
    saved = assistant.sessions.load("later", create=False)
    assert [t.question for t in saved.turns] == ["Who is the mayor of Seoul?"]
    assert saved.turns[0].search_terms == ["mayor", "seoul"]


def test_retitle_rename_and_delete(assistant):
    session = Session("x")
    assistant.ask("Who is the mayor of Seoul?", session=session)
    assert assistant.sessions.retitle("x", "Seoul notes").title == "Seoul notes"
    assistant.sessions.rename("x", "seoul")
    assert [(s.id, s.title) for s in assistant.sessions.list()] == [("seoul", "Seoul notes")]
    again = assistant.sessions.load("seoul", create=False)
    assistant.ask("Who took part?", session=again)  # saved under its new name, not the old one
    assert not assistant.sessions.exists("x") and len(assistant.sessions.load("seoul").turns) == 2
    assistant.sessions.delete("seoul")
    assert assistant.sessions.list() == []
    with pytest.raises(SessionError, match="no saved chat named 'seoul'"):
        assistant.sessions.delete("seoul")


def test_renamed_and_deleted_chats_leave_no_lock_files_behind(tmp_path):
    from askurbact.session import SessionStore

    store = SessionStore(tmp_path)
    for name in ("a", "b", "c"):
        store.save(Session(name, title=name))
    store.rename("a", "a2")
    store.delete("b")
    with pytest.raises(SessionError, match="no saved chat named 'nosuch'"):
        store.delete("nosuch")
    store.save(store.load("a2"))
    assert sorted(p.name for p in store.folder.iterdir()) == [".a2.json.lock", ".c.json.lock", "a2.json", "c.json"]


def test_a_save_that_waited_for_a_deletion_takes_a_lock_of_its_own(tmp_path):
    # The deletion removes the lock file it holds; the save waiting on it must not then hold
    # a lock on a file no one else can see, while a third save takes the new one.
    import threading
    import time

    from askurbact.session import SessionStore

    store = SessionStore(tmp_path)
    store.save(Session("s", title="first"))
    saved = threading.Event()

    def save_again():
        SessionStore(tmp_path).save(Session("s", title="second"))
        saved.set()

    with store._holding("s", "delete"):
        store.path("s").unlink()
        waiting = threading.Thread(target=save_again)
        waiting.start()
        time.sleep(0.2)  # the save is waiting for the lock
        assert not saved.is_set()
    waiting.join(10)
    assert saved.is_set() and store.load("s").title == "second"
    assert (store.folder / ".s.json.lock").exists()  # the save made its own
    lock = store._lock("s")
    lock.acquire(timeout=0)  # and released it: nobody holds a lock no one can see
    lock.release()


def test_rename_never_replaces_another_chat(assistant):
    for name in ("a", "b"):
        assistant.ask("Who is the mayor of Seoul?", session=Session(name))
    before = assistant.sessions.path("b").read_bytes()
    with pytest.raises(SessionError, match="'b' already exists"):
        assistant.sessions.rename("a", "b")
    assert assistant.sessions.path("b").read_bytes() == before and assistant.sessions.exists("a")
    with pytest.raises(SessionError, match="invalid session name"):
        assistant.sessions.rename("a", "../elsewhere")
    with pytest.raises(SessionError, match="no saved chat named 'c'"):
        assistant.sessions.rename("c", "d")


def test_chats_saved_within_one_second_are_listed_newest_first(tmp_path, monkeypatch):
    import os

    from askurbact import session as session_module
    from askurbact.session import SessionStore

    monkeypatch.setattr(session_module, "now", lambda: "2026-12-01T10:00:00+00:00")  # one second for all
    store = SessionStore(tmp_path)
    for order, name in enumerate(["zz", "aa", "mm"]):  # saved in this order
        store.save(Session(name, title=name))
        os.utime(store.path(name), ns=(10**18 + order, 10**18 + order))
    assert [s.id for s in store.list()] == ["mm", "aa", "zz"]


def test_saved_times_are_shown_in_the_local_time_zone(monkeypatch):
    import time

    from askurbact.session import local_minute

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert local_minute("2026-12-02T03:20:09+00:00") == "2026-12-02 04:20"  # saved under UTC, read in Paris
        assert local_minute("2026-07-01T23:59:00-04:00") == "2026-07-02 05:59"
        assert local_minute("2026-12-02T03:20:09") == "2026-12-02 03:20"  # no zone: as written
        assert local_minute("not a time") == "not a time"
    finally:
        monkeypatch.undo()
        time.tzset()
