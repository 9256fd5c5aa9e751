"""ciodesk licence-waste --client SLUG [--days 30|60|90] [--json]

The JSON object (one line per key shown; amounts are strings of Decimals, 2 places):

    client                  the client's slug
    report_date             the latest Microsoft 365 report's refresh date (ISO) or null
    days                    the inactivity threshold the waste is counted with (30 by default)
    currency                the client's currency: every amount below is in it
    licensed_users          users holding at least one licence (Microsoft 365 users + SaaS seats)
    inactive_30, inactive_60, inactive_90
                            licensed users with no activity in that many days (never-active
                            users included, deleted users and new starters excluded)
    deleted_with_licence    deleted users still holding a licence
    overlaps                users holding a product another of their products includes
    monthly_waste, yearly_waste
                            the waste in money (priced products only), yearly = monthly × 12
    unpriced                products with waste but no price in the currency (not counted)
    skus                    one object per product: sku, assigned, inactive, on_deleted,
                            overlapping, wasted, monthly_price (null when no price is set),
                            currency, monthly_waste, yearly_waste (null without a price)
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from ciodesk.budget.services_licences import THRESHOLDS, LicenceWaste, licence_waste
from ciodesk.tenancy.models import Client


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def as_json(slug: str, waste: LicenceWaste) -> dict:
    return {
        "client": slug,
        "report_date": waste.report_date.isoformat() if waste.report_date else None,
        "days": waste.days,
        "currency": waste.currency,
        "licensed_users": waste.licensed,
        **{f"inactive_{n}": waste.inactive[n] for n in THRESHOLDS},
        "deleted_with_licence": waste.deleted_with_licence,
        "overlaps": waste.overlap_users,
        "monthly_waste": _money(waste.monthly_waste),
        "yearly_waste": _money(waste.yearly_waste),
        "unpriced": [s.name for s in waste.unpriced_waste],
        "skus": [
            {
                "sku": s.name,
                "assigned": s.assigned,
                "inactive": s.inactive,
                "on_deleted": s.on_deleted,
                "overlapping": s.overlapping,
                "wasted": s.wasted,
                "monthly_price": _money(s.monthly_price),
                "currency": s.currency or None,
                "monthly_waste": _money(s.monthly_waste),
                "yearly_waste": _money(s.yearly_waste),
            }
            for s in waste.skus
        ],
    }


class Command(BaseCommand):
    help = (
        "Licence waste of a client from its Microsoft 365 report and SaaS lists: inactive "
        "licences (30/60/90 days), licences on deleted users, overlapping products, and the "
        "waste per month and per year in money."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument(
            "--days", type=int, default=30, help="inactivity threshold: 30, 60 or 90"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args, client: str, days: int, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        if days not in THRESHOLDS:
            raise CommandError(f"--days {days}: use 30, 60 or 90", returncode=2)
        waste = licence_waste(target, days)
        data = as_json(target.slug, waste)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{target.name}: {data['licensed_users']} licensed user(s) as of "
            f"{data['report_date'] or 'no report'}; inactive 30/60/90 days: "
            f"{data['inactive_30']}/{data['inactive_60']}/{data['inactive_90']}; "
            f"deleted with a licence: {data['deleted_with_licence']}; overlaps: {data['overlaps']}"
        )
        self.stdout.write(
            f"Waste ({days} days): {data['monthly_waste']} {waste.currency} a month, "
            f"{data['yearly_waste']} a year"
            + (f"; no price set for {', '.join(data['unpriced'])}" if data["unpriced"] else "")
        )
