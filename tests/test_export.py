"""The minutes of a chat read well: the question's words, sections without the title
repeated, a quote cited again keeps its number; they go to the working folder by default."""

import re

from askurbact.export import default_export_path, to_markdown

KAVALA = "What was created in Kavala?"
TITLE = "Social Innovation: What´s behind the City Scene?"


def test_minutes_show_the_question_and_the_section_without_the_title(assistant):
    session = assistant.sessions.load("kavala")
    answer = assistant.ask(KAVALA, session=session)
    assert answer.citations[0].section.startswith(f"{TITLE} > ")  # what the index holds
    minutes = to_markdown(session)
    assert f"## 1. {KAVALA}" in minutes
    assert "searched" not in minutes and answer.query not in minutes  # no stemmed search terms
    section = answer.citations[0].section.split(" > ", 1)[1]
    assert f"[^1]: *{TITLE}*, {section} (social-innovation-behind-the-city-scene.md:" in minutes
    assert f"{TITLE} > " not in minutes


def test_minutes_say_which_words_of_a_question_the_sources_lack(town):
    session = town.sessions.load("museum")
    answer = town.ask("What is the ticket price of the boat museum?", session=session)
    whole = town.ask("When was the canal of Leeds cleaned?", session=session)
    assert answer.missing == ("ticket", "price") and whole.missing == ()
    minutes = to_markdown(town.sessions.load("museum"))  # as saved
    first, second = minutes.split("## 2. ")
    assert "*Missing from the sources: ticket price*" in first and "Missing" not in second


def test_a_quote_cited_again_is_one_reference_cited_by_its_number(assistant):
    session = assistant.sessions.load("again")
    first = assistant.ask(KAVALA, session=session)
    assistant.ask("Who is the mayor of Seoul?", session=session)
    assistant.ask(KAVALA, session=session)
    minutes = to_markdown(session)
    body, references = minutes.split("## References")
    definitions = re.findall(r"^\[\^(\d+)\]:", references, re.M)
    assert definitions == [str(n) for n in range(1, len(definitions) + 1)]  # each quote once, numbered in order
    assert len(definitions) == len({c.quote for t in session.turns for c in t.answer.citations})
    third = body.split("## 3. ")[1]
    assert re.findall(r"\[\^(\d+)\]", third) == [str(c.n) for c in first.citations]  # cited again as [^1]...


def test_the_default_export_path_is_the_working_folder(assistant, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = assistant.sessions.load("seoul")
    assert default_export_path(session) == tmp_path / "askurbact-seoul.md"


def test_minutes_are_never_written_into_the_corpus(run_cli, corpus):
    """The next question would index them as a document and cite the chat to itself."""
    code, _, err = run_cli("ask", "--session", "s", "What was created in Kavala?")
    assert code == 0, err
    code, _, err = run_cli("export", "s", str(corpus / "notes" / ".." / "minutes.md"))
    assert code == 2 and "inside the corpus folder" in err, err
    assert not (corpus / "minutes.md").exists()


def test_minutes_say_when_a_question_was_asked_within_a_filter(assistant):
    from askurbact.search.filter import Filter

    session = assistant.sessions.load("filtered")
    assistant.ask("Who is the mayor of Seoul?", session=session)
    session.filter = Filter(doc_ids=frozenset({"what-makes-local-innovation-work"}))
    nothing = assistant.ask("What was created in Kavala?", session=session)  # Kavala is in the other document
    assert not nothing.found
    minutes = to_markdown(assistant.sessions.load("filtered"))  # as saved
    first, second = minutes.split("## 2. ")
    assert "Searched only in" not in first
    assert "*Searched only in: what-makes-local-innovation-work*" in second


def test_a_turn_keeps_the_filter_it_was_searched_under(assistant):
    # The chat UI records an answer after it came back: a filter changed meanwhile is not its filter.
    from askurbact.search.filter import Filter

    session = assistant.sessions.load("changed")
    answer = assistant.ask("Who is the mayor of Seoul?", session=session, record=False)
    session.filter = Filter(doc_ids=frozenset({"what-makes-local-innovation-work"}))
    assistant.record(session, answer)
    assert not assistant.sessions.load("changed").turns[0].filter
