"""`o` opens the cited file at the quote: which command, for which file."""

from __future__ import annotations

from pathlib import Path

import pytest

from askurbact.tui.opener import CannotOpen, open_command


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"md": tmp_path / "notes on Seoul.md", "pdf": tmp_path / "report.pdf"}
    for path in paths.values():
        path.write_bytes(b"x")
    return paths


def test_a_text_file_opens_in_the_editor_at_its_line(files):
    command = open_command(files["md"], 57, None, "markdown", None, {"EDITOR": "nano", "VISUAL": "vim -p"})
    assert command.argv == ["vim", "-p", "+57", str(files["md"])] and command.in_terminal
    command = open_command(files["md"], 3, None, "text", "xdg-open {path}", {"EDITOR": "nano"})
    assert command.argv == ["nano", "+3", str(files["md"])]


def test_other_formats_use_open_command_with_page_and_line(files):
    command = open_command(files["pdf"], 4, 12, "pdf", 'zathura --page={page} "{path}" # line {line}',
                           {"EDITOR": "vim"})
    assert command.argv == ["zathura", "--page=12", str(files["pdf"]), "#", "line", "4"]
    assert not command.in_terminal
    # A text file with no editor set falls back to the command.
    command = open_command(files["md"], 9, None, "markdown", "xdg-open {path}", {})
    assert command.argv == ["xdg-open", str(files["md"])]


def test_nothing_set_says_what_to_set(files):
    with pytest.raises(CannotOpen, match=r"set \$VISUAL or \$EDITOR to open notes on Seoul.md at line 7"):
        open_command(files["md"], 7, None, "markdown", None, {})
    with pytest.raises(CannotOpen, match=r'set open_command: "xdg-open \{path\}" in askurbact.yaml to open PDF'):
        open_command(files["pdf"], 1, 2, "pdf", None, {"EDITOR": "vim"})


def test_a_file_that_went_away(files, tmp_path):
    with pytest.raises(CannotOpen, match="no longer there"):
        open_command(tmp_path / "gone.md", 1, None, "markdown", None, {"EDITOR": "vim"})
