"""Incident response services: the plan's contacts prefilled from what ciodesk knows.

Run inside the client's scope (the request's, or ``scope(client)`` in the demo).
"""

from __future__ import annotations

import re

from ciodesk.security.models import InsurancePolicy, IRContact, IRPlan
from ciodesk.tenancy.models import Person

EXECUTIVE_TITLE = re.compile(
    r"\b(owner|ceo|chief|president|founder|managing|director|partner|coo|cfo)\b", re.I
)


def hotline_policy() -> InsurancePolicy | None:
    """The cyber policy whose claims hotline the plan should list (the latest renewal)."""
    return InsurancePolicy.objects.exclude(claims_hotline="").order_by("-renewal_date").first()


def prefill_contacts(plan: IRPlan) -> int:
    """Whom to call, from what ciodesk knows: the insurer's claims hotline, the MSP, the
    client's executives (people whose title says owner, CEO, director …)."""
    from ciodesk.vendors.models import Vendor

    contacts = []
    policy = hotline_policy()
    if policy is not None:
        contacts.append(
            IRContact(
                role=IRContact.Role.INSURER,
                name=f"{policy.carrier} claims hotline"[:200],
                organisation=policy.carrier,
                phone=policy.claims_hotline,
                when_to_call="First, before hiring anyone or paying anything: the policy "
                "may cover only the responders the insurer approves.",
            )
        )
    msp = Vendor.objects.filter(category=Vendor.Category.MSP).order_by("name").first()
    if msp is not None:
        contacts.append(
            IRContact(
                role=IRContact.Role.MSP,
                name=msp.account_manager or msp.name,
                organisation=msp.name,
                when_to_call="Straight away, to isolate machines and keep the evidence.",
            )
        )
    for person in Person.objects.filter(client__isnull=False):
        if EXECUTIVE_TITLE.search(person.title):
            contacts.append(
                IRContact(
                    role=IRContact.Role.EXECUTIVE,
                    name=person.name,
                    organisation=person.title,
                    phone=person.phone,
                    email=person.email,
                    when_to_call="Incident lead: decides who else is told.",
                )
            )
    for order, contact in enumerate(contacts, start=1):
        contact.plan = plan
        contact.order = order
        contact.save()
    return len(contacts)


def template_titles(text: str) -> list[str]:
    """The message templates' headings, listed on the one-page print."""
    return re.findall(r"^#{1,4}\s+(.+?)\s*$", text or "", re.M)
