"""F1 and the README list the same keys; the help says when rows are out of sight; the
command palette has one help entry."""

from __future__ import annotations

import re
from pathlib import Path

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.modals.help import KEYS, HelpScreen

from ..helpers import settle

README = Path(__file__).resolve().parents[3] / "README.md"


def _readme_keys() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| keys | action |"):].split("\n\n")[0].splitlines()[2:]
    rows = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in table]
    return [(keys, re.sub(r"`([^`]*)`", r"\1", what)) for keys, what in rows]


def test_readme_and_help_list_the_same_keys():
    assert _readme_keys() == KEYS
    listed = " ".join(keys for keys, _ in KEYS)
    for key in ("p / n", "o (passage view)", "Ctrl+O", "Esc", "F8"):  # what the help once lacked, and the new
        assert key in listed
    assert any("d or F8" in what for _, what in KEYS)


async def test_help_says_more_rows_are_out_of_sight(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        hint = app.screen.query_one("#help-hint")
        assert "More keys below" in str(hint.render())
        await pilot.press("end")
        await pilot.pause()
        assert "More keys above" in str(hint.render())
        await pilot.press("escape")
    app = AskUrbactApp(settings)
    async with app.run_test(size=(160, 60)) as pilot:  # everything in sight: no hint to scroll
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert str(app.screen.query_one("#help-hint").render()) == "Esc closes."


async def test_the_palette_has_one_help(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        helps = [c for c in app.get_system_commands(app.screen) if c.title in ("Help", "Keys")]
        assert [c.title for c in helps] == ["Help"]
        helps[0].callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
