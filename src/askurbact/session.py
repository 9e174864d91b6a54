"""Conversations: kept on disk turn by turn, and the context a follow-up question leans on.

Each chat is one JSON file under `<home>/sessions/`, replaced atomically after every
turn: a crash loses at most the turn being answered, and the file on disk is always a
whole one. A follow-up with few words of its own ("Who else took part?") is searched
with the key terms of the turn before it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .analysis import fold, words
from .storage import write_atomic

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
# Words that point back at the previous turn instead of naming their subject.
ANAPHORA = frozenset("he she it they them him his her hers its their theirs this that these those there "
                     "then else other others same".split())
CARRIED_TERMS = 8
ANSWER_TERMS = 2


class SessionError(Exception):
    pass


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Turn:
    question: str
    query: str
    search_terms: list[str]
    answer: dict  # Answer.to_json()
    asked_at: str = field(default_factory=now)


@dataclass
class Session:
    id: str
    title: str = ""
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    turns: list[Turn] = field(default_factory=list)
    filter: dict = field(default_factory=dict)  # {"doc_ids": [...], "tags": [...]}

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


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
            raise SessionError(f"saved chat {path} cannot be read ({exc.__class__.__name__}); move it away to start afresh") from None
        try:
            turns = [Turn(**t) for t in raw.get("turns", [])]
            return Session(raw["id"], raw.get("title", ""), raw.get("created", now()), raw.get("updated", now()),
                           turns, raw.get("filter") or {})
        except (KeyError, TypeError) as exc:
            raise SessionError(f"saved chat {path} has an unknown layout; move it away to start afresh") from exc

    def save(self, session: Session) -> None:
        session.updated = now()
        if not session.title and session.turns:
            session.title = " ".join(session.turns[0].question.split())[:80]
        data = json.dumps(asdict(session), ensure_ascii=False, indent=1).encode()
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

    def delete(self, session_id: str) -> None:
        self.path(session_id).unlink(missing_ok=True)

    def rename(self, session_id: str, title: str) -> Session:
        session = self.load(session_id, create=False)
        session.title = " ".join(title.split())[:80] or session.title
        self.save(session)
        return session

    def search(self, text: str) -> list[Session]:
        """Chats whose title, questions or answers contain `text` (accents and case ignored)."""
        needle = " ".join(fold(text).split())
        found = []
        for session in self.list():
            haystack = " ".join([session.title, *(t.question + " " + t.answer.get("answer", "") for t in session.turns)])
            if needle in " ".join(fold(haystack).split()):
                found.append(session)
        return found


def leans_on_previous(question: str, own_terms: list[str]) -> bool:
    """Does the question need the previous turn to be understood?"""
    tokens = words(question)
    starts = " ".join(tokens[:2])
    return (len(set(own_terms)) <= 2 or any(t in ANAPHORA for t in tokens)
            or starts.startswith(("and ", "what about", "how about")))


def search_terms(own_terms: list[str], previous: Turn | None, answer_terms: list[str] = ()) -> list[str]:
    """The terms to search: the question's own, plus context when it is a follow-up.

    `answer_terms`: key terms of the previous answer, most specific first."""
    if previous is None:
        return list(own_terms)
    carried = [t for t in dict.fromkeys(previous.search_terms) if t not in own_terms][:CARRIED_TERMS]
    extra = [t for t in answer_terms if t not in own_terms and t not in carried][:ANSWER_TERMS]
    return list(own_terms) + carried + extra
