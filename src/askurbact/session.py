"""Conversations: kept on disk turn by turn.

Each chat is one JSON file under `<home>/sessions/`, named by the chat (the file name is
its identity, whatever the file says inside), replaced atomically after every turn: a
crash loses at most the turn being answered, and the file on disk is always a whole one.
A save holds that chat's lock and first reads the file again, so turns saved meanwhile by
another process (a second `ask --session`, the chat UI) are kept, not overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import fold
from .answer.model import Answer
from .errors import SessionError
from .search.filter import Filter
from .storage import TEMP_SUFFIX, fsync_dir, link_new, write_atomic

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
# Saved chats carry this version; older files are upgraded when read.
SESSION_FORMAT = 2
# How long a save waits for another process saving the same chat.
LOCK_TIMEOUT_S = 30
# What reading a saved chat raises when the file is not one.
_DAMAGE = (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError)


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def local_minute(stamp: str) -> str:
    """A saved time ("2026-12-02T03:20:00+00:00") to the minute in this machine's time zone
    ("2026-12-02 04:20" in Paris): a chat saved under another zone reads as the clock here.
    A time without a zone, or not a time, is shown as it was written."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp[:16].replace("T", " ")
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


@dataclass
class Turn:
    question: str
    query: str
    search_terms: list[str]
    answer: Answer
    asked_at: str = field(default_factory=now)
    filter: Filter = field(default_factory=Filter)  # the filter its search ran under

    def to_json(self) -> dict:
        return {"question": self.question, "query": self.query, "search_terms": self.search_terms,
                "answer": self.answer.to_json(), "asked_at": self.asked_at,
                **({"filter": self.filter.to_json()} if self.filter else {})}

    @classmethod
    def from_json(cls, d: dict) -> Turn:
        return cls(str(d["question"]), str(d.get("query") or ""), [str(t) for t in d.get("search_terms") or ()],
                   Answer.from_json(d["answer"]), str(d.get("asked_at") or ""), Filter.from_json(d.get("filter")))


@dataclass(frozen=True)
class OnDisk:
    """What a chat's file held when it was loaded or last saved: a save then adds only
    what changed since (new turns, a new title or filter) to what the file holds now."""

    turns: int = 0
    title: str = ""
    filter: Filter = field(default_factory=Filter)


@dataclass
class Session:
    id: str
    title: str = ""
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    turns: list[Turn] = field(default_factory=list)
    filter: Filter = field(default_factory=Filter)
    on_disk: OnDisk = field(default_factory=OnDisk, repr=False, compare=False)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def add(self, answer: Answer) -> None:
        """An answered question as the next turn, in memory (SessionStore.save keeps it).
        The terms the next turn may carry: this turn's searched terms, its own first."""
        # The filter the answer was searched under (the chat's may have changed meanwhile).
        used = self.filter if answer.filter is None else answer.filter
        self.turns.append(Turn(answer.question, answer.query, answer.query.split(), answer, filter=used))

    def to_json(self) -> dict:
        return {"format": SESSION_FORMAT, "id": self.id, "title": self.title, "created": self.created,
                "updated": self.updated, "turns": [t.to_json() for t in self.turns], "filter": self.filter.to_json()}

    @classmethod
    def from_json(cls, raw: dict, name: str) -> Session:
        """The saved chat `name`; files of format 1 (no version, answers without pages) read
        the same way, their missing fields taking defaults. The "id" inside is not read:
        a copied file is a chat of its own. Raises one of _DAMAGE if `raw` is not a chat."""
        if not isinstance(raw, dict):
            raise TypeError("a saved chat is a JSON object")
        version = raw.get("format", 1)
        if not isinstance(version, int) or version > SESSION_FORMAT:
            raise ValueError(f"saved by a newer askurbact (format {version})")
        turns = raw.get("turns") or []
        if not isinstance(turns, list):
            raise TypeError("turns are a list")
        session = cls(name, _text(raw.get("title")), _text(raw.get("created")) or now(),
                      _text(raw.get("updated")) or now(), [Turn.from_json(t) for t in turns],
                      Filter.from_json(raw.get("filter")))
        session.on_disk = OnDisk(len(session.turns), session.title, session.filter)
        return session


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise SessionError(f"invalid session name {name[:40]!r}: use up to 80 letters, digits, '.', '_' or '-'")
    return name


def merge(on_file: Session | None, mine: Session) -> Session:
    """What to save: the file's turns and then the turns `mine` added since it was read; a
    title or filter changed in `mine` wins, else the file's stays. No file: all of `mine`."""
    if on_file is None:
        return mine
    base = mine.on_disk
    title = mine.title if mine.title != base.title else on_file.title
    where = mine.filter if mine.filter != base.filter else on_file.filter
    return Session(mine.id, title, on_file.created, mine.updated, on_file.turns + mine.turns[base.turns:], where)


class SessionStore:
    def __init__(self, home: Path):
        self.home = home
        self.folder = home / "sessions"

    def path(self, session_id: str) -> Path:
        return self.folder / f"{check_name(session_id)}.json"

    def new_id(self) -> str:
        return dt.datetime.now().strftime("chat-%Y%m%d-%H%M%S-") + secrets.token_hex(2)

    def _check_folder(self) -> None:
        """A home (or sessions folder) that is a file: say so, not "cannot read <a file that does not exist>"."""
        for folder in (self.home, self.folder):
            if folder.exists() and not folder.is_dir():
                raise SessionError(f"the chats folder cannot be made: {folder} is a file, not a folder "
                                   "(set ASKURBACT_HOME, or 'home' in askurbact.yaml, to a folder)")

    def _read(self, session_id: str) -> Session | None:
        """The saved chat, None if there is none; SessionError if it cannot be read."""
        self._check_folder()
        path = self.path(session_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError) as exc:
            raise SessionError(f"saved chat {path} cannot be read ({exc.__class__.__name__}); "
                               "move it away to start afresh") from None
        try:
            return Session.from_json(raw, session_id)
        except _DAMAGE as exc:
            raise SessionError(f"saved chat {path} has an unknown layout; move it away to start afresh") from exc

    def load(self, session_id: str, create: bool = True) -> Session:
        session = self._read(session_id)
        if session is not None:
            return session
        if create:
            return Session(session_id)
        raise SessionError(f"no saved chat named {session_id!r}")

    def find(self, name: str, create: bool = True) -> Session:
        """The chat a person means by `name`: a valid name is that chat (new, with `create`);
        anything else ("Malmö workshops", as the chat's F2 titles a chat) is the one chat
        listed with that title. A title never takes over a name: "seoul" stays a new chat
        though a chat's first question was "Seoul"."""
        if NAME.fullmatch(name or ""):  # a name is a name: "seoul" is a new chat, whatever chats are titled
            return self.load(name, create)
        wanted = _matchable(name)
        titled = [s for s in self.list() if wanted and _matchable(s.title) == wanted]
        if len(titled) == 1:
            return titled[0]
        if titled:
            raise SessionError(f"{len(titled)} saved chats have the title {name[:40]!r}: "
                               f"use a name ({', '.join(s.id for s in titled[:5])})")
        raise SessionError(f"invalid session name {name[:40]!r}: no saved chat has that title, and a new "
                           "chat's name has up to 80 letters, digits, '.', '_' or '-'")

    def _lock(self, session_id: str):
        from filelock import FileLock  # only a save needs it

        self._check_folder()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SessionError(f"cannot save the chat in {self.folder}: {exc.strerror}") from None
        return FileLock(self.folder / f".{check_name(session_id)}.json.lock", timeout=LOCK_TIMEOUT_S)

    @contextmanager
    def _holding(self, session_id: str, doing: str) -> Iterator[None]:
        """The chat's lock held while it is renamed or deleted; a lock that cannot be taken
        (a read-only or full disk) is said as what could not be done, not as the lock file.
        Once the chat is gone under that name, its lock file goes too, while still held (else
        one would be left for every chat ever deleted or renamed): filelock retries a lock
        whose file was removed while it waited, and a save made after takes a new one."""
        from filelock import Timeout

        lock = self._lock(session_id)
        try:
            lock.acquire()
        except Timeout:
            raise _busy(session_id) from None
        except OSError as exc:
            raise SessionError(f"cannot {doing} the chat {session_id!r} in {self.folder}: {exc.strerror}") from None
        try:
            yield
        finally:
            if not self.path(session_id).exists():  # deleted, renamed, or never there
                with suppress(OSError):  # a lock file left behind loses nothing
                    Path(lock.lock_file).unlink(missing_ok=True)
            lock.release()

    def save(self, session: Session) -> None:
        """Save a chat, keeping what other processes saved in it since it was read."""
        from filelock import Timeout

        try:
            with self._lock(session.id):
                merged = merge(self._read(session.id), session)
                merged.updated = now()
                if not merged.title and merged.turns:
                    merged.title = " ".join(merged.turns[0].question.split())[:80]
                data = json.dumps(merged.to_json(), ensure_ascii=False, indent=1).encode()
                self._remove_leftovers(session.id)
                write_atomic(self.path(session.id), data, make_folder=False)  # _lock made the folder
        except Timeout:
            raise _busy(session.id) from None
        except OSError as exc:  # the lock file, or the chat's
            raise SessionError(f"cannot save the chat in {self.folder}: {exc.strerror}") from None
        session.title, session.created, session.updated = merged.title, merged.created, merged.updated
        session.turns, session.filter = merged.turns, merged.filter
        session.on_disk = OnDisk(len(merged.turns), merged.title, merged.filter)

    def _remove_leftovers(self, session_id: str) -> None:
        """Temporary files of this chat's earlier saves that were killed: with the chat's
        lock held, no other save of it is writing one."""
        prefix = f".{session_id}.json."
        for path in self.folder.glob(f"{prefix}*{TEMP_SUFFIX}"):  # NAME has no glob characters
            path.unlink(missing_ok=True)

    def scan(self) -> tuple[list[Session], dict[str, str]]:
        """Saved chats, newest first, and the files that are not readable chats: {file name: why}."""
        self._check_folder()
        sessions, damaged, written = [], {}, {}
        for path in self.folder.glob("*.json"):
            if not NAME.fullmatch(path.stem):
                continue  # not a name askurbact gives a chat
            try:
                session = self._read(path.stem)
            except SessionError as exc:
                damaged[path.name] = str(exc)
                continue
            if session is not None:
                sessions.append(session)
                written[session.id] = _mtime_ns(path)
        # `updated` is kept to the second: chats saved within one second are told apart by
        # when their files were written.
        return sorted(sessions, key=lambda s: (s.updated, written[s.id]), reverse=True), damaged

    def damaged(self) -> dict[str, str]:
        """The files in the chats folder that are not readable chats (sorted): {file name: why}."""
        try:
            return dict(sorted(self.scan()[1].items()))
        except SessionError:  # the folder itself is unusable: list() and save() say so
            return {}

    def list(self) -> list[Session]:
        """Saved chats, newest first (files that cannot be read are left out: see `scan`)."""
        return self.scan()[0]

    def exists(self, session_id: str) -> bool:
        return self.path(session_id).is_file()

    def delete(self, session_id: str) -> None:
        with self._holding(session_id, "delete"):  # not while another process saves it
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
        with self._holding(old, "rename"):  # not while another process saves it
            if not source.is_file():
                raise SessionError(f"no saved chat named {old!r}")
            try:
                link_new(source, target)
            except FileExistsError:
                raise SessionError(f"a saved chat named {new!r} already exists; choose another name") from None
            except OSError as exc:
                raise SessionError(f"cannot rename the chat {old!r}: {exc.strerror}") from None
            source.unlink()
        fsync_dir(self.folder)
        return target

    def retitle(self, session_id: str, title: str) -> Session:
        """Change the title a chat is listed with (its name stays)."""
        session = self.load(session_id, create=False)
        session.title = " ".join(title.split())[:80] or session.title
        self.save(session)
        return session

    def search(self, text: str, among: list[Session] | None = None) -> list[Session]:
        """Chats whose title, questions or answers contain `text` (accents and case ignored);
        `among`: chats already read (by `scan`), else the saved ones are read."""
        needle = _matchable(text)
        found = []
        for session in self.list() if among is None else among:
            haystack = " ".join([session.title, *(t.question + " " + t.answer.text for t in session.turns)])
            if needle in _matchable(haystack):
                found.append(session)
        return found


def _matchable(text: str) -> str:
    """Text as chats are matched: accents, case and runs of white space ignored."""
    return " ".join(fold(text).split())


def _busy(session_id: str) -> SessionError:
    return SessionError(f"the chat {session_id!r} is being saved by another askurbact; try again")


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
