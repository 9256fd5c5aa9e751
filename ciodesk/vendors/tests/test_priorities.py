"""The vendor's priority labels → P1–P4: the PSAs' defaults, then the vendor's own mapping."""

import datetime

import pytest
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.vendors.models import PriorityMapping, Ticket
from ciodesk.vendors.priorities import apply_mappings, default_priority, resolve


@pytest.mark.parametrize(
    "label, expected",
    [
        # ConnectWise PSA's defaults, and its numbering for the ones after them
        ("Priority 1 - Emergency Response", "P1"),
        ("Priority 2 - Quick Response", "P2"),
        ("Priority 3 - Normal Response", "P3"),
        ("Priority 4 - Scheduled Maintenance", "P4"),
        ("Priority 3 - High", "P3"),
        ("Priority 5 - Next Business Day", ""),
        # Autotask, HaloPSA, Freshservice words
        ("Critical", "P1"),
        ("High", "P2"),
        ("Medium", "P3"),
        ("Low", "P4"),
        ("Urgent", "P1"),
        ("  medium  ", "P3"),
        # Syncro: the word wins over the leading number
        ("0 Urgent", "P1"),
        ("1 High", "P2"),
        ("2 Normal", "P3"),
        ("3 Low", "P4"),
        # the usual short forms
        ("P2", "P2"),
        ("p4", "P4"),
        ("2", "P2"),
        ("2 - High", "P2"),
        ("Priority 2", "P2"),
        ("Sev 1", "P1"),
        # nothing recognisable
        ("", ""),
        ("0", ""),
        ("7", ""),
        ("P5", ""),
        ("Whenever", ""),
    ],
)
def test_default_labels(label, expected):
    assert default_priority(label) == expected


def _ticket(vendor, number, label, priority=""):
    return Ticket.objects.create(
        vendor=vendor,
        number=number,
        priority_label=label,
        priority=priority,
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)),
    )


def test_the_vendors_own_mapping_wins_case_and_spaces_aside(world):
    vendor = world.records["a"]["vendors"]
    with scope(world.a), acting_as("test"):
        PriorityMapping.objects.create(vendor=vendor, label="High  Impact", priority="P1")
        PriorityMapping.objects.create(
            vendor=vendor, label="Priority 2 - Quick Response", priority="P3"
        )
    assert resolve(vendor, "high impact") == "P1"
    assert resolve(vendor, " HIGH   IMPACT ") == "P1"
    assert resolve(vendor, "priority 2 - quick response") == "P3"
    assert resolve(vendor, "Emergency") == "P1"  # the fixture's own mapping row
    assert resolve(vendor, "Low") == "P4"  # no mapping: the default
    # Another client's vendor does not see these rows.
    assert resolve(world.records["b"]["vendors"], "High Impact") == "P2"


def test_apply_mappings_recomputes_the_tickets_after_an_edit(world):
    vendor = world.records["a"]["vendors"]
    with scope(world.a), acting_as("test"):
        for number in ("5001", "5002", "5003"):
            _ticket(vendor, number, "Sev A", "")
        _ticket(vendor, "5004", "Low", "P4")
        mapping = PriorityMapping.objects.create(vendor=vendor, label="sev a", priority="P1")
    assert apply_mappings(vendor) == 3
    with scope(world.a):
        assert set(
            Ticket.objects.filter(priority_label="Sev A").values_list("priority", flat=True)
        ) == {"P1"}
        assert Ticket.objects.get(number="5004").priority == "P4"
    assert apply_mappings(vendor) == 0  # nothing left to change
    with scope(world.a), acting_as("test"):
        mapping.delete()
    assert apply_mappings(vendor) == 3  # back to the default: unmapped
    with scope(world.a):
        assert Ticket.objects.filter(priority_label="Sev A", priority="").count() == 3
