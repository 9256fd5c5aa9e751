"""Ticket imports from the MSP's own PSA exports (ConnectWise PSA, Autotask, HaloPSA,
Syncro, Freshservice; CSV or XLSX), recognised by their headers, or mapped by hand.

    import_tickets(client, vendor, source, filename=..., fmt="auto") -> TicketImport
    peek(source) -> Peek(headers, rows, fmt)   for the mapping page
"""

from __future__ import annotations

from dataclasses import dataclass

from ciodesk.vendors.importers.tickets.errors import ImportFailed
from ciodesk.vendors.importers.tickets.formats import (
    FIELDS,
    FORMATS,
    GENERIC,
    REQUIRED,
    Format,
    detect,
    guess,
    suggest_mapping,
)
from ciodesk.vendors.importers.tickets.importing import import_tickets, unchanged_count
from ciodesk.vendors.importers.tickets.reading import Source, open_table

__all__ = [
    "FIELDS",
    "FORMATS",
    "GENERIC",
    "REQUIRED",
    "Format",
    "ImportFailed",
    "Peek",
    "detect",
    "guess",
    "import_tickets",
    "peek",
    "suggest_mapping",
    "unchanged_count",
]


@dataclass
class Peek:
    headers: list[str]
    rows: list[list[str]]
    fmt: Format | None
    sha256: str


def peek(source: Source, limit: int = 20) -> Peek:
    """The headers, the first rows and the recognised format (None if unknown) of a file.

    Raises ImportFailed when the file is not a readable table.
    """
    with open_table(source) as table:
        return Peek(table.headers, table.preview(limit), guess(table.headers), table.sha256)
