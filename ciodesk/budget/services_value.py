"""Spend vs value: per vendor, what is spent, what is contracted, how the vendor performs,
how much of what it sells is used, and what the owner thinks it is worth.

Everything on the page is computed in a constant number of queries, however many vendors,
contracts and tickets the client has (the SLA figures of every MSP come from one read of
the period's tickets, judged with the scorecard's own rules).

Definitions (docs/budget-value-forecast.md says the same for readers):

* Annual spend: the classified ledger lines paid to the vendor in the twelve months to
  today (the day a year ago excluded), in the client's currency, refunds subtracted; lines
  classified "not IT spend" and lines in the queue do not count. Twelve months rather than
  the fiscal year so that the figure is a full year whatever the month.
* Contract value: the annual value of the vendor's contracts in force today (started, and
  not expired: an auto-renewing contract stays in force), in the client's currency.
* SLA attainment: for each vendor with an SLA policy on a contract, the share of tickets of
  the last 90 days within the contract's targets, for first response and for resolution,
  judged exactly as the vendor's scorecard judges them (vendors.scorecard.judge); the
  target is the policy's attainment target when it has one, else 90 % (the low end of the
  90–95 % MSPs commonly aim for).
* Licence use: the licences the vendor sells, from the latest Microsoft 365 report (the
  vendor named at its import, else the vendor whose contract names Microsoft 365 or
  Office 365) and the SaaS user lists imported for it; seats in use, seats wasted
  (inactive, on deleted users, overlapping) and the waste in money (services_licences).
* Value rating: the latest rating (1–5) the owner gave, with its comment.

Flags:

* ``unused-licences``: the vendor's licences include wasted seats.
* ``overlap``: two or more vendors of the same kind (vendors.Vendor.category) have spend in
  the same IT category, e.g. two SaaS backup tools both counted under Security. The
  catch-all kinds and categories ("other") are left out: they say nothing about the job.
* ``no-contract``: spend in the last twelve months and no contract in force.
* ``renewal-sla``: an auto-renewing contract whose notice deadline is near (status act now
  or upcoming) while the vendor's SLA attainment (response or resolution) is below target.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ciodesk.budget.models import Category, LedgerLine, LicenceImport, SaaSUser, VendorValue
from ciodesk.budget.money import ZERO, cents_sum, from_cents
from ciodesk.budget.services_licences import LicenceWaste, licence_waste, product_key
from ciodesk.core.scope import scope
from ciodesk.vendors import contracts as dates
from ciodesk.vendors.business_time import epoch_seconds
from ciodesk.vendors.models import Contract, Ticket, Vendor
from ciodesk.vendors.scorecard import (
    BREACHED,
    CODES,
    LATE_UNANSWERED,
    MET,
    Period,
    ScorecardError,
    calendar_of,
    judge,
)

SLA_DAYS = 90
DEFAULT_SLA_TARGET = Decimal("90")
RENEWAL_STATUSES = (dates.ACT_NOW, dates.UPCOMING)
CATCH_ALL_KINDS = frozenset({"other"})
CATCH_ALL_CATEGORIES = frozenset({"other"})
# A contract whose title names Microsoft's suites sells the Microsoft 365 licences.
MICROSOFT_365 = re.compile(r"\b(?:microsoft|office)\s*365\b|\bm365\b|\bo365\b", re.IGNORECASE)
M365 = "m365"

FLAG_LABELS = {
    "unused-licences": "Paying for unused licences",
    "overlap": "Same kind of tool as another vendor",
    "no-contract": "Spend with no contract on file",
    "renewal-sla": "Renewing while below its SLA target",
}


# --- SLA attainment -----------------------------------------------------------------------


@dataclass
class Attainment:
    """One vendor's SLA attainment over the period (percentages to one decimal place)."""

    contract: Contract
    target: Decimal
    tickets: int = 0
    response_met: int = 0
    response_breached: int = 0
    resolution_met: int = 0
    resolution_breached: int = 0
    problem: str = ""

    @property
    def response_pct(self) -> Decimal | None:
        return _pct(self.response_met, self.response_breached)

    @property
    def resolution_pct(self) -> Decimal | None:
        return _pct(self.resolution_met, self.resolution_breached)

    @property
    def lowest(self) -> Decimal | None:
        values = [v for v in (self.response_pct, self.resolution_pct) if v is not None]
        return min(values) if values else None

    @property
    def below_target(self) -> bool:
        lowest = self.lowest
        return lowest is not None and lowest < self.target


def _pct(met: int, breached: int) -> Decimal | None:
    if met + breached == 0:
        return None
    return (Decimal(met * 100) / Decimal(met + breached)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def sla_target(policy) -> Decimal:
    """The policy's attainment target when the model carries one, else 90 %."""
    value = getattr(policy, "target_attainment_pct", None)
    return Decimal(str(value)) if value else DEFAULT_SLA_TARGET


def _policy_contracts(contracts: list[Contract], since, until) -> dict[int, Contract]:
    """Per vendor, the contract whose SLA policy a scorecard of the period uses (the rule
    of vendors.scorecard.sla_policy_for: the one covering the period, else the one
    overlapping it most, then the latest)."""

    def rank(contract: Contract) -> tuple:
        first = contract.start_date or datetime.date.min
        covers = first <= since and contract.end_date >= until
        overlap = (min(contract.end_date, until) - max(first, since)).days
        return (covers, overlap, contract.end_date, contract.pk)

    chosen: dict[int, Contract] = {}
    for contract in contracts:
        if getattr(contract, "_sla", None) is None:
            continue
        current = chosen.get(contract.vendor_id)
        if current is None or rank(contract) > rank(current):
            chosen[contract.vendor_id] = contract
    return chosen


def sla_attainment(
    client, contracts: list[Contract], today: datetime.date, now: datetime.datetime | None = None
) -> dict[int, Attainment]:
    """{vendor id: Attainment} over the SLA_DAYS days to `today`, for every vendor with an
    SLA policy, from one read of the period's tickets (call inside the client's scope;
    `contracts` come with their policy in `_sla` and its holidays prefetched)."""
    since = today - datetime.timedelta(days=SLA_DAYS - 1)
    period = Period.of(client, since, today, now)
    chosen = _policy_contracts(contracts, since, today)
    found: dict[int, Attainment] = {}
    judges = {}
    end_ts = epoch_seconds(period.as_of)
    for vendor_id, contract in chosen.items():
        policy = contract._sla
        result = found[vendor_id] = Attainment(contract, sla_target(policy))
        try:
            calendar = calendar_of(policy)
        except ScorecardError as exc:
            result.problem = str(exc)
            continue
        targets = [policy.targets()[code] for code in CODES]
        judges[vendor_id] = (calendar.cum_seconds, targets, calendar.cum_seconds(end_ts))
    if not judges:
        return found
    rows = (
        Ticket.objects.filter(
            vendor_id__in=list(judges), created_at__gte=period.start, created_at__lt=period.end
        )
        .order_by()
        .values_list(
            "vendor_id",
            "priority",
            "vendor_in_sla",
            "created_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
        )
    )
    for vendor_id, priority, flag, created, responded, resolved, closed in rows.iterator(
        chunk_size=20_000
    ):
        p = CODES.get(priority, 0)
        if p == 0:
            continue  # no targets: the scorecard counts these apart too
        cum, targets, end_cum = judges[vendor_id]
        done = resolved or closed
        verdict = judge(
            p,
            flag,
            epoch_seconds(created),
            None if responded is None else epoch_seconds(responded),
            None if done is None else epoch_seconds(done),
            cum,
            targets,
            end_ts,
            end_cum,
        )
        result = found[vendor_id]
        result.tickets += 1
        for state, name in (
            (verdict.response_state, "response"),
            (verdict.resolution_state, "resolution"),
        ):
            if state == MET:
                setattr(result, f"{name}_met", getattr(result, f"{name}_met") + 1)
            elif state in (BREACHED, LATE_UNANSWERED):
                setattr(result, f"{name}_breached", getattr(result, f"{name}_breached") + 1)
    return found


# --- licence use --------------------------------------------------------------------------


@dataclass
class LicenceUse:
    """The licences one source (Microsoft 365, or a SaaS application) holds, or a vendor's."""

    sources: list[str] = field(default_factory=list)
    seats: int = 0
    wasted_seats: int = 0
    monthly_cost: Decimal = ZERO
    monthly_waste: Decimal = ZERO
    unpriced: set[str] = field(default_factory=set)

    def add(self, other: LicenceUse) -> None:
        self.sources += other.sources
        self.seats += other.seats
        self.wasted_seats += other.wasted_seats
        self.monthly_cost += other.monthly_cost
        self.monthly_waste += other.monthly_waste
        self.unpriced |= other.unpriced

    @property
    def yearly_waste(self) -> Decimal:
        return self.monthly_waste * 12

    @property
    def summary(self) -> str:
        text = f"{self.seats} seat{'s' if self.seats != 1 else ''}"
        if self.wasted_seats:
            text += f", {self.wasted_seats} unused"
        return text


def _source_label(source: str) -> str:
    return "Microsoft 365" if source == M365 else source


def licence_sources(waste: LicenceWaste) -> dict[str, LicenceUse]:
    """{source: LicenceUse} from the licence figures: "m365" and each SaaS application."""
    prices = {s.key: s for s in waste.skus}
    out: dict[str, LicenceUse] = {}
    for user in waste.users:
        if not user.products:
            continue
        use = out.setdefault(user.source, LicenceUse(sources=[_source_label(user.source)]))
        use.seats += 1
        use.wasted_seats += 1 if user.wasted else 0
        use.monthly_waste += user.monthly_waste
        for product in user.products:
            sku = prices.get(product_key(product))
            if sku is not None and sku.counted(waste.currency):
                use.monthly_cost += sku.price.monthly_price
            else:
                use.unpriced.add(product)
    return out


def licence_vendors(contracts: list[Contract]) -> dict[str, int]:
    """{licence source: vendor id}: who sells the Microsoft 365 licences and each SaaS
    application's seats (call inside the client's scope; two queries)."""
    found: dict[str, int] = {}
    latest = (
        LicenceImport.objects.filter(
            kind=LicenceImport.Kind.M365, status="done", vendor__isnull=False
        )
        .order_by("-report_date", "-started_at")
        .values_list("vendor_id", flat=True)
        .first()
    )
    if latest:
        found[M365] = latest
    else:
        named = [c for c in contracts if MICROSOFT_365.search(c.title)]
        if named:
            found[M365] = max(named, key=lambda c: (c.annual_value, -c.pk)).vendor_id
    for app, vendor_id in (
        SaaSUser.objects.filter(vendor__isnull=False)
        .values_list("app_name", "vendor_id")
        .distinct()
        .order_by()
    ):
        found.setdefault(app, vendor_id)
    return found


def licence_use_by_vendor(waste: LicenceWaste, sellers: dict[str, int]) -> dict[int, LicenceUse]:
    uses: dict[int, LicenceUse] = {}
    for source, use in licence_sources(waste).items():
        vendor_id = sellers.get(source)
        if vendor_id is None:
            continue
        uses.setdefault(vendor_id, LicenceUse()).add(use)
    return uses


# --- the page -----------------------------------------------------------------------------


@dataclass
class Flag:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.kind]


@dataclass(eq=False)
class VendorRow:
    vendor: Vendor
    spend: Decimal = ZERO
    spend_by_category: dict[int, Decimal] = field(default_factory=dict)
    contracts: list[dates.Row] = field(default_factory=list)
    in_force: list[dates.Row] = field(default_factory=list)
    contract_value: Decimal = ZERO
    other_currency_contracts: int = 0
    sla: Attainment | None = None
    licences: LicenceUse | None = None
    rating: VendorValue | None = None
    flags: list[Flag] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def next_renewal(self) -> dates.Row | None:
        rows = self.in_force
        return min(rows, key=lambda r: r.facts.renewal_date) if rows else None

    @property
    def spend_vs_contract(self) -> Decimal | None:
        """Spend minus contract value: positive when more is paid than contracted."""
        if not self.contract_value:
            return None
        return self.spend - self.contract_value

    @property
    def flag_kinds(self) -> set[str]:
        return {f.kind for f in self.flags}


@dataclass
class ValueReport:
    currency: str
    today: datetime.date
    since: datetime.date
    rows: list[VendorRow]
    unattributed: Decimal
    categories: dict[int, Category]
    licence_waste: LicenceWaste

    @property
    def flagged(self) -> list[VendorRow]:
        return [r for r in self.rows if r.flags]

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if kind in r.flag_kinds)

    @property
    def total_spend(self) -> Decimal:
        return sum((r.spend for r in self.rows), ZERO)

    @property
    def total_contract_value(self) -> Decimal:
        return sum((r.contract_value for r in self.rows), ZERO)


def in_force(row: dates.Row, today: datetime.date) -> bool:
    """A contract is in force when it has started and has not expired (an auto-renewing
    contract never expires)."""
    started = row.contract.start_date is None or row.contract.start_date <= today
    return started and row.facts.status != dates.EXPIRED


def contracts_with_policies() -> list[Contract]:
    """The active client's contracts, each with its SLA policy in `_sla` (None without one)
    and the policy's holidays prefetched: three queries."""
    from django.db.models import Prefetch

    from ciodesk.vendors.models import SLAPolicy

    contracts = list(Contract.objects.select_related("vendor").order_by("vendor__name", "title"))
    policies = {
        p.contract_id: p
        for p in SLAPolicy.objects.filter(contract__in=[c.pk for c in contracts]).prefetch_related(
            Prefetch("holidays")
        )
    }
    for contract in contracts:
        contract._sla = policies.get(contract.pk)
    return contracts


def spend_since(today: datetime.date) -> datetime.date:
    """The first day of the twelve months to `today`."""
    try:
        return today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return datetime.date(today.year - 1, 3, 1)


def spend_by_vendor(
    currency: str, since: datetime.date, until: datetime.date, counted: set[int]
) -> tuple[dict[int, dict[int, Decimal]], Decimal]:
    """({vendor id: {category id: spend}}, spend with no vendor) over the days, one query."""
    by_vendor: dict[int, dict[int, Decimal]] = defaultdict(dict)
    unattributed = ZERO
    groups = (
        LedgerLine.objects.filter(
            date__gte=since, date__lte=until, currency=currency, category__isnull=False
        )
        .values("vendor_id", "category_id")
        .annotate(cents=cents_sum())
        .order_by()
    )
    for group in groups:
        if group["category_id"] not in counted:
            continue
        amount = from_cents(group["cents"])
        if group["vendor_id"] is None:
            unattributed += amount
        else:
            by_vendor[group["vendor_id"]][group["category_id"]] = amount
    return by_vendor, unattributed


def value_report(client, today: datetime.date | None = None, now=None) -> ValueReport:
    """Everything the spend-vs-value page shows (see the module), in constant queries."""
    today = today or client.today()
    since = spend_since(today)
    currency = client.currency
    with scope(client):
        categories = {c.pk: c for c in Category.objects.all()}
        counted = {pk for pk, c in categories.items() if c.is_spend}
        vendors = list(Vendor.objects.select_related("owner").order_by("name"))
        contracts = contracts_with_policies()
        spend, unattributed = spend_by_vendor(currency, since, today, counted)
        attainment = sla_attainment(client, contracts, today, now)
        sellers = licence_vendors(contracts)
        ratings: dict[int, VendorValue] = {}
        for rating in VendorValue.objects.select_related("owner").order_by("-rated_on", "-pk"):
            ratings.setdefault(rating.vendor_id, rating)
    waste = licence_waste(client)
    uses = licence_use_by_vendor(waste, sellers)
    by_vendor_contracts: dict[int, list[dates.Row]] = defaultdict(list)
    for row in dates.rows(contracts, today):
        by_vendor_contracts[row.contract.vendor_id].append(row)

    rows = []
    for vendor in vendors:
        row = VendorRow(vendor)
        row.spend_by_category = spend.get(vendor.pk, {})
        row.spend = sum(row.spend_by_category.values(), ZERO)
        row.categories = [
            categories[pk].name
            for pk, _ in sorted(row.spend_by_category.items(), key=lambda kv: -kv[1])
        ]
        row.contracts = by_vendor_contracts.get(vendor.pk, [])
        row.in_force = [item for item in row.contracts if in_force(item, today)]
        for item in row.in_force:
            if item.contract.currency == currency:
                row.contract_value += item.contract.annual_value
            else:
                row.other_currency_contracts += 1
        row.sla = attainment.get(vendor.pk)
        row.licences = uses.get(vendor.pk)
        row.rating = ratings.get(vendor.pk)
        rows.append(row)
    _flag(rows, categories, currency)
    rows.sort(key=lambda r: (-r.spend, -r.contract_value, r.vendor.name.casefold()))
    return ValueReport(currency, today, since, rows, unattributed, categories, waste)


def _flag(rows: list[VendorRow], categories: dict[int, Category], currency: str) -> None:
    from ciodesk.core.templatetags.ciodesk import money

    peers: dict[tuple[str, int], list[VendorRow]] = defaultdict(list)
    for row in rows:
        if row.vendor.category in CATCH_ALL_KINDS:
            continue
        for category_id, amount in row.spend_by_category.items():
            if amount > 0 and categories[category_id].slug not in CATCH_ALL_CATEGORIES:
                peers[(row.vendor.category, category_id)].append(row)
    for row in rows:
        use = row.licences
        if use is not None and use.wasted_seats:
            cost = f" ({money(use.monthly_waste, currency)} a month)" if use.monthly_waste else ""
            row.flags.append(
                Flag(
                    "unused-licences",
                    f"{use.wasted_seats} of {use.seats} licensed seats unused{cost}",
                )
            )
        for (_kind, category_id), group in sorted(peers.items(), key=lambda kv: kv[0][1]):
            if len(group) > 1 and any(o is row for o in group):
                others = ", ".join(o.vendor.name for o in group if o is not row)
                row.flags.append(
                    Flag(
                        "overlap",
                        f"{row.vendor.get_category_display()} spend in "
                        f"{categories[category_id].name}, like {others}: do they do the same job?",
                    )
                )
        if row.spend > 0 and not row.in_force:
            row.flags.append(
                Flag("no-contract", f"{money(row.spend, currency)} in 12 months, no contract")
            )
        sla = row.sla
        if sla is not None and sla.below_target:
            for item in row.in_force:
                if item.contract.auto_renew and item.facts.status in RENEWAL_STATUSES:
                    row.flags.append(
                        Flag(
                            "renewal-sla",
                            f"“{item.contract.title}” renews {item.facts.renewal_date:%Y-%m-%d} "
                            f"(notice by {item.facts.notice_deadline:%Y-%m-%d}); SLA attainment "
                            f"{sla.lowest} % against a {sla.target:g} % target",
                        )
                    )
