"""The command line: `askurbact [options] COMMAND`.

Exit codes: 0 answered / done, 1 nothing relevant found (or eval below target),
2 bad usage or error. Errors are one line on stderr; --debug shows the traceback.
The chat UI is imported only by `chat`, so one-off commands start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .printable import printable, printable_json

EXIT_OK, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl+C's KeyboardInterrupt so that the same clean-up runs."""


def _terminate(signum, frame) -> None:
    raise _Terminated()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like every other error
        self.exit(EXIT_ERROR, f"askurbact: error: {message} (see askurbact --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="askurbact", description="Ask the documents of the URBACT workstream "
                     "'Social innovation in cities'; answers are cited excerpts.")
    parser.add_argument("--corpus", metavar="DIR", help="documents folder (default ./corpus)")
    parser.add_argument("--index", metavar="DIR", help="index folder (default ./index)")
    parser.add_argument("--config", metavar="FILE", type=Path, help="settings file (default ./askurbact.yaml)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"askurbact {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = commands.add_parser("index", help="build or update the index from the corpus")
    p.add_argument("--full", action="store_true", help="rebuild everything from scratch")

    p = commands.add_parser("ask", help="ask one question")
    p.add_argument("question", nargs="+", help="the question (quote it)")
    p.add_argument("-k", type=int, metavar="N", help="passages to retrieve (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--session", metavar="NAME", help="keep a conversation: follow-ups use its context")

    commands.add_parser("sources", help="list the documents with passage counts and dates")

    p = commands.add_parser("eval", help="score a question file (see tests/eval/questions.yaml)")
    p.add_argument("file", type=Path)
    p.add_argument("-k", type=int, default=3, metavar="N", help="hit@k cut-off (default 3)")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    commands.add_parser("sessions", help="list saved conversations")

    p = commands.add_parser("export", help="export a saved conversation as Markdown")
    p.add_argument("session", metavar="NAME")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="replace the file if it exists")

    commands.add_parser("chat", help="open the chat (the default)")
    return parser


def _version() -> str:
    from . import __version__

    return __version__


class _Style:
    def __init__(self, stream):
        self.on = stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text


def _say(message: str) -> None:
    print(f"askurbact: {printable(message)}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, so that a reader gone away is handled below, not at exit
        return code
    except KeyboardInterrupt as exc:
        unchanged = "indexing interrupted; the previous index is unchanged"  # stopped before it began
        _say(getattr(exc, "what", unchanged if args.command == "index" else "interrupted"))
        return EXIT_TERMINATED if isinstance(exc, _Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`askurbact ask ... | head`): stop quietly, as other tools do, and
        # keep Python from complaining while it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # every failure reaches the user as one line
        if args.debug:
            raise
        from .errors import describe

        _say(f"error: {describe(exc)}")
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    from .config import load_settings
    settings = load_settings(args.config, corpus=args.corpus, index=args.index)
    command = args.command or "chat"
    if command == "chat":
        if not all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout, sys.stderr)):
            from .errors import UsageError

            raise UsageError('the chat needs a terminal; try askurbact ask "QUESTION" (or askurbact --help)')
        from .tui import run_chat  # the only place the UI toolkit is imported

        return run_chat(settings)
    from .core import Assistant

    assistant = Assistant(settings, notify=_say)
    if command == "index":
        return _index(assistant, args.full)
    if command == "sessions":
        return _sessions(assistant)
    if command == "export":
        from .export import export_session

        session = assistant.sessions.load(args.session, create=False)
        print(printable(str(export_session(session, args.file, force=args.force))))
        return EXIT_OK
    assistant.ensure_index()
    if command == "ask":
        return _ask(assistant, " ".join(args.question), args)
    if command == "sources":
        return _sources(assistant)
    if command == "eval":
        return _evaluate(assistant, args)
    raise AssertionError(command)


def _live_generation(assistant):
    from .errors import IndexProblem
    from .index.format import current_generation

    try:
        return current_generation(assistant.settings.index)
    except (IndexProblem, OSError):
        return None


def _index(assistant, full: bool) -> int:
    live = lambda: _live_generation(assistant)
    before = live()
    try:
        report = assistant.update(full=full)
    except KeyboardInterrupt as exc:  # main says what happened, in one line
        exc.what = ("indexing interrupted; the previous index is unchanged" if live() == before
                    else "indexing interrupted after the new index went live; it is complete")
        raise
    for path, reason in sorted(report.skipped.items()):
        _say(f"skipped {path}: {reason}")
    for warning in report.warnings:
        _say(f"warning: {warning}")
    print(f"{report.summary()} ({report.seconds:.2f} s)")
    return EXIT_OK


def _ask(assistant, question: str, args) -> int:
    from .errors import UsageError

    if args.k is not None and not 1 <= args.k <= 1000:
        raise UsageError("-k must be between 1 and 1000")
    session = assistant.sessions.load(args.session) if args.session is not None else None
    # The answer is printed first, then saved: a chat that cannot be saved costs no answer.
    answer = assistant.ask(question, session=session, k=args.k, record=False)
    code = _print_answer(answer, args.json)
    if session is not None:
        from .errors import SessionError

        try:
            assistant.record(session, answer)
        except SessionError as exc:
            _say(f"warning: this answer was not saved in the chat {session.id!r}: {exc}")
            return EXIT_ERROR
        if not args.json:
            print(_Style(sys.stdout)(f"\n(session {session.id}: {len(session.turns)} turns; "
                                     f"searched: {answer.query})", "2"))
    return code


def _print_answer(answer, as_json: bool) -> int:
    if as_json:
        print(printable_json(answer.to_json()))
        return EXIT_OK if answer.found else EXIT_NOTHING
    style = _Style(sys.stdout)
    if not answer.found:
        print(answer.text)
        print(style(f"searched: {printable(answer.query)}", "2"))
        return EXIT_NOTHING
    text = printable(answer.text)  # before the styles: their escapes are the only ones printed
    for citation in answer.citations:
        text = text.replace(f"[{citation.n}]", style(f"[{citation.n}]", "1;36"))
    print(text)
    print()
    print(style("Sources", "1"))
    for c in answer.citations:
        heading = c.section.rsplit(" > ", 1)[-1]
        section = f" \u2014 {heading}" if heading and heading != c.title else ""
        print(f"  {style(f'[{c.n}]', '1;36')} {printable(c.title + section)}")
        print(f"      {style(printable(c.where), '2')}")
    return EXIT_OK


def _sources(assistant) -> int:
    status = assistant.status()
    rows = [(printable(doc.title), printable(doc.date or "-"), count, printable(doc.path))
            for doc, count in assistant.sources()]
    width = min(60, max((len(title) for title, *_ in rows), default=5))
    print(f"{'title':<{width}}  {'date':<10}  {'passages':>8}  path")
    for title, date, count, path in rows:
        title = title if len(title) <= width else title[:width - 1] + "\u2026"
        print(f"{title:<{width}}  {date:<10}  {count:>8}  {path}")
    print(f"\n{status.documents} documents, {status.passages} passages; index built {status.built_at}")
    return EXIT_OK


def _sessions(assistant) -> int:
    sessions, damaged = assistant.sessions.scan()
    for _, why in sorted(damaged.items()):
        _say(f"warning: {why}")
    if not sessions:
        print(printable(f"no saved chats in {assistant.sessions.folder}"))
    for s in sessions:
        print(printable(f"{s.id:<32} {s.updated[:16].replace('T', ' ')}  {len(s.turns):>3} turns  {s.title}"))
    return EXIT_OK


def _evaluate(assistant, args) -> int:
    from .errors import UsageError
    from .evaluate import load_cases, run

    if not 1 <= args.k <= 100:
        raise UsageError("-k must be between 1 and 100")
    cases, malformed = load_cases(args.file)
    report = run(assistant, cases, args.k)
    report.errors = {**malformed, **report.errors}
    metrics = report.metrics()
    failures = report.failures()
    if args.json:
        print(printable_json({"metrics": metrics, "failures": [
            {"id": r.case.id, "expect": r.case.expect, "nothing": r.case.nothing, "rank": r.rank,
             "answer_hit": r.answer_hit, "found": r.found, "query": r.query} for r in failures],
            "errors": [{"id": case, "error": why} for case, why in report.errors.items()]}))
    else:
        print("  ".join(f"{name} {value}" for name, value in metrics.items()))
        for r in failures:
            want = "nothing" if r.case.nothing else repr(r.case.expect)
            print(printable(f"FAIL {r.case.id}: expected {want}; rank {r.rank}, answer-hit {r.answer_hit}, "
                            f"found {r.found}; searched: {r.query}"))
    for case, why in report.errors.items():
        _say(f"error: case {case!r} of {args.file}: {why}")
    # The scores of the cases that ran are printed either way; a case that could not is an error.
    return EXIT_ERROR if report.errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
