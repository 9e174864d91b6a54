"""The chat's filter: which documents a search may return. Stored with a saved chat as
JSON, and read back only here."""

from __future__ import annotations

from dataclasses import dataclass

from ..printable import printable


@dataclass(frozen=True)
class Filter:
    """Limit a search to some documents (by doc_id) and/or tags (a document needs one of them)."""

    doc_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.doc_ids or self.tags)

    def describe(self) -> str:
        """The filter as a person reads it (control characters in names made visible)."""
        parts = [*sorted(self.doc_ids), *(f"#{t}" for t in sorted(self.tags))]
        return printable(", ".join(parts))

    def to_json(self) -> dict:
        return {"doc_ids": sorted(self.doc_ids), "tags": sorted(self.tags)}

    @classmethod
    def from_json(cls, data: object) -> Filter:
        """A filter from its JSON form; anything malformed counts as no filter."""
        if not isinstance(data, dict):
            return cls()

        def texts(key: str) -> frozenset[str]:
            values = data.get(key) or ()
            if not isinstance(values, (list, tuple)):
                return frozenset()
            return frozenset(v for v in values if isinstance(v, str))
        return cls(texts("doc_ids"), texts("tags"))
