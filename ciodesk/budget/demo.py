"""The budget demo: two fiscal years of QuickBooks ledger lines per demo client, loaded
through the importer with matching rules (some payees left for the queue), a budget for
the current fiscal year, a Microsoft 365 report with prices, an RMM export with unit
costs, vendor value ratings and forecast settings.

Running the demo twice changes nothing, on the same day or a later one: every file is
generated from an *anchor*, the day the client's budget demo was first loaded, read back
from the ledger import's file name (``quickbooks-transaction-detail-<slug>-to-<date>.csv``);
a re-run regenerates the identical files (fixed seeds), which the importers recognise as
already imported. Rules, prices, costs, ratings, the budget and the settings are created
only when missing. The vendors demo (contracts) runs first; the ledger follows the
contracts on file, roughly: monthly, quarterly or annual bills of their annual value.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from ciodesk.budget.demo_data import (
    ACCOUNT_RULES,
    ACCOUNTS,
    CARD,
    LEDGER_FILE,
    PAYABLES,
    PAYEES,
    SEED,
    SKU_PRICES,
    SPECS,
    VARIABLE,
    Spec,
)
from ciodesk.budget.fiscal import FiscalYear, add_months, fiscal_year_of
from ciodesk.budget.models import (
    Budget,
    Category,
    ForecastSettings,
    LifecyclePolicy,
    MatchRule,
    SkuPrice,
    SpendImport,
    VendorValue,
)
from ciodesk.budget.money import CENT
from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Person
from ciodesk.vendors.models import Contract, Vendor

HEADERS = ["", "Date", "Transaction Type", "Num", "Name", "Memo/Description", "Split", "Amount"]
HEADERS.append("Balance")
MONTHS = 12


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _long_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _in_month(month: datetime.date, day: int) -> datetime.date:
    return month.replace(day=min(day, 28))


def ledger_window(anchor: datetime.date, start_month: int) -> tuple[datetime.date, datetime.date]:
    """From the start of the previous fiscal year to the end of the month before `anchor`."""
    current = fiscal_year_of(anchor, start_month)
    first = FiscalYear(current - 1, start_month).start
    return first, anchor.replace(day=1) - datetime.timedelta(days=1)


class Ledger:
    """Ledger lines by account, written out as QuickBooks writes the report."""

    def __init__(self, first: datetime.date, last: datetime.date, rng: random.Random):
        self.first, self.last, self.rng = first, last, rng
        self.lines: dict[str, list[tuple]] = {}
        self.number = 4100

    def months(self) -> list[datetime.date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = add_months(month, 1)
        return found

    def add(self, account, day, kind, payee, memo, amount: Decimal, split=PAYABLES) -> None:
        if not self.first <= day <= self.last:
            return
        number = ""
        if kind == "Bill":
            self.number += self.rng.randrange(1, 9)
            number = str(self.number)
        row = (day, kind, number, payee, memo, split, amount.quantize(CENT, ROUND_HALF_UP))
        self.lines.setdefault(account, []).append(row)

    def csv(self, company: str, anchor: datetime.date) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        blank = [""] * len(HEADERS)
        writer.writerow([company, *blank[1:]])
        writer.writerow(["Transaction Detail by Account", *blank[1:]])
        writer.writerow([f"{_long_date(self.first)} - {_long_date(self.last)}", *blank[1:]])
        writer.writerow(blank)
        writer.writerow(HEADERS)
        grand = Decimal("0.00")
        for account in sorted(self.lines):
            writer.writerow([account, *blank[1:]])
            balance = Decimal("0.00")
            for day, kind, number, payee, memo, split, amount in sorted(self.lines[account]):
                balance += amount
                writer.writerow(
                    ["", f"{day:%m/%d/%Y}", kind, number, payee, memo, split]
                    + [_money(amount), _money(balance)]
                )
            writer.writerow([f"Total for {account}", *blank[1:-2], f"${_money(balance)}", ""])
            grand += balance
        writer.writerow(["TOTAL", *blank[1:-2], f"${_money(grand)}", ""])
        writer.writerow(blank)
        footer = f"Accrual Basis {anchor:%A}, {_long_date(anchor)} 09:14 AM GMT-08:00"
        writer.writerow([footer, *blank[1:]])
        return out.getvalue().encode("utf-8")


def _payee(vendor: Vendor) -> str:
    return PAYEES.get(vendor.name, vendor.name)


def _contract_lines(ledger: Ledger, contract: Contract, index: int) -> None:
    """Bills of one contract over the window: its annual value by its billing frequency,
    at a price 3 % lower in the months more than a year before the anchor."""
    vendor = contract.vendor
    account = ACCOUNTS.get(vendor.category, ACCOUNTS["other"])
    renews = (contract.end_date + datetime.timedelta(days=1)).month
    day = 1 + (index * 5) % 25
    year_ago = add_months(ledger.last, -11)
    for month in ledger.months():
        value = contract.annual_value
        if month < year_ago:
            value = value / Decimal("1.03")
        billing = contract.billing_frequency
        if billing == Contract.Billing.ANNUAL:
            if month.month != renews:
                continue
            memo, amount, kind, split = f"Annual renewal: {contract.title}", value, "Expense", CARD
        elif billing == Contract.Billing.QUARTERLY:
            if (month.month - renews) % 3:
                continue
            memo, amount, kind, split = f"Quarterly: {contract.title}", value / 4, "Bill", PAYABLES
        elif billing == Contract.Billing.MONTHLY:
            amount, kind, split = value / 12, "Bill", PAYABLES
            memo = f"{month:%B %Y} {contract.title}"
            if vendor.category in VARIABLE:
                amount *= Decimal(ledger.rng.randint(97, 106)) / 100
        else:
            continue
        ledger.add(account, _in_month(month, day), kind, _payee(vendor), memo, amount, split)


def build_ledger(client, spec: Spec, anchor: datetime.date) -> bytes:
    """The QuickBooks "Transaction Detail by Account" export of the demo client."""
    rng = random.Random(SEED + sum(map(ord, client.slug)))
    first, last = ledger_window(anchor, client.fiscal_year_start_month or 1)
    ledger = Ledger(first, last, rng)
    contracts = Contract.objects.select_related("vendor").filter(currency=client.currency)
    msp = None
    for index, contract in enumerate(contracts.order_by("vendor__name", "title")):
        _contract_lines(ledger, contract, index)
        if contract.vendor.category == Vendor.Category.MSP:
            msp = contract.vendor
    if msp is not None:
        for months_ago, memo, amount in spec.project_invoices:
            day = _in_month(add_months(last, -months_ago), 18)
            ledger.add(ACCOUNTS["projects"], day, "Bill", _payee(msp), memo, amount)
    months = ledger.months()
    for extra in spec.extras:
        account = ACCOUNTS["saas"] if extra.category == "security" else ACCOUNTS[extra.kind]
        if extra.months:
            for month in months[-extra.months :]:
                day = _in_month(month, 9)
                ledger.add(account, day, "Expense", extra.name, extra.memo, extra.amount, CARD)
        for _ in range(extra.purchases):
            day = _in_month(rng.choice(months), rng.randint(2, 27))
            amount = extra.amount * rng.randint(1, 3)
            ledger.add(account, day, "Bill", _payee_of(extra.name), extra.memo, amount)
    for other in spec.unmatched:
        if other.monthly:
            for month in months:
                day = _in_month(month, 14)
                ledger.add(other.account, day, "Expense", other.payee, other.memo, other.low, CARD)
            continue
        for _ in range(other.count):
            day = _in_month(rng.choice(months), rng.randint(1, 28))
            cents = rng.randint(int(other.low * 100), int(other.high * 100))
            amount = Decimal(cents) / 100
            ledger.add(other.account, day, "Expense", other.payee, other.memo, amount, CARD)
    # A refund, as ledgers have them: a returned purchase on the card.
    if spec.unmatched:
        other = spec.unmatched[-1]
        day = _in_month(months[-2], 20)
        memo = f"Refund: {other.memo.lower()}"
        ledger.add(other.account, day, "Credit Card Credit", other.payee, memo, -other.low, CARD)
    return ledger.csv(spec.company, anchor)


def _payee_of(name: str) -> str:
    return PAYEES.get(name, name)


# --- the loader steps -----------------------------------------------------------------------


def _save_file(name: str, data: bytes) -> None:
    folder = settings.DATA_DIR / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def _anchor(today: datetime.date) -> datetime.date:
    for name in SpendImport.objects.filter(status="done").values_list("filename", flat=True):
        if match := LEDGER_FILE.match(name):
            return datetime.date.fromisoformat(match[1])
    return today


def _rules(spec: Spec, owner: Person) -> None:
    """Payee rules for the vendors on file, account rules for project work; the payees of
    spec.unmatched have none: they wait in the queue."""
    from ciodesk.budget.services_matching import ensure_categories

    by_slug = {c.slug: c for c in ensure_categories()}
    for pattern, slug, priority in ACCOUNT_RULES:
        MatchRule.objects.get_or_create(
            field="account",
            match_type="contains",
            pattern=pattern,
            defaults={"category": by_slug[slug], "priority": priority, "owner": owner},
        )
    patterns = {extra.name: extra for extra in spec.extras}
    for vendor in Vendor.objects.order_by("name"):
        extra = patterns.get(vendor.name)
        category = by_slug.get(extra.category) if extra and extra.category else None
        MatchRule.objects.get_or_create(
            field="payee",
            match_type="contains",
            pattern=extra.pattern if extra else vendor.name,
            defaults={"vendor": vendor, "category": category, "priority": 100, "owner": owner},
        )


def _extras(spec: Spec, owner: Person) -> None:
    for extra in spec.extras:
        Vendor.objects.get_or_create(
            name=extra.name,
            defaults={"category": extra.kind, "website": extra.website, "owner": owner},
        )


def _ledger(client, spec: Spec, anchor: datetime.date) -> str:
    from ciodesk.budget.importers import AlreadyImported, import_spend

    data = build_ledger(client, spec, anchor)
    filename = f"quickbooks-transaction-detail-{client.slug}-to-{anchor.isoformat()}.csv"
    _save_file(filename, data)
    try:
        record = import_spend(client, data, filename=filename, fmt="qbo")
    except AlreadyImported:
        return "ledger already imported"
    return f"{record.created_count} ledger lines ({record.matched_count} matched by rules)"


def _budget(client, anchor: datetime.date, owner: Person) -> None:
    """This fiscal year's budget: last year's actual per category plus 4 %, in hundreds."""
    from ciodesk.budget.services_budget import actual_by_category, set_annual_amounts

    year = fiscal_year_of(anchor, client.fiscal_year_start_month or 1)
    if Budget.objects.filter(fiscal_year=year).exists():
        return
    spend = {c.pk for c in Category.objects.filter(is_spend=True)}
    amounts = {}
    for category_id, actual in actual_by_category(client, year - 1).items():
        if category_id in spend and actual > 0:
            rounded = (actual * Decimal("1.04") / 100).to_integral_value(ROUND_HALF_UP) * 100
            amounts[category_id] = rounded.quantize(CENT)
    set_annual_amounts(client, year, owner, amounts)


def _licences(client, spec: Spec, anchor: datetime.date, seller: Vendor | None) -> str:
    from ciodesk.budget.data.samples import m365_active_users
    from ciodesk.budget.importers.licences import import_licences
    from ciodesk.budget.services_licences import product_key

    data = m365_active_users(anchor, spec.domain, seed=len(client.slug))
    filename = f"m365-active-users-{client.slug}-{anchor.isoformat()}.csv"
    _save_file(filename, data)
    result = import_licences(client, data, filename, vendor=seller)
    if not result.ok:
        raise RuntimeError(f"Demo licence import failed for {client.slug}: {result.errors[0]}")
    have = {product_key(p.sku) for p in SkuPrice.objects.all()}
    for sku, price in SKU_PRICES:
        if product_key(sku) not in have:
            SkuPrice.objects.create(sku=sku, monthly_price=price, currency=client.currency)
    return "licences already imported" if result.already else f"{result.rows} licensed users"


def _devices(client, spec: Spec, anchor: datetime.date) -> str:
    from ciodesk.budget.data.samples import rmm_devices
    from ciodesk.budget.importers.devices import import_devices

    data = rmm_devices(anchor, client.name, seed=len(client.slug))
    filename = f"ninjaone-devices-{client.slug}-{anchor.isoformat()}.csv"
    _save_file(filename, data)
    result = import_devices(client, data, filename)
    if not result.ok:
        raise RuntimeError(f"Demo device import failed for {client.slug}: {result.errors[0]}")
    for policy in LifecyclePolicy.objects.filter(unit_cost=0):
        cost = spec.unit_costs.get(policy.device_type)
        if cost is not None:
            policy.unit_cost, policy.currency = cost, client.currency
            policy.save()
    return "devices already imported" if result.already else f"{result.rows} devices"


def _ratings(spec: Spec, owner: Person, anchor: datetime.date) -> None:
    vendors = {v.name: v for v in Vendor.objects.all()}
    rated = set(VendorValue.objects.values_list("vendor_id", flat=True))
    for days, (name, rating, comment) in enumerate(spec.ratings):
        vendor = vendors.get(name)
        if vendor is None or vendor.pk in rated:
            continue
        VendorValue.objects.create(
            vendor=vendor,
            rating=rating,
            comment=comment,
            owner=owner,
            rated_on=anchor - datetime.timedelta(days=20 + 7 * days),
        )


@demo.register("budget: ledger, rules, budget, licences, devices, value, forecast", order=40)
def load(context) -> None:
    from ciodesk.vendors.demo_data import SPECS as VENDOR_SPECS

    for slug, spec in SPECS.items():
        client = context.clients.get(slug)
        if client is None:
            continue
        owners = VENDOR_SPECS.get(slug)
        with scope(client):
            people = {p.name: p for p in Person.objects.filter(client=client)}
            fallback = next(iter(people.values()))
            it_owner = people.get(owners.it_owner, fallback) if owners else fallback
            money_owner = people.get(owners.money_owner, fallback) if owners else fallback
            anchor = _anchor(client.today())
            _extras(spec, money_owner)
            _rules(spec, it_owner)
            ledger = _ledger(client, spec, anchor)
            _budget(client, anchor, money_owner)
            seller = next(
                (c.vendor for c in Contract.objects.select_related("vendor") if "365" in c.title),
                None,
            )
            licences = _licences(client, spec, anchor, seller)
            devices = _devices(client, spec, anchor)
            _ratings(spec, it_owner, anchor)
            ForecastSettings.objects.get_or_create(
                defaults={"years": 3, "escalator_pct": spec.escalator}
            )
            context.stdout.write(f"      {client.name}: {ledger}; {licences}; {devices}")
