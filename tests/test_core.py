"""The core's answers to the front ends, beyond asking: a cited passage in its context."""

from __future__ import annotations

DOC = "social-innovation-behind-the-city-scene"


def test_passage_context_is_the_cited_passage_between_its_neighbours(assistant):
    answer = assistant.ask("Who is the mayor of Seoul?")
    cited = answer.citations[0]
    context = assistant.passage_context(cited.doc_id, cited.lines[0], cited.page)
    assert context is not None
    assert context.passage.first_line <= cited.lines[0] <= context.passage.last_line
    assert " ".join(cited.quote.split()) in " ".join(context.passage.text.split())
    assert context.before is not None and context.before.last_line < context.passage.first_line
    assert context.after is not None and context.after.first_line > context.passage.last_line


def test_passage_context_at_the_ends_of_a_document(assistant):
    assert assistant.passage_context(DOC, 1) is None  # the front matter is in no passage
    lines = len((assistant.settings.corpus / f"{DOC}.md").read_text(encoding="utf-8").splitlines())
    first = next(c for line in range(1, lines + 1) if (c := assistant.passage_context(DOC, line)))
    last = next(c for line in range(lines, 0, -1) if (c := assistant.passage_context(DOC, line)))
    assert first.before is None and first.after is not None
    assert last.after is None and last.before is not None


def test_passage_context_of_what_the_index_no_longer_has(assistant):
    assert assistant.passage_context("no-such-document", 1) is None
    assert assistant.passage_context(DOC, 10**6) is None
    assert assistant.passage_context(DOC, 57, page=3) is None  # a Markdown file has no pages


def test_an_update_before_a_question_names_a_skipped_file_once(settings):
    from askurbact.core import Assistant

    (settings.corpus / "broken.md").write_bytes(b"\x00\x01binary\xff")
    said: list[str] = []
    helper = Assistant(settings, notify=said.append)
    helper.ensure_index()  # the first build names it
    assert any(line.startswith("skipped broken.md: ") for line in said), said
    for round_ in range(2):  # each change to the corpus updates the index again: not named again
        (settings.corpus / f"new-{round_}.md").write_text(f"# New {round_}\n\nA note on bicycles.\n", encoding="utf-8")
        said.clear()
        helper.ensure_index()
        assert not any(line.startswith("skipped broken.md") for line in said), said
        assert "1 file still skipped as before ('askurbact index' lists it)" in said, said
    (settings.corpus / "empty.md").write_text("", encoding="utf-8")  # a new one is named
    said.clear()
    helper.ensure_index()
    assert any(line.startswith("skipped empty.md: ") for line in said) and "1 file still skipped" in " ".join(said)
