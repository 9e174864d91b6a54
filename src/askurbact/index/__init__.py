"""The index: its on-disk layout (`format`), a generation's manifest (`manifest`), the
passage records (`records`), reading it (`reader`), checking it against the corpus
(`freshness`), the BM25Okapi formula (`bm25`) and, apart, writing it (`writer`, imported
only when the index must change).

Layout of the index folder (askurbact deletes only these names there: writer/folder.py):
    .askurbact-index          the marker: this folder is an askurbact index
    CURRENT                   name of the live generation (replaced atomically)
    gen-*/                    one complete, immutable generation:
        manifest.json         format, settings, the files it was built from, its segments
        documents.json        the documents, each with its cache key and passage slots
        vocab.npy idf.npy df.npy term_max.npy  every term (sorted UTF-8), its idf, df and its
                              largest contribution to a score, at least 0 (a bound for pruning,
                              used only when every query term's idf is >= 0)
        doc_len.npy norm.npy passage_doc.npy rec_span.npy   one row per passage slot
        <segment>.{vocab,loff,doc,tf}.npy  a segment's postings (hard links: shared)
        <segment>.off.npy     where each term of vocab.npy starts in that segment's postings
        <segment>.impact.npy  each posting's contribution idf * tf*(k1+1)/(tf+norm) to its
                              passage's score, for this generation's idf and norms
        vectors.npy           with the semantic extra: each slot's passage vector, float16
                              (`vectors`; the model is named in the manifest)
    cache/<key>.entry         the analysed passages of one file version, by content hash: per
                              passage a JSON line [section, first line, last line, pieces] and
                              its text, then term counts per passage and a JSON header
                              (writer/cache.py; the index keeps byte spans into the records)
    cache/<key>-<model>.vectors.npy  that file version's passage vectors (writer/vectors.py)
    .lock                     held while indexing

Postings are term frequencies grouped by term, in segments: a large base segment and a
small one for the files added or changed since, so an update rewrites only the small one
plus the arrays that depend on the whole corpus (per term, per slot, and the postings'
contributions: a query only adds those up). A slot whose file was changed or removed stays in
its segment, dead (`passage_doc` -1, `norm` inf), until the base is rebuilt. Only numpy
arrays (`allow_pickle=False`), JSON and text are read; nothing here writes anywhere.
"""

from __future__ import annotations

