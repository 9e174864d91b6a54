"""One module per file format: suffixes, a version for the cache key, and extract()."""
