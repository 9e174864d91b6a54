"""Fixtures for the chat UI tests: a copy of the corpus, its index and a home, all in tmp_path."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = Settings(corpus=tmp_path / "corpus", index=tmp_path / "index", home=tmp_path / "home")
    Assistant(settings).update()
    return settings


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests in a fresh event loop (no pytest-asyncio needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None
