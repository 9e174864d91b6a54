from askurbact.analysis import passage_sentences
from askurbact.ingest import parse_file
from askurbact.ingest.chunking import chunk
from conftest import CORPUS


def _passages(name: str, target: int = 150):
    data = (CORPUS / name).read_bytes()
    loaded = parse_file(name, data)
    return data.decode().split("\n"), chunk(loaded.document.doc_id, loaded.blocks, target)


def test_every_sentence_maps_back_to_its_exact_source_lines():
    for path in CORPUS.glob("*.md"):
        lines, passages = _passages(path.name)
        for passage in passages:
            assert passage.first_line <= passage.last_line
            for sentence in passage_sentences(passage):
                assert passage.first_line <= sentence.first_line <= sentence.last_line <= passage.last_line
                assert sentence.text in "\n".join(lines[sentence.first_line - 1:sentence.last_line])


def test_passages_respect_the_target_size_and_sections():
    lines, passages = _passages("social-innovation-behind-the-city-scene.md")
    for passage in passages:
        # A single block may exceed the target only if it is one sentence.
        assert len(passage.text.split()) <= 150 or len(passage_sentences(passage)) == 1
    sections = [p.section.rsplit(" > ", 1)[-1] for p in passages]
    assert "Public lab" in sections and "A challenging context" in sections
    lab = next(p for p in passages if p.section.endswith("Public lab"))
    assert lab.text.startswith("Public lab")  # the heading stays with the text under it


def test_long_blocks_split_only_at_sentence_ends():
    sentence = "This sentence has exactly eight words in it. "
    data = ("# Title\n\n" + sentence * 60).encode()
    loaded = parse_file("long.md", data)
    passages = chunk("long", loaded.blocks, target_words=50)
    assert len(passages) > 5
    for passage in passages:
        for s in passage_sentences(passage):
            assert s.text in ("Title", sentence.strip())


def test_smaller_target_gives_more_passages():
    _, big = _passages("social-innovation-behind-the-city-scene.md", 300)
    _, small = _passages("social-innovation-behind-the-city-scene.md", 60)
    assert len(small) > len(big)


def test_text_with_no_sentence_end_is_quoted_in_parts_of_a_readable_size(tmp_path):
    """A block of 600 words with no punctuation (a word list, a table's text) answered with
    one 4,000-character "sentence"; its parts are now at most 80 words, lines kept whole."""
    from askurbact.config import Settings
    from askurbact.core import Assistant

    lines = [f"district {i} allotment garden plot number {i} managed by residents" for i in range(60)]
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "plots.txt").write_text("Garden plots\n" + "\n".join(lines) + "\n", encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update()
    answer = helper.ask("district 17 allotment garden")
    assert answer.found
    for citation in answer.citations:
        assert len(citation.quote.split()) <= 80
        assert all(line in lines for line in citation.quote.splitlines())  # whole lines
    assert "district 17 allotment" in answer.citations[0].quote


def test_a_tab_separated_sentence_is_also_read_in_parts():
    from askurbact.analysis import passage_sentences
    from askurbact.model import Passage

    text = "\t".join(f"cell{i}" for i in range(120))  # one line of a tab-separated table: 120 words
    sentences = passage_sentences(Passage("d", "", 1, 1, text, ((0, 1),)))
    assert len(sentences) == 2 and all(len(s.text.split()) <= 80 for s in sentences)
    assert " ".join(s.text for s in sentences).split() == text.split()
