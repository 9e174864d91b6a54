"""The analyzer's terms of a whole file's passages at once, for the indexer.

The same terms as `Analyzer.terms` gives each passage (tests hold them equal), with the
per-token work (splitting words, finding each word's term) done by Apache Arrow's string
kernels over all passages instead of one Python step per token, which was most of a
build's time. Only indexing imports this (pyarrow takes ~0.2 s to import): an `ask` on an
up-to-date index does not load it; one that finds changed files and updates the index does.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .analyze import Analyzer, ascii_spaced


def term_occurrences(analyzer: Analyzer, texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(vocab, term, text, lengths) of `texts`.

    `vocab` is the sorted set of their terms; `term[k]` (an index in `vocab`) occurs in
    `texts[text[k]]`, one k per occurrence, in no particular order;
    `lengths[i] == len(analyzer.terms(texts[i]))`.
    """
    fast_at, spaced, slow_at, slow_terms = [], [], [], []
    for i, text in enumerate(texts):
        form = ascii_spaced(text)
        if form is None:  # letters that fold to no single ASCII one (Greek, "ß"): few texts
            slow_at.append(i)
            slow_terms.append(analyzer.terms(text))
        else:
            fast_at.append(i)
            spaced.append(form)
    # Split at spaces (runs of spaces are one separator; leading or trailing ones give an
    # empty token, which has no term), then give each distinct token a number. large_string:
    # 64-bit offsets, so that pa.array never returns a chunked array (past 2 GiB of text).
    tokens = pc.ascii_split_whitespace(pa.array(spaced, pa.large_string()))
    per_text = pc.list_value_length(tokens).to_numpy(zero_copy_only=False)
    encoded = pc.list_flatten(tokens).dictionary_encode()
    stems = analyzer.stems(encoded.dictionary.cast(pa.large_binary()).to_pylist())
    vocab = sorted(set(filter(None, stems)).union(*slow_terms))
    local = {term: i for i, term in enumerate(vocab)}
    # Distinct token -> its index in vocab, -1 where it has no term (stopwords, lone letters).
    token_term = np.array([local.get(stem, -1) for stem in stems], np.int32)
    term = token_term[encoded.indices.to_numpy(zero_copy_only=False)]
    text = np.repeat(np.array(fast_at, np.int32), per_text)
    has_term = term >= 0
    term, text = term[has_term], text[has_term]
    if slow_at:
        slow_lengths = np.fromiter(map(len, slow_terms), np.int64, len(slow_terms))
        term = np.concatenate([term, np.fromiter(map(local.__getitem__, chain.from_iterable(slow_terms)), np.int32)])
        text = np.concatenate([text, np.repeat(np.array(slow_at, np.int32), slow_lengths)])
    lengths = np.bincount(text, minlength=len(texts)).astype(np.int64)
    return vocab, term, text, lengths
