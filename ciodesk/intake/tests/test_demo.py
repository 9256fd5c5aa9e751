"""The intake demo: three leads, scored by the page's rules, loaded once."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from ciodesk.intake import demo
from ciodesk.intake.models import Lead

pytestmark = pytest.mark.django_db


def test_three_leads_once():
    context = SimpleNamespace(stdout=io.StringIO(), clients={})
    demo.load(context)
    demo.load(context)
    leads = list(Lead.objects.order_by("created_at"))
    assert len(leads) == 3
    assert {lead.status for lead in leads} == {"new", "contacted"}
    by_domain = {lead.domain: lead for lead in leads}
    vet = by_domain["cedarridgevet.example"]
    assert vet.rating == "Critical" and len(vet.top_risks) == 3
    northgate = by_domain["northgateparts.example"]
    assert not northgate.consent and northgate.email == ""
    assert northgate.score > vet.score
    assert all(lead.dns_results["dmarc"]["summary"] for lead in leads)
