"""The command line: `askurbact [options] COMMAND`.

Exit codes: 0 answered / done, 1 nothing relevant found (or eval below target),
2 bad usage or error. Errors are one line on stderr; --debug shows the traceback.
The chat UI is imported only by `chat`, so one-off commands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2


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

    p = commands.add_parser("text", help="print the text askurbact extracts from a file, with line numbers")
    p.add_argument("file", help="a path in the corpus folder (as citations name it) or any path")
    p.add_argument("--page", type=int, metavar="N", help="only page N of a PDF")

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
    print(f"askurbact: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, so that a reader gone away is handled below, not at exit
        return code
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
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
        print(export_session(session, args.file, force=args.force))
        return EXIT_OK
    if command == "text":
        return _text(assistant, args.file, args.page)
    assistant.ensure_index()
    if command == "ask":
        return _ask(assistant, " ".join(args.question), args)
    if command == "sources":
        return _sources(assistant)
    if command == "eval":
        return _evaluate(assistant, args)
    raise AssertionError(command)


def _index(assistant, full: bool) -> int:
    report = assistant.update(full=full)
    for path, reason in sorted(report.skipped.items()):
        _say(f"skipped {path}: {reason}")
    for warning in report.warnings:
        _say(f"warning: {warning}")
    print(f"{report.summary()} ({report.seconds:.2f} s)")
    return EXIT_OK


def _text(assistant, path: str, page: int | None) -> int:
    """Each line with its number as citations count it; a PDF's pages each under a "p. N" line."""
    extracted = assistant.extracted_text(path, page)
    shown_page = None
    for line in extracted.lines:
        if line.page is not None and line.page != shown_page:
            shown_page = line.page
            print(f"{'' if line is extracted.lines[0] else chr(10)}{extracted.path}, p. {line.page}")
        print(f"{line.line:>5}  {line.text}".rstrip())
    return EXIT_OK


def _ask(assistant, question: str, args) -> int:
    from .errors import UsageError

    if args.k is not None and not 1 <= args.k <= 1000:
        raise UsageError("-k must be between 1 and 1000")
    session = assistant.sessions.load(args.session) if args.session else None
    answer = assistant.ask(question, session=session, k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return EXIT_OK if answer.found else EXIT_NOTHING
    style = _Style(sys.stdout)
    if not answer.found:
        print(answer.text)
        print(style(f"searched: {answer.query}", "2"))
        return EXIT_NOTHING
    text = answer.text
    for citation in answer.citations:
        text = text.replace(f"[{citation.n}]", style(f"[{citation.n}]", "1;36"))
    print(text)
    print()
    print(style("Sources", "1"))
    for c in answer.citations:
        heading = c.section.rsplit(" > ", 1)[-1]
        section = f" \u2014 {heading}" if heading and heading != c.title else ""
        print(f"  {style(f'[{c.n}]', '1;36')} {c.title}{section}")
        print(f"      {style(c.where, '2')}")
    if session is not None:
        print(style(f"\n(session {session.id}: {len(session.turns)} turns; searched: {answer.query})", "2"))
    return EXIT_OK


def _sources(assistant) -> int:
    status = assistant.status()
    rows = assistant.sources()
    width = min(60, max((len(doc.title) for doc, _ in rows), default=5))
    print(f"{'title':<{width}}  {'date':<10}  {'passages':>8}  path")
    for doc, count in rows:
        title = doc.title if len(doc.title) <= width else doc.title[:width - 1] + "\u2026"
        print(f"{title:<{width}}  {doc.date or '-':<10}  {count:>8}  {doc.path}")
    print(f"\n{status.documents} documents, {status.passages} passages; index built {status.built_at}")
    return EXIT_OK


def _sessions(assistant) -> int:
    sessions = assistant.sessions.list()
    if not sessions:
        print(f"no saved chats in {assistant.sessions.folder}")
    for s in sessions:
        print(f"{s.id:<32} {s.updated[:16].replace('T', ' ')}  {len(s.turns):>3} turns  {s.title}")
    return EXIT_OK


def _evaluate(assistant, args) -> int:
    from .errors import UsageError
    from .evaluate import load_cases, run

    if not 1 <= args.k <= 100:
        raise UsageError("-k must be between 1 and 100")
    report = run(assistant, load_cases(args.file), args.k)
    metrics = report.metrics()
    failures = report.failures()
    if args.json:
        print(json.dumps({"metrics": metrics, "failures": [
            {"id": r.case.id, "expect": r.case.expect, "nothing": r.case.nothing, "rank": r.rank,
             "answer_hit": r.answer_hit, "found": r.found, "query": r.query} for r in failures]}, ensure_ascii=False))
        return EXIT_OK
    print("  ".join(f"{name} {value}" for name, value in metrics.items()))
    for r in failures:
        want = "nothing" if r.case.nothing else repr(r.case.expect)
        print(f"FAIL {r.case.id}: expected {want}; rank {r.rank}, answer-hit {r.answer_hit}, "
              f"found {r.found}; searched: {r.query}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
