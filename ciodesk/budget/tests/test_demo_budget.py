"""The budget demo: two fiscal years of QuickBooks ledger per demo client, loaded through the
importer, with a queue, a budget, licences, devices, ratings; loading it twice changes
nothing.

The vendors demo's year of tickets per MSP is skipped here (its own test loads them): the
budget demo needs the vendors and contracts, not the tickets. Passwords are hashed with a
fast hasher, and the tests of the data run only the loaders the budget demo builds on.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from ciodesk.audit.models import ChangeRecord
from ciodesk.budget import models as b
from ciodesk.budget.fiscal import FiscalYear, fiscal_year_of
from ciodesk.budget.money import cents_sum, from_cents
from ciodesk.budget.services_forecast import forecast
from ciodesk.budget.services_licences import licence_waste
from ciodesk.budget.services_lifecycle import lifecycle_overview
from ciodesk.budget.services_value import value_report
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.models import Contract, Vendor

SLUGS = ("harbor-cpa", "pacific-fab", "bright-smile")


@pytest.fixture
def demo_dir(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(
        "ciodesk.vendors.demo.load_tickets", lambda *args, **kwargs: "tickets skipped"
    )
    return tmp_path / "demo"


@pytest.fixture
def loaded(db, demo_dir):
    """The tenancy, vendors and budget loaders, run as `ciodesk demo` runs them."""
    from ciodesk.budget import demo as budget_demo
    from ciodesk.core.management.commands.demo import DemoContext
    from ciodesk.core.scope import acting_as
    from ciodesk.tenancy import demo as tenancy_demo
    from ciodesk.vendors import demo as vendors_demo

    context = DemoContext("demo-pass-2026", io.StringIO(), None)
    context.explicit_password = True
    with acting_as("ciodesk demo"), transaction.atomic():
        for loader in (tenancy_demo.load, vendors_demo.load, budget_demo.load):
            loader(context)
    return demo_dir


def counts() -> dict[str, int]:
    models = (
        b.Category,
        b.MatchRule,
        b.SpendImport,
        b.LedgerLine,
        b.Budget,
        b.BudgetLine,
        b.VendorValue,
        b.LicenceImport,
        b.LicenceUser,
        b.SkuPrice,
        b.DeviceImport,
        b.Device,
        b.LifecyclePolicy,
        b.ForecastSettings,
        Vendor,
        ChangeRecord,
    )
    return {model.__name__: model.unscoped.count() for model in models}


def test_loading_twice_changes_nothing(db, demo_dir, capsys):
    call_command("demo", password="demo-pass-2026")
    first = counts()
    out = capsys.readouterr().out
    assert "ledger lines" in out
    assert first["LedgerLine"] > 300 and first["Budget"] == 3 and first["ForecastSettings"] == 3
    call_command("demo", password="demo-pass-2026")
    assert counts() == first
    out = capsys.readouterr().out
    assert out.count("ledger already imported") == 3
    assert out.count("licences already imported") == 3


def test_each_client_has_two_fiscal_years_of_ledger_and_a_queue(loaded):
    demo_dir = loaded
    for slug in SLUGS:
        client = Client.objects.get(slug=slug)
        today = client.today()
        start_month = client.fiscal_year_start_month
        current = fiscal_year_of(today, start_month)
        with scope(client):
            record = b.SpendImport.objects.get()
            assert record.source_format == "qbo" and record.status == "done"
            assert record.filename == f"quickbooks-transaction-detail-{slug}-to-{today}.csv"
            text = (demo_dir / record.filename).read_text()
            assert text.splitlines()[1].startswith("Transaction Detail by Account")
            assert "Total for 6100 IT Managed Services" in text
            assert "Accrual Basis" in text.splitlines()[-1]
            lines = b.LedgerLine.objects.all()
            first_day = min(lines.values_list("date", flat=True))
            assert first_day.replace(day=1) == FiscalYear(current - 1, start_month).start
            assert max(lines.values_list("date", flat=True)) < today.replace(day=1)
            queue = lines.filter(category__isnull=True)
            assert 10 <= queue.count() < lines.count() / 3, slug
            assert lines.filter(amount__lt=0).exists()  # a refund
            # The MSP's bills of the last twelve months match its contract, roughly.
            msp = Contract.objects.get(vendor__category="msp")
            year_ago = today - datetime.timedelta(days=365)
            paid = from_cents(
                lines.filter(
                    vendor=msp.vendor, date__gt=year_ago, category__slug="managed-services"
                ).aggregate(c=cents_sum())["c"]
            )
            assert abs(paid - msp.annual_value) <= msp.annual_value / 10, (slug, paid)
            budget = b.Budget.objects.get()
            assert budget.fiscal_year == current
            assert budget.lines.count() >= 4
            assert b.ForecastSettings.objects.get().years == 3


def test_licences_devices_ratings_and_the_pages_figures(loaded):
    harbor = Client.objects.get(slug="harbor-cpa")
    waste = licence_waste(harbor, 30)
    assert waste.deleted_with_licence == 2 and waste.inactive[30] >= 2
    assert waste.monthly_waste > 0
    overview = lifecycle_overview(harbor)
    assert any("Windows 10" in p.device.os for p in overview.os_past)
    assert overview.overdue and not overview.unpriced_types

    report = value_report(harbor)
    rows = {r.vendor.name: r for r in report.rows}
    assert "unused-licences" in rows["CloudPath Licensing"].flag_kinds
    assert {"overlap", "no-contract"} <= rows["Backupify"].flag_kinds
    assert "overlap" in rows["Spanning Backup"].flag_kinds
    assert rows["Coastline Managed IT"].rating.rating == 3
    assert rows["Coastline Managed IT"].spend > Decimal("60000")

    pacific = Client.objects.get(slug="pacific-fab")
    dell = next(r for r in value_report(pacific).rows if r.vendor.name == "Dell Technologies")
    assert "no-contract" in dell.flag_kinds and dell.spend > 0

    f = forecast(harbor)
    first = f.by_year[0]
    assert first.amounts["contracts"] > 0 and first.amounts["licences"] > 0
    assert f.total == sum((y.total for y in f.by_year), Decimal("0.00"))
    assert first.amounts["lifecycle"] > 0  # the overdue machines, replaced now
