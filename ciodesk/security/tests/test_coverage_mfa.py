"""MFA coverage from Microsoft Entra's user registration details, both header variants."""

import datetime
import io
import zoneinfo

import pytest
from openpyxl import Workbook

from ciodesk.core.scope import scope
from ciodesk.security.importers.common import moment
from ciodesk.security.models import MfaAccount
from ciodesk.security.services_coverage import mfa_without
from ciodesk.security.state import state_of
from ciodesk.security.tests.test_coverage_fixtures import (
    FILES,
    control,
    evidence,
    load,
    load_bytes,
    new_client,
)

LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def delta(db):
    return new_client()


def test_the_portal_download_gives_the_share_of_member_users_registered(delta):
    record = load(delta, "entra_portal.csv", "mfa").record
    s = record.summary
    # 16 member users, of whom the break-glass account and Frank have not registered
    assert (s["members"], s["members_registered"], s["members_without"]) == (16, 14, 2)
    assert s["percent"] == 87.5
    assert (s["guests"], s["guests_registered"]) == (4, 1)
    assert (s["admins"], s["admins_without"]) == (4, 1)
    assert record.source_format == "entra-portal"
    assert record.rows == 20
    # the newest "Last updated time", 11/20/2026 6:12:44 AM in the client's zone
    assert record.as_of == datetime.datetime(2026, 11, 20, 6, 12, 44, tzinfo=LA)


def test_the_list_of_users_without_mfa_puts_members_before_guests(delta):
    record = load(delta, "entra_portal.csv", "mfa").record
    with scope(delta):
        names = [a.user_principal_name for a in mfa_without(record)]
        admins = list(mfa_without(record).filter(is_admin=True))
    assert names[:2] == ["frank.dds@alphadental.com", "it-breakglass@alphadental.onmicrosoft.com"]
    assert len(names) == 5  # 2 members, then the 3 unregistered guests
    assert all("#EXT#" in n for n in names[2:])
    assert [a.user_principal_name for a in admins] == ["it-breakglass@alphadental.onmicrosoft.com"]


def test_a_trailing_space_in_a_value_is_ignored(delta):
    record = load(delta, "entra_portal.csv", "mfa").record
    with scope(delta):
        dan = MfaAccount.objects.get(coverage_import=record, user_principal_name__startswith="dan.")
    assert dan.is_mfa_registered is True
    assert dan.methods == "mobilePhone"


def test_the_graph_field_names_are_read_and_disabled_accounts_left_out(delta):
    record = load(delta, "entra_graph.csv", "mfa").record
    s = record.summary
    assert record.source_format == "graph"
    assert (s["members"], s["members_registered"], s["percent"]) == (9, 9, 100.0)
    assert s["disabled_skipped"] == 1
    assert (s["admins"], s["admins_without"]) == (3, 0)
    assert record.as_of == datetime.datetime(2026, 11, 21, 8, 3, 51, 123456, tzinfo=datetime.UTC)
    with scope(delta):
        owner = MfaAccount.objects.get(user_principal_name="owner@bravofab.com")
    assert owner.methods == "microsoftAuthenticatorPush, mobilePhone"
    assert owner.user_type == "Member"


def test_partial_registration_sets_mfa_partial_with_dated_evidence(delta):
    record = load(delta, "entra_portal.csv", "mfa", user=None).record
    mfa_email = control(delta, "mfa-email")
    assert mfa_email.status == "partial"  # 87.5 % is at least 80 % but not everyone
    assert mfa_email.last_verified_on == datetime.date(2026, 11, 20)
    [item] = evidence(delta, "mfa-email")
    assert item.kind == "coverage"
    assert item.verified_on == datetime.date(2026, 11, 20)
    assert item.source == f"Coverage import #{record.pk}: entra_portal.csv"
    assert "87.5 %" in item.title
    assert state_of(mfa_email, datetime.date(2026, 11, 22)).effective == "partial"
    # an admin without MFA: the admin control is not in place
    assert control(delta, "mfa-admins").status == "not_in_place"


def test_everyone_registered_puts_mfa_in_place(delta):
    load(delta, "entra_graph.csv", "mfa")
    assert control(delta, "mfa-email").status == "in_place"
    assert control(delta, "mfa-admins").status == "in_place"


def test_an_older_export_adds_evidence_but_does_not_change_the_status(delta):
    load(delta, "entra_graph.csv", "mfa")  # as of 2026-11-21, everyone registered
    outcome = load(delta, "entra_portal.csv", "mfa")  # as of 2026-11-20, 87.5 %
    mfa_email = control(delta, "mfa-email")
    assert mfa_email.status == "in_place"
    assert mfa_email.last_verified_on == datetime.date(2026, 11, 21)
    assert len(evidence(delta, "mfa-email")) == 2
    assert any("newer export" in note for note in outcome.notes)


def test_below_eighty_percent_is_not_in_place(delta):
    rows = ["userPrincipalName,userType,isMfaRegistered"]
    rows += [f"u{i}@delta.com,member,{'true' if i < 7 else 'false'}" for i in range(10)]
    record = load_bytes(delta, "\n".join(rows).encode(), "m.csv", "mfa").record
    assert record.summary["percent"] == 70.0
    assert control(delta, "mfa-email").status == "not_in_place"
    assert evidence(delta, "mfa-admins") == []  # the file does not say who is an admin


def test_an_xlsx_export_with_real_date_cells_is_read(delta):
    book = Workbook()
    sheet = book.active
    sheet.append(["User principal name ", "User type", "Multifactor authentication registered"])
    sheet.append(["a@delta.com", "Member", "Yes"])
    sheet.append(["b@delta.com", "Member", "No"])
    sheet.append(["c@delta.com", "Guest", "No"])
    sheet["D1"] = "Last updated time"
    sheet["D2"] = datetime.datetime(2026, 11, 3, 14, 15, 7)
    buffer = io.BytesIO()
    book.save(buffer)
    record = load_bytes(delta, buffer.getvalue(), "entra.xlsx", "mfa").record
    assert (record.summary["members"], record.summary["members_registered"]) == (2, 1)
    assert record.as_of == datetime.datetime(2026, 11, 3, 14, 15, 7, tzinfo=LA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03T14:15:07Z", datetime.datetime(2026, 11, 3, 14, 15, 7, tzinfo=datetime.UTC)),
        (
            "2026-11-03T14:15:07.1234567Z",
            datetime.datetime(2026, 11, 3, 14, 15, 7, 123456, tzinfo=datetime.UTC),
        ),
        ("11/3/2026 2:15:07 PM", datetime.datetime(2026, 11, 3, 14, 15, 7, tzinfo=LA)),
        ("11/3/2026 12:05:00 AM", datetime.datetime(2026, 11, 3, 0, 5, tzinfo=LA)),
        ("Nov 3, 2026 2:15 PM", datetime.datetime(2026, 11, 3, 14, 15, tzinfo=LA)),
        ("2026-11-03 14:15", datetime.datetime(2026, 11, 3, 14, 15, tzinfo=LA)),
        ("25/11/2026 09:00", datetime.datetime(2026, 11, 25, 9, 0, tzinfo=LA)),
        (
            "2026-11-03T14:15:07+01:00",
            datetime.datetime(2026, 11, 3, 13, 15, 7, tzinfo=datetime.UTC),
        ),
        ("1793715307", datetime.datetime(2026, 11, 3, 14, 15, 7, tzinfo=datetime.UTC)),
    ],
)
def test_microsofts_and_the_tools_date_formats(text, expected):
    assert moment(text, LA) == expected


def test_day_first_dates_when_asked():
    assert moment("3/11/2026 14:15", LA, day_first=True).date() == datetime.date(2026, 11, 3)
    assert moment("3/11/2026 14:15", LA).date() == datetime.date(2026, 3, 11)


@pytest.mark.parametrize("text", ["2026-02-30T10:00:00Z", "13/13/2026", "yesterday", "11/3/26"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError, match="is not a date and time"):
        moment(text, LA)


def test_the_sample_files_exist():
    assert (FILES / "entra_portal.csv").read_bytes().startswith(b"\xef\xbb\xbf")
