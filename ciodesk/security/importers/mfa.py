"""MFA registration from Microsoft Entra's "User registration details" report.

Two shapes of the same report are recognised: the download from the Entra admin center
(Protection → Authentication methods → User registration details → Download), whose
headers are words ("User principal name", "MFA registered" …), and the Microsoft Graph
userRegistrationDetails fields as a script or Graph Explorer writes them
("userPrincipalName", "isMfaRegistered" …).

The population: Entra lists enabled accounts only (Graph's report leaves disabled users
out); a file that has an "account enabled" column has its disabled rows skipped. Of those,
**member users** — every account whose user type is not Guest (an empty type counts as a
member) — make the percentage. Guests are counted separately; admins (any user type) are
listed when they have not registered MFA.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ciodesk.security.importers.common import (
    Columns,
    Field,
    Format,
    Problems,
    Spec,
    flag,
    moment,
    percent,
    required,
    text,
)

FIELDS = (
    Field("upn", "User principal name", required=True),
    Field("display_name", "Display name"),
    Field("user_type", "User type", help="Member or Guest"),
    Field("is_admin", "Is admin"),
    Field("mfa_registered", "MFA registered", required=True),
    Field("mfa_capable", "MFA capable"),
    Field("methods", "Methods registered"),
    Field("last_updated", "Last updated time"),
    Field("account_enabled", "Account enabled", help="disabled accounts are left out"),
)

ENTRA_PORTAL = Format(
    key="entra-portal",
    label="Microsoft Entra admin center download",
    columns={
        "upn": ("User principal name", "UPN", "User name"),
        "display_name": ("User display name", "Display name", "Name", "User"),
        "user_type": ("User type",),
        "is_admin": ("Is admin", "Admin", "Administrator"),
        "mfa_registered": (
            "Multifactor authentication registered",
            "Multi-factor authentication registered",
            "MFA registered",
        ),
        "mfa_capable": (
            "MFA capable",
            "Multifactor authentication capable",
            "Multi-factor authentication capable",
        ),
        "methods": ("Methods registered", "Authentication methods registered", "Methods"),
        "last_updated": ("Last updated time", "Last updated", "Last updated date time"),
        "account_enabled": ("Account enabled", "Account status"),
    },
    extras=(
        "SSPR registered",
        "SSPR enabled",
        "SSPR capable",
        "Self-service password reset registered",
        "Self-service password reset enabled",
        "Self-service password reset capable",
        "Passwordless capable",
        "Default MFA method",
        "Default multifactor authentication method",
        "System preferred MFA enabled",
        "System preferred MFA method",
        "User preferred MFA method",
        "Object ID",
    ),
)

GRAPH = Format(
    key="graph",
    label="Microsoft Graph userRegistrationDetails",
    columns={
        "upn": ("userPrincipalName",),
        "display_name": ("userDisplayName", "displayName"),
        "user_type": ("userType",),
        "is_admin": ("isAdmin",),
        "mfa_registered": ("isMfaRegistered",),
        "mfa_capable": ("isMfaCapable",),
        "methods": ("methodsRegistered",),
        "last_updated": ("lastUpdatedDateTime",),
        "account_enabled": ("accountEnabled",),
    },
    extras=(
        "id",
        "isSsprRegistered",
        "isSsprEnabled",
        "isSsprCapable",
        "isPasswordlessCapable",
        "isSystemPreferredAuthenticationMethodEnabled",
        "systemPreferredAuthenticationMethods",
        "userPreferredMethodForSecondaryAuthentication",
        "defaultMfaMethod",
    ),
)

SPEC = Spec(
    "mfa", "Microsoft Entra user registration details export", FIELDS, (ENTRA_PORTAL, GRAPH)
)


@dataclass(frozen=True)
class Account:
    upn: str
    display_name: str
    user_type: str
    is_admin: bool | None
    registered: bool
    capable: bool | None
    methods: str
    last_updated: datetime.datetime | None

    @property
    def is_guest(self) -> bool:
        return self.user_type.casefold() == "guest"


@dataclass
class Parsed:
    accounts: list[Account]
    as_of: datetime.datetime | None  # the newest "last updated" time, when the file has one
    has_admin_column: bool
    disabled_skipped: int = 0


def _user_type(value) -> str:
    found = text(value, 30)
    if found.casefold() in ("guest", "member"):
        return found.capitalize()
    return found


def _methods(value) -> str:
    """["mobilePhone", "microsoftAuthenticatorPush"] or "a; b" → "mobilePhone, …"."""
    parts = [p.strip(" '\"") for p in re.split(r"[,;|]", text(value, 2000).strip("[]{}"))]
    return ", ".join(p for p in parts if p)[:300]


def parse(columns: Columns, tz: datetime.tzinfo, day_first: bool = False) -> Parsed:
    """Every row checked; CoverageFailed lists each problem by row and column."""
    problems = Problems()
    accounts: list[Account] = []
    seen: dict[str, int] = {}
    skipped = 0
    newest: datetime.datetime | None = None
    readers = {
        "upn": _upn,
        "display_name": lambda v: text(v, 200),
        "user_type": _user_type,
        "is_admin": flag,
        "mfa_registered": _registered,
        "mfa_capable": flag,
        "methods": _methods,
        "last_updated": lambda v: moment(v, tz, day_first),
        "account_enabled": flag,
    }
    present = [(key, read) for key, read in readers.items() if columns.has(key)]
    for number, values in columns.body:
        parsed: dict = dict.fromkeys(readers)
        for key, read in present:
            try:
                parsed[key] = read(columns.get(values, key))
            except ValueError as exc:
                problems.add(number, columns.name(key), str(exc))
        if parsed["upn"] is None or parsed["mfa_registered"] is None:
            continue
        first = seen.setdefault(parsed["upn"].casefold(), number)
        if first != number:
            problems.add(
                number, columns.name("upn"), f"{parsed['upn']} appears again (first in row {first})"
            )
            continue
        if parsed["account_enabled"] is False:
            skipped += 1
            continue
        if parsed["last_updated"] and (newest is None or parsed["last_updated"] > newest):
            newest = parsed["last_updated"]
        accounts.append(
            Account(
                upn=parsed["upn"],
                display_name=parsed["display_name"] or "",
                user_type=parsed["user_type"] or "",
                is_admin=parsed["is_admin"],
                registered=parsed["mfa_registered"],
                capable=parsed["mfa_capable"],
                methods=parsed["methods"] or "",
                last_updated=parsed["last_updated"],
            )
        )
    if not problems and not any(not a.is_guest for a in accounts):
        problems.file(
            "the file lists no enabled member users (guests are counted apart): is it the "
            "right export?"
        )
    problems.raise_if_any()
    return Parsed(accounts, newest, columns.has("is_admin"), skipped)


def _upn(value) -> str:
    found = required(value, 320)
    if "@" not in found:
        raise ValueError(f"“{found}” is not a user principal name (name@domain)")
    return found


def _registered(value) -> bool:
    found = flag(value)
    if found is None:
        raise ValueError("is empty (true or false)")
    return found


def summarise(parsed: Parsed) -> dict:
    """The figures kept on the import (the coverage page reads only these)."""
    members = [a for a in parsed.accounts if not a.is_guest]
    guests = [a for a in parsed.accounts if a.is_guest]
    registered = sum(a.registered for a in members)
    admins = [a for a in parsed.accounts if a.is_admin]
    return {
        "population": "member users (not guests) of the enabled accounts listed",
        "members": len(members),
        "members_registered": registered,
        "members_without": len(members) - registered,
        "members_capable": sum(bool(a.capable) for a in members),
        "percent": percent(registered, len(members)),
        "guests": len(guests),
        "guests_registered": sum(a.registered for a in guests),
        "has_admin_column": parsed.has_admin_column,
        "admins": len(admins) if parsed.has_admin_column else None,
        "admins_without": sum(not a.registered for a in admins)
        if parsed.has_admin_column
        else None,
        "disabled_skipped": parsed.disabled_skipped,
    }


def model_rows(client, record, parsed: Parsed) -> list:
    from ciodesk.security.models import MfaAccount

    return [
        MfaAccount(
            client=client,
            coverage_import=record,
            user_principal_name=a.upn,
            display_name=a.display_name,
            user_type=a.user_type,
            is_admin=a.is_admin,
            is_mfa_registered=a.registered,
            is_mfa_capable=a.capable,
            methods=a.methods,
            last_updated=a.last_updated,
        )
        for a in parsed.accounts
    ]
