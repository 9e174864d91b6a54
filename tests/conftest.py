from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant
from askurbact.index import vectors

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
    """Run the command line: (exit code, stdout, stderr). In this process as a subprocess
    would see it (tests/in_process.py); `process=True` for a real process."""
    import subprocess

    from in_process import run_main

    def run(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
            process: bool = False):
        environment = {**os.environ, "ASKURBACT_HOME": str(tmp_path / "home"), "NO_COLOR": "1",
                       "ASKURBACT_CORPUS": str(corpus), "ASKURBACT_INDEX": str(tmp_path / "index")}
        environment.update(env or {})
        if not process:
            code, out, err = run_main(args, environment, cwd or tmp_path,
                                      None if input is None else input.encode("utf-8"))
            return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        done = subprocess.run([sys.executable, "-m", "askurbact.cli", *args], capture_output=True, text=True,
                              cwd=cwd or tmp_path, env=environment, timeout=120, input=input,
                              stdin=None if input is not None else subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr

    return run


# The shared sample documents (PDF, DOCX, HTML from other projects' test suites): read in place
# beside the checkout or from the workplace's copy, never copied into the repository (their
# licences differ). ASKURBACT_DOCS points elsewhere.
_DOCS = [Path(p) for p in filter(None, [os.environ.get("ASKURBACT_DOCS")])] + [
    ROOT.parent / "shared" / "data" / "docs", Path("/work/shared/data/docs")]


@pytest.fixture(scope="session")
def docs() -> Path:
    found = next((path for path in _DOCS if (path / "pdf").is_dir()), None)
    if found is None:
        pytest.fail(f"the shared sample documents are not at {' or '.join(map(str, _DOCS))}; set ASKURBACT_DOCS")
    return found



# The suite runs lexical, as askurbact runs without the semantic extra, except the tests marked
# `semantic` (tests/search/test_semantic.py): with the extra installed (make test installs it),
# "auto" would embed every test corpus, minutes of CPU, and change rankings other tests check.
# Replaced for the whole session, not by monkeypatch: some tests undo their monkeypatches.
os.environ["ASKURBACT_SEMANTIC"] = "off"  # commands run in subprocesses
# Saved chats show their times in the local zone: the suite's screens and listings are the
# same on every machine at UTC.
os.environ["TZ"] = "UTC"
time.tzset()
_installed = vectors.installed
_not_installed = vectors.installed = lambda: False


@pytest.fixture(scope="module")
def semantic_extra():
    """The extra as installed, for a module's fixtures (the marked tests have it anyway)."""
    vectors.installed = _installed
    try:
        yield
    finally:
        vectors.installed = _not_installed


@pytest.fixture(autouse=True)
def _semantic_when_marked(request):
    if request.node.get_closest_marker("semantic") is None:
        vectors.installed = _not_installed
        yield
        return
    vectors.installed = _installed
    try:
        yield
    finally:
        vectors.installed = _not_installed


# A small two-document town corpus (tests/answer).
CANAL = """---
title: The canal of Leeds
---
# The canal of Leeds

The old canal of Leeds was cleaned in 2009 by volunteers. Narrow boats carry visitors to
the mills and the locks.

A boat museum opened beside the locks in 2015. It shows the history of the barges and of
the wool trade, and it welcomed twelve thousand visitors in its first year.
"""

ORCHARD = """---
title: The orchards of Graz
---
# The orchards of Graz

The community orchards of Graz were planted by school children. Every autumn the pupils
press the apples into juice for the school canteens.
"""


@pytest.fixture
def town(tmp_path: Path) -> Assistant:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "canal.md").write_text(CANAL, encoding="utf-8")
    (corpus / "orchard.md").write_text(ORCHARD, encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=tmp_path / "idx", home=tmp_path / "home"))
    helper.update(jobs=1)
    return helper
