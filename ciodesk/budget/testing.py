"""One of each budget record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from ciodesk.core.scope import scope


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_budget_records(client, person, text: str = "") -> dict:
    """One of each budget record for `client`, every text field carrying `text`.

    Keys are free-form; every model whose pk appears in a URL needs one object here.
    """
    from ciodesk.budget import models as b
    from ciodesk.vendors.models import Vendor

    day = datetime.date(2026, 10, 5)
    with scope(client):
        vendor = Vendor.objects.get(name="Coastline Managed IT" + text)
        # Callable more than once for one client (the query-count tests add records):
        # what is unique per client is made unique by `text`, or fetched again.
        category, _ = b.Category.objects.get_or_create(
            slug="managed-services", defaults={"name": "Managed services" + text, "order": 1}
        )
        spend_import = b.SpendImport.objects.create(
            filename="ledger" + text + ".csv",
            sha256=_sha("spend" + text),
            source_format="qbo",
            status="done",
            rows_total=1,
            rows_done=1,
            created_count=1,
            error="" + text,
        )
        mapping = b.SpendColumnMapping.objects.create(
            headers_signature="sig" + text,
            headers=["Payee" + text],
            mapping={"payee": "Payee" + text},
            date_format="%m/%d/%Y" + text,
        )
        rule = b.MatchRule.objects.create(
            field="payee",
            match_type="contains",
            pattern="coastline" + text,
            vendor=vendor,
            category=category,
            priority=10,
            owner=person,
        )
        line = b.LedgerLine.objects.create(
            date=day,
            transaction_type="Expense" + text,
            number="1042" + text,
            payee="Coastline Managed IT" + text,
            memo="October managed services" + text,
            account="6100 IT Services" + text,
            split="1000 Checking" + text,
            amount=Decimal("4500.00"),
            category=category,
            vendor=vendor,
            matched_by=rule,
            spend_import=spend_import,
            natural_key="k" + text,
        )
        budget, _ = b.Budget.objects.get_or_create(
            fiscal_year=2026, defaults={"owner": person, "notes": "Plan" + text}
        )
        budget_line = b.BudgetLine.objects.create(
            budget=budget,
            category=category,
            vendor=vendor,
            amount=Decimal("54000.00"),
            notes="MSP contract" + text,
        )
        variance = b.VarianceNote.objects.create(
            fiscal_year=2026,
            month=10,
            category=category,
            explanation="Project work billed early" + text,
            author=person,
        )
        value = b.VendorValue.objects.create(
            vendor=vendor, rating=3, comment="Fair value" + text, owner=person, rated_on=day
        )
        licence_import = b.LicenceImport.objects.create(
            filename="activeusers" + text + ".csv",
            sha256=_sha("licences" + text),
            status="done",
            kind="m365",
            report_date=day,
            error="" + text,
        )
        licence_user = b.LicenceUser.objects.create(
            upn=f"pat{text.strip().lower()}@example.com",
            display_name="Pat Owner" + text,
            has_exchange=True,
            exchange_last_activity=day,
            assigned_products=["MICROSOFT 365 BUSINESS STANDARD" + text],
            last_activity=day,
            report_date=day,
            licence_import=licence_import,
        )
        sku_price = b.SkuPrice.objects.create(
            sku="MICROSOFT 365 BUSINESS STANDARD" + text, monthly_price=Decimal("12.50")
        )
        saas_user = b.SaaSUser.objects.create(
            app_name="Zoom" + text,
            vendor=vendor,
            email=f"pat{text.strip().lower()}@example.com",
            licence="Pro" + text,
            last_used=day,
            licence_import=licence_import,
        )
        device_import = b.DeviceImport.objects.create(
            filename="devices" + text + ".csv",
            sha256=_sha("devices" + text),
            source_format="ninjaone",
            status="done",
            error="" + text,
        )
        device = b.Device.objects.create(
            name="FRONT-DESK-01" + text,
            device_type="Workstation" + text,
            manufacturer="Dell" + text,
            model="OptiPlex 7070" + text,
            serial="SN123" + text,
            os="Windows 10 Pro" + text,
            purchase_date=datetime.date(2019, 6, 1),
            warranty_end=datetime.date(2022, 6, 1),
            assigned_user="Pat" + text,
            last_seen=timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 0)),
            natural_key="SN123" + text,
            device_import=device_import,
        )
        policy = b.LifecyclePolicy.objects.create(
            device_type="Workstation" + text,
            replacement_years=Decimal("5"),
            unit_cost=Decimal("1200.00"),
            source="Benchmark" + text,
            source_year=2024,
        )
        forecast, _ = b.ForecastSettings.objects.get_or_create(
            defaults={"years": 3, "escalator_pct": Decimal("3.00")}
        )
    return {
        "budget_categories": category,
        "spend_imports": spend_import,
        "spend_column_mappings": mapping,
        "match_rules": rule,
        "ledger_lines": line,
        "budgets": budget,
        "budget_lines": budget_line,
        "variance_notes": variance,
        "vendor_values": value,
        "licence_imports": licence_import,
        "licence_users": licence_user,
        "sku_prices": sku_price,
        "saas_users": saas_user,
        "device_imports": device_import,
        "devices": device,
        "lifecycle_policies": policy,
        "forecast_settings": forecast,
    }
