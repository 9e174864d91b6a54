"""Which sentence answers (issue 12, third round), each on its own small corpus: a
sentence that points back to the one before it, longer or shorter forms of the question's words,
answer types named by the question's noun, and never the question's own number."""

from __future__ import annotations

from pathlib import Path

from askurbact.analysis.question import DATE, NUMBER, PERSON, PLACE, analyse_question, has_answer_type
from askurbact.config import Settings
from askurbact.core import Assistant

OTHER = """---
title: The library of Tampere
---
# The library of Tampere

The central library of Tampere, called Metso, was designed by the architects Reima and
Raili Pietilä. Its roof is shaped like a wood grouse.
"""


def one_sentence(tmp_path: Path, text: str) -> Assistant:
    """An assistant over `text` (and another document) that answers with one sentence:
    the one it judges best."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "notes.md").write_text(text, encoding="utf-8")
    (corpus / "other.md").write_text(OTHER, encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home", max_sentences=1))
    helper.update()
    return helper


def test_a_sentence_that_points_back_answers_for_its_subject(tmp_path):
    """"It was rebuilt ..." is about the lighthouse named in the sentence before it."""
    helper = one_sentence(tmp_path, "# Coast\n\nThe lighthouse of Hel was built on the dunes in 1826. It was "
                                    "rebuilt in brick after a storm broke its wooden tower.\n")
    answer = helper.ask("Why was the lighthouse of Hel rebuilt in brick?")
    assert answer.text.startswith("It was rebuilt in brick after a storm")


def test_a_longer_form_of_a_question_word_matches_it(tmp_path):
    """"division" and "divisional" stem to "divis" and "division"."""
    helper = one_sentence(tmp_path, "# Football\n\nThe club decided to rebuild the stadium. The divisional "
                                    "board decided to rebuild the stadium with the club.\n")
    assert helper.ask("What did the division decide about the stadium?").text.startswith("The divisional board")


def test_which_city_asks_for_a_place_name(tmp_path):
    helper = one_sentence(tmp_path, "# Sailing\n\nThe regatta was hosted by the sailing club of the bay. In "
                                    "2015 the regatta was hosted by Gdynia.\n\nThe city has a long sea front.\n")
    assert analyse_question("Which city hosted the regatta?").answer_type == PLACE
    assert helper.ask("Which city hosted the regatta?").text.startswith("In 2015 the regatta was hosted by Gdynia.")


def test_a_name_that_starts_a_sentence_is_a_name():
    question = analyse_question("Which network aired the final?")
    assert has_answer_type("CBS aired the final in the evening.", PERSON, question)
    assert not has_answer_type("The final was aired in the evening.", PERSON, question)


def test_how_many_is_not_answered_by_the_question_s_own_number(tmp_path):
    helper = one_sentence(tmp_path, "# Sailing\n\nIn the 2015 regatta, the crews sailed past the old "
                                    "lighthouse. Forty boats sailed in the regatta.\n")
    assert helper.ask("How many boats sailed in the 2015 regatta?").text.startswith("Forty boats sailed")


def test_answer_types_read_numbers_and_months_as_words_not_as_word_starts():
    when = analyse_question("When did the mayor open the market?")
    assert when.answer_type == DATE
    assert not has_answer_type("The mayor opened the market with a major ceremony.", DATE, when)
    assert has_answer_type("The market opened in May.", DATE, when)
    how_many = analyse_question("How many units does the university have?")
    assert how_many.answer_type == NUMBER
    assert not has_answer_type("The university is a central institution.", NUMBER, how_many)
    assert not has_answer_type("The university opened in 1990.", NUMBER, how_many)  # a year, not a count
    assert has_answer_type("The university has twelve units.", NUMBER, how_many)


def test_the_best_sentence_s_neighbour_with_the_rest_of_the_question_comes_second(tmp_path):
    """Asked about two things, the answer has the sentence on each: the neighbour that holds
    what the best sentence lacks comes before a sentence repeating the best one's words."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "port.md").write_text(
        "# Port\n\nThe harbour of Gdynia was dredged in 1930, after a storm. Councillors later planned a "
        "marina there. Ships still reach the dredged harbour of Gdynia through a channel.\n",
        encoding="utf-8")
    (corpus / "other.md").write_text(OTHER, encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home", max_sentences=2))
    helper.update()
    answer = helper.ask("When was the harbour of Gdynia dredged, and who planned the marina?")
    quotes = [c.quote for c in answer.citations]
    assert quotes[0].startswith("The harbour of Gdynia was dredged in 1930")
    assert "Councillors later planned a marina there." in answer.text
    assert "Ships still reach" not in answer.text


def test_further_quotes_keep_to_the_name_the_first_answers_about(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "gdynia.md").write_text("# Gdynia\n\nThe cycling plan of Gdynia was presented by the deputy mayor "
                                      "in 2019. It adds forty kilometres of bicycle lanes along the sea front.\n",
                                      encoding="utf-8")
    (corpus / "miami.md").write_text("# Miami Transitway\n\nA cycling plan for the Transitway was presented "
                                     "by the county commission.\n", encoding="utf-8")
    (corpus / "other.md").write_text(OTHER, encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update()
    answer = helper.ask("Who presented the cycling plan in Gdynia?")
    assert answer.found and answer.citations[0].path == "gdynia.md"
    assert {c.path for c in answer.citations} == {"gdynia.md"}, answer.text
    # A question naming both cities keeps both; one naming none, too.
    both = helper.ask("Who presented the cycling plans of Gdynia and Miami?")
    assert {c.path for c in both.citations} == {"gdynia.md", "miami.md"}, both.text
    assert {c.path for c in helper.ask("Who presented a cycling plan?").citations} == {"gdynia.md", "miami.md"}


def test_a_table_of_contents_line_is_not_quoted(tmp_path):
    """A contents line holds the question's words with a page number (as a PDF's text has it,
    one line after another); the sentence that says something about them answers, alone."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "guide.md").write_text(
        "# Harbour guide\n\nContents\n\n1 Introduction . . . . . . . . 2\n2 What the old harbour crane lifted "
        ". . . . . . . . 3\n3 Ferries to the islands . . . . . . . . 5\n\n# Cranes\n\nThe old harbour crane "
        "lifted masts until 1950.\n", encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update()
    answer = helper.ask("What did the old harbour crane lift?")
    assert answer.text == "The old harbour crane lifted masts until 1950. [1]"


def test_a_sentence_after_a_table_of_contents_on_its_line_is_quoted(tmp_path):
    """A text file's table of contents runs into the body: the entries are left out, the
    sentence after them is the answer, without the last entry's page number."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "tram.txt").write_text("Tram report\n\nContents 1 Introduction........3 2 Tram depot........9 The "
                                     "tram depot was moved to the northern edge of the city in 2018.\n", encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update()
    answer = helper.ask("Where was the tram depot moved?")
    assert answer.text == "The tram depot was moved to the northern edge of the city in 2018. [1]"


def test_a_sentence_with_dots_but_no_page_number_is_quoted(tmp_path):
    helper = one_sentence(tmp_path, "# Port\n\nThe harbour master explained the delay..... it took years to get "
                                    "the permits.\n")
    assert helper.ask("What did the harbour master explain about the delay?").text.startswith(
        "The harbour master explained the delay")
