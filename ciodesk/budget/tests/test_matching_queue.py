"""The queue of unmatched lines, and classifying a line into a rule from the web."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from ciodesk.budget.importers import import_spend
from ciodesk.budget.models import Category, LedgerLine, MatchRule
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401
from ciodesk.core.scope import scope

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.usefixtures("fresh")


@pytest.fixture
def imported(world):
    import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    with scope(world.a):
        ensure_categories()
    return world


def test_the_queue_groups_unmatched_lines_by_payee(imported, as_user):
    body = as_user(imported.exec_a).get("/c/alpha/budget/queue/").content.decode()
    assert "11 lines no rule classifies" in body
    # Coastline: three lines, the largest group first.
    assert body.index("Coastline Managed IT") < body.index("Dell Marketing, L.P.")
    assert "$10,237.50" in body


def test_classifying_a_line_offers_a_rule_that_classifies_the_others(imported, as_user):
    client = as_user(imported.consultant)
    with scope(imported.a):
        first, *others = LedgerLine.objects.filter(payee="Microsoft").order_by("date", "pk")
        saas = Category.objects.get(slug="saas")
    response = client.post(
        f"/c/alpha/budget/spend/{first.pk}/classify/",
        {"category": saas.pk, "vendor": "", "offer_rule": "on"},
    )
    assert response.status_code == 302
    offer = urlparse(response["Location"])
    assert offer.path == "/c/alpha/budget/rules/new/"
    prefill = {k: v[0] for k, v in parse_qs(offer.query).items()}
    assert prefill["pattern"] == "Microsoft"
    assert prefill["field"] == "payee"
    assert prefill["match_type"] == "exact"
    assert prefill["category"] == str(saas.pk)

    form = client.get(response["Location"]).content.decode()
    assert 'value="Microsoft"' in form

    prefill["priority"] = "100"
    saved = client.post("/c/alpha/budget/rules/new/", prefill)
    assert saved.status_code == 302
    with scope(imported.a):
        first.refresh_from_db()
        assert first.manually_classified and first.category_id == saas.pk
        rule = MatchRule.objects.get(pattern="Microsoft")
        for line in others:
            line.refresh_from_db()
            assert (line.category_id, line.matched_by_id) == (saas.pk, rule.pk)
        assert LedgerLine.objects.filter(category__isnull=True).count() == 11 - 3
    body = client.get("/c/alpha/budget/queue/").content.decode()
    assert "8 lines no rule classifies" in body


def test_an_invalid_regular_expression_is_refused(imported, as_user):
    with scope(imported.a):
        saas = Category.objects.get(slug="saas")
        owner = imported.records["a"]["people"]
    response = as_user(imported.consultant).post(
        "/c/alpha/budget/rules/new/",
        {
            "field": "memo",
            "match_type": "regex",
            "pattern": "licen(c|s",
            "category": saas.pk,
            "priority": 10,
            "owner": owner.pk,
        },
    )
    assert response.status_code == 200
    assert "This regular expression is not valid" in response.content.decode()
    with scope(imported.a):
        assert not MatchRule.objects.exists()


def test_a_rule_needs_a_vendor_or_a_category(imported, as_user):
    owner = imported.records["a"]["people"]
    response = as_user(imported.consultant).post(
        "/c/alpha/budget/rules/new/",
        {"field": "payee", "match_type": "exact", "pattern": "x", "priority": 1, "owner": owner.pk},
    )
    assert "Choose a vendor, a category or both." in response.content.decode()


def test_an_executive_sees_the_queue_but_cannot_classify(imported, as_user):
    with scope(imported.a):
        line = LedgerLine.objects.first()
    client = as_user(imported.exec_a)
    assert client.get("/c/alpha/budget/queue/").status_code == 200
    assert client.post(f"/c/alpha/budget/spend/{line.pk}/classify/", {}).status_code == 403
