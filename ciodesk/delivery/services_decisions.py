"""Decisions: who may decide, recording the decision, the e-mail to the decider, the log.

Who decides (documented in docs/delivery.md): the request names one executive, the
*decider*; the e-mail goes to them and their own requests come first on their list. Any
executive of the client may record the decision, though (a CEO away, the CFO decides), and
the log keeps who actually decided (``decided_by``) next to whom it was asked of. Nobody
else may decide: not a contributor, and not the practice — the lead and the consultants
prepare and recommend, but a practice user cannot decide on the client's behalf, even when
named as the decider.

Everything here runs inside ``scope(client)``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ciodesk.delivery.models import Decision, DecisionOption
from ciodesk.tenancy.models import ClientMembership

User = get_user_model()

PENDING = Decision.Status.PENDING
OUTCOMES = {
    "approve": Decision.Status.APPROVED,
    "reject": Decision.Status.REJECTED,
    "defer": Decision.Status.DEFERRED,
}
STATUS_BADGES = {
    "pending": "attention",
    "approved": "ok",
    "rejected": "critical",
    "deferred": "",
    "withdrawn": "",
}
SEARCH_FIELDS = (
    "question",
    "context",
    "recommendation",
    "recommendation_why",
    "decision_comment",
    "options__title",
)
REFUSAL = (
    "Only the client's executives decide. The practice prepares and recommends; "
    "send the decider the link instead."
)


def executives(client: Any) -> QuerySet:
    """The users who are executives of `client`: the only ones who can be asked to decide."""
    ids = ClientMembership.unscoped.filter(
        client=client, role=ClientMembership.Role.EXECUTIVE
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


def can_decide(user: Any, client: Any) -> bool:
    """Any active executive of the client who is not one of the practice's own people."""
    if not user.is_authenticated or user.is_practice_user:
        return False
    return executives(client).filter(pk=user.pk).exists()


def for_list(qs: QuerySet[Decision]) -> QuerySet[Decision]:
    """Everything the list, the log and the export show, in a fixed number of queries."""
    from ciodesk.vendors.models import Contract

    contracts = Prefetch("contracts", queryset=Contract.objects.select_related("vendor"))
    return qs.select_related("decider", "decided_by", "owner", "chosen_option").prefetch_related(
        contracts, "risks", "roadmap_items"
    )


def search(qs: QuerySet[Decision], q: str) -> QuerySet[Decision]:
    if not q:
        return qs
    condition = Q()
    for name in SEARCH_FIELDS:
        condition |= Q(**{f"{name}__icontains": q})
    # Searching options joins one row per option: keep each decision once.
    return qs.filter(pk__in=Decision.objects.filter(condition).values("pk"))


def pending(user: Any) -> QuerySet[Decision]:
    """Waiting decisions, the user's own first, then by deadline (none last)."""
    mine = Case(When(decider_id=user.pk, then=Value(0)), default=Value(1))
    return (
        Decision.objects.filter(status=PENDING)
        .annotate(mine=mine)
        .order_by("mine", F("deadline").asc(nulls_last=True), "pk")
    )


def log(q: str = "") -> QuerySet[Decision]:
    """Every decision that is no longer waiting, newest decision first."""
    qs = Decision.objects.exclude(status=PENDING).order_by("-decided_at", "-pk")
    return for_list(search(qs, q))


def decision_link(client: Any, decision: Decision) -> str:
    path = reverse(
        "delivery:decision-detail", kwargs={"client_slug": client.slug, "pk": decision.pk}
    )
    return settings.SITE_URL + path


def notify_decider(client: Any, decision: Decision) -> None:
    """E-mail the decider a link to the request; the link asks them to sign in first."""
    if not decision.decider.email:
        return
    context = {
        "client": client,
        "decision": decision,
        "options": list(decision.options.all()),
        "link": decision_link(client, decision),
    }
    subject = f"Decision needed for {client.name}: {decision.question}"
    body = render_to_string("delivery/decision_email.txt", context)
    send_mail(subject[:200], body, None, [decision.decider.email])


def save_request(
    client: Any, form: Any, options: Any, previous_decider_id: int | None = None
) -> Decision:
    """Save a decision request with its options; e-mail the decider when new or changed."""
    with transaction.atomic():
        decision = form.save(commit=False)
        decision.client = client
        decision.save()
        form.save_m2m()
        options.instance = decision
        for option in options.save(commit=False):
            option.decision = decision
            option.save()
        for option in options.deleted_objects:
            option.delete()
    if decision.status == PENDING and decision.decider_id != previous_decider_id:
        notify_decider(client, decision)
    return decision


def decide(
    decision: Decision,
    user: Any,
    client: Any,
    outcome: str,
    comment: str,
    option: DecisionOption | None = None,
) -> Decision:
    """Record an executive's approval, rejection or deferral, with the reason given."""
    if not can_decide(user, client):
        raise PermissionDenied(REFUSAL)
    if decision.status != PENDING:
        raise ValidationError("This decision has already been made.")
    status = OUTCOMES.get(outcome)
    if status is None:
        raise ValidationError("Approve, reject or defer.")
    if option is not None and option.decision_id != decision.pk:
        raise ValidationError("That option belongs to another decision.")
    decision.status = status
    decision.decided_by = user
    decision.decided_at = timezone.now()
    decision.decision_comment = comment.strip()
    decision.chosen_option = option if status == Decision.Status.APPROVED else None
    decision.save()
    return decision


def withdraw(decision: Decision, reason: str) -> Decision:
    """The practice withdraws a request that is no longer needed (kept in the log)."""
    if decision.status != PENDING:
        raise ValidationError("Only a waiting decision can be withdrawn.")
    decision.status = Decision.Status.WITHDRAWN
    decision.decided_at = timezone.now()
    decision.decision_comment = reason.strip()
    decision.save()
    return decision


def links_text(decision: Decision) -> str:
    """The linked contracts, risks and roadmap items, for the export."""
    parts = [f"Contract: {c}" for c in decision.contracts.all()]
    parts += [f"Risk: {r}" for r in decision.risks.all()]
    parts += [f"Roadmap: {i}" for i in decision.roadmap_items.all()]
    return "; ".join(parts)
