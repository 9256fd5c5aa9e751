"""Records the reports tests add to the `world` fixture's client A, dated from its today."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from pypdf import PdfReader

from ciodesk.core.scope import acting_as, scope


def pdf_text(content: bytes) -> tuple[int, str]:
    """(pages, text) of a PDF, its lines joined so that a wrapped phrase still reads whole."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def stale_control(client, person, key: str, verified_on: datetime.date, interval: int = 365):
    """A control marked in place whose only evidence is dated `verified_on`."""
    from ciodesk.security import services_controls
    from ciodesk.security.models import ClientControl, ControlDefinition

    definition, _ = ControlDefinition.objects.get_or_create(
        key=key, defaults={"title": f"Control {key}", "interval_days": interval}
    )
    with scope(client), acting_as("test setup"):
        control = ClientControl.objects.create(definition=definition, owner=person)
        services_controls.add_evidence(
            control,
            kind="note",
            title=f"Evidence {key}",
            verified_on=verified_on,
            status="in_place",
        )
    return control


def last_month_tickets(client, vendor) -> tuple[datetime.date, datetime.date]:
    """Three P2 tickets on the second Tuesday of the last full month, one answered late
    (response attainment 66.7 %); returns the month's first and last day."""
    from ciodesk.vendors.models import Ticket

    today = client.today()
    until = today.replace(day=1) - datetime.timedelta(days=1)
    since = until.replace(day=1)
    day = since + datetime.timedelta(days=(1 - since.weekday()) % 7 + 7)  # 2nd Tuesday
    with scope(client), acting_as("test setup"):
        for number, response_minutes in (("9001", 10), ("9002", 20), ("9003", 150)):
            created = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(10, 0)), client.tz
            )
            Ticket.objects.create(
                vendor=vendor,
                number=number,
                summary="Laptop slow",
                priority="P2",
                created_at=created,
                first_response_at=created + datetime.timedelta(minutes=response_minutes),
                resolved_at=created + datetime.timedelta(minutes=200),
            )
    return since, until


def contract_due_in(client, vendor, person, days_to_notice: int, title: str = "Firewall"):
    """An auto-renewing contract whose notice deadline is `days_to_notice` days away."""
    from ciodesk.vendors.models import Contract

    today = client.today()
    with scope(client), acting_as("test setup"):
        return Contract.objects.create(
            vendor=vendor,
            title=title,
            end_date=today + datetime.timedelta(days=days_to_notice + 30),
            auto_renew=True,
            notice_days=30,
            annual_value="2400.00",
            owner=person,
        )
