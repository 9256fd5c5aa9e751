"""Matching rules: payee → vendor, account or memo → category, in priority order."""

from decimal import Decimal
from pathlib import Path

import pytest

from ciodesk.budget.importers import import_spend
from ciodesk.budget.models import Category, LedgerLine, MatchRule
from ciodesk.budget.services_matching import apply_rules, classify_line, ensure_categories
from ciodesk.budget.tests.spend_fixtures import fresh, ledger_total  # noqa: F401
from ciodesk.core.scope import scope
from ciodesk.vendors.models import Vendor

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.usefixtures("fresh")


def rule(world, **fields) -> MatchRule:
    with scope(world.a):
        owner = world.records["a"]["people"]
        return MatchRule.objects.create(owner=owner, **fields)


def category(world, slug: str) -> Category:
    with scope(world.a):
        ensure_categories()
        return Category.objects.get(slug=slug)


def classified(world) -> dict[str, tuple[str | None, str | None]]:
    """payee → (category slug, vendor name) of each line (the last line of each payee)."""
    with scope(world.a):
        return {
            line.payee: (
                line.category.slug if line.category else None,
                line.vendor.name if line.vendor else None,
            )
            for line in LedgerLine.objects.select_related("category", "vendor").order_by("pk")
        }


def test_the_default_categories_are_seeded_once(world):
    with scope(world.a):
        ensure_categories()
        ensure_categories()
        slugs = list(Category.objects.values_list("slug", flat=True))
    assert slugs == [
        "managed-services",
        "saas",
        "hardware",
        "telecom-internet",
        "security",
        "projects-consulting",
        "cyber-insurance",
        "other",
        "not-it",
    ]


def test_rules_classify_lines_at_import(world):
    saas = category(world, "saas")
    telecom = category(world, "telecom-internet")
    msp = world.records["a"]["vendors"]  # an MSP: its lines count as managed services
    rule(world, field="payee", match_type="exact", pattern="coastline managed it", vendor=msp)
    rule(world, field="account", match_type="contains", pattern="software", category=saas)
    rule(world, field="memo", match_type="regex", pattern=r"^business fiber \d+$", category=telecom)
    record = import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    found = classified(world)
    assert found["Coastline Managed IT"] == ("managed-services", msp.name)
    assert found["Microsoft"] == ("saas", None)
    assert found["Comcast Business"] == ("telecom-internet", None)
    assert found["Dell Marketing, L.P."] == (None, None)  # waits in the queue
    assert record.matched_count == 10
    assert ledger_total(world.a, category=saas) == Decimal("1709.91")


def test_the_first_rule_by_priority_wins(world):
    saas = category(world, "saas")
    security = category(world, "security")
    rule(world, field="payee", match_type="contains", pattern="micro", category=saas, priority=50)
    rule(
        world, field="payee", match_type="exact", pattern="Microsoft", category=security, priority=5
    )
    import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    assert classified(world)["Microsoft"][0] == "security"


def test_a_new_rule_reclassifies_but_leaves_hand_classified_lines(world):
    import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    hardware = category(world, "hardware")
    other = category(world, "other")
    with scope(world.a):
        first, second = LedgerLine.objects.filter(payee="Comcast Business").order_by("date")
        classify_line(first, other)
    rule(world, field="payee", match_type="exact", pattern="Comcast Business", category=hardware)
    with scope(world.a):
        changed = apply_rules()
        first.refresh_from_db()
        second.refresh_from_db()
    assert changed == 1
    assert (first.category_id, first.manually_classified) == (other.pk, True)
    assert (second.category_id, second.matched_by is not None) == (hardware.pk, True)


def test_deleting_a_rule_sends_its_lines_back_to_the_queue(world):
    saas = category(world, "saas")
    zoom = rule(world, field="payee", match_type="contains", pattern="zoom", category=saas)
    import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    with scope(world.a):
        assert LedgerLine.objects.filter(category=saas).count() == 2
        zoom.delete()
        apply_rules()
        assert LedgerLine.objects.filter(category=saas).count() == 0
        assert (
            LedgerLine.objects.filter(category__isnull=True, payee__startswith="Zoom").count() == 2
        )


def test_a_vendor_kind_gives_the_category_when_no_rule_does(world):
    with scope(world.a):
        isp = Vendor.objects.create(
            name="Comcast Business", category="isp", owner=world.records["a"]["people"]
        )
    rule(world, field="payee", match_type="exact", pattern="Comcast Business", vendor=isp)
    import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    assert classified(world)["Comcast Business"] == ("telecom-internet", "Comcast Business")
