"""The gate's document evidence, the words shown as "searched for" (and those the sources
lack), and term pairs (issue 12), each on its own small examples."""

from __future__ import annotations

import json
from pathlib import Path

from askurbact.answer import gate
from askurbact.answer.model import Answer, Citation
from askurbact.answer.select import quote_missing
from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.model import Document, Hit, Passage
from askurbact.search.rerank import pairs_held, pairs_of
from askurbact.session import Session
from conftest import CANAL, ORCHARD


def _hit(rank: int, doc_id: str) -> Hit:
    passage = Passage(doc_id, "", 1, 1, "Some text.", ((0, 1),))
    return Hit(rank, 1.0, rank, passage, Document(doc_id, f"{doc_id}.md", doc_id, "en"))


def test_passages_clustered_in_one_document_lift_it_and_scattered_ones_do_not():
    clustered = [_hit(i, "river") for i in range(1, 9)] + [_hit(9, "bridge"), _hit(10, "tower")]
    scattered = [_hit(i, doc) for i, doc in enumerate(["river", "bridge", "tower", "park", "port"] * 2, 1)]
    # "river" holds a tenth of the corpus: by chance, a tenth of the best passages would be there.
    high = gate.document_lift(clustered, clustered[0], 0.1)
    low = gate.document_lift(scattered, scattered[0], 0.1)
    assert 0.7 < high <= 1.0 and abs(low - 0.1) < 0.05
    assert gate.document_lift(clustered, clustered[0], 0.1) > gate.document_lift(clustered, clustered[0], 0.5)


def test_where_one_document_holds_most_of_the_corpus_the_lift_is_neutral():
    hits = [_hit(i, "only") for i in range(1, 6)]
    assert gate.document_lift(hits, hits[0], 1.0) == gate.DOCUMENTS_PRIOR
    # A document of 0.9 of the corpus: whether all the hits are there or as many as chance
    # would put there, the value stays within a tenth of neutral.
    big = [_hit(i, "big") for i in range(1, 11)]
    assert abs(gate.document_lift(big, big[0], 0.9) - gate.DOCUMENTS_PRIOR) <= 0.1
    mixed = big[:9] + [_hit(10, "small")]
    assert abs(gate.document_lift(mixed, mixed[0], 0.9) - gate.DOCUMENTS_PRIOR) <= 0.1
    assert gate.document_lift([], None, 0.2) == 0.0


def test_the_gate_weighs_clustering(town):
    evidence = town.retrieve("When did the boat museum open?").evidence
    assert evidence is not None and gate.answers(evidence)
    scattered = gate.GateEvidence(**{**evidence.__dict__, "documents": 0.0})
    assert scattered.score() < evidence.score()


def test_searched_for_shows_the_words_of_the_question_not_stems(town):
    answer = town.ask("Where do the narrow boats carry visitors?")
    assert answer.found and answer.words == "narrow boats carry visitors"
    assert answer.query == "narrow boat carri visitor"  # what was searched: the terms


def test_a_corrected_typo_is_shown_as_the_corpus_spells_it(town):
    answer = town.ask("Who presses the apples into juice in the orchads?")
    assert answer.found and "pupils" in answer.text
    assert answer.words == "presses apples juice orchards"
    assert answer.query == "press appl juic orchard"


def test_a_follow_up_shows_the_carried_words_too(town):
    chat = Session("chat")
    town.ask("Who planted the orchards of Graz?", session=chat)
    follow = town.ask("What do they do every autumn?", session=chat)
    assert follow.words.split()[:2] == ["every", "autumn"]
    assert {"planted", "orchards", "graz"} <= set(follow.words.split())


def test_the_command_line_prints_the_words(tmp_path: Path, capsys):
    from askurbact.cli import main

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "canal.md").write_text(CANAL, encoding="utf-8")
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "idx"), "ask", "Who cleaned the old canal?"])
    assert code == 0 and capsys.readouterr().out.rstrip().endswith("searched for cleaned old canal")


def test_an_answer_names_the_question_words_its_sources_lack(town):
    # The museum is in the corpus, its ticket price is not: the answer says so.
    answer = town.ask("What is the ticket price of the boat museum?")
    assert answer.found and "museum" in answer.text
    assert answer.missing == ("ticket", "price")
    assert answer.note == "searched for ticket price boat museum \u00b7 missing: ticket price"
    whole = town.ask("When was the canal of Leeds cleaned?")
    assert whole.found and whole.missing == () and whole.note == "searched for canal leeds cleaned"


def test_words_of_the_cited_document_title_are_not_missing(tmp_path: Path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    # The title only in the front matter: the passage's text never names the ferry or Split.
    (corpus / "ferry.md").write_text("---\ntitle: The ferry of Split\n---\n"
                                     "It leaves the harbour every morning at seven and reaches the island "
                                     "by nine.\n", encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update(jobs=1)
    answer = helper.ask("When does the ferry of Split leave the harbour?")
    assert answer.found and "seven" in answer.text and answer.missing == ()


def test_searched_and_missing_words_are_kept_with_a_saved_answer(town):
    answer = town.ask("What is the ticket price of the boat museum?")
    data = answer.to_json()
    assert data["searched"] == "ticket price boat museum" and data["missing"] == ["ticket", "price"]
    again = Answer.from_json(data)
    assert again.note == answer.note and again.missing == answer.missing
    # An answer saved before these fields were kept shows its terms, as it did.
    old = Answer.from_json({k: v for k, v in data.items() if k not in ("searched", "missing")})
    assert old.note == "searched for ticket price boat museum" and old.missing == ()
    # Hand-edited or damaged fields are left out; the answer stays.
    for missing, searched in (("euros", ["a", "b"]), ([None, 3], 5), ({"k": 1}, None), (5, {})):
        odd = Answer.from_json({**data, "missing": missing, "searched": searched})
        assert odd.missing == () and odd.note == "searched for ticket price boat museum" and odd.found


def test_a_corrected_typo_or_another_form_of_a_word_is_not_missing(town):
    typo = town.ask("When did the boat museum open for the cmmunity?")  # the orchards' community: not cited
    assert typo.found and typo.missing == ("community",)  # as the corpus spells it, not a stem
    form = town.ask("Who visited the musuem in 2015?")  # the canal text says "visitors"
    assert form.found and "visited" not in form.missing
    follow = Session("chat")
    town.ask("When did the boat museum open?", session=follow)
    more = town.ask("What else?", session=follow)
    assert more.found and more.missing == ()  # "else" asks for more; it is not a word to find


def test_a_follow_up_names_a_carried_correction_as_the_corpus_spells_it(town):
    # "cmmunity" was corrected in the first turn; "What else?" carries the correction's
    # term, which no question wrote: it is named as the documents spell it, never as a stem.
    chat = Session("chat")
    town.ask("Who planted the orchards for the cmmunity?", session=chat)
    more = town.ask("What else?", session=chat)
    shown = set(more.missing).union(*(c.missing for c in more.citations))
    assert shown and not shown & {"commun", "communiti", "orchard"}, shown
    assert shown <= {"community", "orchards", "planted", "plant"}, shown


CITIES = ("---\ntitle: Cities that listen\n---\nSeoul's mayor Won Soon Park opened the city hall to its citizens. "
          "The hall now has a corner for speeches. Medellin built a cable car to the hills. It also rebuilt its "
          "libraries and schools. It then opened parks.\n\nGraz planted orchards with its school children.\n")


def _cities(tmp_path: Path) -> Assistant:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "cities.md").write_text(CITIES, encoding="utf-8")
    (corpus / "harbour.md").write_text("---\ntitle: Harbours\n---\nThe harbour of Split was dredged in 1930.\n",
                                       encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update(jobs=1)
    return helper


def test_each_source_names_the_question_words_its_quote_lacks(tmp_path: Path):
    # The passage holds both words, each quote one: the Seoul sentence is no answer about Medellin.
    cities = _cities(tmp_path)
    answer = cities.ask("Who is the mayor of Medellin?")
    assert answer.found and answer.missing == ()
    by_quote = {c.quote: c.missing for c in answer.citations}
    assert by_quote == {"Seoul's mayor Won Soon Park opened the city hall to its citizens.": ("medellin",),
                        "Medellin built a cable car to the hills.": ("mayor",)}
    # A quote that starts by pointing back ("It also ...") holds the words of the sentence before it.
    got = cities.retrieve("Which libraries did Medellin build?")
    e = next(e for e in got.found if "libraries" in e.hit.passage.text)

    def lacks(quote: str) -> tuple[str, ...]:
        cited = Citation(1, e.hit.document.doc_id, e.hit.document.title, e.hit.passage.section, e.hit.document.path,
                         (1, 1), quote, e.hit.rank)
        return quote_missing([got.question], got.question.terms, {}, got.found, cited)

    assert lacks("It also rebuilt its libraries and schools.") == ("build",)  # Medellin: from the sentence before
    assert lacks("It then opened parks.") == ("build",)  # Medellin too: back through "It also ..."
    assert lacks("The hall now has a corner for speeches.") == ("libraries", "medellin", "build")
    saved = Answer.from_json(answer.to_json())
    assert [c.missing for c in saved.citations] == [c.missing for c in answer.citations]
    assert answer.to_json()["citations"][0]["missing"] == ["medellin"]


def test_the_command_line_prints_the_missing_words(tmp_path: Path, capsys):
    from askurbact.cli import main

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "canal.md").write_text(CANAL, encoding="utf-8")
    (corpus / "orchard.md").write_text(ORCHARD, encoding="utf-8")
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "idx"), "ask", "How much did the boat museum cost?"])
    out = capsys.readouterr().out.rstrip()
    assert code == 0 and out.endswith("searched for boat museum cost \u00b7 missing: cost")
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "idx"), "ask", "--json",
                 "How much did the boat museum cost?"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["missing"] == ["cost"] and data["searched"] == "boat museum cost"


def test_term_pairs_count_neighbours_and_one_term_apart():
    question = pairs_of(["fish", "market", "saturday"])
    assert pairs_held(("fish", "market", "held", "every", "saturday"), question) == 1  # saturday: too far
    assert pairs_held(("fish", "fresh", "market", "saturday"), question) == 2
    assert pairs_held(("saturday", "market", "fish"), question) == 0  # the order counts
    assert pairs_held(("fish", "market"), frozenset()) == 0
