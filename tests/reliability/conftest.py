"""Shared fixtures of the reliability suite: a private copy of the corpus, settings that
point into tmp_path, and a helper that runs the command line (in this process as a
subprocess would see it, or as a real process)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from askurbact.config import Settings
from in_process import run_main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
QUESTION = "Who is the mayor of Seoul?"


def copy_corpus(dest: Path) -> Path:
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus")


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(corpus=corpus, index=tmp_path / "index", home=tmp_path / "home")


def cli_env(home: Path) -> dict:
    env = dict(os.environ)
    env["ASKURBACT_HOME"] = str(home)
    env["NO_COLOR"] = "1"
    for var in ("ASKURBACT_CORPUS", "ASKURBACT_INDEX"):
        env.pop(var, None)
    return env


def run_cli(settings: Settings, *args, timeout: float = 60, extra: tuple = (),
            process: bool = False) -> subprocess.CompletedProcess:
    """`askurbact --corpus C --index I ARGS...` (args may be bytes), in this process as a
    subprocess would see it (tests/in_process.py); `process`: as a real process, for a test
    about two processes at once."""
    cmd = [*extra, "--corpus", str(settings.corpus), "--index", str(settings.index), *args]
    if not process:
        code, out, err = run_main(cmd, cli_env(settings.home), settings.home.parent)
        return subprocess.CompletedProcess(cmd, code, out, err)
    return subprocess.run([sys.executable, "-m", "askurbact.cli", *cmd], capture_output=True, timeout=timeout,
                          env=cli_env(settings.home), cwd=settings.home.parent)


def text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def assert_clean_failure(proc: subprocess.CompletedProcess, code: int = 2) -> str:
    """Exit `code`, no traceback, the error is one line starting with 'askurbact: error:'."""
    err = text(proc.stderr)
    assert "Traceback" not in err, err
    assert proc.returncode == code, (proc.returncode, err, text(proc.stdout))
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("askurbact: error:"), err
    return errors[0]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (links not followed) with a hash of its content or target."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(folder).as_posix()
            st = path.lstat()
            if path.is_symlink():
                result[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                result[rel] = "dir"
            elif path.is_file():
                result[rel] = hashlib.sha256(path.read_bytes()).hexdigest() + f":{st.st_mtime_ns}"
            else:
                result[rel] = f"special:{st.st_mode:o}"
    return result


def synthetic_index(root: Path, files: int, sentences_per_file: int, seed: int) -> Settings:
    """A synthetic corpus under `root`, indexed (in worker processes when it is large)."""
    from askurbact.index.writer import update_index

    s = Settings(corpus=synthetic_corpus(root / "corpus", files, sentences_per_file, seed=seed), index=root / "index",
                 home=root / "home")
    update_index(s)
    return s


async def settle(app, pilot) -> None:
    """Let the chat UI's workers finish and their messages land."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def synthetic_corpus(folder: Path, files: int, sentences_per_file: int, seed: int = 7) -> Path:
    """A deterministic corpus of Markdown files made of generated English sentences."""
    import random

    rng = random.Random(seed)
    nouns = ("city", "mayor", "citizen", "network", "budget", "library", "garden", "market", "school", "council",
             "bridge", "harbour", "festival", "workshop", "project", "district", "cooperative", "lab")
    verbs = ("funds", "builds", "opens", "supports", "plans", "tests", "shares", "improves", "maps", "hosts")
    adjs = ("green", "social", "open", "local", "young", "shared", "digital", "urban", "small", "civic")
    places = ("Kavala", "Seoul", "Lodz", "Malmo", "Porto", "Gdansk", "Turin", "Ghent", "Riga", "Brno")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        lines = [f"# Report {i} on {rng.choice(places)}", ""]
        for s in range(sentences_per_file):
            lines.append(f"The {rng.choice(adjs)} {rng.choice(nouns)} of {rng.choice(places)} "
                         f"{rng.choice(verbs)} a {rng.choice(adjs)} {rng.choice(nouns)} number {rng.randrange(10**6)}.")
            if s % 6 == 5:
                lines.append("")
        (folder / f"doc-{i:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
