"""ciodesk forecast --client SLUG [--years N] [--escalator PCT] [--json]

Reads only: nothing is written, whatever the options. Without --years or --escalator the
client's forecast settings are used (3 years and 3 % when none are saved).

The JSON object (amounts are strings of Decimals with 2 places, in `currency`):

    client          the client's slug
    currency        the client's currency
    years           how many fiscal years, from the current one
    escalator_pct   the yearly escalator, in per cent
    as_of           the client's today (ISO)
    per_year        one object per fiscal year: fiscal_year (the calendar year it ends in),
                    label, start, end (ISO), contracts, roadmap, lifecycle, licences,
                    total, per_employee, revenue_share_pct (null without a revenue)
    total           the sum of the years
    benchmarks      employee_count, annual_revenue (or null), actual_12_months (the
                    classified spend of the twelve months to today), per_employee and
                    revenue_pct: lists of {label, low, high, source, year, confidence}
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from ciodesk.budget.services_forecast import MAX_YEARS, Benchmark, Forecast, forecast
from ciodesk.tenancy.models import Client


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _benchmark(b: Benchmark) -> dict:
    return {
        "label": b.label,
        "low": str(b.low),
        "high": str(b.high),
        "source": b.source,
        "year": b.year,
        "confidence": b.confidence,
    }


def as_json(f: Forecast) -> dict:
    client = f.client
    return {
        "client": client.slug,
        "currency": f.currency,
        "years": f.years,
        "escalator_pct": f"{f.escalator_pct:.2f}",
        "as_of": f.today.isoformat(),
        "per_year": [
            {
                "fiscal_year": fy.year,
                "label": bucket.label,
                "start": bucket.start.isoformat(),
                "end": bucket.end.isoformat(),
                **{key: _money(amount) for key, amount in bucket.amounts.items()},
                "total": _money(bucket.total),
                "per_employee": _money(f.per_employee(bucket.total)),
                "revenue_share_pct": _money(f.revenue_share(bucket.total)),
            }
            for fy, bucket in zip(f.horizon.fiscal_years(), f.by_year, strict=True)
        ],
        "total": _money(f.total),
        "benchmarks": {
            "employee_count": client.employee_count,
            "annual_revenue": _money(client.annual_revenue),
            "actual_12_months": _money(f.actual_12_months),
            "per_employee": [_benchmark(b) for b in f.per_employee_benchmarks],
            "revenue_pct": [_benchmark(b) for b in f.revenue_benchmarks],
        },
    }


class Command(BaseCommand):
    help = (
        "The IT forecast of a client per fiscal year: contracts with renewals and the "
        "escalator, roadmap items, hardware replacements and licences (reads only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument(
            "--years", help=f"fiscal years to forecast, 1 to {MAX_YEARS} (default: the settings)"
        )
        parser.add_argument(
            "--escalator", help="yearly price rise in per cent, e.g. 3.5 (default: the settings)"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args, client: str, years, escalator, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        if years is not None:
            if not str(years).isdigit() or not 1 <= int(years) <= MAX_YEARS:
                raise CommandError(
                    f"--years {years}: give a whole number from 1 to {MAX_YEARS}", returncode=2
                )
            years = int(years)
        if escalator is not None:
            raw = escalator
            try:
                escalator = Decimal(str(raw).strip().rstrip("%"))
            except InvalidOperation:
                escalator = None
            if escalator is None or not escalator.is_finite() or not 0 <= escalator <= 100:
                raise CommandError(
                    f"--escalator {raw}: give a percentage from 0 to 100, e.g. 3.5",
                    returncode=2,
                )
        f = forecast(target, years=years, escalator_pct=escalator)
        data = as_json(f)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{target.name}: IT forecast in {f.currency}, prices rising {data['escalator_pct']} "
            f"% a year, as of {data['as_of']}"
        )
        self.stdout.write(
            f"{'Year':<10}{'Contracts':>14}{'Roadmap':>14}{'Lifecycle':>14}"
            f"{'Licences':>14}{'Total':>15}"
        )
        for row in data["per_year"]:
            self.stdout.write(
                f"{row['label']:<10}{row['contracts']:>14}{row['roadmap']:>14}"
                f"{row['lifecycle']:>14}{row['licences']:>14}{row['total']:>15}"
            )
        self.stdout.write(f"{'Total':<10}{'':>56}{data['total']:>15}")
