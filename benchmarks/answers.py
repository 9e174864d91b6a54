"""Answer quality on SQuAD part 1: askurbact against a plain rank-bm25 baseline (issue 12).

    python benchmarks/answers.py [--data squad-dev-v1.1-part1.json.gz] [--answerable 2000]
                                 [--absent 600] [--seed 0] [--articles 0-15]
                                 [--only askurbact|baseline] [--failures FILE]
                                 [--semantic] [--keep-index DIR]

The method is the one in ../shared/data/squad/README.md:
- corpus: the `--articles` of the file (default 0-15), one Markdown file per article in a
  temporary folder (title in front matter and as a `# ` heading, one paragraph per block),
  indexed with askurbact's own `Assistant.update`;
- answerable questions: a seeded sample of those articles' questions;
- absent-topic questions: a seeded sample of the other articles' questions (default
  16-23): their articles are not in the corpus, so "nothing found" is the right answer.

Figures (answers and gold spans normalised as SQuAD's evaluation does): hit@1/3/5, a gold
answer inside one of the top k passages returned with the answer (none with "nothing
found", so the gate's refusals count as misses); answer-hit, inside the answer text
shown; found, share of answerable questions answered at all; abstain, share of absent
ones answered "nothing found"; faithful, share of answers whose every citation quote
stands verbatim in the cited lines of the cited file; p50 ms, median time of one question
in this process.

`--semantic` adds "askurbact+semantic": the same with the semantic extra on (passage
vectors fused with BM25; needs `pip install askurbact[semantic]`); plain "askurbact" runs
with it off. Embedding is slow (a few passages a second): `--keep-index DIR` keeps each
system's index in DIR/<system>-<articles>, so a later run embeds only what changed.

askurbact is used only through `askurbact.config` and `askurbact.core.Assistant` and the
`Answer` it returns, so the benchmark survives reorganisations of the package.

The baseline: `rank_bm25.BM25Okapi` over whole paragraphs, a naive analyzer (lower case,
`\\w+`, English Snowball stems, no stopwords) and, as the answer, the 3 sentences of the
top 5 passages that hold the most idf weight of the question's content words; it answers
whenever one of those words is in one of those sentences.

Prints one JSON object per system, one a line, then a Markdown table. `--failures FILE`
writes every askurbact failure as JSON lines, with its category: "gate" (a gold answer in
the top 5 passages, but "nothing found"), "retrieval" (no gold answer in the top 5),
"sentence" (in the top 5, not in the answer) and "false-positive" (an absent-topic
question answered).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import Stemmer
from rank_bm25 import BM25Okapi
from stop_words import get_stop_words

from askurbact.config import Settings
from askurbact.core import Assistant, QuestionError

DATA_NAME = "squad/squad-dev-v1.1-part1.json.gz"
K = 5  # passages asked for, as askurbact's default top_k
HIT_DEPTHS = (1, 3, 5)
BASELINE_SENTENCES = 3
QUOTE_PREVIEW = 200  # characters of each passage kept in the failures file


# ------------------------------------------------------------------ data


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]  # gold spans, normalised (unused for an absent-topic question)
    article: int


@dataclass(frozen=True)
class Article:
    number: int  # position in the file
    title: str
    paragraphs: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as written to the corpus: where it stands, for citations."""

    text: str
    path: str  # relative to the corpus folder
    line: int  # 1-based; a paragraph is one line


def default_data() -> Path:
    """The shared data beside this checkout, else the workplace's copy (as the Makefile)."""
    beside = Path(__file__).resolve().parents[2] / "shared" / "data" / DATA_NAME
    return beside if beside.exists() else Path("/work/shared/data") / DATA_NAME


def load_articles(path: Path) -> list[Article]:
    """The articles of a SQuAD v1.1 file, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8") as f:
        data = json.load(f)["data"]
    articles = []
    for number, article in enumerate(data):
        questions = tuple(
            Question(qa["id"], qa["question"], tuple(dict.fromkeys(normalise(a["text"]) for a in qa["answers"])),
                     number)
            for paragraph in article["paragraphs"] for qa in paragraph["qas"])
        articles.append(Article(number, article["title"].replace("_", " "),
                                tuple(one_line(p["context"]) for p in article["paragraphs"]), questions))
    return articles


def one_line(text: str) -> str:
    """A paragraph as one Markdown block on one line.

    SQuAD contexts hold a few line breaks (chemical subscripts: "O\\n2. Diatomic oxygen");
    in Markdown such a line would start a list, and a blank line would split the
    paragraph. Collapsing white space changes nothing the SQuAD normalisation sees."""
    return " ".join(text.split())


def parse_articles(spec: str) -> list[int]:
    """Article numbers from "0-15" or "0-3,7,9-11"."""
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return sorted(set(numbers))


def sample_questions(articles: Iterable[Article], n: int, rng: random.Random) -> list[Question]:
    """A seeded sample of n questions (all of them if there are fewer)."""
    pool = [q for article in articles for q in article.questions]
    return rng.sample(pool, min(n, len(pool)))


def write_corpus(articles: Iterable[Article], folder: Path) -> list[Paragraph]:
    """One Markdown file per article; the paragraphs with the line each was written on."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for article in articles:
        name = f"{article.number:02d}-{re.sub(r'[^A-Za-z0-9]+', '-', article.title).strip('-')}.md"
        # JSON strings are YAML double-quoted scalars: any title is safe in the front matter.
        head = ["---", f"title: {json.dumps(article.title, ensure_ascii=False)}", "---", "", f"# {article.title}"]
        lines = list(head)
        for paragraph in article.paragraphs:
            lines += ["", paragraph]
            written.append(Paragraph(paragraph, name, len(lines)))
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


# ------------------------------------------------------------------ what a system answers


@dataclass(frozen=True)
class Quote:
    path: str  # relative to the corpus folder
    lines: tuple[int, int]  # first, last; 1-based, inclusive
    text: str


@dataclass(frozen=True)
class Reply:
    """What any system answered, in the terms the figures need."""

    found: bool
    text: str  # what the user is shown
    query: str  # what was searched
    passages: tuple[str, ...]  # the ranked passages returned, best first
    quotes: tuple[Quote, ...]


class System(Protocol):
    name: str

    def ask(self, question: str) -> Reply: ...


class Askurbact:
    """askurbact in this process, through its public core; indexes the corpus on creation."""

    def __init__(self, corpus: Path, workdir: Path, semantic: bool = False, index: Path | None = None,
                 **overrides: float):
        """`overrides`: other settings than the defaults (k1, b: benchmarks/sweep_ranking.py)."""
        self.name = "askurbact+semantic" if semantic else "askurbact"
        settings = Settings(corpus=corpus, index=index or workdir / "index", home=workdir / "home", top_k=K,
                            semantic="on" if semantic else "off", **overrides)
        self.assistant = Assistant(settings)
        started = time.perf_counter()
        report = self.assistant.update(jobs=1)
        self.index_seconds = time.perf_counter() - started
        self.passages = report.passages
        # The same index with the "nothing found" gate open: what retrieval alone would have
        # shown, to tell a gate failure from a retrieval one. Not timed, not in the figures.
        self._ungated = Assistant(Settings(corpus=corpus, index=settings.index, home=settings.home,
                                           top_k=K, semantic=settings.semantic, **{**overrides, "min_coverage": 0.0}))

    def ask(self, question: str) -> Reply:
        return self._reply(self.assistant, question)

    def retrieve(self, question: str) -> Reply:
        """The answer with the gate open (for the failure categories only)."""
        return self._reply(self._ungated, question)

    @staticmethod
    def _reply(assistant: Assistant, question: str) -> Reply:
        try:
            answer = assistant.ask(question)
        except QuestionError:  # nothing left to search for: the user is told, nothing is found
            return Reply(False, "", "", (), ())
        return Reply(answer.found, answer.text, answer.query, tuple(h.passage.text for h in answer.hits),
                     tuple(Quote(c.path, tuple(c.lines), c.quote) for c in answer.citations))


_TOKEN = re.compile(r"\w+")
# End punctuation, space, then a capital, digit or opening quote starts a new sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[])")


def sentences(text: str) -> list[str]:
    """A naive sentence split, as a plain system would do it; every piece verbatim."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start:match.start()] + match.group().rstrip())
        start = match.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


class Baseline:
    """Plain rank-bm25 over whole paragraphs, as anyone would set it up in an afternoon.

    Ranking: BM25Okapi (its defaults) on every word of the question. Answer: the
    BASELINE_SENTENCES sentences of the top K passages holding the most BM25 idf weight of
    the question's distinct content words (not in the `stop-words` package's English
    list: without that, "the" and "what" would tie every sentence); a tie goes to the
    better passage, then the earlier sentence. It says "nothing found" only when no
    content word of the question is in any sentence of those passages."""

    name = "baseline"

    def __init__(self, paragraphs: Sequence[Paragraph]):
        self._stem = Stemmer.Stemmer("english")
        self.paragraphs = list(paragraphs)
        self.bm25 = BM25Okapi([self.analyse(p.text) for p in self.paragraphs])
        self.common = frozenset(self.analyse(" ".join(get_stop_words("en"))))
        self.sentences = [[(s, frozenset(self.analyse(s))) for s in sentences(p.text)] for p in self.paragraphs]

    def analyse(self, text: str) -> list[str]:
        """Lower case, `\\w+` words, English Snowball stems; no stopwords."""
        return self._stem.stemWords(_TOKEN.findall(text.lower()))

    def ask(self, question: str) -> Reply:
        terms = self.analyse(question)
        scores = self.bm25.get_scores(terms)
        order = np.lexsort((np.arange(len(scores)), -scores))[:K]  # best first, ties by corpus order
        ranked = [int(i) for i in order if scores[i] > 0]
        passages = tuple(self.paragraphs[i].text for i in ranked)
        chosen = self._best_sentences(set(terms) - self.common, ranked)
        if not chosen:
            return Reply(False, "", " ".join(terms), passages, ())
        quotes = tuple(Quote(self.paragraphs[i].path, (self.paragraphs[i].line,) * 2, s) for i, s in chosen)
        return Reply(True, "\n\n".join(s for _, s in chosen), " ".join(terms), passages, quotes)

    def _best_sentences(self, terms: set[str], passages: list[int]) -> list[tuple[int, str]]:
        """(paragraph, sentence) of the best sentences, best first."""
        scored = []
        for rank, i in enumerate(passages):
            for position, (text, stems) in enumerate(self.sentences[i]):
                weight = sum(self.bm25.idf[t] for t in terms & stems)
                if weight > 0:
                    scored.append((-weight, rank, position, i, text))
        return [(i, text) for *_, i, text in sorted(scored)[:BASELINE_SENTENCES]]


# ------------------------------------------------------------------ figures

_PUNCTUATION = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalise(text: str) -> str:
    """SQuAD v1.1's normalize_answer: lower case, no punctuation, no a/an/the, single spaces."""
    text = "".join(c for c in text.lower() if c not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def holds_answer(text: str, answers: Iterable[str]) -> bool:
    """A (normalised) gold answer is inside the normalised `text`, as the method says.

    A plain substring, as issue 12's figures and targets were measured: a short number
    ("2") also counts inside a longer one ("2016"); whole-word matching would put every
    figure about 0.01 lower."""
    text = normalise(text)
    return any(answer and answer in text for answer in answers)


def first_hit(passages: Sequence[str], answers: Sequence[str]) -> int | None:
    """1-based rank of the first passage holding a gold answer."""
    return next((rank for rank, text in enumerate(passages, 1) if holds_answer(text, answers)), None)


class SourceLines:
    """The corpus files' lines, read once, with universal newlines as a reader would."""

    def __init__(self, corpus: Path):
        self.corpus = corpus
        self._files: dict[str, list[str]] = {}

    def holds(self, quote: Quote) -> bool:
        """The quote stands verbatim in lines first..last of its file, joined by "\\n"."""
        if quote.path not in self._files:  # read_text decodes with universal newlines
            try:
                self._files[quote.path] = (self.corpus / quote.path).read_text(encoding="utf-8").split("\n")
            except OSError:
                self._files[quote.path] = []
        first, last = quote.lines
        lines = self._files[quote.path]
        return 1 <= first <= last <= len(lines) and quote.text in "\n".join(lines[first - 1:last])


@dataclass(frozen=True)
class Outcome:
    question: Question
    reply: Reply
    ms: float
    absent: bool

    def rank(self) -> int | None:
        return first_hit(self.reply.passages, self.question.answers)

    def answer_hit(self) -> bool:
        return self.reply.found and holds_answer(self.reply.text, self.question.answers)


@dataclass(frozen=True)
class Figures:
    system: str
    hit: dict[int, float]
    answer_hit: float
    found: float
    abstain: float
    faithful: float
    p50_ms: float
    answerable: int
    absent: int

    def to_json(self) -> dict:
        return {"system": self.system, **{f"hit@{k}": v for k, v in self.hit.items()},
                "answer-hit": self.answer_hit, "found": self.found, "abstain": self.abstain,
                "faithful": self.faithful, "p50_ms": self.p50_ms,
                "answerable": self.answerable, "absent": self.absent}

    def row(self) -> str:
        cells = [self.system, *(f"{self.hit[k]:.3f}" for k in HIT_DEPTHS), f"{self.answer_hit:.3f}",
                 f"{self.found:.3f}", f"{self.abstain:.3f}", f"{self.faithful:.3f}", f"{self.p50_ms:.2f}"]
        return "| " + " | ".join(cells) + " |"


TABLE_HEAD = ("| system | hit@1 | hit@3 | hit@5 | answer-hit | found | abstain | faithful | p50 ms |\n"
              "|---|---|---|---|---|---|---|---|---|")


def share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def run(system: System, answerable: Sequence[Question], absent: Sequence[Question]) -> list[Outcome]:
    """Every question once, answerable first; each timed around the system's answer only."""
    outcomes = []
    for question, is_absent in [*((q, False) for q in answerable), *((q, True) for q in absent)]:
        start = time.perf_counter()
        reply = system.ask(question.text)
        outcomes.append(Outcome(question, reply, (time.perf_counter() - start) * 1e3, is_absent))
    return outcomes


def figures(name: str, outcomes: Sequence[Outcome], sources: SourceLines) -> Figures:
    answerable = [o for o in outcomes if not o.absent]
    absent = [o for o in outcomes if o.absent]
    ranks = [o.rank() for o in answerable]
    answered = [o for o in outcomes if o.reply.found]
    return Figures(
        system=name,
        hit={k: share(r is not None and r <= k for r in ranks) for k in HIT_DEPTHS},
        answer_hit=share(o.answer_hit() for o in answerable),
        found=share(o.reply.found for o in answerable),
        abstain=share(not o.reply.found for o in absent),
        # An answer without a citation is not faithful: nothing shows where it stands.
        faithful=share(bool(o.reply.quotes) and all(sources.holds(q) for q in o.reply.quotes) for o in answered)
        if answered else 1.0,
        p50_ms=round(statistics.median(o.ms for o in outcomes), 3) if outcomes else 0.0,
        answerable=len(answerable), absent=len(absent))


# ------------------------------------------------------------------ askurbact's failures


@dataclass(frozen=True)
class Failure:
    category: str  # gate, retrieval, sentence, false-positive
    outcome: Outcome
    passages: tuple[str, ...]  # the top passages behind the failure (for "gate": the ones turned away)

    def to_json(self) -> dict:
        q, reply = self.outcome.question, self.outcome.reply
        return {"category": self.category, "id": q.id, "question": q.text, "answers": list(q.answers),
                "query": reply.query, "found": reply.found, "answer": reply.text,
                "gold_rank": None if self.outcome.absent else first_hit(self.passages, q.answers),
                "passages": [p[:QUOTE_PREVIEW] for p in self.passages]}


def failures(outcomes: Iterable[Outcome], retrieve: Callable[[str], Reply]) -> list[Failure]:
    """Each askurbact failure with its category; `retrieve` answers with the gate open."""
    found = []
    for o in outcomes:
        if o.absent:
            if o.reply.found:
                found.append(Failure("false-positive", o, o.reply.passages))
        elif not o.reply.found:
            passages = retrieve(o.question.text).passages
            in_top = first_hit(passages, o.question.answers) is not None
            found.append(Failure("gate" if in_top else "retrieval", o, passages))
        elif o.rank() is None:
            found.append(Failure("retrieval", o, o.reply.passages))
        elif not o.answer_hit():
            found.append(Failure("sentence", o, o.reply.passages))
    return found


def write_failures(path: Path, found: Iterable[Failure]) -> None:
    """One JSON object a line, in question order: diffs between two runs stay readable."""
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(failure.to_json(), ensure_ascii=False) + "\n" for failure in found)


# ------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=default_data(), help="a SQuAD v1.1 JSON file (.gz or not)")
    ap.add_argument("--answerable", type=int, default=2000, help="answerable questions sampled (default 2000)")
    ap.add_argument("--absent", type=int, default=600, help="absent-topic questions sampled (default 600)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--articles", default="0-15",
                    help="articles in the corpus, e.g. 0-15 (default); the file's others give the absent questions")
    ap.add_argument("--only", choices=("askurbact", "baseline"))
    ap.add_argument("--failures", type=Path, help="write askurbact's failures here, one JSON object a line")
    ap.add_argument("--semantic", action="store_true", help="also run askurbact with the semantic extra on")
    ap.add_argument("--keep-index", type=Path, help="keep the indexes here (DIR/<system>-<articles>) and reuse them")
    args = ap.parse_args(argv)

    articles = load_articles(args.data)
    chosen = set(parse_articles(args.articles))
    inside = [a for a in articles if a.number in chosen]
    outside = [a for a in articles if a.number not in chosen]
    rng = random.Random(args.seed)
    answerable = sample_questions(inside, args.answerable, rng)
    absent = sample_questions(outside, args.absent, rng)

    with tempfile.TemporaryDirectory(prefix="askurbact-answers-") as tmp:
        corpus = Path(tmp) / "corpus"
        paragraphs = write_corpus(inside, corpus)
        sources = SourceLines(corpus)
        results = []
        for semantic in (False, True) if args.semantic else (False,):
            if args.only not in (None, "askurbact"):
                break
            name = "askurbact+semantic" if semantic else "askurbact"
            kept = args.keep_index / f"{name}-{args.articles}" if args.keep_index else None
            ours = Askurbact(corpus, Path(tmp) / name, semantic, kept)
            print(f"{ours.name}: indexed {ours.passages} passages in {ours.index_seconds:.1f} s", file=sys.stderr)
            outcomes = run(ours, answerable, absent)
            results.append(figures(ours.name, outcomes, sources))
            if args.failures:
                path = args.failures.with_name(f"{args.failures.stem}-semantic{args.failures.suffix}") \
                    if semantic else args.failures
                write_failures(path, failures(outcomes, ours.retrieve))
        if args.only in (None, "baseline"):
            baseline = Baseline(paragraphs)
            results.append(figures(baseline.name, run(baseline, answerable, absent), sources))

    for result in results:
        print(json.dumps(result.to_json()))
    print()
    print(TABLE_HEAD)
    for result in results:
        print(result.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())
