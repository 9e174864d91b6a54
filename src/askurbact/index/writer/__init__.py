"""The index writer: reads changed corpus files (in worker processes for large updates),
caches their analysis, and writes a new generation. Only `askurbact index`, the chat's
re-index and a stale index's update load it."""

from .report import UpdateReport
from .update import update_index

__all__ = ["UpdateReport", "update_index"]
