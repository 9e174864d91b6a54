"""benchmarks/answers.py on a tiny SQuAD-format file: the figures are computed right.

Three short articles form the corpus (one paragraph each); a fourth, about a topic the
corpus never mentions, gives the absent-topic question. Every answerable question uses
words of its paragraph only, so both systems must find it: the test is about the
benchmark's arithmetic, not about either system's quality.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_answers", ROOT / "benchmarks" / "answers.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)

# (title, the one paragraph, [(question, gold answers)])
ARTICLES = [
    ("Kavala",
     ("Kavala is a port city in northern Greece. The old aqueduct of Kavala was built in the "
      "sixteenth century by the Ottomans. Fishermen still land sardines in the harbour every morning."),
     [("Who built the aqueduct of Kavala?", ["the Ottomans", "Ottomans"])]),
    ("Grenoble",
     ("Grenoble lets its residents choose projects with a participatory budget. Each year citizens vote "
      "for the projects they prefer, and the city funds the winners with eight hundred thousand euros."),
     [("How many euros does Grenoble fund the winners with?", ["eight hundred thousand euros"])]),
    ("Malmö_cycling",
     ("Malmö has built more than five hundred kilometres of cycle paths. Half of the commuters in the "
      "city ride a bicycle to their jobs."),
     [("How many kilometres of cycle paths has Malmö built?", ["more than five hundred kilometres"])]),
    ("Penguins",
     "Emperor penguins breed on Antarctic sea ice during winter.",
     [("Where do emperor penguins breed?", ["Antarctic sea ice"])]),
]


def squad_file(folder: Path) -> Path:
    data = {"version": "1.1", "data": [
        {"title": title, "paragraphs": [{"context": context, "qas": [
            {"id": f"{n}-{i}", "question": question,
             "answers": [{"text": a, "answer_start": context.find(a)} for a in answers]}
            for i, (question, answers) in enumerate(qas)]}]}
        for n, (title, context, qas) in enumerate(ARTICLES)]}
    path = folder / "tiny.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f)
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The tiny corpus written and indexed once, with its questions and both systems."""
    tmp = tmp_path_factory.mktemp("answers")
    data = squad_file(tmp)
    articles = bench.load_articles(data)
    inside = [a for a in articles if a.number in bench.parse_articles("0-2")]
    outside = [a for a in articles if a.number not in bench.parse_articles("0-2")]
    rng = random.Random(0)
    answerable = bench.sample_questions(inside, 10, rng)
    absent = bench.sample_questions(outside, 10, rng)
    corpus = tmp / "corpus"
    paragraphs = bench.write_corpus(inside, corpus)
    return {"data": data, "corpus": corpus, "paragraphs": paragraphs, "answerable": answerable, "absent": absent,
            "sources": bench.SourceLines(corpus), "askurbact": bench.Askurbact(corpus, tmp),
            "baseline": bench.Baseline(paragraphs)}


def test_normalise_is_squads():
    assert bench.normalise("The  Ottomans!") == "ottomans"
    assert bench.normalise("A tale, of an era") == "tale of era"
    assert bench.holds_answer("It was built by the Ottomans.", ["ottomans"])
    assert not bench.holds_answer("It was built by the Venetians.", ["ottomans"])


def test_articles_parse_and_sample(setup):
    assert bench.parse_articles("0-2,5,7-8") == [0, 1, 2, 5, 7, 8]
    assert len(setup["answerable"]) == 3 and len(setup["absent"]) == 1  # fewer than asked: all of them
    again = bench.sample_questions([a for a in bench.load_articles(setup["data"]) if a.number < 3], 2,
                                   random.Random(0))
    assert again == bench.sample_questions([a for a in bench.load_articles(setup["data"]) if a.number < 3], 2,
                                           random.Random(0))


def test_corpus_files_hold_each_paragraph_on_its_line(setup):
    for paragraph in setup["paragraphs"]:
        lines = (setup["corpus"] / paragraph.path).read_text(encoding="utf-8").split("\n")
        assert lines[paragraph.line - 1] == paragraph.text
    kavala = (setup["corpus"] / setup["paragraphs"][0].path).read_text(encoding="utf-8")
    assert kavala.startswith('---\ntitle: "Kavala"\n---\n\n# Kavala\n\n')
    assert not any("Penguins" in p.text for p in setup["paragraphs"])


@pytest.mark.parametrize("name", ["askurbact", "baseline"])
def test_every_figure_on_the_tiny_corpus(setup, name):
    outcomes = bench.run(setup[name], setup["answerable"], setup["absent"])
    figures = bench.figures(name, outcomes, setup["sources"])
    assert figures.hit == {1: 1.0, 3: 1.0, 5: 1.0}
    assert (figures.answer_hit, figures.found, figures.faithful) == (1.0, 1.0, 1.0)
    assert figures.abstain == 1.0  # no word of the penguin question is in the corpus
    assert (figures.answerable, figures.absent) == (3, 1)
    assert figures.p50_ms > 0
    assert set(figures.to_json()) >= {"system", "hit@1", "hit@3", "hit@5", "answer-hit", "found", "abstain",
                                      "faithful", "p50_ms"}


def test_askurbact_has_no_failures_there(setup):
    ours = setup["askurbact"]
    outcomes = bench.run(ours, setup["answerable"], setup["absent"])
    assert bench.failures(outcomes, ours.retrieve) == []


def test_failure_categories_and_misses_are_counted(setup):
    """Hand-made replies: each kind of failure, and what it does to the figures."""
    kavala, grenoble, malmo = sorted(setup["answerable"], key=lambda q: q.id)
    penguins = setup["absent"][0]
    other = setup["paragraphs"][1].text
    shown = bench.Reply(True, "The old aqueduct of Kavala was built in the sixteenth century by the Ottomans.",
                        "aqueduct kavala", (other, setup["paragraphs"][0].text), ())
    outcomes = [
        bench.Outcome(kavala, shown, 1.0, False),  # gold in the 2nd passage and in the answer
        bench.Outcome(grenoble, bench.Reply(False, "", "euro grenobl", (), ()), 2.0, False),
        bench.Outcome(malmo, bench.Reply(True, "Half of the commuters ride.", "malmo", (other,), ()), 3.0, False),
        bench.Outcome(penguins, bench.Reply(True, "x", "emperor", (other,), ()), 4.0, True),
    ]
    figures = bench.figures("hand", outcomes, setup["sources"])
    assert figures.hit == {1: 0.0, 3: round(1 / 3, 4), 5: round(1 / 3, 4)}
    assert figures.answer_hit == round(1 / 3, 4) and figures.found == round(2 / 3, 4)
    assert figures.abstain == 0.0 and figures.faithful == 0.0  # answers without citations
    assert figures.p50_ms == 2.5

    # The gate turned Grenoble away although retrieval had it; Malmö's passage was never found.
    retrieve = {grenoble.text: bench.Reply(True, "", "", (setup["paragraphs"][1].text,), ())}.get
    categories = {f.outcome.question.id: f.category for f in bench.failures(outcomes, retrieve)}
    assert categories == {grenoble.id: "gate", malmo.id: "retrieval", penguins.id: "false-positive"}
    no_gate = {grenoble.text: bench.Reply(False, "", "", (), ())}.get
    assert {f.category for f in bench.failures(outcomes[1:2], no_gate)} == {"retrieval"}
    sentence = bench.Outcome(kavala, bench.Reply(True, "Kavala is a port city.", "", shown.passages, ()), 1.0, False)
    assert [f.category for f in bench.failures([sentence], retrieve)] == ["sentence"]


def test_faithful_needs_the_quote_in_the_cited_lines(setup):
    paragraph = setup["paragraphs"][0]
    sources = setup["sources"]
    good = bench.Quote(paragraph.path, (paragraph.line, paragraph.line), "built in the sixteenth century")
    assert sources.holds(good)
    assert not sources.holds(bench.Quote(paragraph.path, (1, 3), good.text))  # right file, wrong lines
    assert not sources.holds(bench.Quote(paragraph.path, (paragraph.line,) * 2, "built by the Venetians"))
    assert not sources.holds(bench.Quote("missing.md", (1, 1), "x"))


def test_main_prints_json_lines_then_the_table(setup, capsys, tmp_path):
    failures = tmp_path / "failures.jsonl"
    assert bench.main(["--data", str(setup["data"]), "--articles", "0-2", "--failures", str(failures)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert [json.loads(line)["system"] for line in lines[:2]] == ["askurbact", "baseline"]
    assert lines[3] == "| system | hit@1 | hit@3 | hit@5 | answer-hit | found | abstain | faithful | p50 ms |"
    assert lines[5].startswith("| askurbact | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |")
    assert failures.read_text() == ""


def test_ranking_sweep_prints_a_row_per_setting_and_restores_the_depth(setup, capsys, monkeypatch):
    from askurbact.search import rerank

    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    sweep_spec = importlib.util.spec_from_file_location("bench_sweep", ROOT / "benchmarks" / "sweep_ranking.py")
    sweep = importlib.util.module_from_spec(sweep_spec)
    sweep_spec.loader.exec_module(sweep)
    depth = rerank.DEPTH
    assert sweep.main(["--data", str(setup["data"]), "--articles", "0-2", "--k1", "0.9,1.5", "--depth", "20,5"]) == 0
    rows = capsys.readouterr().out.strip().split("\n")[2:]
    assert [row.split(" | ")[:3] for row in rows] == [["| 0.9", "0.75", "20"], ["| 0.9", "0.75", "5"],
                                                      ["| 1.5", "0.75", "20"], ["| 1.5", "0.75", "5"]]
    # Every question of the tiny corpus is found and the absent one refused, at each setting.
    assert all(row.split(" | ")[3:10] == ["1.000"] * 7 for row in rows)
    assert rerank.DEPTH == depth  # the last row's 5 does not stay for the rest of the process


def test_settings_reach_the_benchmarked_index(tmp_path, setup):
    ours = bench.Askurbact(setup["corpus"], tmp_path, k1=0.9, b=0.4)
    assert (ours.assistant.settings.k1, ours.assistant.settings.b) == (0.9, 0.4)
    assert ours.assistant.reader.k1 == 0.9  # the index was built with them, not the defaults
