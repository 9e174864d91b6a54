"""What an update did, for the user: counts, skipped files with reasons, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class UpdateReport:
    documents: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    passages: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt_base: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        text = (f"{self.documents} document{'s' * (self.documents != 1)}: {self.added} added, "
                f"{self.updated} updated, {self.removed} removed, {self.unchanged} unchanged; "
                f"{self.passages} passages")
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text
