"""A process that asks many questions (a chat) answers from the index another process has
just rebuilt, and does not reopen an index that has not changed."""

import gc
import weakref

from askurbact.core import Assistant
from askurbact.index import live
from askurbact.index.live import LiveReader
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index


def test_a_chat_answers_from_the_index_another_process_rebuilt(settings, corpus):
    update_index(settings, jobs=1)
    chat = Assistant(settings)
    assert "ferry terminal" not in chat.ask("What did the harbour of Gdynia build?").text
    (corpus / "gdynia.md").write_text("---\ntitle: Gdynia\n---\nThe harbour of Gdynia built a ferry terminal.\n",
                                      encoding="utf-8")
    update_index(settings, jobs=1)  # as `askurbact index` in another terminal: not through `chat`
    answer = chat.ask("What did the harbour of Gdynia build?")
    assert answer.found and "ferry terminal" in answer.text
    # ... and a passage whose text changed is quoted as it is now, never as it was read before.
    (corpus / "gdynia.md").write_text("---\ntitle: Gdynia\n---\nThe harbour of Gdynia built a tram depot.\n",
                                      encoding="utf-8")
    update_index(settings, jobs=1)
    answer = chat.ask("What did the harbour of Gdynia build?")
    assert "tram depot" in answer.text and "ferry" not in answer.text


def test_an_unchanged_index_is_not_opened_again(settings):
    update_index(settings, jobs=1)
    live = LiveReader(settings.index)
    first = live.get()
    assert live.get() is first
    live.forget()
    assert live.get() is not first


def test_a_pointer_just_written_is_read_again_not_trusted_by_its_times(settings, monkeypatch):
    # File times may count in seconds: two rebuilds in one tick can give pointers the same
    # stat data (its size never changes, its inode may come back), so a fresh one is re-read.
    update_index(settings, jobs=1)
    assert live._pointer_stamp(settings.index) is None
    monkeypatch.setattr(live, "SETTLED_NS", 0)
    assert live._pointer_stamp(settings.index) is not None


def test_a_reader_dropped_is_freed_without_waiting_for_the_garbage_collector(settings):
    # A swapped-out generation's files stay mapped as long as its reader lives.
    update_index(settings, jobs=1)
    reader = IndexReader(settings.index)
    reader.passage(0), reader.term_id("seoul")
    gone = weakref.ref(reader)
    gc.disable()
    try:
        del reader
        assert gone() is None
    finally:
        gc.enable()
