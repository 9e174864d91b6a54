"""What an update did, for the user: counts, skipped files with reasons, warnings."""

from __future__ import annotations

from collections.abc import Mapping
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
                f"{self.passages} passage{'s' * (self.passages != 1)}")
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text

    def skipped_lines(self, before: Mapping[str, str]) -> list[str]:
        """What to say of the skipped files after an update nobody typed `index` for (before
        a question, the chat's re-index): each file skipped for a new reason, one line each;
        those skipped for the same reason as before (`before`: path -> reason), counted in
        one line, not said again at every update."""
        lines = [f"skipped {path}: {reason}" for path, reason in sorted(self.skipped.items())
                 if before.get(path) != reason]
        again = len(self.skipped) - len(lines)
        if again:
            lines.append(f"{again} file{'s' * (again != 1)} still skipped as before ('askurbact index' lists "
                         f"{'them' if again != 1 else 'it'})")
        return lines
