from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the bundled corpus, free to change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(corpus=corpus, index=tmp_path / "index", home=tmp_path / "home")


@pytest.fixture
def assistant(settings: Settings) -> Assistant:
    helper = Assistant(settings)
    helper.update(jobs=1)
    return helper


@pytest.fixture
def run_cli(tmp_path: Path, corpus: Path):
    """Run the real command line in a subprocess: (exit code, stdout, stderr)."""
    import os
    import subprocess

    def run(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
        environment = {**os.environ, "ASKURBACT_HOME": str(tmp_path / "home"), "NO_COLOR": "1",
                       "ASKURBACT_CORPUS": str(corpus), "ASKURBACT_INDEX": str(tmp_path / "index")}
        environment.update(env or {})
        done = subprocess.run([sys.executable, "-m", "askurbact.cli", *args], capture_output=True, text=True,
                              cwd=cwd or tmp_path, env=environment, timeout=120, input=input,
                              stdin=None if input is not None else subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr

    return run
