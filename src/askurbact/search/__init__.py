"""Search: what to search for (`query`: follow-ups), which documents (`filter`), and the
top-k passages by BM25Okapi (`topk`)."""
