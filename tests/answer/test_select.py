import re

import pytest

from askurbact.answer.model import NOTHING_FOUND
from askurbact.errors import QuestionError


def _source_lines(corpus, citation):
    lines = (corpus / citation.path).read_text(encoding="utf-8").split("\n")
    first, last = citation.lines
    return "\n".join(lines[first - 1:last])


def test_answer_is_cited_sentences_quoted_verbatim(assistant, corpus):
    answer = assistant.ask("What was created in Kavala?")
    assert answer.found and "Social Pharmacy" in answer.text
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert markers == [c.n for c in answer.citations] and markers[0] == 1
    for citation in answer.citations:
        assert citation.quote in _source_lines(corpus, citation)
        assert " ".join(citation.quote.split()) in answer.text


def test_at_most_a_few_sentences_without_repeats(assistant):
    answer = assistant.ask("What role should city leaders take on?")
    sentences = [s for s in answer.text.split("\n\n") if s]
    assert sentences and len(sentences) <= assistant.settings.max_sentences
    assert len(set(sentences)) == len(sentences)


def test_nothing_found_says_so_and_cites_nothing(assistant):
    answer = assistant.ask("What is the boiling point of mercury?")
    assert not answer.found and answer.text == NOTHING_FOUND
    assert answer.citations == () and answer.hits == ()


@pytest.mark.parametrize("question", ["", "   ", "the of and what is", "?!"])
def test_empty_or_stopword_questions_are_refused(assistant, question):
    with pytest.raises(QuestionError):
        assistant.ask(question)


def test_json_shape(assistant, corpus):
    data = assistant.ask("Who is the mayor of Seoul?", k=3).to_json()
    assert set(data) == {"question", "query", "searched", "found", "answer", "citations", "passages", "missing"}
    assert data["query"] == "mayor seoul" and data["found"] is True
    citation = data["citations"][0]
    assert set(citation) == {"n", "doc_id", "title", "section", "path", "lines", "page", "format", "quote", "missing"}
    assert citation["page"] is None and citation["format"] == "markdown"
    lines = (corpus / citation["path"]).read_text(encoding="utf-8").split("\n")
    assert citation["quote"] in "\n".join(lines[citation["lines"][0] - 1:citation["lines"][1]])
    assert data["passages"] and len(data["passages"]) <= 3
    assert set(data["passages"][0]) == {"rank", "score", "doc_id", "title", "section", "path", "lines", "page", "format",
                                        "text"}
    assert [p["rank"] for p in data["passages"]] == list(range(1, len(data["passages"]) + 1))
