import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from askurbact.index import records
from askurbact.index.writer import batch
from askurbact.index.writer import cache as filecache
from askurbact.model import Passage


@given(section=st.text(), first=st.integers(1, 10**6), span=st.integers(0, 50), text=st.text(),
       offsets=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 10**6)), min_size=1, max_size=4))
def test_a_cache_record_starts_with_the_json_of_its_place(section, first, span, text, offsets):
    passage = Passage("doc", section, first, first + span, text, tuple(offsets))
    record = records._record(passage, records._section_json()(section))
    header, body = record.decode().split("\n", 1)
    assert header == json.dumps([section, first, first + span, passage.pieces])
    assert body == text


def _entry(tmp_path, text="# Title\n\nThe harbour of Gdynia grows. A tram line opens.\n"):
    from askurbact.config import Settings

    corpus, cache = tmp_path / "c", tmp_path / "cache"
    corpus.mkdir()
    cache.mkdir()
    (corpus / "a.md").write_text(text, encoding="utf-8")
    outcomes, _ = batch.process_batch(str(corpus), [("a.md", 0)], str(cache), Settings(corpus=corpus), False)
    [(_, (_, key, _, _))] = outcomes
    return cache, key, cache / f"{key}{records.ENTRY}"


def _set(path, at, data):
    raw = bytearray(path.read_bytes())
    raw[at:at + len(data)] = data
    path.write_bytes(bytes(raw))


def test_a_cache_entry_reads_back_as_written(tmp_path):
    cache, key, _ = _entry(tmp_path)
    entry = filecache.load_entry(cache, "a.md", key)
    assert entry.meta["document"]["title"] == "Title" and entry.n_passages == 1
    assert entry.meta["vocab"][int(entry.arrays["term"][0])] == "gdynia"


@pytest.mark.parametrize("damage", ["array byte", "footer", "records length", "header", "truncated", "huge"])
def test_a_damaged_cache_entry_raises_what_the_indexer_handles(tmp_path, damage):
    cache, key, path = _entry(tmp_path)
    size = path.stat().st_size
    header_at = int.from_bytes(path.read_bytes()[-8:], "little")
    if damage == "array byte":  # a flipped byte in the postings: the checksum
        _set(path, header_at - 3, b"\xff")
    elif damage == "footer":
        _set(path, size - 8, (10**12).to_bytes(8, "little"))
    elif damage == "records length":
        header = json.loads(path.read_bytes()[header_at:-8])
        header["records"] = 10**19
        path.write_bytes(path.read_bytes()[:header_at] + json.dumps(header).encode() + header_at.to_bytes(8, "little"))
    elif damage == "header":
        _set(path, header_at, b"[[[[[[[[")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:size // 2])
    else:  # a header nested too deep to parse
        path.write_bytes(path.read_bytes()[:header_at] + b"[" * 100_000 + header_at.to_bytes(8, "little"))
    with pytest.raises(filecache.CACHE_DAMAGE):
        filecache.load_entry(cache, "a.md", key)


def test_identical_files_share_an_entry_whatever_their_paths(tmp_path):
    """Record offsets do not depend on the path the entry was written for."""
    from askurbact.config import Settings

    corpus, cache = tmp_path / "c", tmp_path / "cache"
    corpus.mkdir()
    cache.mkdir()
    text = "# Same\n\nThe same words in two files. " * 20
    for name in ("a.md", "a-much-longer-file-name.md"):
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus=corpus)
    keys, written = [], []
    for name in ("a.md", "a-much-longer-file-name.md"):  # each writes the entry in turn
        [(_, (_, key, _, _))], _ = batch.process_batch(str(corpus), [(name, 0)], str(cache), settings, True)
        keys.append(key)
        written.append(filecache.load_entry(cache, name, key).arrays["rec_off"].tolist())
    assert keys[0] == keys[1] and written[0] == written[1]
