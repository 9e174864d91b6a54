"""The index's on-disk format: names, version, and the safe ways to read its files (numpy
arrays with allow_pickle=False, memory-mapped; JSON). The layout is in ."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import IndexProblem

FORMAT_VERSION = 9


CURRENT = "CURRENT"


TERM_ARRAYS = ("vocab", "idf", "df", "term_max")


SLOT_ARRAYS = ("doc_len", "norm", "passage_doc", "rec_span")


SEGMENT_PARTS = ("vocab", "loff", "doc", "tf")  # shared; plus the generation's own "<segment>.off", ".impact"


FIX = "run 'askurbact index --full' to rebuild it"


def load_array(folder: Path, name: str, mmap: bool = True) -> np.ndarray:
    """An array file, memory-mapped read-only (as a plain ndarray view: numpy's memmap
    subclass adds a few microseconds to every operation, which a query does dozens of)."""
    try:
        return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False))
    except FileNotFoundError:
        raise IndexProblem(f"the index is incomplete ({name}.npy is missing); {FIX}") from None
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"the index is damaged ({name}.npy: {exc}); {FIX}") from None


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexProblem(f"the index is incomplete ({path.name} is missing); {FIX}") from None
    except (ValueError, OSError) as exc:
        raise IndexProblem(f"the index is damaged ({path.name} is not valid JSON); {FIX}") from exc


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise IndexProblem(f"the index pointer {index_dir / CURRENT} is damaged; {FIX}") from None
    except OSError as exc:
        raise IndexProblem(f"cannot read the index folder {index_dir}: {exc.strerror}") from None
    if not name.startswith("gen-") or "/" in name or "\\" in name:
        raise IndexProblem(f"the index pointer {index_dir / CURRENT} is damaged; {FIX}")
    return index_dir / name
