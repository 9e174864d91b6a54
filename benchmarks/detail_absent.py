"""Questions whose subject the corpus has and whose detail it lacks, on SQuAD part 1.

    python benchmarks/detail_absent.py [--data squad-dev-v1.1-part1.json.gz] [--articles 0-15] [--seed 0]

benchmarks/answers.py's absent questions are about articles the corpus does not hold: easy
to turn away, their words are mostly foreign to it. A user also asks about a subject the
corpus covers for a detail it never gives ("What is the budget of the Hope Institute in
euros?"). Here the corpus is every other paragraph of the chosen articles (the 1st, 3rd,
...); the questions on the paragraphs left out whose gold answers no kept paragraph holds
are "detail absent": "nothing found" is right for them. The questions on kept paragraphs
are the answerable ones; those of the other articles of the file, as in answers.py, the
"other article" ones.

Prints, per kind of question: how many were answered, how many of them show missing
words ("searched for ... · missing: ..."), and found / abstain / hit@3 / answer-hit.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import answers as bench
from askurbact.config import Settings
from askurbact.core import Assistant, QuestionError

SAMPLE = 1500  # answerable and detail-absent questions each (fewer if there are fewer)


def paragraph_of(path: Path) -> dict[str, int]:
    """Each question's paragraph number within its article."""
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8") as f:
        data = json.load(f)["data"]
    return {qa["id"]: i for article in data for i, p in enumerate(article["paragraphs"]) for qa in p["qas"]}


def split(articles: list[bench.Article], chosen: set[int], paragraphs: dict[str, int], rng: random.Random):
    """(the corpus's articles with every other paragraph, answerable, detail-absent, other-article)."""
    inside = [a for a in articles if a.number in chosen]
    kept = [dataclasses.replace(a, paragraphs=a.paragraphs[::2]) for a in inside]
    held = [bench.normalise(p) for a in kept for p in a.paragraphs]
    answerable = [q for a in inside for q in a.questions if paragraphs[q.id] % 2 == 0]
    absent = [q for a in inside for q in a.questions if paragraphs[q.id] % 2 == 1
              and not any(gold and gold in text for gold in q.answers for text in held)]
    others = bench.sample_questions([a for a in articles if a.number not in chosen], 600, rng)
    return (kept, rng.sample(answerable, min(SAMPLE, len(answerable))), rng.sample(absent, min(SAMPLE, len(absent))),
            others)


def measure(assistant: Assistant, questions: list[bench.Question], answerable: bool) -> dict:
    answered = missing = hit3 = answer_hit = missing_hit = 0
    for q in questions:
        try:
            answer = assistant.ask(q.text)
        except QuestionError:
            continue
        if not answer.found:
            continue
        answered += 1
        missing += bool(answer.missing)
        if answerable:
            rank = bench.first_hit([h.passage.text for h in answer.hits], q.answers)
            hit3 += rank is not None and rank <= 3
            held = bench.holds_answer(answer.text, q.answers)
            answer_hit += held
            missing_hit += held and bool(answer.missing)
    n = max(1, len(questions))
    row = {"questions": len(questions), "answered": answered, "with_missing_words": round(missing / max(1, answered), 3)}
    if answerable:
        row.update({"found": round(answered / n, 3), "hit@3": round(hit3 / n, 3), "answer-hit": round(answer_hit / n, 3),
                    # of the answers holding a gold answer, and of those holding none, how many show missing words
                    "with_missing_words_when_right": round(missing_hit / max(1, answer_hit), 3),
                    "with_missing_words_when_wrong": round((missing - missing_hit) / max(1, answered - answer_hit), 3)})
    else:
        row["abstain"] = round(1 - answered / n, 3)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=bench.default_data())
    ap.add_argument("--articles", default="0-15")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    articles = bench.load_articles(args.data)
    kept, answerable, absent, others = split(articles, set(bench.parse_articles(args.articles)),
                                             paragraph_of(args.data), random.Random(args.seed))
    with tempfile.TemporaryDirectory(prefix="askurbact-detail-") as tmp:
        bench.write_corpus(kept, Path(tmp) / "corpus")
        assistant = Assistant(Settings(corpus=Path(tmp) / "corpus", index=Path(tmp) / "index",
                                       home=Path(tmp) / "home", top_k=bench.K))
        assistant.update(jobs=1)
        rows = {"answerable": measure(assistant, answerable, True),
                "detail absent": measure(assistant, absent, False),
                "other article": measure(assistant, others, False)}
    for kind, row in rows.items():
        print(json.dumps({"articles": args.articles, "kind": kind, **row}))
    print("\n| questions | n | answered | found / abstain | hit@3 | answer-hit | answered showing missing words |")
    print("|---|---|---|---|---|---|---|")
    for kind, row in rows.items():
        share = row.get("found", row.get("abstain"))
        print(f"| {kind} | {row['questions']} | {row['answered']} | {share:.3f} | {row.get('hit@3', '')} | "
              f"{row.get('answer-hit', '')} | {row['with_missing_words']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
