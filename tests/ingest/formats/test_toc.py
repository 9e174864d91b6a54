"""What reads as a table of contents, and what only looks like one: labels, sums, a sentence."""

from __future__ import annotations

import time

import pytest

from askurbact.ingest.formats.toc import Item, entry_numbers, page_number, sections


@pytest.mark.parametrize("line,apart", [
    ("1.3.2 New controls: Row and Column Access Control. . . . . . . 5", False), ("Notices . . . . . vii", False),
    ("A. PURPOSE1-1", False), ("SECTION 1 Introduction 2", True), ("Preface xi", True)])
def test_a_table_of_contents_line_ends_in_its_page(line, apart):
    assert page_number(line, apart) is not None


@pytest.mark.parametrize("line,apart", [
    ("Definition 67", False), ("Aufgabe 10", False), ("COVID19", False), ("It rose in 2019.", True),
    ("Vitamin C", True), ("Step 3:", True), ("= 1G x 10", True), ("Section Page", True)])
def test_a_label_or_a_sentence_ending_in_a_number_is_no_entry(line, apart):
    assert page_number(line, apart) is None


def _items(*lines):
    return [Item(1, line[2:]) if line.startswith("# ") else Item(None, line, entry_numbers([line])) for line in lines]


def test_numbers_that_go_down_are_a_table_not_a_table_of_contents():
    items = _items("# Prices", "Tea . . . . 30", "Bread . . . . 5", "Milk . . . . 12", "Prices rose in May.")
    assert [path for path, _ in sections(items)] == [("Prices",)] * 5


def test_one_entry_is_a_table_of_contents_only_under_its_title():
    assert sections(_items("# Inhalt", "Einleitung . . . . 3", "Der Hafen wurde 2019 erneuert."))[-1] == ((), False)
    assert sections(_items("# Quays", "Quay 1 . . . . 3", "The quays were rebuilt."))[-1] == (("Quays",), False)


def test_a_malformed_line_of_leaders_is_read_at_once():
    # A run of dots or spaces made the pattern backtrack for 30 s (20,000 dots); a file's
    # broken line must not stall the indexer.
    started = time.perf_counter()
    assert page_number("a" + "." * 20000, True) is None and page_number("a" + " " * 20000 + "ab", True) is None
    assert time.perf_counter() - started < 5.0  # 50 s before; a generous bound on a slow VM
