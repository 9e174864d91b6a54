"""Questions nobody tuned for (issue 12): the gate, typos, frames, follow-ups and topic
switches, mixed languages, tiny corpora, first-line quotes and answer types, each on its
own small corpus written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from askurbact.analysis import analyzer
from askurbact.analysis.question import analyse_question
from askurbact.answer.model import NOTHING_MORE
from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.search import rerank
from askurbact.search.query import CARRIED_TERMS
from askurbact.session import Session

HARBOUR = """---
title: The harbour of Portsmouth
---
# The harbour of Portsmouth

The old harbour of Portsmouth was rebuilt in 1998 by the city council. The new quays hold
ferries to France and Spain.

A maritime museum opened beside the quays in 2004. It shows the history of the navy and of
the shipyards, and it welcomed forty thousand visitors in its first year.

## The market

A fish market is held on the quays every Saturday. Fishermen sell sardines, crabs and
oysters caught the same morning.
"""

LIBRARY = """---
title: The library of Tampere
---
# The library of Tampere

The central library of Tampere, called Metso, was designed by the architects Reima and
Raili Pietilä. Its roof is shaped like a wood grouse.

The library lends books, music and tools. Children can borrow games and sports equipment.
"""

FRENCH = """---
title: Les jardins de Nantes
lang: fr
---
# Les jardins de Nantes

La ville de Nantes a ouvert trente jardins partagés depuis 2010. Ce sont les associations
de quartier qui gèrent les parcelles et qui choisissent les plantations.
"""


def make(tmp_path: Path, files: dict[str, str]) -> Assistant:
    corpus = tmp_path / "docs"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update(jobs=1)
    return helper


@pytest.fixture
def town(tmp_path: Path) -> Assistant:
    return make(tmp_path, {"harbour.md": HARBOUR, "library.md": LIBRARY})


def test_gate_answers_a_paraphrase_and_refuses_an_absent_topic(town):
    assert town.ask("When was the maritime museum opened?").found
    absent = town.ask("What is the melting point of tungsten?")
    assert not absent.found and absent.citations == ()
    assert not town.ask("Who painted the ceiling of the Sistine Chapel?").found


def test_typos_are_matched_to_close_words_the_corpus_knows(town):
    answer = town.ask("When was the martime musuem opened?")
    assert answer.found and "2004" in answer.text
    assert answer.query.split()[:2] == ["maritim", "museum"]  # what was searched, corrected


def test_a_question_word_with_swapped_letters_is_read_as_that_word(town):
    typed = town.ask("Whta did the city council rebuild in Portsmouth?")
    assert typed.found and typed.query == town.ask("What did the city council rebuild in Portsmouth?").query
    when = town.ask("wehn did the maritime museum open?")
    assert when.found and "2004" in when.text and "wehn" not in when.query


def test_a_word_the_corpus_knows_is_never_replaced(town):
    # "crabs" is in the corpus; "grabs" is one letter away from it and must stay as asked.
    assert "crab" in town.ask("What do fishermen sell besides crabs?").query.split()
    assert "grab" in town.ask("What grabs the visitors?").query.split()


def test_question_frames_are_not_searched(town):
    assert town.ask("Tell me about the fish market").query == "fish market"
    assert town.ask("What happened in Portsmouth in 1998?").query == "portsmouth 1998"
    assert town.ask("Can you explain the roof of the library?").query == "roof librari"
    answer = town.ask("How many visitors did the museum welcome?")
    assert answer.query == "visitor museum welcom" and "forty thousand" in answer.text


def test_words_about_the_documents_themselves_are_frames(town):
    # Every passage is "in the article"; none says so, so those words would count against all.
    answer = town.ask("According to the text, who rebuilt the harbour of Portsmouth?")
    assert answer.query == "rebuilt harbour portsmouth" and "city council" in answer.text
    answer = town.ask("How does the document describe the roof of the library?")
    assert answer.query == "roof librari" and "wood grouse" in answer.text
    assert town.ask("Which architects are mentioned in the article?").query == "architect"


def test_a_follow_up_leans_on_the_previous_turn_and_a_new_subject_starts_afresh(town):
    chat = Session("chat")
    town.ask("What did the city council rebuild in Portsmouth?", session=chat)
    follow = town.ask("When was it rebuilt?", session=chat)
    assert follow.found and "1998" in follow.text
    assert follow.query.startswith("rebuilt")  # its own term first, the carried ones after
    switch = town.ask("Who designed the library of Tampere?", session=chat)
    assert switch.query == "design librari tamper" and "Pietil" in switch.text
    deeper = town.ask("What is its roof shaped like?", session=chat)
    assert "wood grouse" in deeper.text
    assert "portsmouth" not in deeper.query.split()  # carried from the previous turn only
    assert len(deeper.query.split()) <= len(deeper.terms) + CARRIED_TERMS


def test_a_follow_up_answers_about_the_carried_subject_not_its_own_words_elsewhere(tmp_path):
    helper = make(tmp_path, {
        "workshops.md": "# Workshops in Oulu\n\nThe Oulu workshops covered the topic of urban gardening.\n\n"
                        "Teams from the library, city officials and local schools joined the workshops in Oulu.\n",
        "volunteers.md": "# Volunteers\n\nVolunteers took part in cleaning the beach, and others took part in "
                         "the regatta.\n",
        "library.md": LIBRARY})
    chat = Session("chat")
    assert helper.ask("What topic did the Oulu workshops cover?", session=chat).text.startswith("The Oulu workshops")
    follow = helper.ask("Who took part?", session=chat)
    assert follow.found and follow.citations[0].path == "workshops.md", follow.text
    assert follow.text.startswith("Teams from the library")


def test_a_follow_up_keeps_to_the_place_it_carries_though_another_document_shares_its_words(tmp_path):
    # Leeds's library was "rebuilt" too, and its firms "paid": the carried subject is the
    # name (Portsmouth), not the carried word "rebuilt" that any passage may hold.
    leeds = ("# The library of Leeds\n\nThe old library of Leeds was rebuilt in 2001 after a fire. Local firms "
             "paid for the new roof, and volunteers moved the books back.\n")
    helper = make(tmp_path, {"harbour.md": HARBOUR, "leeds.md": leeds})
    chat = Session("chat")
    assert helper.ask("What did the city council rebuild in Portsmouth?", session=chat).found
    for follow_up in ("Who paid for it?", "And what else was rebuilt there?"):
        answer = helper.ask(follow_up, session=chat)
        assert answer.found and {c.path for c in answer.citations} == {"harbour.md"}, (follow_up, answer.text)


def test_a_follow_up_goes_on_with_the_sentences_next_to_the_subject(tmp_path):
    # The title does not name the subject: the sentences after the one that does are on it.
    helper = make(tmp_path, {"town.md": "# Weekend life in Kerava\n\nThe fish market is held on the quays every "
                                        "Saturday. Stalls open at six in the morning and close at noon. Sardines "
                                        "and crabs are sold by the boats.\n", "library.md": LIBRARY})
    chat = Session("chat")
    assert helper.ask("When is the fish market held?", session=chat).text.startswith("The fish market is held")
    more = helper.ask("Tell me more", session=chat)
    assert more.found and "Stalls open at six" in more.text, more.text


def test_a_follow_up_goes_on_past_the_gate_only_with_what_it_asks_for(town):
    # The market's passage has no number: "how much" cannot go on with it on trust, the gate
    # judges that question as any other; "which fish" asks for no kind of thing and goes on.
    chat = Session("chat")
    assert town.ask("What do fishermen sell on the quays?", session=chat).found
    priced = town.retrieve("How much do they charge for them?", session=chat)
    assert priced.found[0].continues and not priced.goes_on
    assert town.retrieve("Which ones do they catch?", session=chat).goes_on
    chat = Session("museum")
    assert town.ask("What opened beside the quays?", session=chat).found
    counted = town.retrieve("How many visitors did it have?", session=chat)
    assert counted.found[0].continues and counted.goes_on  # "forty thousand visitors"


def test_a_follow_up_with_words_of_its_own_is_not_answered_by_sentences_without_them(tmp_path):
    helper = make(tmp_path, {"tank.md": "# Kerava\n\nThe think tank of Kerava was created in 2010 by the mayor. "
                                        "Integrated approaches led to learning across sectors. Its members were "
                                        "later hired by the city council.\n", "library.md": LIBRARY})
    chat = Session("chat")
    assert "created in 2010" in helper.ask("When was the think tank of Kerava created?", session=chat).text
    members = helper.ask("What happened to its members?", session=chat)
    assert members.found and "Its members were later hired" in members.text
    assert "Integrated approaches" not in members.text  # next to the first answer, but not about members
    more = helper.ask("Tell me more", session=chat)  # asks for more: the next sentences are its answer
    assert more.found and "Integrated approaches" in more.text


def test_a_question_of_words_the_corpus_never_uses_is_no_follow_up(town):
    chat = Session("chat")
    assert town.ask("What did the city council rebuild in Portsmouth?", session=chat).found
    unknown = town.ask("zeppelins?", session=chat)
    assert not unknown.found and unknown.query == "zeppelin"  # not the harbour again, with "missing: zeppelins"
    assert town.ask("When was it rebuilt?", session=chat).found  # a follow-up still leans on the chat


def test_a_follow_up_prefers_the_sentence_it_has_not_shown(town):
    chat = Session("chat")
    first = town.ask("When is the fish market held?", session=chat)
    assert first.text.startswith("A fish market is held on the quays every Saturday.")
    more = town.ask("What else happens there?", session=chat)
    assert more.found and "Fishermen sell sardines" in more.text and "sardines" not in first.text


@pytest.mark.parametrize("more", ["What else?", "Tell me more", "Anything else?"])
def test_what_else_asks_for_more_of_the_subject_and_never_repeats_it(town, more):
    chat = Session("chat")
    first = town.ask("What did the city council rebuild in Portsmouth?", session=chat)
    assert first.found and "rebuilt in 1998" in first.text
    again = town.ask(more, session=chat)
    # Its words only frame it: the previous subject is searched, not "else", "tell" or "more".
    assert again.found and again.terms == () and set(again.query.split()) <= set(first.query.split())
    shown = {" ".join(c.quote.split()) for c in first.citations}
    assert not shown & {" ".join(c.quote.split()) for c in again.citations}
    # The next turn leans on the subject, not on the frame's words.
    when = town.ask("When did the museum open?", session=chat)
    assert "els" not in when.query.split() and "2004" in when.text


def test_asking_for_more_twice_never_gives_an_earlier_answer_again(town):
    chat = Session("chat")
    first = town.ask("What did the city council rebuild in Portsmouth?", session=chat)
    second = town.ask("What else?", session=chat)
    third = town.ask("Tell me more", session=chat)
    shown = {" ".join(c.quote.split()) for a in (first, second) for c in a.citations}
    assert first.found and second.found
    # Something not shown yet, or, with nothing else on the subject, that said.
    assert not shown & {" ".join(c.quote.split()) for c in third.citations}
    if not third.found:
        assert third.text == NOTHING_MORE


def test_else_in_a_question_is_not_searched(town):
    chat = Session("chat")
    town.ask("What did the city council rebuild in Portsmouth?", session=chat)
    other = town.ask("Who else rebuilt it?", session=chat)
    assert "els" not in other.query.split() and "else" not in other.missing
    assert "els" not in town.ask("When did the museum open?", session=chat).query.split()


def test_a_french_document_changes_nothing_for_english_questions(tmp_path):
    english = make(tmp_path / "en", {"harbour.md": HARBOUR, "library.md": LIBRARY})
    mixed = make(tmp_path / "mixed", {"harbour.md": HARBOUR, "library.md": LIBRARY, "nantes.md": FRENCH})
    for question in ("When was the maritime museum opened?", "What do fishermen sell?"):
        alone, beside = english.ask(question), mixed.ask(question)
        assert (beside.query, beside.found, beside.text) == (alone.query, alone.found, alone.text)
    french = mixed.ask("Qui choisit les plantations des jardins à Nantes ?")
    assert french.found and "associations" in french.text and french.citations[0].path == "nantes.md"


def test_a_question_with_no_word_telling_its_language_is_searched_in_each(tmp_path):
    # No French stopword in them: read as English alone, they never reached the French passage.
    mixed = make(tmp_path, {"harbour.md": HARBOUR, "library.md": LIBRARY, "nantes.md": FRENCH})
    for keywords in ("jardins partagés Nantes", "parcelles plantations"):
        answer = mixed.ask(keywords)
        assert answer.found and answer.citations[0].path == "nantes.md", keywords
    english = mixed.ask("maritime museum")
    assert english.found and english.citations[0].path == "harbour.md"


# The same kind of notes as plain text files, which cannot say their language.
HUERTOS = """Huertos urbanos en Valencia

En 2019 el ayuntamiento de Valencia abrió doce huertos urbanos en los barrios del sur. Los vecinos
cultivan verduras y los mayores enseñan a los niños. La ciudad paga el agua y las semillas.
"""
HORTAS = """Hortas comunitárias em Lisboa

A câmara municipal de Lisboa abriu uma horta comunitária no bairro da Mouraria. Os moradores
cultivam legumes e as escolas do bairro trazem os alunos para aprender com os mais velhos.
"""
JARDINS = """Jardins partagés à Lyon

En 2018 la ville de Lyon a ouvert quinze jardins partagés dans le quartier de la Guillotière. Les
habitants cultivent des légumes et les associations organisent des ateliers pour les enfants.
"""


def test_documents_that_name_no_language_are_read_in_the_one_they_are_written_in(tmp_path):
    mixed = make(tmp_path / "mixed", {"harbour.md": HARBOUR, "huertos.txt": HUERTOS, "hortas.txt": HORTAS,
                                      "jardins.txt": JARDINS})
    langs = {doc.path: doc.lang for doc, _ in mixed.sources()}
    assert langs == {"harbour.md": "en", "huertos.txt": "es", "hortas.txt": "pt", "jardins.txt": "fr"}
    # Stemmed as Spanish, "abrieron" finds "abrió"; "huertos de la ciudad" has as many French
    # stopwords as Spanish ones, and Portuguese "há na" as many Spanish ones: each is searched
    # in both, and answered from the document in its language.
    for question, path, quote in (("¿Cuándo abrieron los huertos?", "huertos.txt", "En 2019"),
                                  ("huertos de la ciudad en Valencia", "huertos.txt", "huertos urbanos"),
                                  ("Quem cultiva legumes na horta?", "hortas.txt", "Os moradores"),
                                  ("Qui organise les ateliers pour les enfants ?", "jardins.txt", "associations")):
        answer = mixed.ask(question)
        assert answer.found and answer.citations[0].path == path and quote in answer.text, question
    english = make(tmp_path / "en", {"harbour.md": HARBOUR})
    question = "When was the maritime museum opened?"
    assert (mixed.ask(question).text, mixed.ask(question).query) == (english.ask(question).text,
                                                                     english.ask(question).query)


@pytest.mark.parametrize(("question", "lang", "asking", "kind"), [
    ("¿Cuántos huertos abrió el ayuntamiento?", "es", "Cuántos", "number"),
    ("¿Cuándo se abrió el primer huerto?", "es", "Cuándo", "date"),
    ("Quante scuole ha aperto il comune?", "it", "Quante", "number"),
    ("Onde fica a horta comunitária?", "pt", "Onde", "place"),
    ("Wann hat die Stadt den Bürgerhaushalt eingeführt?", "de", "Wann", "date"),
    ("Wie heeft het buurthuis geopend?", "nl", "Wie", "person"),
])
def test_question_words_of_more_languages_frame_the_question_and_give_its_answer_type(question, lang, asking, kind):
    # "cuántos", "quando", "wann" are in no stopword list: they were searched, and shown as missing.
    asked = analyse_question(question, [lang])
    rest = question.replace(asking, "", 1)
    assert asked.terms == tuple(analyzer(lang).terms(rest)) and asked.terms
    assert (asked.answer_type, asked.points_back) == (kind, False)


FREIBURG = """---
title: Der Bürgerhaushalt in Freiburg
lang: de
---
# Der Bürgerhaushalt in Freiburg

Die Stadt Freiburg hat den Bürgerhaushalt im Jahr 2012 eingeführt. Jedes Jahr gibt die Stadt
eine Million Euro für die Vorschläge der Einwohner aus.

Über die Projekte stimmen die Einwohner selbst ab, im Internet und in den Bürgerbüros.
"""
LEIPZIG = """---
title: Gemeinschaftsgärten in Leipzig
lang: de
---
# Gemeinschaftsgärten in Leipzig

In Leipzig gibt es seit 2015 zwanzig Gemeinschaftsgärten. Über die Projekte stimmt der
Stadtrat ab, und die Vereine pflegen die Beete.
"""


def test_german_nouns_are_not_names_so_german_follow_ups_keep_their_subject(tmp_path):
    # German writes every noun with a capital: "die Projekte" is no name of a new subject,
    # "Freiburg" is; "dafür" points back and is not searched.
    asked = analyse_question("Wie viel Geld gibt die Stadt Freiburg dafür aus?", ["de"])
    assert asked.names == {"freiburg"} and asked.points_back and "dafur" not in asked.terms
    helper = make(tmp_path, {"freiburg.md": FREIBURG, "leipzig.md": LEIPZIG})
    chat = Session("chat")
    first = helper.ask("Wann hat die Stadt Freiburg den Bürgerhaushalt eingeführt?", session=chat)
    assert first.found and "2012" in first.text
    for follow_up, quote in (("Wer stimmt über die Projekte ab?", "stimmen die Einwohner selbst ab"),
                             ("Wie viel Geld gibt die Stadt dafür aus?", "eine Million Euro")):
        answer = helper.ask(follow_up, session=chat)
        assert answer.found and quote in answer.text, (follow_up, answer.text)
        assert {c.path for c in answer.citations} == {"freiburg.md"}, (follow_up, answer.text)
    # A word after an article the corpus never uses is a name it lacks ("die Ukraine", "der
    # Schweiz"), as in English: a new subject, and nothing found, not Freiburg or Leipzig.
    for question in ("Was macht die Ukraine damit?", "Wer stimmt in der Schweiz ab?"):
        assert not helper.ask(question, session=chat).found, question
    assert not helper.ask("Wie viele Gemeinschaftsgärten hat die Ukraine?").found
    # A compound's part after the hyphen is a noun; the acronym before it a name.
    assert analyse_question("Was macht das URBACT-Programm in Kavala?", ["de"]).names == {"urbact", "kavala"}


def test_a_name_reaches_a_document_in_another_language_when_its_own_has_nothing(tmp_path):
    # The name is all an English question shares with a German report; a name no document
    # has is still nothing found, and an English question the English document answers is
    # answered from it, not from the German one.
    salomon = FREIBURG.replace("Die Stadt Freiburg hat", "Oberbürgermeister Dieter Salomon hat")
    helper = make(tmp_path, {"harbour.md": HARBOUR, "freiburg.md": salomon})
    answer = helper.ask("Who is Dieter Salomon?")
    assert answer.found and answer.citations[0].path == "freiburg.md" and "Dieter Salomon" in answer.text
    assert not helper.ask("Who is Klaus Weber?").found
    assert helper.ask("When was the harbour of Portsmouth rebuilt?").citations[0].path == "harbour.md"
    # Its other words cannot be weighed in German (all unknown there): only a question made of
    # names goes there, not "Did Freiburg ban cars?", whose "nothing found" shows its own reading.
    absent = helper.ask("Did Freiburg ban cars?")
    assert not absent.found and absent.query == "freiburg ban car"
    # A follow-up goes on in the language its previous answer quoted.
    chat = Session("chat")
    assert helper.ask("Who is Dieter Salomon?", session=chat).found
    more = helper.ask("What else did he do?", session=chat)
    assert more.found and {c.path for c in more.citations} == {"freiburg.md"} and "Million Euro" in more.text


def test_a_spanish_question_word_is_not_a_word_the_answer_lacks(tmp_path):
    mixed = make(tmp_path, {"harbour.md": HARBOUR, "huertos.txt": HUERTOS, "jardins.txt": JARDINS})
    answer = mixed.ask("¿Cuántos huertos abrió el ayuntamiento de Valencia?")
    assert answer.found and "doce huertos" in answer.text
    assert "cuántos" not in answer.words and not answer.missing


def test_a_question_in_a_language_no_document_is_in_drops_that_languages_common_words(tmp_path):
    # English documents, questions in French and German: their stopwords ("quand", "est",
    # "der") are no words a passage lacks, and the names in them still find their passage.
    english = make(tmp_path, {"harbour.md": HARBOUR, "library.md": LIBRARY})
    french = english.ask("Qu'est-ce qui a été reconstruit à Portsmouth en 1998 ?")
    assert french.found and "rebuilt in 1998" in french.text and french.citations[0].path == "harbour.md"
    assert not {"qu", "est", "ce", "qui", "ete"} & set(french.query.split())
    german = english.ask("Wann wurde das maritime Museum in Portsmouth eröffnet?")
    assert german.found and "opened beside the quays in 2004" in german.text
    assert not {"wann", "wurd", "das", "in"} & set(german.query.split())
    # An English question keeps its words ("die" is German for "the", not here).
    assert "die" in english.ask("Did any sailors die in the harbour?").query.split()
    # Not a way around "nothing found": what the documents do not hold is still not found.
    assert not english.ask("Qui a gagné le tournoi d'échecs de Lyon ?").found


def test_a_corpus_of_one_passage_answers(tmp_path):
    helper = make(tmp_path, {"note.md": "The bicycle repair café opens every Thursday evening in the town hall.\n"})
    answer = helper.ask("When does the repair café open?")
    assert answer.found and "Thursday" in answer.text
    assert not helper.ask("Who won the chess tournament?").found


def test_a_passage_that_does_not_name_its_subject_is_found_by_its_headings(tmp_path):
    """A section says what its document is about without naming it, among more passages that
    name the question's place and verb than re-ranking reads."""
    shops = {f"shop{i}.md": f"# Shop {i}\n\nThe bakery number {i} in Grenoble opened in {1950 + i} and sells bread.\n"
             for i in range(rerank.DEPTH + 5)}
    helper = make(tmp_path, shops | {
        "tram.md": "---\ntitle: The Grenoble tramway\n---\n# The Grenoble tramway\n\n## Network\n\n"
                   "The network has five lines and carries ninety thousand riders on a working day.\n\n"
                   "## History\n\nThe first line opened in 1987, after a referendum on the project.\n"})
    answer = helper.ask("When did the Grenoble tramway open?")
    assert answer.found and answer.citations[0].path == "tram.md"
    assert answer.text.startswith("The first line opened in 1987")


def test_what_an_acronym_stands_for_is_answered_by_the_sentence_that_spells_it_out(tmp_path):
    helper = make(tmp_path, {"funds.md": "# Funds\n\nThe ESF paid for the training of the city's staff in 2019. "
                                         "The ESF also paid for the tool library.\n\n"
                                         "Most of the money came from the European Social Fund (ESF), whose "
                                         "programmes the region manages.\n", "other.md": LIBRARY})
    answer = helper.ask("What does ESF stand for?")
    assert answer.found and answer.text.startswith("Most of the money came from the European Social Fund")


def test_the_first_line_of_a_text_file_is_quoted(tmp_path):
    helper = make(tmp_path, {"memo.txt": "The tool library lends drills and ladders to every resident.\n\n"
                                         "It is run by the neighbourhood association.\n",
                             "other.md": LIBRARY})
    answer = helper.ask("What does the tool library lend?")
    assert answer.found and "drills and ladders" in answer.text
    assert answer.citations[0].path == "memo.txt" and answer.citations[0].lines == (1, 1)


def test_a_title_standing_alone_as_a_line_is_not_quoted(tmp_path):
    """A text file's first line is its title; when it is only a title (no sentence), the
    answer quotes what the document says, not its name."""
    helper = make(tmp_path, {"memo.txt": "The tool library of Nantes\n\n"
                                         "The tool library lends drills and ladders to every resident.\n",
                             "other.md": LIBRARY})
    answer = helper.ask("What does the tool library of Nantes lend?")
    assert answer.found and "drills and ladders" in answer.text
    assert all(c.quote != "The tool library of Nantes" for c in answer.citations)


def test_when_questions_prefer_a_sentence_with_a_date(tmp_path):
    helper = make(tmp_path, {"park.md": "# The park\n\nThe riverside park was designed with the residents of "
                                        "the district and it was a long project.\n\nThe riverside park was "
                                        "opened in 2012.\n", "other.md": LIBRARY})
    assert helper.ask("When was the riverside park opened?").text.startswith("The riverside park was opened in 2012.")


def test_how_many_questions_prefer_a_sentence_with_a_number(tmp_path):
    helper = make(tmp_path, {"bus.md": "# Buses\n\nThe city buses run on biogas made from food waste.\n\n"
                                       "Every day, 140 buses run on the city network.\n", "other.md": LIBRARY})
    assert "140" in helper.ask("How many buses run in the city?").text.split("\n\n")[0]


def test_a_heading_like_fragment_does_not_lead(tmp_path):
    helper = make(tmp_path, {"mayor.md": "# City notes\n\nMayor Anna Berg approach to city budgets\n\n"
                                         "Mayor Anna Berg asked residents to vote on a part of the city budget "
                                         "every spring.\n", "other.md": LIBRARY})
    assert helper.ask("What did Mayor Anna Berg do about the city budget?").text.startswith("Mayor Anna Berg asked")
