"""The gate in small corpora, and names spelt wrong (issue 12, third round): each on its
own small examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from askurbact.answer import gate


def test_a_question_in_its_own_words_is_answered_in_a_small_corpus(town):
    # Only "volunteers" and "Leeds" are the corpus's words; a large corpus would need more.
    answer = town.ask("How did the volunteers in Leeds improve the waterway?")
    assert answer.found and "cleaned in 2009 by volunteers" in answer.text


def test_a_question_on_another_subject_is_still_turned_away_in_a_small_corpus(town):
    assert not town.ask("What is the boiling point of mercury?").found
    assert not town.ask("Which football club won the league in 1998?").found


def test_the_bar_comes_down_with_the_corpus_size_within_the_sizes_fitted_on():
    sizes = [gate.corpus_smallness(n) for n in (1, 5, gate.SMALLEST_CORPUS, 100, 400, gate.SMALL_CORPUS, 10**6)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == sizes[1] == sizes[2] > sizes[3] > sizes[4] > sizes[5] == sizes[6] == 0.0


GARDEN = """---
title: Gardens
---
# Gardens

The rooftop garden of Ljubljana was planted by the tenants of the market hall in 2016.
"""


def test_a_misspelt_name_counts_as_the_name_it_corrects_to(tmp_path: Path, town):
    (town.settings.corpus / "garden.md").write_text(GARDEN, encoding="utf-8")
    town.update(jobs=1)
    right = town.retrieve("Who planted the rooftop garden in Ljubljana?").evidence
    wrong = town.retrieve("Who planted the rooftop garden in Lubljana?").evidence
    assert right is not None and wrong is not None
    assert (wrong.unknown_names, wrong.missing_names) == (right.unknown_names, right.missing_names) == (0, 0)
    assert wrong.score() == pytest.approx(right.score())
