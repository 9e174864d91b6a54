"""Where the shared sample documents are: beside the checkout, else the workplace's copy. They are
read in place, never copied into the repository (their licences differ)."""

from __future__ import annotations

from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[3]
_CANDIDATES = (_ROOT.parent / "shared" / "data" / "docs", Path("/work/shared/data/docs"))


def _docs() -> Path | None:
    return next((path for path in _CANDIDATES if path.is_dir()), None)


@pytest.fixture(scope="session")
def docs() -> Path:
    found = _docs()
    if found is None:
        pytest.skip("the shared sample documents (shared/data/docs) are not on this machine")
    return found
