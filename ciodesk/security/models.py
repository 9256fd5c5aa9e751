"""The security program: controls with dated evidence, coverage from exports, risks,
insurance, questionnaires, incident response and reference frameworks (OSCAL).

Reference data (frameworks and the practice's control catalogue) is practice-wide; a
client's state (control status, evidence, coverage, risks …) is client-owned and scoped.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ciodesk.tenancy.models import CURRENCIES, Person
from ciodesk.tenancy.scoping import ClientOwned

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def evidence_path(instance, filename: str) -> str:
    """Files are stored per client and served only through a membership-checked view."""
    return f"clients/{instance.client_id}/security/{secrets.token_hex(8)}-{filename}"


# --- reference frameworks (practice-wide) ----------------------------------------------------


class Framework(models.Model):
    """A reference framework: built in (CPG 2.0, CIS IG1 IDs, Essential Eight) or imported
    from an OSCAL catalog with its official text (CSF 2.0, SP 800-53)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the text comes from")
    licence = models.CharField(max_length=300, blank=True)
    oscal_uuid = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class FrameworkItem(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(max_length=50, help_text="As the framework labels it: PR.AA-03")
    kind = models.CharField(max_length=30, help_text="function, category, subcategory, control …")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True, help_text="The official statement, when imported")
    withdrawn = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "item_id"], name="framework_item_id")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.title}".strip()


class ControlDefinition(models.Model):
    """A control in the practice's catalogue; "ciodesk essentials" is built in (key set).

    Mappings are lists of framework IDs: csf (CSF 2.0 subcategories), cpg (CPG 2.0 goals),
    cis (CIS Controls v8.1 IG1 safeguards), e8 (Essential Eight strategy names).
    """

    key = models.SlugField(max_length=80, unique=True)
    baseline = models.CharField(max_length=80, default="ciodesk-essentials")
    title = models.CharField(max_length=200)
    area = models.CharField(max_length=80, blank=True)
    why = models.TextField(blank=True, help_text="Why it matters, in plain words")
    in_place_means = models.TextField(blank=True)
    evidence_expected = models.TextField(blank=True)
    interval_days = models.PositiveIntegerField(
        default=365, validators=[MinValueValidator(1)], help_text="Re-verify at least this often"
    )
    csf = models.JSONField(default=list, blank=True)
    cpg = models.JSONField(default=list, blank=True)
    cis = models.JSONField(default=list, blank=True)
    e8 = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


# --- a client's controls and evidence --------------------------------------------------------


class ClientControl(ClientOwned):
    class Status(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Not assessed"
        NOT_IN_PLACE = "not_in_place", "Not in place"
        PARTIAL = "partial", "Partial"
        IN_PLACE = "in_place", "In place"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    definition = models.ForeignKey(ControlDefinition, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_ASSESSED)
    not_applicable_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="Kept equal to the newest evidence's verified date"
    )

    class Meta:
        ordering = ["definition__order", "definition__title"]
        constraints = [
            models.UniqueConstraint(fields=["client", "definition"], name="one_control_per_client")
        ]

    def __str__(self) -> str:
        return self.definition.title


class Evidence(ClientOwned):
    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"
        NOTE = "note", "Note"
        COVERAGE = "coverage", "Coverage import"
        ASSESSMENT = "assessment", "Assessment"

    control = models.ForeignKey(ClientControl, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    url = models.URLField(blank=True, max_length=500)
    note = models.TextField(blank=True)
    verified_on = models.DateField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="e.g. the import it came from")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-verified_on", "-pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


# --- coverage from exports ---------------------------------------------------------------------


class CoverageImport(ClientOwned):
    class Kind(models.TextChoices):
        MFA = "mfa", "MFA registration (Entra / Microsoft 365)"
        RMM = "rmm", "RMM device list"
        EDR = "edr", "EDR agent list"
        BACKUP = "backup", "Backup job report"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    source_format = models.CharField(max_length=50, blank=True)
    as_of = models.DateTimeField(help_text="When the export was taken (or imported)")
    rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True, help_text="Computed figures, kept")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "sha256"], name="coverage_import_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"


class MfaAccount(ClientOwned):
    coverage_import = models.ForeignKey(
        CoverageImport, on_delete=models.CASCADE, related_name="mfa_accounts"
    )
    user_principal_name = models.CharField(max_length=320)
    display_name = models.CharField(max_length=200, blank=True)
    user_type = models.CharField(max_length=30, blank=True)
    is_admin = models.BooleanField(null=True)
    is_mfa_registered = models.BooleanField()
    is_mfa_capable = models.BooleanField(null=True)
    methods = models.CharField(max_length=300, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_principal_name"]

    def __str__(self) -> str:
        return self.user_principal_name


class DeviceRecord(ClientOwned):
    """A device as an RMM or an EDR console lists it; matched on its normalised name."""

    coverage_import = models.ForeignKey(
        CoverageImport, on_delete=models.CASCADE, related_name="devices"
    )
    name = models.CharField(max_length=255)
    match_key = models.CharField(max_length=255, db_index=True)
    serial = models.CharField(max_length=100, blank=True)
    device_type = models.CharField(max_length=100, blank=True)
    os = models.CharField(max_length=200, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BackupRun(ClientOwned):
    class Result(models.TextChoices):
        SUCCESS = "success", "Success"
        WARNING = "warning", "Warning"
        FAILED = "failed", "Failed"
        OTHER = "other", "Other"

    coverage_import = models.ForeignKey(
        CoverageImport, on_delete=models.CASCADE, related_name="backup_runs"
    )
    system = models.CharField(max_length=255, help_text="The protected machine or workload")
    job = models.CharField(max_length=255, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices)
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["system", "-finished_at"]

    def __str__(self) -> str:
        return f"{self.system} {self.finished_at:%Y-%m-%d %H:%M}"


class CoverageMapping(ClientOwned):
    """Column mapping saved for a generic export, by the signature of its headers."""

    kind = models.CharField(max_length=10, choices=CoverageImport.Kind.choices)
    headers_signature = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "headers_signature"], name="coverage_mapping_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} mapping"


# --- risks ---------------------------------------------------------------------------------------


class Risk(ClientOwned):
    class Treatment(models.TextChoices):
        MITIGATE = "mitigate", "Mitigate"
        ACCEPT = "accept", "Accept"
        TRANSFER = "transfer", "Transfer"
        AVOID = "avoid", "Avoid"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="In plain words")
    category = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    likelihood = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    treatment = models.CharField(
        max_length=10, choices=Treatment.choices, default=Treatment.MITIGATE
    )
    planned_actions = models.TextField(blank=True)
    cost_estimate = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00"), blank=True
    )
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    controls = models.ManyToManyField(ClientControl, blank=True, related_name="risks")
    residual_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ONE_TO_FIVE
    )
    residual_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ONE_TO_FIVE
    )
    next_review_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_on = models.DateField(default=datetime.date.today)

    class Meta:
        ordering = ["-likelihood", "-impact", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RiskAcceptance(ClientOwned):
    """A client executive's decision to accept a risk: who, when, why."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="acceptances")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    review_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"Accepted: {self.risk}"


# --- cyber insurance ---------------------------------------------------------------------------


class InsurancePolicy(ClientOwned):
    carrier = models.CharField(max_length=200)
    broker = models.CharField(max_length=200, blank=True)
    policy_number = models.CharField(max_length=100, blank=True)
    renewal_date = models.DateField()
    coverage_limit = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    retention = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    premium = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    claims_hotline = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["renewal_date"]
        verbose_name_plural = "insurance policies"

    def __str__(self) -> str:
        return f"{self.carrier} {self.policy_number}".strip()


class InsuranceAnswerNote(ClientOwned):
    """The CIO's comment on one readiness question (the answer itself is computed)."""

    question = models.CharField(max_length=20)
    note = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "question"], name="one_note_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: note"


# --- customer questionnaires -------------------------------------------------------------------


def questionnaire_path(instance, filename: str) -> str:
    return f"clients/{instance.client_id}/questionnaires/{secrets.token_hex(8)}-{filename}"


class Questionnaire(ClientOwned):
    class Status(models.TextChoices):
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "All answers approved"
        SENT = "sent", "Sent"

    title = models.CharField(max_length=200)
    requested_by = models.CharField(max_length=200, blank=True, help_text="The customer")
    due_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    original = models.FileField(upload_to=questionnaire_path, max_length=300)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    sheet = models.CharField(max_length=100)
    question_column = models.CharField(max_length=5)
    answer_column = models.CharField(max_length=5)
    first_row = models.PositiveIntegerField(default=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_REVIEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireItem(ClientOwned):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        NO_SUGGESTION = "none", "No suggestion"
        APPROVED = "approved", "Approved"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    row = models.PositiveIntegerField()
    question = models.TextField()
    suggested_answer = models.TextField(blank=True)
    suggestion_source = models.CharField(max_length=300, blank=True)
    caution = models.BooleanField(
        default=False,
        help_text="The suggestion rests on a control that is not in place (stale, partial, "
        "missing): review it one by one",
    )
    answer = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "row"]

    def __str__(self) -> str:
        return f"Row {self.row}: {self.question[:60]}"


class AnswerLibraryEntry(ClientOwned):
    question = models.TextField()
    answer = models.TextField()
    control = models.ForeignKey(
        ClientControl, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(default=datetime.date.today)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["question"]
        verbose_name_plural = "answer library entries"

    def __str__(self) -> str:
        return self.question[:80]


# --- incident response -------------------------------------------------------------------------


class IRPlan(ClientOwned):
    first_hour_steps = models.TextField(blank=True, help_text="Markdown, numbered steps")
    communication_templates = models.TextField(blank=True, help_text="Markdown")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "incident response plan"
        constraints = [models.UniqueConstraint(fields=["client"], name="one_ir_plan_per_client")]

    def __str__(self) -> str:
        return "Incident response plan"


class IRContact(ClientOwned):
    class Role(models.TextChoices):
        INSURER = "insurer", "Insurer hotline"
        MSP = "msp", "MSP"
        LEGAL = "legal", "Legal counsel"
        EXECUTIVE = "executive", "Executive"
        FORENSICS = "forensics", "Incident response firm"
        LAW_ENFORCEMENT = "police", "Law enforcement"
        OTHER = "other", "Other"

    plan = models.ForeignKey(IRPlan, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    when_to_call = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class Tabletop(ClientOwned):
    held_on = models.DateField()
    scenario = models.CharField(max_length=300)
    participants = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "tabletop exercise"

    def __str__(self) -> str:
        return f"{self.held_on}: {self.scenario}"


class TabletopAction(ClientOwned):
    tabletop = models.ForeignKey(Tabletop, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["done", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Incident(ClientOwned):
    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONTAINED = "contained", "Contained"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    detected_at = models.DateTimeField()
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    insurer_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return self.title


class IncidentEvent(ClientOwned):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    entry = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.entry[:60]}"
