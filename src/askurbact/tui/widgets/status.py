"""The status line: the index, the chat's filter and the chat's name."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from ...core import IndexStatus
from ...search.filter import Filter


def built(built_at: str) -> str:
    """When the index was built, in local time to the minute."""
    try:
        return dt.datetime.fromisoformat(built_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return built_at or "?"


class StatusLine(Static):
    def show(self, status: IndexStatus | None, where: Filter, title: str) -> None:
        """`status` is None while there is no usable index."""
        parts = []
        if status is not None:
            parts.append(f"{status.documents} document{'s' * (status.documents != 1)} \u00b7 "
                         f"{status.passages} passages \u00b7 built {built(status.built_at)}")
            if status.skipped:
                parts.append(f"{status.skipped} skipped")
        else:
            parts.append("index: not ready")
        parts.append(f"filter: {where.describe()}" if where else "filter: all documents")
        parts.append(f"chat: {title or 'new chat'}")
        self.update(" \u2502 ".join(parts))
