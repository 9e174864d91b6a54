"""One readable line for any failure, shared by the command line and the chat UI."""

from __future__ import annotations


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    text = " ".join(str(exc).split())
    known = {"QuestionError", "IndexProblem", "ConfigError", "SessionError", "ExportError", "EvalFileError",
             "CorpusFileError", "ValueError"}
    if type(exc).__name__ in known and text:
        return text
    return f"{type(exc).__name__}: {text or 'unexpected failure'} (run with --debug for details)"
