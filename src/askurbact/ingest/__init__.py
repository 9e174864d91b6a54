"""Reading corpus files into blocks (replaced by the ingest package in the merge)."""
