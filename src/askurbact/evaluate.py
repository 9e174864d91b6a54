"""Evaluation: score a question file (the format of tests/eval/questions.yaml).

hit@k: the expected phrase is in one of the top k passages; MRR: 1/rank of the first
passage holding it; answer-hit: the phrase is in the answer text shown to the user;
nothing-accuracy: the share of "nothing: true" cases answered with found = false.
Phrases are compared after folding accents, case, quotes and white space. A malformed
case, or one that cannot be asked, is named with the reason and the others still run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import fold
from .core import Assistant
from .errors import AskUrbactError, EvalFileError
from .session import Session

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
    errors: dict[str, str] = field(default_factory=dict)  # case that could not be read or asked -> why

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
            "errors": len(self.errors),
        }

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed(self.k)]


def _text(value: object) -> str | None:
    """A phrase or question as written: YAML reads `expect: 2014` as a number, and a bare
    date as a date; both are text here."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def load_cases(path: Path) -> tuple[list[Case], dict[str, str]]:
    """The cases of a question file, and the ones that are malformed: {case: why}."""
    import yaml

    from .safe_yaml import load

    try:
        raw = load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileError(f"cannot read {path}: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError):
        raise EvalFileError(f"{path} is not valid YAML") from None
    if not isinstance(raw, list) or not raw:
        raise EvalFileError(f"{path} must be a list of cases")
    cases, problems = [], {}
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems[f"case {i}"] = "not a mapping of id, ask or conversation, expect or nothing"
            continue
        ident = _text(item.get("id")) or f"case-{i}"
        asks = item.get("conversation", [item["ask"]] if "ask" in item else None)
        questions = [_text(q) for q in asks] if isinstance(asks, list) else []
        if not questions or not all(q and q.strip() for q in questions):
            problems[ident] = "needs 'ask' (text) or 'conversation' (a list of questions)"
            continue
        nothing = item.get("nothing", False) is True
        expect = _text(item.get("expect"))
        if not nothing and not expect:
            problems[ident] = "needs 'expect' (a phrase) or 'nothing: true'"
            continue
        cases.append(Case(ident, tuple(questions), expect, nothing))
    if not cases:
        raise EvalFileError(f"{path}: no case can be run ({'; '.join(f'{k}: {v}' for k, v in problems.items())})")
    return cases, problems


def run(assistant: Assistant, cases: list[Case], k: int) -> Report:
    """Ask every case in a fresh conversation, kept in memory only (nothing saved); a case
    that cannot be asked (a question with no words to search for, say) is an error of its own."""
    report = Report(k)
    for n, case in enumerate(cases):
        session = Session(f"eval-{n}")
        try:
            for question in case.questions:
                answer = assistant.ask(question, session=session, k=max(k, assistant.settings.top_k), record=False)
                session.add(answer)
        except AskUrbactError as exc:
            report.errors[case.id] = str(exc)
            continue
        phrase = normalise(case.expect or "")
        rank = next((h.rank for h in answer.hits if phrase and phrase in normalise(h.passage.text)), None)
        report.results.append(CaseResult(case, rank, bool(phrase) and phrase in normalise(answer.text),
                                         answer.found, answer.query, answer.text))
    return report
