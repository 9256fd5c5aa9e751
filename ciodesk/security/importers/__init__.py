"""Coverage from exports: MFA registration (Microsoft Entra), RMM and EDR device lists,
backup job reports. Each module reads one kind; ``SPECS`` names their columns and formats.

    open_export(data, filename, SPECS[kind], mapping=None) -> Columns   (common.py)
    mfa.parse / devices.parse / backups.parse (columns, tz, day_first) -> Parsed

Writing, control evidence and the figures kept on each import: services_coverage.py.
"""

from __future__ import annotations

from ciodesk.security.importers import backups, devices, mfa
from ciodesk.security.importers.common import Spec

SPECS: dict[str, Spec] = {
    "mfa": mfa.SPEC,
    "rmm": devices.RMM,
    "edr": devices.EDR,
    "backup": backups.SPEC,
}
