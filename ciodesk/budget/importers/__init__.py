"""Importers of the budget app: accounting exports (spend) into the ledger.

import_spend(client, source, filename=..., fmt="auto") -> SpendImport
"""

from ciodesk.budget.importers.ledger import FIELDS, GENERIC, QBO, XERO, ImportFailed
from ciodesk.budget.importers.spend import AlreadyImported, import_spend

__all__ = ["FIELDS", "GENERIC", "QBO", "XERO", "AlreadyImported", "ImportFailed", "import_spend"]
