"""Crash test: kill -9 `askurbact index --full` at random moments, again and again.

After every kill the previous index must still be intact and usable (`ask` answers,
exit 0), and at the end a plain `askurbact index` must finish and leave a valid index.

    python tests/reliability/kill_loop.py [--kills 25] [--files 300] [--seed 1] [--workdir DIR]

The corpus is synthetic and deterministic (a few MB of generated sentences), so the
full rebuild takes a couple of seconds and runs in worker processes. Prints a summary
(used for docs/reliability.md) and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import cli_env, synthetic_corpus

QUESTION = "Which green library does Kavala fund?"


def _cli(work: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(work / "corpus"), "--index", str(work / "index"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=cli_env(work / "home"), cwd=work)


def _current(work: Path) -> str:
    try:
        return (work / "index" / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return ""


def _check_usable(work: Path) -> str | None:
    """None if the live index opens and `ask` answers; else what went wrong."""
    from askurbact.errors import IndexProblem
    from askurbact.index.reader import IndexReader

    try:
        IndexReader(work / "index")
    except IndexProblem as exc:
        return f"index unreadable: {exc}"
    proc = _cli(work, "ask", "--json", QUESTION)
    if proc.returncode != 0 or "Traceback" in proc.stderr:
        return f"ask exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    if not json.loads(proc.stdout)["found"]:
        return "ask found nothing"
    return None


def run(kills: int = 25, files: int = 300, seed: int = 1, workdir: Path | None = None, latest: float = 1.05) -> dict:
    """Kill `kills` full index runs at random moments, up to `latest` times the first
    build's time, and check after each that the index is usable (a run that ends before its
    kill is checked too, and another is started)."""
    rng = random.Random(seed)
    own = workdir is None
    tmp = tempfile.TemporaryDirectory(prefix="askurbact-kill-") if own else None
    work = Path(tmp.name) if own else workdir
    try:
        synthetic_corpus(work / "corpus", files, 150, seed=seed)
        started = time.perf_counter()
        first = _cli(work, "index", "--full")
        build_seconds = time.perf_counter() - started
        if first.returncode != 0:
            raise RuntimeError(f"first build failed: {first.stderr}")
        stats = {"kills": 0, "killed_before_swap": 0, "killed_after_swap": 0, "finished_before_kill": 0,
                 "failures": [], "build_seconds": round(build_seconds, 2), "kill_times": []}
        # The first build's time says when a kill lands mid-way; when the machine's load falls
        # a run may end before its kill: then kill earlier, and try again (3 tries a kill).
        window = build_seconds * latest
        for i in range(3 * kills):
            if stats["kills"] == kills:
                break
            before = _current(work)
            delay = rng.uniform(0.05, max(0.1, window))
            cmd = [sys.executable, "-m", "askurbact.cli", "--corpus", str(work / "corpus"),
                   "--index", str(work / "index"), "index", "--full"]
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    env=cli_env(work / "home"), cwd=work, start_new_session=True)
            time.sleep(delay)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)  # kill -9 of the indexer itself
                stats["kills"] += 1
                stats["kill_times"].append(round(delay, 2))
            else:
                stats["finished_before_kill"] += 1
                window = 0.8 * delay
            proc.wait()
            try:  # its worker processes (ours: the session we started), if any are left
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            after = _current(work)
            stats["killed_after_swap" if after != before else "killed_before_swap"] += 1
            problem = _check_usable(work)
            if problem:
                stats["failures"].append(f"kill {i} at {delay:.2f}s: {problem}")
        final = _cli(work, "index")
        if final.returncode != 0:
            stats["failures"].append(f"final index exit {final.returncode}: {final.stderr.strip()[-300:]}")
        problem = _check_usable(work)
        if problem:
            stats["failures"].append(f"after final index: {problem}")
        stats["generations_left"] = len(list((work / "index").glob("gen-*")))
        stats["final_index"] = final.stdout.strip()
        return stats
    finally:
        if tmp is not None:
            tmp.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    stats = run(args.kills, args.files, args.seed, args.workdir)
    stats["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(stats, indent=1))
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
