"""The IT budget: spend from accounting exports, the budget, value, licences, devices, forecast.

Money is a Decimal with its currency. Bulk-imported rows (ledger lines, licence users,
devices) are written with bulk_create, which the audit trail does not see: each bulk write
leaves an import record (SpendImport, LicenceImport, DeviceImport) saying who imported
which file and what it did.
"""

from __future__ import annotations

import calendar
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ciodesk.tenancy.models import CURRENCIES, Person
from ciodesk.tenancy.scoping import ClientOwned

MONEY = {"max_digits": 14, "decimal_places": 2}
MONTHS = [MinValueValidator(1), MaxValueValidator(12)]
UNINDEXED_OPTIONAL = {"null": True, "blank": True, "db_index": False}

# The IT categories every client starts with (slug, name); the client may rename, add,
# reorder. Slugs are stable so that rules and the demo can name them.
DEFAULT_CATEGORIES = [
    ("managed-services", "Managed services"),
    ("saas", "SaaS"),
    ("hardware", "Hardware"),
    ("telecom-internet", "Telecom and internet"),
    ("security", "Security"),
    ("projects-consulting", "Projects and consulting"),
    ("cyber-insurance", "Cyber insurance"),
    ("other", "Other"),
]
# Lines of a general ledger that are not IT spend (bank transfers, payables, payroll) are
# classified here so they leave the queue without counting as spend.
NOT_IT = ("not-it", "Not IT spend (ignored)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportRecord(ClientOwned):
    """What every bulk import records: the file, its fingerprint, who, when, what it did.

    The sha256 is unique per client among successful imports only, so a failed file can be
    fixed and imported again while a done file imported twice is recognised at once.
    """

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(
        default=0, help_text="Rows already present (from this file or an overlapping one)."
    )
    error = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = frozenset({"rows_done", "started_at"})

    class Meta:
        abstract = True
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"


def _one_done_import_per_file(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["client", "sha256"], condition=Q(status="done"), name=name
    )


def header_signature(headers: list[str]) -> str:
    """A fingerprint of a file's header row, to find the column mapping saved for it."""
    joined = "\x1f".join(h.strip().lower() for h in headers)
    return hashlib.sha256(joined.encode()).hexdigest()


# --- Spend ---------------------------------------------------------------------------------


class Category(ClientOwned):
    """An IT spend category of one client (seeded with DEFAULT_CATEGORIES, editable)."""

    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    is_spend = models.BooleanField(
        "counts as IT spend",
        default=True,
        help_text="Off for lines that are not IT spend: they leave the queue, uncounted.",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "spend category"
        verbose_name_plural = "spend categories"
        constraints = [
            models.UniqueConstraint(fields=["client", "slug"], name="budget_category_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class SpendImport(ImportRecord):
    """One import of an accounting export (QuickBooks Online, Xero or a mapped CSV/XLSX)."""

    class Format(models.TextChoices):
        QBO = "qbo", "QuickBooks Online"
        XERO = "xero", "Xero"
        GENERIC = "generic", "Other (columns mapped)"

    source_format = models.CharField(max_length=10, choices=Format.choices)
    matched_count = models.PositiveIntegerField(
        default=0, help_text="New lines a rule classified at import."
    )

    class Meta(ImportRecord.Meta):
        constraints = [_one_done_import_per_file("budget_spend_import_once")]


class SpendColumnMapping(ClientOwned):
    """A saved column mapping for a generic spend file, reused when the headers match."""

    headers_signature = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="{ledger field: column header}")
    date_format = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "headers_signature"], name="budget_mapping_per_header_set"
            )
        ]

    def __str__(self) -> str:
        return "Spend column mapping"


class MatchRule(ClientOwned):
    """Classifies ledger lines: a pattern on the payee, account or memo sets the vendor
    and/or the IT category. Lower priority numbers are tried first; the first rule that
    matches a line wins for each target (vendor, category) it sets."""

    class Field(models.TextChoices):
        PAYEE = "payee", "Payee (name)"
        ACCOUNT = "account", "Account"
        MEMO = "memo", "Memo / description"

    class MatchType(models.TextChoices):
        EXACT = "exact", "Is exactly"
        CONTAINS = "contains", "Contains"
        REGEX = "regex", "Matches the regular expression"

    field = models.CharField(max_length=10, choices=Field.choices, default=Field.PAYEE)
    match_type = models.CharField(
        max_length=10, choices=MatchType.choices, default=MatchType.CONTAINS
    )
    pattern = models.CharField(
        max_length=300, help_text="Compared without regard to upper or lower case."
    )
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="rules"
    )
    priority = models.PositiveIntegerField(
        default=100, help_text="Rules with a lower number are tried first."
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"created_at"})

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = "matching rule"

    def __str__(self) -> str:
        return (
            f"{self.get_field_display()} {self.get_match_type_display().lower()} “{self.pattern}”"
        )

    @property
    def kind(self) -> str:
        """payee → vendor, or account/memo → category (a rule may set both)."""
        if self.vendor_id and self.category_id:
            return "vendor and category"
        return "vendor" if self.vendor_id else "category"


class LedgerLine(ClientOwned):
    """One transaction line of the accounting ledger, positive = spent, negative = refund.

    Written in bulk by the importer. `natural_key` (a hash of the line's own fields plus
    its occurrence number among identical lines of its file) makes re-importing the same
    or an overlapping export add nothing. A null category means unmatched: the line waits
    in the queue.
    """

    date = models.DateField()
    transaction_type = models.CharField(max_length=60, blank=True)
    number = models.CharField(max_length=60, blank=True)
    payee = models.CharField(max_length=255, blank=True)
    memo = models.CharField(max_length=500, blank=True)
    account = models.CharField(max_length=255, blank=True)
    split = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    # No index on the foreign keys below: every page reads lines by date (the index
    # below), and each extra index would slow the bulk import; deleting a category, rule,
    # vendor or import (rare) scans the client's lines instead.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="lines", **UNINDEXED_OPTIONAL
    )
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="+", **UNINDEXED_OPTIONAL
    )
    matched_by = models.ForeignKey(
        MatchRule, on_delete=models.SET_NULL, related_name="lines", **UNINDEXED_OPTIONAL
    )
    manually_classified = models.BooleanField(
        default=False, help_text="Classified by hand: rules re-applied later leave it alone."
    )
    spend_import = models.ForeignKey(
        SpendImport, on_delete=models.PROTECT, related_name="lines", **UNINDEXED_OPTIONAL
    )
    natural_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "natural_key"], name="budget_line_once"),
        ]
        indexes = [
            # Covering: the budget page sums a year by category, vendor and month from
            # this index alone, without visiting the table's rows.
            models.Index(
                fields=["client", "date", "category", "vendor", "currency", "amount"],
                name="budget_line_date",
            ),
            models.Index(
                fields=["client", "date"],
                condition=Q(category__isnull=True),
                name="budget_line_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.payee} {self.amount}"[:120]


# --- Budget --------------------------------------------------------------------------------


class Budget(ClientOwned):
    """The IT budget of one fiscal year.

    A fiscal year is named by the calendar year in which it ends: with a fiscal year
    starting in July, FY2027 runs from July 2026 to June 2027 (a January start makes the
    fiscal year the calendar year).
    """

    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The calendar year in which the fiscal year ends.",
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["client", "fiscal_year"], name="budget_per_year"),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} IT budget"


class BudgetLine(ClientOwned):
    """An amount budgeted for a category (and optionally a vendor).

    With no month, the amount is for the whole fiscal year, spread evenly over its twelve
    months (the cents left over go to the last month, so the months add up to the amount).
    With a month (1 = January … 12 = December, a calendar month inside the fiscal year), the
    amount is for that month only. Several lines for the same category add up.
    """

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=MONTHS, help_text="Empty: the whole year, spread evenly."
    )
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["category__order", "month", "pk"]
        verbose_name = "budget line"

    def __str__(self) -> str:
        return f"{self.category} {self.amount}"


class VarianceNote(ClientOwned):
    """Why actual spend differs from the budget, for a month (or the year) and a category
    (or the whole budget)."""

    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=MONTHS, help_text="Empty: the whole fiscal year."
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explanation = models.TextField()
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    audit_exclude = frozenset({"written_at"})

    class Meta:
        ordering = ["-fiscal_year", "month", "pk"]
        verbose_name = "variance explanation"

    def __str__(self) -> str:
        return self.explanation[:80]

    @property
    def month_name(self) -> str:
        return calendar.month_name[self.month] if self.month else "the whole year"


# --- Spend vs value ------------------------------------------------------------------------


class VendorValue(ClientOwned):
    """The owner's rating of the value a vendor delivers, 1 (poor) to 5 (excellent)."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    rated_on = models.DateField()

    class Meta:
        ordering = ["-rated_on", "-pk"]
        verbose_name = "vendor value rating"

    def __str__(self) -> str:
        return f"{self.vendor}: {self.rating}/5"


# --- Licences ------------------------------------------------------------------------------


class LicenceImport(ImportRecord):
    """One import of a Microsoft 365 "Active users" report or a SaaS user list."""

    class Kind(models.TextChoices):
        M365 = "m365", "Microsoft 365 active users"
        SAAS = "saas", "SaaS user list"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.M365)
    report_date = models.DateField(
        null=True, blank=True, help_text="The report's refresh date, when it has one."
    )
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(ImportRecord.Meta):
        constraints = [_one_done_import_per_file("budget_licence_import_once")]


class LicenceUser(ClientOwned):
    """A user of the Microsoft 365 "Active users" report (one row per user principal name;
    a later report updates the row)."""

    upn = models.CharField("user principal name", max_length=255)
    display_name = models.CharField(max_length=255, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_date = models.DateField(null=True, blank=True)
    has_exchange = models.BooleanField(default=False)
    has_onedrive = models.BooleanField(default=False)
    has_sharepoint = models.BooleanField(default=False)
    has_skype = models.BooleanField(default=False)
    has_yammer = models.BooleanField(default=False)
    has_teams = models.BooleanField(default=False)
    exchange_last_activity = models.DateField(null=True, blank=True)
    onedrive_last_activity = models.DateField(null=True, blank=True)
    sharepoint_last_activity = models.DateField(null=True, blank=True)
    skype_last_activity = models.DateField(null=True, blank=True)
    yammer_last_activity = models.DateField(null=True, blank=True)
    teams_last_activity = models.DateField(null=True, blank=True)
    assigned_products = models.JSONField(default=list, blank=True)
    last_activity = models.DateField(
        null=True, blank=True, help_text="The latest of the per-service activity dates."
    )
    licensed_since = models.DateField(
        null=True,
        blank=True,
        help_text="The earliest licence assign date: a new starter is not called inactive.",
    )
    report_date = models.DateField(null=True, blank=True)
    licence_import = models.ForeignKey(
        LicenceImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["display_name", "upn"]
        verbose_name = "licensed user"
        constraints = [
            models.UniqueConstraint(fields=["client", "upn"], name="budget_licence_user_once"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.upn


class SkuPrice(ClientOwned):
    """The monthly price of a licence (a Microsoft product name as the report writes it in
    Assigned Products, or a SaaS licence name)."""

    sku = models.CharField("product", max_length=200)
    monthly_price = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")

    class Meta:
        ordering = ["sku"]
        verbose_name = "licence price"
        constraints = [
            models.UniqueConstraint(fields=["client", "sku"], name="budget_sku_price_once"),
        ]

    def __str__(self) -> str:
        return self.sku


class SaaSUser(ClientOwned):
    """A user of a SaaS application, from a generic user list (email, licence, last used)."""

    app_name = models.CharField("application", max_length=200)
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.CharField(max_length=255)
    licence = models.CharField(max_length=200, blank=True)
    last_used = models.DateField(null=True, blank=True)
    licence_import = models.ForeignKey(
        LicenceImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["app_name", "email"]
        verbose_name = "SaaS user"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "app_name", "email", "licence"], name="budget_saas_user_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app_name}: {self.email}"


# --- Hardware lifecycle --------------------------------------------------------------------


class DeviceImport(ImportRecord):
    """One import of an RMM device export (NinjaOne, Datto RMM, N-able or mapped)."""

    source_format = models.CharField(max_length=20)

    class Meta(ImportRecord.Meta):
        constraints = [_one_done_import_per_file("budget_device_import_once")]


class Device(ClientOwned):
    """A device from the RMM export; `natural_key` is its serial number, or its name when
    the serial is missing, so a later export updates it."""

    name = models.CharField(max_length=255)
    device_type = models.CharField("type", max_length=60, blank=True)
    manufacturer = models.CharField(max_length=120, blank=True)
    model = models.CharField(max_length=200, blank=True)
    serial = models.CharField("serial number", max_length=120, blank=True)
    os = models.CharField("operating system", max_length=200, blank=True)
    purchase_date = models.DateField("purchase or ship date", null=True, blank=True)
    warranty_end = models.DateField(null=True, blank=True)
    assigned_user = models.CharField("user", max_length=200, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    natural_key = models.CharField(max_length=255)
    device_import = models.ForeignKey(
        DeviceImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "natural_key"], name="budget_device_once"),
        ]

    def __str__(self) -> str:
        return self.name


class LifecyclePolicy(ClientOwned):
    """When a type of device is replaced and what a replacement costs, with the source of
    the default (a benchmark's source and year) so the figure can be judged."""

    device_type = models.CharField(max_length=60)
    replacement_years = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("20"))],
    )
    unit_cost = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    source = models.CharField(max_length=500, blank=True)
    source_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["device_type"]
        verbose_name = "lifecycle policy"
        verbose_name_plural = "lifecycle policies"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "device_type"], name="budget_lifecycle_per_type"
            ),
        ]

    def __str__(self) -> str:
        return self.device_type


# --- Forecast ------------------------------------------------------------------------------


class ForecastSettings(ClientOwned):
    """How far the forecast looks ahead and the yearly price escalator (one per client)."""

    years = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    escalator_pct = models.DecimalField(
        "yearly escalator (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = "forecast settings"
        verbose_name_plural = "forecast settings"
        constraints = [
            models.UniqueConstraint(fields=["client"], name="budget_forecast_settings_once"),
        ]

    def __str__(self) -> str:
        return f"Forecast over {self.years} years, {self.escalator_pct}% a year"
