"""The one exception an import raises on a bad file."""

from __future__ import annotations

MAX_ERRORS = 50


class ImportFailed(ValueError):
    """A file that cannot be imported; nothing was written.

    ``errors`` lists every problem found ("row 12, column "dateEntered": …"), at most
    MAX_ERRORS of them; ``str()`` is the first, one line, for a command's exit message.
    """

    def __init__(self, errors: list[str]):
        self.errors = list(errors) or ["The file could not be imported."]
        super().__init__(self.errors[0])

    def __str__(self) -> str:
        return self.errors[0].splitlines()[0]


def cell_error(row: int, column: str, reason: str) -> str:
    return f'row {row}, column "{column}": {reason}'
