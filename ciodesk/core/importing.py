"""What an import of a file did, for every importer: counts, or why nothing was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass
class ImportResult:
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    already: Any = None  # the earlier import of the very same file (nothing added)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            return f"{self.filename}: {len(self.errors)} error(s); nothing was imported."
        if self.already is not None:
            when = timezone.localtime(self.already.started_at).date()
            return f"{self.filename} was already imported on {when:%Y-%m-%d}: nothing was added."
        return self.counted() + "."

    def counted(self) -> str:
        """What was read and written, in the importer's words (no full stop)."""
        raise NotImplementedError
