"""ciodesk sla --client SLUG --vendor NAME --since YYYY-MM-DD --until YYYY-MM-DD --json"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.models import Vendor
from ciodesk.vendors.scorecard import ScorecardError, compute_scorecard


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option} “{value}” is not a date: use YYYY-MM-DD", returncode=2
        ) from None


class Command(BaseCommand):
    help = (
        "The SLA scorecard of a vendor over a period, computed from its raw tickets "
        "(tickets created from --since to --until inclusive, in the client's time zone)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--vendor", required=True, help="the vendor's name")
        parser.add_argument("--since", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--until", required=True, help="last day, YYYY-MM-DD (inclusive)")
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object (the only output format)"
        )

    def handle(self, *args, client: str, vendor: str, since: str, until: str, **options):
        since_date, until_date = _date(since, "--since"), _date(until, "--until")
        if since_date > until_date:
            raise CommandError(f"--since {since} is after --until {until}", returncode=2)
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        with scope(target):
            found = Vendor.objects.filter(name__iexact=vendor.strip()).first()
        if found is None:
            raise CommandError(f"{target.slug} has no vendor named “{vendor}”", returncode=2)
        try:
            data = compute_scorecard(target, found, since_date, until_date)
        except ScorecardError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(json.dumps(data, ensure_ascii=False))
