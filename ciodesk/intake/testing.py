"""Helpers for the intake tests and the demo: a complete set of answers, a lead."""

from __future__ import annotations

from ciodesk.intake import services
from ciodesk.intake.models import Lead
from ciodesk.intake.questions import complete_answers

answers = complete_answers


def form_data(**overrides) -> dict:
    """A complete POST of the public form."""
    data = {
        "company": "Acme Dental",
        "contact_name": "Dana Owner",
        "email": "dana@acme.test",
        "domain": "",
        "employee_count": "25",
        "worry": "",
        "consent": "on",
        "website": "",
    }
    data |= {f"q_{key}": value for key, value in answers().items()}
    return data | overrides


def make_lead(company: str = "Acme Dental", domain: str = "acme.test", **extra) -> Lead:
    submission = services.Submission(
        company=company,
        contact_name=extra.pop("contact_name", "Dana Owner"),
        email=extra.pop("email", f"dana@{domain}"),
        domain=domain,
        employee_count=extra.pop("employee_count", 25),
        answers=extra.pop("answers", answers("partly")),
        consent=extra.pop("consent", True),
    )
    lead = services.save_lead(submission, extra.pop("dns_results", {}))
    if extra:
        Lead.objects.filter(pk=lead.pk).update(**extra)
        lead.refresh_from_db()
    return lead
