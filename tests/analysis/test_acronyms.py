"""Acronyms in a question, and the words in a sentence that spell one out."""

from askurbact.analysis.acronyms import acronyms, spells_out
from askurbact.analysis.languages import stopwords
from askurbact.analysis.question import DATE, EXPANSION, NUMBER, PERSON, analyse_question, has_answer_type

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
    assert not spells_out("a song for everyone", "ASF", EN)  # a stopword spells no first letter
    assert spells_out("A Freedom of Information (FOI) request", "FOI", EN)  # but may spell one inside
    assert spells_out("the People's Republic of China", "PRC", EN)


def test_a_question_about_an_acronym_asks_for_what_it_stands_for():
    question = analyse_question("What does the acronym ESF stand for?")
    assert question.answer_type == EXPANSION and question.terms == ("esf",)  # "acronym", "stand for": frame
    assert has_answer_type("The European Social Fund (ESF) pays for training.", EXPANSION, question)
    assert not has_answer_type("The ESF pays for training in Gdansk.", EXPANSION, question)
    assert analyse_question("Que veut dire le sigle FSE ?", ("en", "fr")).answer_type == EXPANSION
    # Without an acronym there is nothing to spell out: no answer type.
    assert analyse_question("What is the abbreviation for the European Social Fund?").answer_type is None


def test_another_answer_type_comes_first_and_meaning_is_not_spelling_out():
    assert analyse_question("When did the acronym ESF first appear?").answer_type == DATE
    assert analyse_question("Who does the ESF stand for?").answer_type == PERSON
    assert analyse_question("¿Cuántos millones significa el FSE para Madrid?", ("en", "es")).answer_type == NUMBER
    # "What does X mean" asks for a definition or an effect, not for what X stands for.
    assert analyse_question("What does the EU mean by social innovation?").answer_type is None


def test_in_a_question_in_capitals_no_word_is_an_acronym():
    assert acronyms("WHAT DOES IT STAND FOR?") == ()
    assert analyse_question("WHAT DOES IT STAND FOR?").answer_type is None
    assert analyse_question("WHEN WAS URBACT FOUNDED?").answer_type == DATE


def test_the_longest_acronym_is_the_one_asked_about():
    question = analyse_question("What does ESF stand for in the EU?")
    assert not has_answer_type("We did it with the European Union.", EXPANSION, question)
    assert has_answer_type("The European Social Fund pays.", EXPANSION, question)
