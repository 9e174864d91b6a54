import hashlib
import re

import pytest

from askurbact.errors import CorpusFileError
from askurbact.ingest import parse_file
from askurbact.ingest.decode import decode
from askurbact.ingest.discover import discover
from conftest import CORPUS

SEED_SHA256 = {
    "social-innovation-behind-the-city-scene.md": "0d11f8f7bd5d17dcb9faa13bbb421bb1065b93321b0fc96f1a95a037feb5bbf9",
    "what-makes-local-innovation-work.md": "c0f7e666ed88ab4436ab634dd9c33b4aa80926a611bef7753b0071f8bd607a4c",
}


def test_bundled_articles_keep_the_seed_text_unchanged():
    # The corpus adds front matter and Markdown heading marks; the text is byte-for-byte the seed.
    for name, digest in SEED_SHA256.items():
        body = (CORPUS / name).read_text(encoding="utf-8").split("---\n", 2)[2]
        assert hashlib.sha256(re.sub(r"(?m)^#{1,2} ", "", body).encode()).hexdigest() == digest


def test_bundled_front_matter_has_the_documented_fields():
    for name in SEED_SHA256:
        doc = parse_file(name, (CORPUS / name).read_bytes()).document
        assert doc.title and doc.publisher == "URBACT" and doc.tags and doc.lang == "en"


def test_markdown_sections_and_line_numbers():
    data = b"---\ntitle: T\ndate: 2020-01-02\ntags: [a, b]\nlang: fr\n---\n# Top\n\nIntro text here.\n\n## Part\n\n- item one\n- item two\n"
    loaded = parse_file("x/doc.md", data)
    assert loaded.document.doc_id == "x/doc" and loaded.document.date == "2020-01-02"
    assert loaded.document.tags == ("a", "b") and loaded.document.lang == "fr"
    lines = data.decode().split("\n")
    by_text = {b.text: b for b in loaded.blocks}
    assert by_text["Intro text here."].line == 9 and by_text["Intro text here."].section == ("Top",)
    assert by_text["item one"].section == ("Top", "Part")
    for block in loaded.blocks:
        assert block.text in "\n".join(lines[block.line - 1:])


def test_txt_title_from_first_line_or_file_name():
    assert parse_file("a.txt", b"First line\nmore\n\nSecond para").document.title == "First line"
    assert parse_file("a.txt", b"---\ntitle: Given\n---\nBody").document.title == "Given"
    blocks = parse_file("a.txt", b"One\ntwo\n\n\nThree").blocks
    assert [(b.text, b.line) for b in blocks] == [("One\ntwo", 1), ("Three", 5)]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"\x00\x01binary\x00", "binary"),
    (b"---\ntitle: [unclosed\n---\nbody", "malformed front matter"),
    (b"---\n- a list\n---\nbody", "not a mapping"),
    (b"---\na: &x [1]\nb: *x\n---\nbody", "aliases"),
])
def test_unreadable_files_raise_a_reason(data, reason):
    with pytest.raises(CorpusFileError, match=reason):
        parse_file("bad.md", data)


@pytest.mark.parametrize("data, line", [
    (b"---\ntitle: [unclosed\n---\nbody", 2),  # left open: the line that opened it, not the closing ---
    (b"---\ntitle: \"open\ndate: 2014\n---\nbody", 2),
    (b"---\ntitle: Fine\ntags: {a: 1\n\n---\nbody", 3),
    (b"---\ntitle: a\nfoo: bar: baz\n---\nbody", 3),  # wrong where it stands
])
def test_malformed_front_matter_names_the_line_to_fix(data, line):
    with pytest.raises(CorpusFileError, match=f"malformed front matter at line {line}$"):
        parse_file("bad.md", data)


def test_wrong_field_types_warn_and_keep_the_document():
    loaded = parse_file("d.md", b"---\ntitle: Fine\ndate: someday\ntags: 5\n---\nBody text.")
    assert loaded.document.date is None and loaded.document.title == "Fine"
    assert any("date" in w for w in loaded.warnings)


def test_utf16_with_bom_is_decoded():
    assert decode("Malmö".encode("utf-16")) == "Malmö"


def test_discover_is_recursive_and_ignores_hidden_and_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b")
    (tmp_path / "a.md").write_text("a")
    (tmp_path / ".hidden.md").write_text("h")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "out.md").symlink_to("/etc/hostname")
    paths, skipped = discover(tmp_path)
    assert paths == ["a.md", "sub/b.txt"]
    assert skipped == {"out.md": "a link to outside the corpus folder"}


def test_a_link_to_a_folder_is_not_followed_and_said_so(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "report.md").write_text("r")
    (corpus / "a.md").write_text("a")
    (corpus / "reports").symlink_to(elsewhere)
    (corpus / "sub" / "up").symlink_to(corpus)  # a loop, were it followed
    paths, skipped = discover(corpus)
    assert paths == ["a.md"]
    assert set(skipped) == {"reports/", "sub/up/"}
    assert all("a link to a folder, not followed" in why for why in skipped.values())
