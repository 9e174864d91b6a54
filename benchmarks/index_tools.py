"""Index look-ups the benchmarks need and the product does not."""

from __future__ import annotations

from askurbact.index.reader import IndexReader


def live_passages(reader: IndexReader) -> list[int]:
    """Every live passage slot, in document then source order (rank-bm25 numbers them 0..n-1)."""
    return [slot for doc in range(len(reader.documents)) for slot in reader.passages_of(doc)]
