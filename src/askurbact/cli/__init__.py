"""The command line: `askurbact [options] COMMAND [options]`.

Exit codes: 0 answered / done, 1 nothing relevant found, 2 bad usage or error, 130
interrupted, 143 terminated (SIGTERM). An error is one line on stderr (and, with --json, an object on stdout);
--debug adds the traceback. The chat UI is imported only by `chat`, Rich only by
`index` on a terminal and shtab only by `completion`, so one-off commands start fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from .output import report_error, say, tolerant_output
from .parser import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, CommandLineError, build_parser

__all__ = ["build_parser", "main"]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl+C's KeyboardInterrupt so that the same clean-up runs."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    options = argv[:argv.index("--")] if "--" in argv else argv
    tolerant_output()
    try:
        args = build_parser().parse_args(argv)
    except CommandLineError as exc:
        report_error(str(exc), EXIT_ERROR, as_json="--json" in options)
        return EXIT_ERROR
    as_json = getattr(args, "json", False)
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, so that a reader gone away is handled below, not at exit
        return code
    except KeyboardInterrupt as exc:
        code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
        unchanged = "indexing interrupted; the previous index is unchanged"  # stopped before it began
        report_error(str(exc) or (unchanged if args.command == "index" else "interrupted"), code, as_json, label="")
        return code
    except BrokenPipeError:
        # The reader went away (`askurbact ask ... | head`): stop quietly, as other tools do, and
        # keep Python from complaining while it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # every failure reaches the user as one line (after the traceback with --debug)
        from ..errors import describe

        if args.debug:
            import traceback

            traceback.print_exc()
        report_error(describe(exc), EXIT_ERROR, as_json)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    command = args.command or "chat"
    if command == "completion":
        from .completion import completion_script

        sys.stdout.write(completion_script(build_parser(), args.shell))
        return EXIT_OK
    from ..config import load_settings

    settings = load_settings(args.config, corpus=args.corpus, index=args.index)
    if command == "chat":
        if not all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout, sys.stderr)):
            from ..errors import UsageError

            raise UsageError('the chat needs a terminal; try askurbact ask "QUESTION" (or askurbact --help)')
        if args.color == "never":
            os.environ["NO_COLOR"] = "1"  # Textual honours it
        from ..tui import run_chat  # the only place the UI toolkit is imported

        return run_chat(settings)
    if command in ("sessions", "export"):  # saved chats only: no index, so the core is not imported
        from ..session import SessionStore

        if command == "export":
            from .commands import export

            return export(SessionStore(settings.home), settings.corpus, args)
        from .sessions import sessions

        return sessions(SessionStore(settings.home), args)
    from ..core import Assistant
    from . import commands

    assistant = Assistant(settings, notify=say)
    if command == "index":
        return commands.index(assistant, args)
    if command == "text":
        from .text import text

        return text(assistant, args)
    if command != "eval":  # eval reads its question file first: a wrong name touches no index
        assistant.ensure_index()
    return {"ask": commands.ask, "sources": commands.sources, "eval": commands.evaluate}[command](assistant, args)
