"""Every failure askurbact expects has one base, AskUrbactError, whose message is a whole
sentence for the user that says what to do. The command line and the chat UI show any
failure as one line through `describe`."""

from __future__ import annotations


class AskUrbactError(Exception):
    """A failure we expect and can explain; str() is the message for the user."""


class ConfigError(AskUrbactError):
    """A settings file or value is wrong."""


class CorpusFileError(AskUrbactError):
    """A corpus file that cannot be indexed; the message is the reason."""


class IndexProblem(AskUrbactError):
    """The index is missing, damaged, locked or unusable."""


class IndexBusy(IndexProblem):
    """Another run is writing the index (and this one would not wait)."""


class QuestionError(AskUrbactError):
    """The question cannot be asked as it is."""


class SessionError(AskUrbactError):
    """A saved chat cannot be read, written or found."""


class ExportError(AskUrbactError):
    """The minutes cannot be written where asked."""


class EvalFileError(AskUrbactError):
    """A question file for `askurbact eval` is malformed."""


class UsageError(AskUrbactError, ValueError):
    """A command-line value is out of range."""


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    text = " ".join(str(exc).split())
    if isinstance(exc, AskUrbactError) and text:
        return text
    return f"{type(exc).__name__}: {text or 'unexpected failure'} (run with --debug for details)"
