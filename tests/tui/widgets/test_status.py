"""The status line at 80 columns and up: the chat's name stays, the rest gets shorter."""

from __future__ import annotations

from askurbact.core import IndexStatus
from askurbact.search.filter import Filter
from askurbact.tui.widgets.status import Status

INDEX = IndexStatus(documents=2, passages=27, built_at="2026-12-01T16:46:00+00:00", skipped=0)


def test_wide_says_everything():
    line = Status(INDEX, Filter(), "Who is the mayor of Seoul?", 3).fit(160).plain
    assert line.startswith("2 documents \u00b7 27 passages \u00b7 built ")
    assert "filter: all documents" in line and "chat: Who is the mayor of Seoul?" in line
    assert line.endswith("3 saved chats")


def test_at_80_columns_the_chat_name_and_the_count_stay():
    for title in ("Who is the mayor of Seoul?", "What makes local innovation work in Malmö?"):
        line = Status(INDEX, Filter(), title, 1).fit(78).plain  # 80 minus the padding
        assert len(line) <= 78 and line.endswith("1 saved chat")
        assert "chat: " + title[:20] in line
        assert "filter: all doc" in line  # shortened, still not "none": every document is searched


def test_a_long_name_and_filter_are_shortened_with_an_ellipsis():
    where = Filter(frozenset({"social-innovation-behind-the-city-scene", "what-makes-local-innovation-work"}))
    line = Status(INDEX, where, "A very long chat name " * 5, 12).fit(78).plain
    assert len(line) <= 78 and line.count("\u2026") == 2 and line.endswith("12 chats")


def test_without_an_index_it_says_so():
    assert Status(None, Filter(), "", 0).fit(100).plain.startswith("index: not ready")
