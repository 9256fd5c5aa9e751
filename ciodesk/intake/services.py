"""The risk review's writes: rate limits, saving a lead, and turning a lead into a client.

Leads belong to the practice, not to a client, so nothing here runs in a client scope until
``convert_lead`` creates the client and opens its scope.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ciodesk.intake import dns_checks, scoring
from ciodesk.intake.models import Lead, ReviewAttempt
from ciodesk.intake.questions import QUESTIONS

WINDOW = datetime.timedelta(hours=1)
KEEP_ATTEMPTS = datetime.timedelta(days=2)


# --- rate limits ---------------------------------------------------------------------------------


def ip_hash(ip: str | None) -> str:
    """The address, keyed with the deployment's secret: attempts never store an address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (ip or "unknown").encode(), hashlib.sha256).hexdigest()


def refusal(ip: str | None, domain: str | None = None, now=None, *, counted=0) -> str | None:
    """Why a new review may not start now (None when it may). ``counted``: attempts of this
    request already recorded (claim counts its own)."""
    since = (now or timezone.now()) - WINDOW
    recent = ReviewAttempt.objects.filter(at__gte=since)
    limit_ip = settings.RISK_REVIEW_LIMIT_PER_IP + counted
    if recent.filter(ip_hash=ip_hash(ip)).count() >= limit_ip:
        return (
            "Too many reviews have been started from your network in the last hour. "
            "Please try again in an hour."
        )
    limit_domain = settings.RISK_REVIEW_LIMIT_PER_DOMAIN + counted
    if domain and recent.filter(domain=domain).count() >= limit_domain:
        return (
            f"Too many reviews of {domain} have been started in the last hour. "
            "Please try again in an hour."
        )
    return None


def record_attempt(ip: str | None, domain: str) -> ReviewAttempt:
    now = timezone.now()
    ReviewAttempt.objects.filter(at__lt=now - KEEP_ATTEMPTS).delete()
    return ReviewAttempt.objects.create(ip_hash=ip_hash(ip), domain=domain)


def claim(ip: str | None, domain: str) -> str | None:
    """Record this attempt, then count: requests arriving together each see the others'
    committed attempts, so a burst cannot slip past the limits (at worst it is refused a
    little early). A refused attempt is taken back. None when the review may run."""
    attempt = record_attempt(ip, domain)
    message = refusal(ip, domain, counted=1)
    if message:
        attempt.delete()
    return message


# --- the review ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    company: str
    contact_name: str
    email: str
    domain: str
    employee_count: int | None
    answers: dict
    consent: bool


def new_token() -> str:
    return secrets.token_urlsafe(32)


def save_lead(submission: Submission, dns_results: dict) -> Lead:
    """Score the answers and the DNS findings and keep the lead.

    Without consent to be contacted the lead keeps the company, its size, the answers and
    the score (the prospect's result page needs them) but not the person's name or e-mail.
    """
    result = scoring.score(submission.answers, dns_results)
    return Lead.objects.create(
        company=submission.company,
        contact_name=submission.contact_name if submission.consent else "",
        email=submission.email if submission.consent else "",
        domain=submission.domain,
        employee_count=submission.employee_count,
        answers=submission.answers,
        score=result.score,
        rating=result.rating,
        top_risks=result.top_risks,
        dns_results=dns_results,
        consent=submission.consent,
        result_token=new_token(),
    )


def run_review(submission: Submission) -> Lead:
    """The DNS checks (bounded by the total budget), then the lead."""
    return save_lead(submission, dns_checks.check_domain(submission.domain))


def answer_rows(lead: Lead) -> list[tuple]:
    """(question, chosen option) for the lead's answers, in question order."""
    return [(q, q.option(str(lead.answers.get(q.key, "")))) for q in QUESTIONS]


@transaction.atomic
def set_status(lead: Lead, status: str) -> None:
    if status not in Lead.Status.values or status == Lead.Status.CONVERTED:
        raise ValueError(f"Unknown status {status!r}")
    lead.status = status
    lead.save(update_fields=["status"])
