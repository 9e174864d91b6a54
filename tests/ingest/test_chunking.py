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
