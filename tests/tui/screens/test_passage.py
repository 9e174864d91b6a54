"""Pilot tests of the passage view."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from pathlib import Path

import pytest

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.screens.passage import PassageScreen
from askurbact.tui.widgets.sources import SourcesPane

from ..helpers import ask, messages

MAYOR = "Who is the mayor of Seoul?"


async def test_open_source_shows_passage(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        item = app.screen.query_one(SourcesPane).items[0]
        # From the sources list: Tab to it, Enter opens the highlighted source.
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert "Won Soon Park" in app.screen.passage_text
        assert " ".join(item.quote.split()) in " ".join(app.screen.passage_text.split())
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.position == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PassageScreen)
        # Keys 1-9 jump to a source when not typing.
        app.screen.query_one("#sources-list").focus()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen) and app.screen.position == 1


def _remove(path: Path) -> None:
    path.unlink()


def _edit(path: Path) -> None:
    # The same lines now say something else: the index holds a passage there, not the one cited.
    path.write_text(path.read_text(encoding="utf-8").replace("Won Soon Park", "Kim Min-jun"), encoding="utf-8")


@pytest.mark.parametrize("change", [_remove, _edit], ids=["removed", "edited"])
async def test_passage_of_a_removed_or_edited_document_shows_as_saved(settings, change):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        item = app.screen.query_one(SourcesPane).items[0]
        change(settings.corpus / item.path)
        app.assistant.update()
        app.screen.query_one("#sources-list").focus()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert " ".join(item.quote.split()) in " ".join(app.screen.passage_text.split())
        assert "Kim Min-jun" not in app.screen.passage_text
        assert not app.screen.query_one("#context-before").display
        assert not app.screen.query_one("#context-after").display


def _recorder(tmp_path, name: str) -> tuple[Path, Path]:
    """A program that writes the arguments it was given to a file."""
    log = tmp_path / f"{name}.args"
    script = tmp_path / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, log


async def test_o_opens_the_file_in_the_editor_at_the_quote(settings, tmp_path, monkeypatch):
    editor, log = _recorder(tmp_path, "editor")
    monkeypatch.setenv("VISUAL", str(editor))
    # The test terminal cannot be handed over; a real one is suspended while the editor runs.
    monkeypatch.setattr(AskUrbactApp, "suspend", contextlib.nullcontext)
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await pilot.press("ctrl+o", "o")
        await pilot.pause()
        item = app.screen.items[0]
        assert log.read_text(encoding="utf-8").split("\n")[:2] == [f"+{item.lines[0]}",
                                                                  str(settings.corpus / item.path)]


async def test_o_with_the_command_from_the_settings(settings, tmp_path, monkeypatch):
    viewer, log = _recorder(tmp_path, "viewer")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = AskUrbactApp(dataclasses.replace(settings, open_command=f"{viewer} --page={{page}} {{path}} +{{line}}"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await pilot.press("ctrl+o", "right", "o")
        item = app.screen.items[1]
        for _ in range(50):  # the viewer runs beside the chat
            if log.exists() and log.read_text(encoding="utf-8").count("\n") == 3:
                break
            await asyncio.sleep(0.05)
        assert log.read_text(encoding="utf-8").split("\n")[:3] == [
            "--page=1", str(settings.corpus / item.path), f"+{item.lines[0]}"]


async def test_o_with_nothing_set_says_what_to_set(settings, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(app, pilot, MAYOR)
        await pilot.press("ctrl+o", "o")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert any("set $VISUAL or $EDITOR" in m and "open_command" in m for m in messages(app))
