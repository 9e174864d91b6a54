import json

from hypothesis import given
from hypothesis import strategies as st

from askurbact import filecache
from askurbact.chunking import Passage


@given(section=st.text(), first=st.integers(1, 10**6), span=st.integers(0, 50), text=st.text(),
       offsets=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 10**6)), min_size=1, max_size=4))
def test_a_cache_record_starts_with_the_json_of_its_place(section, first, span, text, offsets):
    passage = Passage("doc", section, first, first + span, text, tuple(offsets))
    record = filecache._record(passage, filecache._section_json()(section))
    header, body = record.decode().split("\n", 1)
    assert header == json.dumps([section, first, first + span, passage.pieces])
    assert body == text


def test_batches_hold_every_file_once_largest_first_and_shrink(monkeypatch):
    monkeypatch.setattr(filecache, "MIN_BATCH_BYTES", 10)
    sizes = {f"f{i}": size for i, size in enumerate([5, 400, 30, 1000, 7, 250, 60, 2, 90, 500])}
    batches = filecache._batches(list(sizes), sizes, jobs=2)
    flat = [rel for batch in batches for rel in batch]
    assert sorted(flat) == sorted(sizes) and len(flat) == len(sizes)
    assert [sizes[rel] for rel in flat] == sorted(sizes.values(), reverse=True)
    totals = [sum(sizes[rel] for rel in batch) for batch in batches]
    assert len(batches) > 2 and totals[0] > totals[-1]
