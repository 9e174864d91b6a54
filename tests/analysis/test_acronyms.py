"""Acronyms in a question, and the words in a sentence that spell one out."""

from askurbact.analysis.acronyms import acronyms, spells_out
from askurbact.analysis.languages import stopwords
from askurbact.analysis.question import EXPANSION, analyse_question, has_answer_type

EN = stopwords("en")


def test_an_acronym_is_two_to_eight_capitals_written_alone():
    assert acronyms("What does ESF stand for, and is the ESF the same as URBACT?") == ("ESF", "URBACT")
    assert acronyms("What is SoCal? Is it in California? Is a 40-m tower tall?") == ()


def test_words_spell_an_acronym_out_in_order_stopwords_between_them():
    assert spells_out("The European Social Fund (ESF) pays for training.", "ESF", EN)
    assert spells_out("the Command/Service Module was built first", "CSM", EN)
    assert spells_out("the Organization of Arab Petroleum Exporting Countries", "OAPEC", EN)
    assert not spells_out("The ESF pays for training.", "ESF", EN)  # the acronym itself spells nothing
    assert not spells_out("Social funds of Europe", "ESF", EN)  # the letters out of order
    assert not spells_out("a song for everyone", "ASF", EN)  # stopwords spell no letter


def test_a_question_about_an_acronym_asks_for_what_it_stands_for():
    question = analyse_question("What does the acronym ESF stand for?")
    assert question.answer_type == EXPANSION and question.terms == ("esf",)  # "acronym", "stand for": frame
    assert has_answer_type("The European Social Fund (ESF) pays for training.", EXPANSION, question)
    assert not has_answer_type("The ESF pays for training in Gdansk.", EXPANSION, question)
    assert analyse_question("Que signifie URBACT ?", ("en", "fr")).answer_type == EXPANSION
    # Without an acronym there is nothing to spell out: no answer type.
    assert analyse_question("What does social innovation mean?").answer_type is None
