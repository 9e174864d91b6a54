"""The command line's grammar and its help: every subcommand says what it does, what its
arguments mean, shows an example and lists its exit codes. The global options are
accepted before or after the command (`askurbact ask --corpus DIR "..."`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_NOTHING, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as shells report it
SHELLS = ("bash", "zsh", "fish", "tcsh")

_ERROR = """\
  2    bad usage or error: one line on stderr (with --json, also
       {"error": "...", "exit": 2} on stdout)"""
EXIT_CODES = f"exit codes:\n  0    done\n{_ERROR}"
ASK_EXIT_CODES = (f"exit codes:\n  0    answered\n  1    nothing relevant found (with -: for one question "
                  f"or more)\n{_ERROR}")
MAIN_EXIT_CODES = (f"exit codes:\n  0    answered, done\n  1    nothing relevant found (ask)\n{_ERROR}\n"
                   "  130  interrupted (Ctrl+C)\n  143  terminated (SIGTERM)")

MAIN_EXAMPLES = """\
examples:
  askurbact                                    the chat
  askurbact ask "What was created in Kavala?"  one question, from a script
  askurbact --corpus ~/urbact/corpus index     index another folder"""

ENVIRONMENT = """\
environment:
  ASKURBACT_CORPUS  the documents folder (like --corpus)
  ASKURBACT_INDEX   the index folder (like --index)
  ASKURBACT_HOME    saved chats and preferences (default: the platform's
                    user data folder)
  NO_COLOR          set to anything: no colour (unless --color always)

settings: askurbact.yaml in the working folder (or --config FILE); options
beat the environment, which beats the settings file."""


class CommandLineError(Exception):
    """A usage error found while parsing; str() ends with where to read the usage."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # raised, so that main reports it like every other error
        raise CommandLineError(f"{message} (see {self.prog} --help)")


class _Formatter(argparse.HelpFormatter):
    """Prose wrapped to the terminal; indented blocks (examples, exit codes) kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in text.split("\n\n"):
            if block.startswith(" ") or "\n " in block:
                blocks.append("\n".join(indent + line for line in block.splitlines()))
            else:
                blocks.append(super()._fill_text(block, width, indent))
        return "\n\n".join(blocks)


def _count(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {value}")
        return value

    return parse


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value:g}")
    return value


def _add_globals(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """The options every command takes. After the command they default to SUPPRESS, so that
    an option given before the command is not reset by the subcommand's own default."""
    unset: dict[str, Any] = {"default": argparse.SUPPRESS} if after_command else {}
    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument("--corpus", metavar="DIR", help="documents folder (default ./corpus)", **unset)
    group.add_argument("--index", metavar="DIR", help="index folder (default ./index)", **unset)
    group.add_argument("--config", metavar="FILE", type=Path, help="settings file (default ./askurbact.yaml)",
                       **unset)
    group.add_argument("--debug", action="store_true", help="show the traceback of an error", **unset)
    group.add_argument("--color", choices=("auto", "always", "never"), metavar="WHEN",
                       help="colour: auto (on a terminal, unless NO_COLOR is set), always or never",
                       **({"default": "auto"} if not after_command else unset))


def _command(commands, name: str, summary: str, description: str, example: str, codes: str = EXIT_CODES):
    parser = commands.add_parser(name, help=summary, description=description,
                                 epilog=f"example:\n{example}\n\n{codes}",
                                 formatter_class=_Formatter)
    _add_globals(parser, after_command=True)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="askurbact", formatter_class=_Formatter,
                     description="Ask the documents of the URBACT workstream 'Social innovation in cities': "
                                 "answers are cited excerpts, each sentence followed by [n], pointing at the "
                                 "file and line it is quoted from. Without a command, opens the chat.",
                     epilog=f"{MAIN_EXAMPLES}\n\n{ENVIRONMENT}\n\n{MAIN_EXIT_CODES}\n\n"
                            "'askurbact COMMAND --help' explains each command.")
    _add_globals(parser, after_command=False)
    parser.add_argument("--version", action="version", version=f"askurbact {_version()}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", parser_class=_Parser)

    p = _command(commands, "chat", "open the chat (the default)",
                 "Open the terminal chat: questions and answers, the sources of the selected answer, "
                 "the saved chats. F1 in the chat lists its keys.", "  askurbact chat")

    p = _command(commands, "index", "build or update the index from the corpus",
                 "Bring the index up to date with the corpus folder: only added or changed files are read "
                 "again. On a terminal a progress bar runs on stderr; the summary line goes to stdout. "
                 "With nothing changed, the index is left as it is.",
                 "  askurbact index\n  askurbact index --full --corpus ~/urbact/corpus")
    p.add_argument("--full", action="store_true", help="rebuild everything from scratch")

    p = _command(commands, "ask", "answer a question (or each line of stdin, with -)",
                 "Answer a question with cited sentences from the documents, then list the sources as "
                 "path:line (the corpus folder joined to the file's path, so terminals and editors can open "
                 "it). A stale index is updated first.",
                 '  askurbact ask "What was created in Kavala?"\n'
                 '  askurbact ask --session malmo "Who took part?"\n'
                 "  printf 'Who is the mayor of Seoul?\\nWhat did he create?\\n' | askurbact ask --json --session "
                 "seoul -", ASK_EXIT_CODES)
    p.add_argument("question", nargs="+", metavar="QUESTION",
                   help="the question (quote it); '-' reads questions from stdin, one a line, answering each in turn")
    p.add_argument("-k", type=_count(1, 1000), metavar="N", help="passages to retrieve, 1-1000 (default 5)")
    p.add_argument("--json", action="store_true",
                   help="print the answer as one JSON object (with -, one object a line: NDJSON)")
    p.add_argument("--session", metavar="NAME",
                   help="keep a conversation under NAME: follow-ups use its context (with -, all the "
                        "questions are one conversation); a saved chat's title (as 'sessions' lists it) "
                        "continues that chat")

    _command(commands, "sources", "list the documents with dates and passage counts",
             "List the documents of the index: title, date, passages and path (relative to the corpus folder).",
             "  askurbact sources")

    p = _command(commands, "eval", "score a question file",
                 "Score a question file (the format of tests/eval/questions.yaml): hit@k, hit@1, MRR, "
                 "answer-hit and nothing-accuracy, then each failed case.",
                 "  askurbact eval tests/eval/questions.yaml -k 3 --min-hit 0.95 --min-answer 0.85",
                 f"exit codes:\n  0    scored (every figure at or above its threshold)\n"
                 f"  1    a figure below its threshold (each is named on stderr)\n{_ERROR}")
    p.add_argument("file", type=Path, metavar="FILE", help="the question file (YAML)")
    p.add_argument("-k", type=_count(1, 100), default=3, metavar="N", help="hit@k cut-off, 1-100 (default 3)")
    p.add_argument("--json", action="store_true", help="print one JSON object: metrics, failures, figures below")
    for name, figure in (("hit", "hit@k"), ("answer", "answer-hit"), ("nothing", "nothing-accuracy")):
        p.add_argument(f"--min-{name}", type=_share, metavar="X", help=f"exit 1 when {figure} is below X (0..1)")

    p = _command(commands, "sessions", "list, rename or delete saved chats",
                 "List the saved chats (the chat's sidebar shows the same ones), newest first: name, last "
                 "used, questions, title. 'sessions rename' and 'sessions delete' change them.",
                 "  askurbact sessions\n  askurbact sessions rename chat-20261201-101500-ab12 malmo\n"
                 "  askurbact sessions delete malmo --yes")
    p.add_argument("--json", action="store_true", help="print one JSON array of the chats")
    actions = p.add_subparsers(title="actions", dest="action", metavar="ACTION", parser_class=_Parser)
    a = _command(actions, "list", "list the saved chats (the default)", "List the saved chats, newest first.",
                 "  askurbact sessions list --json")
    a.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON array")
    a = _command(actions, "rename", "give a saved chat another name",
                 "Give a saved chat another name (the name export and --session use). Never replaces "
                 "another chat.", "  askurbact sessions rename chat-20261201-101500-ab12 malmo")
    a.add_argument("old", metavar="OLD", help="the chat's name now")
    a.add_argument("new", metavar="NEW", help="its new name: up to 80 letters, digits, '.', '_' or '-'")
    a = _command(actions, "delete", "delete a saved chat",
                 "Delete a saved chat. On a terminal it asks first; otherwise --yes is needed.",
                 "  askurbact sessions delete malmo\n  askurbact sessions delete malmo --yes")
    a.add_argument("name", metavar="NAME", help="the chat's name (see askurbact sessions)")
    a.add_argument("-y", "--yes", action="store_true", help="do not ask")

    p = _command(commands, "export", "write a saved chat as Markdown minutes",
                 "Write a saved chat as Markdown minutes: each question and answer, the quotes as numbered "
                 "references. Never replaces a file without --force.",
                 "  askurbact export malmo minutes.md\n  askurbact export malmo - | less")
    p.add_argument("session", metavar="NAME", help="the chat's name or title (see askurbact sessions)")
    p.add_argument("file", type=Path, metavar="FILE", help="where to write; '-' writes to stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = _command(commands, "text", "print the text askurbact extracted from a file, with line numbers",
                 "Print the text askurbact extracted from a file, each line with the number citations use: "
                 "a PDF page by page (lines counted on each page), a Word file one paragraph a line, "
                 "Markdown, text and web pages at their source lines. Each quote of an answer stands "
                 "verbatim at its place here.",
                 "  askurbact text reports/final-report.pdf --page 12\n  askurbact text handbook.docx | less")
    p.add_argument("file", metavar="FILE", help="a path in the corpus folder (as citations name it) or any path")
    p.add_argument("--page", type=_count(1, 1_000_000), metavar="N", help="only page N of a PDF")

    p = _command(commands, "completion", "print a shell completion script",
                 "Print the completion script for SHELL, made from this command line's options.",
                 "  askurbact completion bash > ~/.local/share/bash-completion/completions/askurbact\n"
                 "  askurbact completion zsh > ~/.zfunc/_askurbact   # with fpath+=~/.zfunc in ~/.zshrc\n"
                 "  askurbact completion fish > ~/.config/fish/completions/askurbact.fish")
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help=f"one of {', '.join(SHELLS)}")
    return parser


def _version() -> str:
    from .. import __version__

    return __version__
