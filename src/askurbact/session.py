"""Conversations: kept on disk turn by turn.

Each chat is one JSON file under `<home>/sessions/`, replaced atomically after every
turn: a crash loses at most the turn being answered, and the file on disk is always a
whole one.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import fold
from .answer.model import Answer
from .errors import SessionError
from .search.filter import Filter
from .storage import fsync_dir, write_atomic

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
# Saved chats carry this version; older files are upgraded when read.
SESSION_FORMAT = 2


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Turn:
    question: str
    query: str
    search_terms: list[str]
    answer: Answer
    asked_at: str = field(default_factory=now)

    def to_json(self) -> dict:
        return {"question": self.question, "query": self.query, "search_terms": self.search_terms,
                "answer": self.answer.to_json(), "asked_at": self.asked_at}

    @classmethod
    def from_json(cls, d: dict) -> Turn:
        return cls(str(d["question"]), str(d.get("query") or ""), [str(t) for t in d.get("search_terms") or ()],
                   Answer.from_json(d["answer"]), str(d.get("asked_at") or ""))


@dataclass
class Session:
    id: str
    title: str = ""
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    turns: list[Turn] = field(default_factory=list)
    filter: Filter = field(default_factory=Filter)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def to_json(self) -> dict:
        return {"format": SESSION_FORMAT, "id": self.id, "title": self.title, "created": self.created,
                "updated": self.updated, "turns": [t.to_json() for t in self.turns], "filter": self.filter.to_json()}

    @classmethod
    def from_json(cls, raw: dict) -> Session:
        """A saved chat; files of format 1 (no version, answers without pages) read the same
        way, their missing fields taking defaults. Raises KeyError, TypeError or ValueError."""
        if not isinstance(raw, dict):
            raise TypeError("a saved chat is a JSON object")
        version = raw.get("format", 1)
        if not isinstance(version, int) or version > SESSION_FORMAT:
            raise ValueError(f"saved by a newer askurbact (format {version})")
        return cls(str(raw["id"]), str(raw.get("title") or ""), str(raw.get("created") or now()),
                   str(raw.get("updated") or now()), [Turn.from_json(t) for t in raw.get("turns") or ()],
                   Filter.from_json(raw.get("filter")))


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise SessionError(f"invalid session name {name[:40]!r}: use up to 80 letters, digits, '.', '_' or '-'")
    return name


class SessionStore:
    def __init__(self, home: Path):
        self.folder = home / "sessions"

    def path(self, session_id: str) -> Path:
        return self.folder / f"{check_name(session_id)}.json"

    def new_id(self) -> str:
        return dt.datetime.now().strftime("chat-%Y%m%d-%H%M%S-") + secrets.token_hex(2)

    def load(self, session_id: str, create: bool = True) -> Session:
        path = self.path(session_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if create:
                return Session(session_id)
            raise SessionError(f"no saved chat named {session_id!r}") from None
        except (OSError, ValueError) as exc:
            raise SessionError(f"saved chat {path} cannot be read ({exc.__class__.__name__}); "
                               "move it away to start afresh") from None
        try:
            session = Session.from_json(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SessionError(f"saved chat {path} has an unknown layout; move it away to start afresh") from exc
        session.id = session_id  # the file name is the chat's name, whatever the file says
        return session

    def save(self, session: Session) -> None:
        session.updated = now()
        if not session.title and session.turns:
            session.title = " ".join(session.turns[0].question.split())[:80]
        data = json.dumps(session.to_json(), ensure_ascii=False, indent=1).encode()
        try:
            write_atomic(self.path(session.id), data)
        except OSError as exc:
            raise SessionError(f"cannot save the chat in {self.folder}: {exc.strerror}") from None

    def list(self) -> list[Session]:
        """Saved chats, newest first (files that cannot be read are left out)."""
        sessions = []
        for path in self.folder.glob("*.json"):
            try:
                sessions.append(self.load(path.stem, create=False))
            except SessionError:
                continue
        return sorted(sessions, key=lambda s: s.updated, reverse=True)

    def exists(self, session_id: str) -> bool:
        return self.path(session_id).is_file()

    def delete(self, session_id: str) -> None:
        try:
            self.path(session_id).unlink()
        except FileNotFoundError:
            raise SessionError(f"no saved chat named {session_id!r}") from None
        except OSError as exc:
            raise SessionError(f"cannot delete the chat {session_id!r}: {exc.strerror}") from None

    def rename(self, old: str, new: str) -> Path:
        """Give a saved chat another name (its file name), never replacing another chat: the
        new name is made by a hard link, which fails if it exists, then the old one removed."""
        source, target = self.path(old), self.path(new)
        if not source.is_file():
            raise SessionError(f"no saved chat named {old!r}")
        try:
            os.link(source, target)
        except FileExistsError:
            raise SessionError(f"a saved chat named {new!r} already exists; choose another name") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise SessionError(f"cannot rename the chat {old!r}: {exc.strerror}") from None
            _copy_exclusive(source, target, new)  # no hard links on this file system
        source.unlink()
        fsync_dir(self.folder)
        return target

    def retitle(self, session_id: str, title: str) -> Session:
        """Change the title a chat is listed with (its name stays)."""
        session = self.load(session_id, create=False)
        session.title = " ".join(title.split())[:80] or session.title
        self.save(session)
        return session

    def search(self, text: str) -> list[Session]:
        """Chats whose title, questions or answers contain `text` (accents and case ignored)."""
        needle = " ".join(fold(text).split())
        found = []
        for session in self.list():
            haystack = " ".join([session.title, *(t.question + " " + t.answer.text for t in session.turns)])
            if needle in " ".join(fold(haystack).split()):
                found.append(session)
        return found


def _copy_exclusive(source: Path, target: Path, name: str) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SessionError(f"a saved chat named {name!r} already exists; choose another name") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(source.read_bytes())
        handle.flush()
        os.fsync(handle.fileno())
