"""ciodesk renewals [--client SLUG] [--within DAYS] [--json]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from ciodesk.tenancy.models import Client
from ciodesk.vendors import contracts as dates
from ciodesk.vendors.models import Contract


def renewal_records(clients: list[Client], within: int | None = None) -> list[dict]:
    """Every contract of these clients, by notice deadline; with `within`, only those whose
    notice deadline is at most that many days away (passed ones included)."""
    by_pk = {c.pk: c for c in clients}
    # Explicit cross-client read for the practice's own command line.
    contracts = list(
        Contract.unscoped.filter(client__in=clients).select_related("vendor").order_by("pk")
    )
    rows = dates.rows(contracts, {pk: c.today() for pk, c in by_pk.items()})
    rows.sort(
        key=lambda r: (
            r.facts.notice_deadline,
            by_pk[r.contract.client_id].slug,
            r.contract.vendor.name,
            r.contract.title,
        )
    )
    return [
        {
            "client": by_pk[r.contract.client_id].slug,
            "vendor": r.contract.vendor.name,
            "contract": r.contract.title,
            "renewal_date": r.facts.renewal_date.isoformat(),
            "notice_deadline": r.facts.notice_deadline.isoformat(),
            "days_to_notice_deadline": r.facts.days_to_notice_deadline,
            "auto_renew": r.contract.auto_renew,
            "annual_value": str(r.contract.annual_value),
            "currency": r.contract.currency,
            "status": r.facts.status,
        }
        for r in rows
        if within is None or r.facts.days_to_notice_deadline <= within
    ]


class Command(BaseCommand):
    help = (
        "Contracts by notice deadline, each with its renewal date, days to the notice deadline "
        "and status (expired, locked_in, act_now, upcoming, ok), in each client's today."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", help="one client's slug (default: every client)")
        parser.add_argument(
            "--within",
            type=int,
            help="only contracts whose notice deadline is at most DAYS away (passed ones too)",
            metavar="DAYS",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="print a JSON list")

    def handle(self, *args, client=None, within=None, as_json=False, **options):
        if within is not None and within < 0:
            raise CommandError("--within must be 0 or more days", returncode=2)
        clients = list(Client.objects.order_by("slug"))
        if client is not None:
            clients = [c for c in clients if c.slug == client]
            if not clients:
                raise CommandError(f"unknown client “{client}”", returncode=2)
        records = renewal_records(clients, within)
        if as_json:
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
            return
        if not records:
            self.stdout.write("No contracts.")
            return
        for r in records:
            self.stdout.write(
                f"{r['notice_deadline']}  {r['days_to_notice_deadline']:>5}d  {r['status']:<9}  "
                f"{r['client']}: {r['vendor']} — {r['contract']} (renews {r['renewal_date']}, "
                f"{r['annual_value']} {r['currency']})"
            )
