"""Settings files: checked on load, each wrong value named."""

from __future__ import annotations

import pytest

from askurbact.config import load_settings
from askurbact.errors import ConfigError


def _load(tmp_path, text: str):
    path = tmp_path / "askurbact.yaml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, environ={})


def test_open_command_is_kept(tmp_path):
    assert _load(tmp_path, 'open_command: "zathura -P {page} {path}"\n').open_command == "zathura -P {page} {path}"
    assert _load(tmp_path, "top_k: 3\n").open_command is None


@pytest.mark.parametrize("value, says", [
    ('"xdg-open"', "must be a command with {path}"),
    ('"open {file}"', "unknown: file"),
    ("'xdg-open \"{path}'", "is not a command line"),
    ('"x {path"', "is not a command line"),
    ("[xdg-open, '{path}']", "must be text"),
])
def test_a_wrong_open_command_is_named(tmp_path, value, says):
    with pytest.raises(ConfigError, match="open_command") as caught:
        _load(tmp_path, f"open_command: {value}\n")
    assert says in str(caught.value)
