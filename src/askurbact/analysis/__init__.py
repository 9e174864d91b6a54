"""Text analysis: normalisation, languages and stopwords, the analyzer that makes index
terms, and sentence boundaries. `bulk` (pyarrow, the build side) is not imported here."""

from .analyze import Analyzer, analyzer, ascii_spaced, indexed_text, query_terms, signature
from .languages import DEFAULT_LANG, SNOWBALL, normalize_lang, stopwords, supported_lang
from .normalize import fold, words
from .sentences import is_contents_entry, passage_sentences, sentence_bounds, sentence_spans

__all__ = ["DEFAULT_LANG", "SNOWBALL", "Analyzer", "analyzer", "ascii_spaced", "fold", "indexed_text",
           "is_contents_entry", "normalize_lang", "passage_sentences", "query_terms", "sentence_bounds",
           "sentence_spans", "signature", "stopwords", "supported_lang", "words"]
