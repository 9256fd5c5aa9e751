"""Licence waste: inactive licences, licences on deleted users, overlapping SKUs, in money.

For the forecast helper (call anywhere; each opens the client's scope itself):

    licence_costs(client) -> LicenceCosts
        .currency            the client's currency
        .monthly, .yearly    Decimal: what the licences on file cost per month / per year
                             (every assigned product priced in the client's currency)
        .unpriced            [product names] assigned but with no price set (not counted)
        .other_currency      [product names] priced in another currency (not counted)

    licence_waste(client, days=30) -> LicenceWaste   (the licences page and the CLI)

Definitions (docs/budget-licences-lifecycle.md says the same for readers):

* The figures come from the latest Microsoft 365 report on file (its "Report Refresh Date")
  and, per SaaS application, from the latest list imported for it. Users of earlier reports
  that are no longer listed are kept for history but not counted.
* A licensed user is inactive for N days when their latest activity (any service) is N or
  more days before the report date, or when they have never been active — unless their
  first licence was assigned less than N days before the report date (a new starter).
* Waste per user, counted once: every product of a deleted user; every product of an
  inactive user; otherwise each product that another product of the same user includes
  (OVERLAPS below). Money is counted only for products with a price in the client's
  currency; the others are listed as "no price set" (or "priced in another currency").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ciodesk.budget.models import LicenceImport, LicenceUser, SaaSUser, SkuPrice
from ciodesk.core.scope import scope

THRESHOLDS = (30, 60, 90)
DEFAULT_DAYS = 30
ZERO = Decimal("0.00")

# Microsoft's product names, as the "Assigned Products" column writes them (upper case in
# the admin center export), old names included: Microsoft renamed the business plans in
# April 2020 ("Office 365 Business Premium" became "Microsoft 365 Business Standard").
PRODUCTS: dict[str, tuple[str, ...]] = {
    "business-basic": ("microsoft 365 business basic", "office 365 business essentials"),
    "business-standard": ("microsoft 365 business standard", "office 365 business premium"),
    "business-premium": ("microsoft 365 business premium", "microsoft 365 business"),
    "apps-business": ("microsoft 365 apps for business", "office 365 business"),
    "apps-enterprise": ("microsoft 365 apps for enterprise", "office 365 proplus"),
    "o365-e1": ("office 365 e1",),
    "o365-e3": ("office 365 e3",),
    "o365-e5": ("office 365 e5",),
    "o365-f3": ("office 365 f3",),
    "m365-e3": ("microsoft 365 e3",),
    "m365-e5": ("microsoft 365 e5",),
    "m365-f3": ("microsoft 365 f3",),
    "exchange-p1": ("exchange online (plan 1)", "exchange online plan 1"),
    "exchange-p2": ("exchange online (plan 2)", "exchange online plan 2"),
    "exchange-kiosk": ("exchange online kiosk",),
    "exchange-archiving": (
        "exchange online archiving for exchange online",
        "exchange online archiving",
    ),
    "defender-o365-p1": (
        "microsoft defender for office 365 (plan 1)",
        "office 365 advanced threat protection (plan 1)",
    ),
    "defender-business": ("microsoft defender for business",),
    "intune-p1": ("microsoft intune plan 1", "microsoft intune", "intune"),
    "entra-p1": ("microsoft entra id p1", "azure active directory premium p1"),
    "ems-e3": ("enterprise mobility + security e3",),
    "teams-essentials": ("microsoft teams essentials",),
    "onedrive-p1": ("onedrive for business (plan 1)",),
    "sharepoint-p1": ("sharepoint online (plan 1)",),
}
_ALIASES = {name: key for key, names in PRODUCTS.items() for name in names}

_MAIL_SUITES = (
    "business-basic",
    "business-standard",
    "business-premium",
    "o365-e1",
    "o365-e3",
    "o365-e5",
    "m365-e3",
    "m365-e5",
)
_ENTERPRISE = ("o365-e3", "o365-e5", "m365-e3", "m365-e5")

# The overlap pairs: a user holding the key product and any product listed for it pays for
# the key product twice — what it gives is already in the other one. For the pairs of full
# suites (Business Premium with Microsoft 365 E3 or E5) the business plan is the one called
# redundant: the enterprise suite carries its Office apps, mailbox, Intune and Entra ID P1.
OVERLAPS: dict[str, tuple[str, ...]] = {
    "business-basic": ("business-standard", "business-premium", *_ENTERPRISE, "o365-e1"),
    "business-standard": ("business-premium", *_ENTERPRISE),
    "business-premium": ("m365-e3", "m365-e5"),
    "apps-business": ("business-standard", "business-premium", "apps-enterprise", *_ENTERPRISE),
    "apps-enterprise": _ENTERPRISE,
    "o365-e1": _ENTERPRISE,
    "o365-e3": ("o365-e5", "m365-e3", "m365-e5"),
    "o365-e5": ("m365-e5",),
    "m365-e3": ("m365-e5",),
    "o365-f3": ("o365-e1", *_ENTERPRISE),
    "m365-f3": ("m365-e3", "m365-e5"),
    "exchange-kiosk": (*_MAIL_SUITES, "exchange-p1", "exchange-p2"),
    "exchange-p1": (*_MAIL_SUITES, "exchange-p2"),
    "exchange-p2": _ENTERPRISE,
    "exchange-archiving": ("business-premium", *_ENTERPRISE, "exchange-p2"),
    "defender-o365-p1": ("business-premium", "o365-e5", "m365-e5"),
    "defender-business": ("business-premium",),
    "intune-p1": ("business-premium", "ems-e3", "m365-e3", "m365-e5", "m365-f3"),
    "entra-p1": ("business-premium", "ems-e3", "m365-e3", "m365-e5", "m365-f3"),
    "ems-e3": ("m365-e3", "m365-e5"),
    "teams-essentials": ("business-basic", "business-standard", "business-premium"),
    "onedrive-p1": _MAIL_SUITES,
    "sharepoint-p1": _MAIL_SUITES,
}
_NO_TEAMS = re.compile(r"\s*\((?:no|without) teams\)$|\s+(?:no|without) teams$")
# "A+B" separates products; "Enterprise Mobility + Security E3" keeps its spaced plus.
_PRODUCT_SEPARATOR = re.compile(r"(?<! )\+(?! )")


def product_key(name: str) -> str:
    """The key a product is matched on: one per product, whatever its spelling or age."""
    text = " ".join(name.casefold().replace("licence", "license").split())
    text = _NO_TEAMS.sub("", text)
    return _ALIASES.get(text, text)


def split_products(text: str) -> list[str]:
    """ "A+B" → ["A", "B"], as the Assigned Products column joins them."""
    seen: dict[str, str] = {}
    for part in _PRODUCT_SEPARATOR.split(text or ""):
        part = " ".join(part.split())
        if part and product_key(part) not in seen:
            seen[product_key(part)] = part
    return list(seen.values())


def redundant_products(products: Iterable[str]) -> list[tuple[str, str]]:
    """(redundant product, the product of the same user that includes it), each once."""
    by_key = {product_key(p): p for p in products}
    found = []
    for key, name in by_key.items():
        cover = next((by_key[c] for c in OVERLAPS.get(key, ()) if c in by_key), None)
        if cover is not None:
            found.append((name, cover))
    return found


def saas_sku(app_name: str, licence: str) -> str:
    """The product name a SaaS seat is priced under: "Zoom Pro" (the licence alone when it
    already names the application; the application when the list has no licence)."""
    app, licence = app_name.strip(), licence.strip()
    if not licence:
        return app
    return licence if licence.casefold().startswith(app.casefold()) else f"{app} {licence}"


# --- the computation ----------------------------------------------------------------------------


@dataclass
class SkuRow:
    name: str
    key: str
    price: SkuPrice | None = None
    assigned: int = 0
    inactive: int = 0
    on_deleted: int = 0
    overlapping: int = 0

    @property
    def wasted(self) -> int:
        return self.inactive + self.on_deleted + self.overlapping

    def counted(self, currency: str) -> bool:
        return self.price is not None and self.price.currency == currency

    @property
    def monthly_price(self) -> Decimal | None:
        return self.price.monthly_price if self.price else None

    @property
    def currency(self) -> str:
        return self.price.currency if self.price else ""

    @property
    def monthly_cost(self) -> Decimal | None:
        return self.price.monthly_price * self.assigned if self.price else None

    @property
    def monthly_waste(self) -> Decimal | None:
        return self.price.monthly_price * self.wasted if self.price else None

    @property
    def yearly_waste(self) -> Decimal | None:
        return self.monthly_waste * 12 if self.price else None


@dataclass
class UserRow:
    """One licensed user (Microsoft 365) or SaaS seat, as of its report."""

    source: str  # "m365" or the SaaS application's name
    name: str
    login: str
    products: list[str]
    as_of: datetime.date | None
    last_activity: datetime.date | None
    licensed_since: datetime.date | None = None
    deleted: bool = False
    overlaps: list[tuple[str, str]] = field(default_factory=list)
    wasted: list[str] = field(default_factory=list)
    reason: str = ""
    monthly_waste: Decimal = ZERO
    unpriced: list[str] = field(default_factory=list)

    @property
    def days_inactive(self) -> int | None:
        """Days since the last activity as of the report date; None when never active."""
        if self.last_activity is None or self.as_of is None:
            return None
        return max((self.as_of - self.last_activity).days, 0)

    def inactive_for(self, days: int) -> bool:
        if self.deleted or self.as_of is None or not self.products:
            return False
        if self.licensed_since and (self.as_of - self.licensed_since).days < days:
            return False  # licensed too recently to have had `days` days to use it
        since = self.days_inactive
        return since is None or since >= days

    @property
    def new_starter(self) -> bool:
        return bool(
            self.licensed_since and self.as_of and (self.as_of - self.licensed_since).days < 30
        )


@dataclass
class LicenceWaste:
    currency: str
    days: int
    report_date: datetime.date | None
    users: list[UserRow]
    skus: list[SkuRow]
    inactive: dict[int, int]
    deleted_with_licence: int
    overlap_users: int
    monthly_waste: Decimal
    stale: int
    imports: list[LicenceImport]

    @property
    def yearly_waste(self) -> Decimal:
        return self.monthly_waste * 12

    @property
    def licensed(self) -> int:
        return sum(1 for u in self.users if u.products)

    @property
    def unpriced(self) -> list[SkuRow]:
        return [s for s in self.skus if s.price is None]

    @property
    def other_currency(self) -> list[SkuRow]:
        return [s for s in self.skus if s.price is not None and s.price.currency != self.currency]

    @property
    def unpriced_waste(self) -> list[SkuRow]:
        return [s for s in self.skus if s.wasted and not s.counted(self.currency)]

    def matching(self, show: str) -> list[UserRow]:
        """The users the page's filter shows: all, inactive, deleted or overlap."""
        if show == "inactive":
            return [u for u in self.users if u.inactive_for(self.days)]
        if show == "deleted":
            return [u for u in self.users if u.deleted]
        if show == "overlap":
            return [u for u in self.users if u.overlaps]
        if show == "waste":
            return [u for u in self.users if u.wasted]
        return self.users


def _m365_rows() -> tuple[list[UserRow], datetime.date | None, int]:
    users = list(LicenceUser.objects.all())
    dates = [u.report_date for u in users if u.report_date]
    latest = max(dates) if dates else None
    rows, stale = [], 0
    for user in users:
        if latest and user.report_date and user.report_date < latest:
            stale += 1
            continue
        rows.append(
            UserRow(
                source="m365",
                name=user.display_name or user.upn,
                login=user.upn,
                products=[p for p in user.assigned_products if isinstance(p, str) and p],
                as_of=user.report_date,
                last_activity=user.last_activity,
                licensed_since=user.licensed_since,
                deleted=user.is_deleted,
            )
        )
    return rows, latest, stale


def _saas_rows() -> tuple[list[UserRow], int]:
    seats = list(SaaSUser.objects.select_related("licence_import"))
    latest: dict[str, int] = {}
    for seat in seats:
        app = seat.app_name.casefold()
        latest[app] = max(latest.get(app, 0), seat.licence_import_id or 0)
    rows, stale = [], 0
    for seat in seats:
        if (seat.licence_import_id or 0) < latest[seat.app_name.casefold()]:
            stale += 1
            continue
        record = seat.licence_import
        as_of = (record.report_date if record else None) or (
            record.started_at.date() if record else None
        )
        rows.append(
            UserRow(
                source=seat.app_name,
                name=seat.email,
                login=seat.email,
                products=[saas_sku(seat.app_name, seat.licence)],
                as_of=as_of,
                last_activity=seat.last_used,
            )
        )
    return rows, stale


def licence_waste(client, days: int = DEFAULT_DAYS) -> LicenceWaste:
    """Every figure of the licences page, in a constant number of queries (see the module)."""
    if days not in THRESHOLDS:
        days = DEFAULT_DAYS
    with scope(client):
        m365, report_date, stale_m365 = _m365_rows()
        saas, stale_saas = _saas_rows()
        prices = {product_key(p.sku): p for p in SkuPrice.objects.all()}
        imports = list(
            LicenceImport.objects.select_related("imported_by").order_by("-started_at")[:5]
        )
    currency = client.currency
    users = m365 + saas
    skus: dict[str, SkuRow] = {}

    def sku(name: str) -> SkuRow:
        key = product_key(name)
        if key not in skus:
            price = prices.get(key)
            skus[key] = SkuRow(name=price.sku if price else name, key=key, price=price)
        return skus[key]

    total = ZERO
    for user in users:
        for product in user.products:
            sku(product).assigned += 1
        if not user.products:
            continue
        if user.deleted:
            user.wasted, user.reason = list(user.products), "deleted user"
            for product in user.products:
                sku(product).on_deleted += 1
        elif user.inactive_for(days):
            user.wasted = list(user.products)
            since = user.days_inactive
            user.reason = "never active" if since is None else f"inactive {since} days"
            for product in user.products:
                sku(product).inactive += 1
        user.overlaps = redundant_products(user.products)
        if not user.wasted and user.overlaps:
            user.wasted = [name for name, _ in user.overlaps]
            user.reason = "overlapping products"
            for product in user.wasted:
                sku(product).overlapping += 1
        for product in user.wasted:
            row = sku(product)
            if row.counted(currency):
                user.monthly_waste += row.price.monthly_price
            else:
                user.unpriced.append(product)
        total += user.monthly_waste
    for price in prices.values():  # priced products nobody holds still show their price
        sku(price.sku)
    return LicenceWaste(
        currency=currency,
        days=days,
        report_date=report_date,
        users=users,
        skus=sorted(skus.values(), key=lambda s: (-s.assigned, s.name.casefold())),
        inactive={n: sum(1 for u in users if u.products and u.inactive_for(n)) for n in THRESHOLDS},
        deleted_with_licence=sum(1 for u in users if u.deleted and u.products),
        overlap_users=sum(1 for u in users if u.overlaps),
        monthly_waste=total,
        stale=stale_m365 + stale_saas,
        imports=imports,
    )


@dataclass
class LicenceCosts:
    currency: str
    monthly: Decimal
    unpriced: list[str]
    other_currency: list[str]

    @property
    def yearly(self) -> Decimal:
        return self.monthly * 12


def licence_costs(client) -> LicenceCosts:
    """The monthly spend on the licences on file, for the forecast (see the module)."""
    waste = licence_waste(client)
    monthly = sum(
        (s.monthly_cost for s in waste.skus if s.counted(waste.currency) and s.assigned), ZERO
    )
    return LicenceCosts(
        currency=waste.currency,
        monthly=monthly,
        unpriced=[s.name for s in waste.skus if s.price is None and s.assigned],
        other_currency=[s.name for s in waste.other_currency if s.assigned],
    )


def skus_in_use(client) -> list[str]:
    """Every product assigned in the current reports, by name, for the prices form."""
    waste = licence_waste(client)
    return [s.name for s in waste.skus if s.assigned]


def save_prices(rows: Iterable[tuple[str, Decimal | None, str]]) -> dict[str, int]:
    """Set, change or clear (price None) products' prices in the active scope.

    Each price is saved on its own, so each change has its audit record. Products are
    matched by product_key: a price entered for "Microsoft 365 Business Premium" applies to
    the report's "MICROSOFT 365 BUSINESS PREMIUM". Returns {"added"|"changed"|"cleared"|
    "unchanged": count}.
    """
    existing = {product_key(p.sku): p for p in SkuPrice.objects.all()}
    done: dict[str, int] = {}
    for sku, monthly_price, currency in rows:
        key = product_key(sku)
        price = existing.get(key)
        if monthly_price is None:
            what = "unchanged" if price is None else "cleared"
            if price is not None:
                price.delete()
                del existing[key]
        elif price is None:
            existing[key] = SkuPrice.objects.create(
                sku=sku.strip(), monthly_price=monthly_price, currency=currency
            )
            what = "added"
        elif price.monthly_price == monthly_price and price.currency == currency:
            what = "unchanged"
        else:
            price.monthly_price, price.currency = monthly_price, currency
            price.save()
            what = "changed"
        done[what] = done.get(what, 0) + 1
    return done
