"""Evaluation: score a question file (the format of tests/eval/questions.yaml).

hit@k: the expected phrase is in one of the top k passages; MRR: 1/rank of the first
passage holding it; answer-hit: the phrase is in the answer text shown to the user;
nothing-accuracy: the share of "nothing: true" cases answered with found = false.
Phrases are compared after folding accents, case, quotes and white space.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .analysis import fold
from .core import Assistant
from .errors import EvalFileError
from .session import Session, SessionStore

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Folded like the analyzer folds (accents, case, one apostrophe), straight double
    quotes, white space collapsed: how a phrase is looked for in passages and answers."""
    return " ".join(fold(text.translate(_QUOTES)).split())


@dataclass(frozen=True)
class Case:
    id: str
    questions: tuple[str, ...]
    expect: str | None
    nothing: bool


@dataclass
class CaseResult:
    case: Case
    rank: int | None  # rank of the first passage holding the phrase
    answer_hit: bool
    found: bool
    query: str
    answer: str

    def passed(self, k: int) -> bool:
        if self.case.nothing:
            return not self.found
        return self.rank is not None and self.rank <= k and self.answer_hit


@dataclass
class Report:
    k: int
    results: list[CaseResult] = field(default_factory=list)

    def metrics(self) -> dict:
        answerable = [r for r in self.results if not r.case.nothing]
        nothing = [r for r in self.results if r.case.nothing]
        share = lambda rows, test: round(sum(1 for r in rows if test(r)) / len(rows), 4) if rows else None
        return {
            "cases": len(self.results),
            f"hit@{self.k}": share(answerable, lambda r: r.rank is not None and r.rank <= self.k),
            "hit@1": share(answerable, lambda r: r.rank == 1),
            "mrr": round(sum(1 / r.rank for r in answerable if r.rank) / len(answerable), 4) if answerable else None,
            "answer_hit": share(answerable, lambda r: r.answer_hit),
            "nothing_accuracy": share(nothing, lambda r: not r.found),
        }

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed(self.k)]


def load_cases(path: Path) -> list[Case]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileError(f"cannot read {path}: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError):
        raise EvalFileError(f"{path} is not valid YAML") from None
    if not isinstance(raw, list) or not raw:
        raise EvalFileError(f"{path} must be a list of cases")
    cases = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise EvalFileError(f"{path}: case {i} is not a mapping")
        ident = str(item.get("id", f"case-{i}"))
        asks = item.get("conversation", [item["ask"]] if "ask" in item else None)
        if not isinstance(asks, list) or not asks or not all(isinstance(q, str) and q.strip() for q in asks):
            raise EvalFileError(f"{path}: case {ident!r} needs 'ask' (text) or 'conversation' (a list of questions)")
        nothing = bool(item.get("nothing", False))
        expect = item.get("expect")
        if not nothing and not isinstance(expect, str):
            raise EvalFileError(f"{path}: case {ident!r} needs 'expect' (a phrase) or 'nothing: true'")
        cases.append(Case(ident, tuple(asks), expect, nothing))
    return cases


def run(assistant: Assistant, cases: list[Case], k: int) -> Report:
    """Ask every case in a fresh, throw-away conversation."""
    report = Report(k)
    real_store = assistant.sessions
    with tempfile.TemporaryDirectory(prefix="askurbact-eval-") as tmp:
        assistant.sessions = SessionStore(Path(tmp))
        try:
            for n, case in enumerate(cases):
                session = Session(f"eval-{n}")
                for question in case.questions:
                    answer = assistant.ask(question, session=session, k=max(k, assistant.settings.top_k))
                phrase = normalise(case.expect or "")
                rank = next((h.rank for h in answer.hits if phrase and phrase in normalise(h.passage.text)), None)
                report.results.append(CaseResult(case, rank, bool(phrase) and phrase in normalise(answer.text),
                                                 answer.found, answer.query, answer.text))
        finally:
            assistant.sessions = real_store
    return report
