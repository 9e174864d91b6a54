"""The commands that read the index or write the minutes: index, ask, sources, eval, export."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from ..errors import IndexProblem, QuestionError, SessionError, describe
from ..printable import printable
from .output import Style, color_wanted, plural, print_answer, print_json, say
from .parser import EXIT_ERROR, EXIT_NOTHING, EXIT_OK


def _live_generation(assistant):
    from ..index.format import current_generation

    try:
        return current_generation(assistant.settings.index)
    except (IndexProblem, OSError):
        return None


def index(assistant, args) -> int:
    before = _live_generation(assistant)
    try:
        if sys.stderr.isatty():  # a bar for a person watching; a script gets the summary line only
            from .progress import index_progress

            with index_progress(color_wanted(sys.stderr, args.color)) as progress:
                report = assistant.update(full=args.full, progress=progress)
        else:
            report = assistant.update(full=args.full)
    except KeyboardInterrupt as exc:  # Ctrl+C or SIGTERM: main says what happened, in one line
        now = _live_generation(assistant)
        if now != before:
            said = "indexing interrupted after the new index went live; it is complete"
        elif before is None:  # a first build: there is no previous index to speak of
            said = "indexing interrupted; no index was written (run askurbact index again)"
        else:
            said = "indexing interrupted; the previous index is unchanged"
        exc.args = (said,)
        raise
    for path, reason in sorted(report.skipped.items()):
        say(f"skipped {path}: {reason}")
    for warning in report.warnings:
        say(f"warning: {warning}")
    print(f"{report.summary()} ({report.seconds:.2f} s)")
    return EXIT_OK


def ask(assistant, args) -> int:
    session = assistant.sessions.find(args.session) if args.session is not None else None
    if args.question != ["-"]:
        return _answer(assistant, " ".join(args.question), session, args)
    # One question a line; a question that cannot be asked is reported and the next one
    # answered, and the exit code is the worst of them.
    worst, asked = EXIT_OK, False
    for question in _stdin_lines():
        asked = True
        try:
            code = _answer(assistant, question, session, args, header=not args.json)
        except QuestionError as exc:
            say(f"error: {describe(exc)}")
            if args.json:
                print_json({"question": question, "error": describe(exc), "exit": EXIT_ERROR})
            code = EXIT_ERROR
        worst = max(worst, code)
    if not asked:  # an empty file or pipe: say so, as a question with no words is told
        raise QuestionError("no question on standard input (one question a line)")
    return worst


def _stdin_lines() -> Iterator[str]:
    """Non-blank lines of stdin, read one at a time (so a person typing gets each answer at
    once), as UTF-8 with undecodable bytes replaced."""
    first = True
    for raw in iter(sys.stdin.buffer.readline, b""):
        line = raw.decode("utf-8", "replace")
        if first:
            line, first = line.removeprefix("\ufeff"), False
        if line.strip():
            yield line.strip()


def _record(assistant, session, answer) -> str | None:
    """Save the answered turn; None when saved, else why not (also said on stderr)."""
    try:
        assistant.record(session, answer)
    except SessionError as exc:
        why = describe(exc)
        say(f"warning: this answer was not saved in the chat {session.id!r}: {why}")
        return why
    return None


def _answer(assistant, question: str, session, args, header: bool = False) -> int:
    # The answer is printed first, then saved: a chat that cannot be saved costs no answer.
    # A reader that stops reading (`| head`) has seen the answer: the chat keeps it all the same.
    answer = assistant.ask(question, session=session, k=args.k, record=False)
    code = EXIT_OK if answer.found else EXIT_NOTHING
    style = Style(color_wanted(sys.stdout, args.color))
    if args.json and session is not None:
        # A script reads whether the turn was kept from the JSON itself: saved first, then printed.
        unsaved = _record(assistant, session, answer)
        chat = {"id": session.id, "saved": True, "questions": len(session.turns)} if unsaved is None \
            else {"id": session.id, "saved": False, "error": unsaved}
        print_json({**answer.to_json(), "session": chat})
        sys.stdout.flush()
        return EXIT_ERROR if unsaved is not None else code
    try:
        if args.json:
            print_json(answer.to_json())
        else:
            if header:
                print(style(f"> {printable(answer.question)}", "1"))
            print_answer(answer, style, assistant.settings.corpus)
        sys.stdout.flush()
    except BrokenPipeError:
        if session is not None:
            _record(assistant, session, answer)
        raise
    if session is not None:
        if _record(assistant, session, answer) is not None:
            return EXIT_ERROR
        if not args.json:
            print(style(f"(session {session.id}: {plural(len(session.turns), 'question')})", "2"))
    if header and not args.json:
        print()
    sys.stdout.flush()
    return code


def sources(assistant, args) -> int:
    status = assistant.status()
    rows = [(printable(doc.title), printable(doc.date or "-"), count, printable(doc.path))
            for doc, count in assistant.sources()]
    width = min(60, max((len(title) for title, *_ in rows), default=5))
    print(f"{'title':<{width}}  {'date':<10}  {'passages':>8}  path")
    for title, date, count, path in rows:
        title = title if len(title) <= width else title[:width - 1] + "\u2026"
        print(f"{title:<{width}}  {date:<10}  {count:>8}  {path}")
    print(f"\n{plural(status.documents, 'document')}, {plural(status.passages, 'passage')}; "
          f"index built {status.built_at}")
    return EXIT_OK


def evaluate(assistant, args) -> int:
    from ..evaluate import load_cases, run

    thresholds = {f"hit@{args.k}": args.min_hit, "answer_hit": args.min_answer, "nothing_accuracy": args.min_nothing}
    cases, malformed = load_cases(args.file)
    assistant.ensure_index()
    report = run(assistant, cases, args.k)
    report.errors = {**malformed, **report.errors}
    metrics = report.metrics()
    failures = report.failures()
    # A figure the file cannot measure (no answerable or no "nothing" case) is None: not below.
    below = [f"{name} {metrics[name]} < {t}" for name, t in thresholds.items()
             if t is not None and metrics[name] is not None and metrics[name] < t]
    if args.json:
        print_json({"metrics": metrics, "failures": [
            {"id": r.case.id, "expect": r.case.expect, "nothing": r.case.nothing, "rank": r.rank,
             "answer_hit": r.answer_hit, "found": r.found, "query": r.query} for r in failures], "below": below,
            "errors": [{"id": case, "error": why} for case, why in report.errors.items()]})
    else:
        print("  ".join(f"{name} {value}" for name, value in metrics.items()))
        for r in failures:
            want = "nothing" if r.case.nothing else repr(r.case.expect)
            print(printable(f"FAIL {r.case.id}: expected {want}; rank {r.rank}, answer-hit {r.answer_hit}, "
                            f"found {r.found}; searched: {r.query}"))
        for line in below:
            say(f"below threshold: {line}")
    for case, why in report.errors.items():  # the scores of the cases that ran are printed either way
        say(f"error: case {case!r} of {args.file}: {why}")
    return EXIT_ERROR if report.errors else EXIT_NOTHING if below else EXIT_OK


def export(store, corpus, args) -> int:
    """`export`: a saved chat (from `store`) as Markdown, never written into the `corpus` folder."""
    from ..export import export_session, to_markdown

    session = store.find(args.session, create=False)
    if str(args.file) == "-":
        sys.stdout.write(printable(to_markdown(session)))
    else:
        print(printable(str(export_session(session, args.file, force=args.force, corpus=corpus))))
    return EXIT_OK

