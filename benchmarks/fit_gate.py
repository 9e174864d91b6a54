"""Fit the "nothing found" gate (answer/gate.py) on SQuAD part 1, and show how it holds on
questions it was not fitted on.

    python benchmarks/fit_gate.py [--data squad-dev-v1.1-part1.json.gz] [--abstain 0.93] [--l2 0.01]
                                  [--semantic] [--keep-index DIR]

With `--semantic`, the semantic extra is on and the gate is answer/semantic_gate.py's: the
same evidence and the best cosine. `--keep-index DIR` keeps (and reuses) the indexes in
DIR/<system>-<articles>, as benchmarks/answers.py does: embedding is slow.

Evidence: `Assistant.retrieve` (the gate's `GateEvidence`, exactly as `ask` computes it)
for every question of the corpus's articles (answerable) and of the other articles of the
file (absent: "nothing found" is right). The model is a logistic regression (Newton's
method, L2 on standardised features), positive = answerable; its threshold is where it
abstains on the `--abstain` share of the absent questions it was fitted on.

Splits (the corpus is indexed as benchmarks/answers.py does):
- corpus 0-15, fitted on the questions of articles 0-7 (+ absent 16-19), shown on 8-15
  (+ absent 20-23), and the other way round;
- fitted on all of corpus 0-15 (+ absent 16-23), shown on corpus 8-23 (+ absent 0-7),
  and that last model is the one to ship: its coefficients are printed for gate.py.

For each: found, abstain and hit@3 with the gate (the answer among the 3 best passages
of an answered question), on the fitted and on the held-out questions.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import answers as bench
from askurbact.answer.gate import GateEvidence
from askurbact.config import Settings
from askurbact.core import Assistant, QuestionError

LEXICAL = tuple(f.name for f in dataclasses.fields(GateEvidence) if f.name != "coverage")
FEATURES = LEXICAL  # plus "cosine" with --semantic (main)


@dataclass(frozen=True)
class Case:
    article: int
    absent: bool
    features: np.ndarray | None  # None: nothing retrieved at all (always "nothing found")
    hit3: bool  # a gold answer in the 3 best passages (answerable questions)


def collect(articles: list[bench.Article], corpus_spec: str, asked: list[bench.Article] | None = None,
            semantic: bool = False, keep: Path | None = None) -> list[Case]:
    """The cases of a corpus made of `corpus_spec`'s articles: the questions of `asked`
    (default: every question of every article); `semantic`: with the extra on, its index
    kept in `keep` (DIR/<system>-<articles>) when given."""
    chosen = set(bench.parse_articles(corpus_spec))
    with tempfile.TemporaryDirectory(prefix="askurbact-fit-") as tmp:
        corpus = Path(tmp) / "corpus"
        bench.write_corpus([a for a in articles if a.number in chosen], corpus)
        name = "askurbact+semantic" if semantic else "askurbact"
        index = keep / f"{name}-{corpus_spec}" if keep else Path(tmp) / "index"
        assistant = Assistant(Settings(corpus=corpus, index=index, home=Path(tmp) / "home",
                                       top_k=bench.K, semantic="on" if semantic else "off"))
        assistant.update(jobs=1)
        cases = []
        for article in asked or articles:
            for q in article.questions:
                absent = article.number not in chosen
                try:
                    got = assistant.retrieve(q.text)
                except QuestionError:
                    cases.append(Case(article.number, absent, None, False))
                    continue
                e = got.evidence
                row = None if e is None else np.array([float(getattr(e, name)) for name in LEXICAL]
                                                      + ([got.cosine or 0.0] if semantic else []))
                hit3 = not absent and bench.first_hit([f.hit.passage.text for f in got.found][:3], q.answers) is not None
                cases.append(Case(article.number, absent, row, hit3))
    return cases


def small_corpora(articles: list[bench.Article], per_article: int = 60, absent: int = 150,
                  seed: int = 0) -> dict[str, list[Case]]:
    """Cases of small corpora: each article alone, and the pairs (i, i + 12), with up to
    `per_article` of each article's questions and `absent` questions of the other articles
    (seeded). The bundled corpus is this small (27 passages; a SQuAD article has 15-60)."""
    rng = random.Random(seed)
    specs = [str(a.number) for a in articles] + [f"{i},{i + 12}" for i in range(12) if i + 12 < len(articles)]
    out = {}
    for spec in specs:
        chosen = set(bench.parse_articles(spec))
        own = [dataclasses.replace(a, questions=rng.sample(a.questions, min(per_article, len(a.questions))))
               for a in articles if a.number in chosen]
        others = [q for a in articles if a.number not in chosen for q in a.questions]
        picked = rng.sample(others, min(absent, len(others)))
        by_article = {a.number: [] for a in articles if a.number not in chosen}
        for q in picked:
            by_article[q.article].append(q)
        asked = own + [dataclasses.replace(a, questions=by_article[a.number]) for a in articles
                       if a.number not in chosen]
        out[spec] = collect(articles, spec, asked)
    return out


def fit(cases: list[Case], l2: float, dropped: set[int] = frozenset()) -> tuple[np.ndarray, float]:
    """(coefficients on the raw features, bias) of a logistic regression: answerable or not;
    the `dropped` features get coefficient 0."""
    usable = [c for c in cases if c.features is not None]
    X = np.array([c.features for c in usable])
    y = np.array([not c.absent for c in usable], float)
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    keep = np.array([0.0 if i in dropped else 1.0 for i in range(X.shape[1])])
    Z = np.hstack([(X - mu) / sd * keep, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    penalty = l2 * np.r_[np.ones(len(w) - 1), 0.0]
    for _ in range(50):
        p = 1 / (1 + np.exp(-(Z @ w)))
        gradient = Z.T @ (p - y) / len(y) + penalty * w
        hessian = (Z * (p * (1 - p))[:, None]).T @ Z / len(y) + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)
    coefficients = w[:-1] / sd
    return coefficients, float(w[-1] - coefficients @ mu)


SMALL = FEATURES.index("small")


def small_slope(cases: list[Case], coefficients: np.ndarray, bias: float, threshold: float, found: float) -> float:
    """The coefficient of `small` at which the small corpora's answerable `cases` are
    answered as often as the large corpus's (`found`, at its `threshold`): a threshold
    that moves with the corpus's size. Left to the likelihood it stays near 0 (the model
    orders the two kinds alike in a small corpus, only the threshold differs), and set to
    give the small corpora's absent-article questions the large one's abstain it lowers
    the bar too far: those questions are easy to turn away there, but questions about a
    subject the corpus has and a detail it lacks are not (docs/quality.md)."""
    answerable = [c for c in cases if not c.absent]
    low, high = 0.0, 5.0
    for _ in range(40):
        mid = (low + high) / 2
        trial = coefficients.copy()
        trial[SMALL] = mid
        if (scores(answerable, trial, bias) >= threshold).mean() >= found:
            high = mid
        else:
            low = mid
    return high


def scores(cases: list[Case], coefficients: np.ndarray, bias: float) -> np.ndarray:
    return np.array([-math.inf if c.features is None else float(c.features @ coefficients + bias) for c in cases])


def threshold_for(cases: list[Case], s: np.ndarray, abstain: float) -> float:
    """The lowest threshold that abstains on at least `abstain` of the absent cases."""
    absent = np.sort(s[[i for i, c in enumerate(cases) if c.absent]])
    at = min(len(absent) - 1, max(0, math.ceil(abstain * len(absent)) - 1))
    return float(absent[at]) + 1e-9


def figures(cases: list[Case], s: np.ndarray, threshold: float) -> str:
    passed = s >= threshold
    answerable = [i for i, c in enumerate(cases) if not c.absent]
    absent = [i for i, c in enumerate(cases) if c.absent]
    found = passed[answerable].mean()
    abstain = 1 - passed[absent].mean()
    hit3 = np.mean([passed[i] and cases[i].hit3 for i in answerable])
    ungated = np.mean([cases[i].hit3 for i in answerable])
    return (f"found {found:.3f}  abstain {abstain:.3f}  hit@3 {hit3:.3f} (ungated {ungated:.3f})  "
            f"[{len(answerable)} answerable, {len(absent)} absent]")


def either(first: list[Case], second: list[Case], s_first: np.ndarray, s_second: np.ndarray) -> None:
    """The semantic gate's second way through (semantic_gate.COSINE_ALONE): the best cosine
    alone, at the threshold where it abstains on a share of corpus 0-15's absent questions,
    and the gate answering when the model or that threshold says so."""
    cosine = lambda cases: np.array([-1.0 if c.features is None else c.features[-1] for c in cases])
    print("\nbest cosine alone, and the model OR the cosine alone (threshold fitted on corpus 0-15)")
    for abstain in (0.93, 0.97, 0.99, 0.995):
        at = threshold_for(first, cosine(first), abstain)
        fit_or = np.where(cosine(first) >= at, 1.0, s_first)
        held_or = np.where(cosine(second) >= at, 1.0, s_second)
        print(f"    cosine >= {at:.4f}: alone {figures(first, cosine(first), at)}\n"
              f"        model or cosine, fitted: {figures(first, fit_or, 0.0)}\n"
              f"        model or cosine, held out 8-23: {figures(second, held_or, 0.0)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=bench.default_data())
    ap.add_argument("--abstain", type=float, default=0.93, help="share of fitted absent questions to abstain on")
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--small", action="store_true",
                    help="also fit on corpora of one or two articles (see small_corpora)")
    ap.add_argument("--drop", default="", help="features left out (comma-separated), to see what each adds")
    ap.add_argument("--semantic", action="store_true", help="fit the semantic extra's gate (with the best cosine)")
    ap.add_argument("--keep-index", type=Path, help="keep the indexes here and reuse them")
    args = ap.parse_args(argv)
    global FEATURES
    FEATURES = LEXICAL + ("cosine",) * args.semantic
    dropped = {FEATURES.index(name) for name in args.drop.split(",") if name}

    articles = bench.load_articles(args.data)
    first = collect(articles, "0-15", semantic=args.semantic, keep=args.keep_index)
    second = collect(articles, "8-23", semantic=args.semantic, keep=args.keep_index)

    def part(cases, answerable, absent):
        return [c for c in cases if (c.article in absent if c.absent else c.article in answerable)]

    halves = {"0-7 (+16-19)": part(first, range(8), range(16, 20)),
              "8-15 (+20-23)": part(first, range(8, 16), range(20, 24))}
    for fitted, other in (("0-7 (+16-19)", "8-15 (+20-23)"), ("8-15 (+20-23)", "0-7 (+16-19)")):
        coefficients, bias = fit(halves[fitted], args.l2, dropped)
        s_fit = scores(halves[fitted], coefficients, bias)
        threshold = threshold_for(halves[fitted], s_fit, args.abstain)
        print(f"corpus 0-15, fitted on {fitted}: {figures(halves[fitted], s_fit, threshold)}")
        print(f"    held out {other}: {figures(halves[other], scores(halves[other], coefficients, bias), threshold)}")

    small: dict[str, list[Case]] = small_corpora(articles) if args.small else {}
    singles = {spec: cases for spec, cases in small.items() if "," not in spec}
    low = [c for spec, cases in singles.items() if int(spec) < 12 for c in cases]
    high = [c for spec, cases in singles.items() if int(spec) >= 12 for c in cases]
    dropped = dropped | {SMALL}  # fitted as a threshold's slope, not by the likelihood

    def shipped(big: list[Case], little: list[Case]) -> tuple[np.ndarray, float, float]:
        coefficients, bias = fit(big + little, args.l2, dropped)
        s_big = scores(big, coefficients, bias)
        threshold = threshold_for(big, s_big, args.abstain)
        found = float(np.mean([s >= threshold for s, c in zip(s_big, big) if not c.absent]))
        if little:
            coefficients[SMALL] = small_slope(little, coefficients, bias, threshold, found)
        return coefficients, bias, threshold

    if small:
        for name, fitted, other in (("0-11", low, high), ("12-23", high, low)):
            coefficients, bias, threshold = shipped(first, fitted)
            print(f"corpus 0-15 + single-article corpora {name}: held out, the other single-article corpora: "
                  f"{figures(other, scores(other, coefficients, bias), threshold)}")

    coefficients, bias, threshold = shipped(first, [c for cases in small.values() for c in cases])
    s_fit = scores(first, coefficients, bias)
    print(f"fitted on corpus 0-15 (+16-23){' and the small corpora' if small else ''}: "
          f"corpus 0-15: {figures(first, s_fit, threshold)}")
    print(f"    held out: corpus 8-23 (+0-7): {figures(second, scores(second, coefficients, bias), threshold)}")
    if small:
        for kind, group in (("single articles", [c for cs in singles.values() for c in cs]),
                            ("pairs", [c for spec, cs in small.items() if "," in spec for c in cs])):
            print(f"    small corpora, {kind}: {figures(group, scores(group, coefficients, bias), threshold)}")
    print("\ntrade-off on corpus 0-15 (threshold: found / abstain / hit@3)")
    for delta in (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5):
        print(f"    {delta:+.2f}: {figures(first, s_fit, threshold + delta)}")
    if args.semantic:
        either(first, second, s_fit - threshold, scores(second, coefficients, bias) - threshold)
    print("\nCOEFFICIENTS = {" + ", ".join(f'"{n}": {c:.3g}' for n, c in zip(FEATURES, coefficients))
          + f', "bias": {bias - threshold:.3g}}}  # threshold folded into the bias: answer at score >= 0')
    return 0


if __name__ == "__main__":
    sys.exit(main())
