"""The intake demo: registered with ciodesk.core.demo.

Three prospects who took the free risk review in the last weeks, with realistic answers and
the DNS findings a real check would have stored (no DNS is queried by the demo). Scored by
the same rules as the public page. Idempotent: a demo lead is found by its domain.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ciodesk.core import demo
from ciodesk.intake import services
from ciodesk.intake.models import Lead
from ciodesk.intake.questions import complete_answers as answers


def _dns(domain: str, provider: str, mx: str, spf: tuple, dmarc: tuple, dkim: list, sts=False):
    spf_status, spf_qualifier, spf_record, spf_summary = spf
    dmarc_status, dmarc_policy, dmarc_record, dmarc_summary = dmarc
    return {
        "domain": domain,
        "seconds": 0.42,
        "mx": {
            "status": "info",
            "provider": provider,
            "summary": f"E-mail is handled by {provider}.",
            "records": [mx],
        },
        "spf": {
            "status": spf_status,
            "qualifier": spf_qualifier,
            "summary": spf_summary,
            "records": [spf_record] if spf_record else [],
        },
        "dmarc": {
            "status": dmarc_status,
            "policy": dmarc_policy,
            "summary": dmarc_summary,
            "records": [dmarc_record] if dmarc_record else [],
        },
        "dkim": (
            {
                "status": "ok",
                "selectors": dkim,
                "summary": f"DKIM signing keys found ({', '.join(dkim)}).",
                "records": [],
            }
            if dkim
            else {
                "status": "warn",
                "selectors": [],
                "summary": "No DKIM key at the common selectors (the mail system may use "
                "another one).",
                "records": [],
            }
        ),
        "mta_sts": {
            "status": "ok",
            "summary": "MTA-STS is published: mail to it travels encrypted.",
        }
        if sts
        else {
            "status": "warn",
            "summary": "No MTA-STS: mail sent to the company may travel unencrypted.",
        },
    }


NO_SPF = ("bad", "missing", "", "No SPF record: any server can claim to send the company's e-mail.")
NO_DMARC = (
    "bad",
    "missing",
    "",
    "No DMARC record: criminals can send mail that looks like the company's.",
)

LEADS = [
    {
        "company": "Cedar Ridge Veterinary Clinic",
        "contact_name": "Maya Lindqvist",
        "email": "maya@cedarridgevet.example",
        "domain": "cedarridgevet.example",
        "employee_count": 34,
        "days_ago": 3,
        "consent": True,
        "status": Lead.Status.NEW,
        "answers": answers(
            "no",
            mfa_email="partly",
            backup_daily="yes",
            restore_test="never",
            edr="nobody",
            patching="whenever",
            phishing="never",
            insurance="partly",
            worry="Our practice software vendor keeps asking for remote access, and our backups "
            "are a USB drive someone takes home on Fridays.",
        ),
        "dns": _dns(
            "cedarridgevet.example",
            "Google Workspace",
            "aspmx.l.google.com",
            NO_SPF,
            NO_DMARC,
            ["google"],
        ),
    },
    {
        "company": "Hollis & Grant LLP",
        "contact_name": "Robert Hollis",
        "email": "rhollis@hollisgrant.example",
        "domain": "hollisgrant.example",
        "employee_count": 58,
        "days_ago": 12,
        "consent": True,
        "status": Lead.Status.CONTACTED,
        "answers": answers(
            "yes",
            owner="partly",
            mfa_remote="partly",
            backup_offline="unsure",
            restore_test="year",
            edr="provider",
            patching="month",
            phishing="yearly",
            incident_plan="no",
            worry="A client asked for our security policies in an RFP and we had nothing to send.",
        ),
        "dns": _dns(
            "hollisgrant.example",
            "Microsoft 365",
            "hollisgrant-example.mail.protection.outlook.com",
            (
                "warn",
                "soft",
                "v=spf1 include:spf.protection.outlook.com ~all",
                "SPF is soft (~all): mail from other servers is only marked suspicious.",
            ),
            (
                "bad",
                "none",
                "v=DMARC1; p=none; rua=mailto:dmarc@hollisgrant.example",
                "DMARC only reports (p=none): spoofed mail is still delivered.",
            ),
            ["selector1", "selector2"],
        ),
    },
    {
        "company": "Northgate Precision Parts",
        "contact_name": "",
        "email": "",
        "domain": "northgateparts.example",
        "employee_count": 112,
        "days_ago": 26,
        "consent": False,
        "status": Lead.Status.NEW,
        "answers": answers(
            "yes",
            vault="no",
            leavers="partly",
            restore_test="quarter",
            edr="soc",
            patching="two_weeks",
            phishing="quarterly",
            payments="partly",
        ),
        "dns": _dns(
            "northgateparts.example",
            "Mimecast",
            "us-smtp-inbound-1.mimecast.com",
            (
                "ok",
                "strict",
                "v=spf1 include:_netblocks.mimecast.com -all",
                "SPF is strict (-all): mail from other servers should be refused.",
            ),
            (
                "warn",
                "quarantine",
                "v=DMARC1; p=quarantine; pct=100",
                "DMARC sends failing mail to spam (p=quarantine).",
            ),
            ["selector1"],
            sts=True,
        ),
    },
]


@demo.register("intake: three leads from the free risk review", order=90)
def load(context) -> None:
    now = timezone.now()
    for spec in LEADS:
        if Lead.objects.filter(domain=spec["domain"]).exists():
            continue
        submission = services.Submission(
            company=spec["company"],
            contact_name=spec["contact_name"],
            email=spec["email"],
            domain=spec["domain"],
            employee_count=spec["employee_count"],
            answers=spec["answers"],
            consent=spec["consent"],
        )
        lead = services.save_lead(submission, spec["dns"])
        Lead.objects.filter(pk=lead.pk).update(
            status=spec["status"], created_at=now - datetime.timedelta(days=spec["days_ago"])
        )
        context.stdout.write(f"      {lead.company}: {lead.score} ({lead.rating})")
