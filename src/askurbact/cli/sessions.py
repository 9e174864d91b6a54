"""`askurbact sessions`: the saved chats (the chat's sidebar lists the same ones), renamed
and deleted by name."""

from __future__ import annotations

import sys

from ..errors import UsageError
from ..printable import printable
from ..session import SessionStore, local_minute
from .output import plural, print_json, say
from .parser import EXIT_OK


def sessions(store: SessionStore, args) -> int:
    action = args.action or "list"
    if action == "rename":
        store.rename(args.old, args.new)
        print(f"renamed {args.old} to {args.new}")
        return EXIT_OK
    if action == "delete":
        return _delete(store, args.name, args.yes)
    chats, damaged = store.scan()
    for _, why in sorted(damaged.items()):  # left out of the list: named, once each
        say(f"warning: {why}")
    if args.json:
        print_json([{"name": s.id, "title": s.title, "created": s.created, "updated": s.updated,
                     "questions": len(s.turns)} for s in chats])
        return EXIT_OK
    if not chats:
        print(printable(f"no saved chats in {store.folder}"))
    width = max((len(s.id) for s in chats), default=0)
    for s in chats:
        print(printable(f"{s.id:<{width}}  {local_minute(s.updated)}  "
                        f"{plural(len(s.turns), 'question'):>13}  {s.title}"))
    return EXIT_OK


def _delete(store: SessionStore, name: str, yes: bool) -> int:
    if not yes:  # with --yes the chat is not read: a damaged one can be deleted too
        session = store.load(name, create=False)  # a missing name fails here, before any question
        if not sys.stdin.isatty():
            raise UsageError(f"not deleting {name} without confirmation: stdin is not a terminal to ask on; "
                             f"add --yes (askurbact sessions delete {name} --yes)")
        title = f" (\u201c{session.title}\u201d, {plural(len(session.turns), 'question')})" if session.title else ""
        print(printable(f"Delete the saved chat {name}{title}? This cannot be undone. [y/N] "), end="", file=sys.stderr,
              flush=True)
        if sys.stdin.readline().strip().casefold() not in ("y", "yes"):
            print("not deleted", file=sys.stderr)
            return EXIT_OK
    store.delete(name)
    print(f"deleted {name}")
    return EXIT_OK
