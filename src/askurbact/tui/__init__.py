"""The Textual chat UI. Importing this package is what loads Textual."""

from __future__ import annotations


def run_chat(settings) -> int:
    from .app import AskUrbactApp

    AskUrbactApp(settings).run()
    return 0
