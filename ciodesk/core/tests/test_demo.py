from django.contrib.auth import get_user_model
from django.core.management import call_command

from ciodesk.audit.models import ChangeRecord
from ciodesk.core.scope import scope
from ciodesk.tenancy.access import Level, level_for, visible_clients
from ciodesk.tenancy.models import Client, KeySystem, Person, Practice

User = get_user_model()


def counts():
    return (
        User.objects.count(),
        Client.objects.count(),
        Person.unscoped.count(),
        KeySystem.unscoped.count(),
        ChangeRecord.unscoped.count(),
    )


def test_the_demo_loads_once_and_twice_changes_nothing(db, capsys):
    call_command("demo", password="demo-pass-2026")
    first = counts()
    out = capsys.readouterr().out
    assert "Their password: demo-pass-2026" in out
    call_command("demo", password="demo-pass-2026")
    assert counts() == first
    call_command("demo")
    assert counts() == first
    assert "kept their password" in capsys.readouterr().out
    assert User.objects.get(email="lead@practice.example").check_password("demo-pass-2026")


def test_the_demo_personas(db):
    call_command("demo", password="demo-pass-2026")
    assert Practice.objects.get().name == "Balanced Bandwidth Demo"
    assert set(Client.objects.values_list("slug", flat=True)) == {
        "harbor-cpa",
        "pacific-fab",
        "bright-smile",
    }
    harbor = Client.objects.get(slug="harbor-cpa")
    assert (harbor.name, harbor.employee_count, harbor.time_zone, harbor.currency) == (
        "Harbor CPA Group",
        40,
        "America/Los_Angeles",
        "USD",
    )
    lead = User.objects.get(email="lead@practice.example")
    consultant = User.objects.get(email="consultant@practice.example")
    owner = User.objects.get(email="owner@pacific-fab.example")
    assert lead.is_lead and not lead.has_two_factor
    assert {c.slug for c in visible_clients(consultant)} == {"harbor-cpa", "bright-smile"}
    assert level_for(owner, Client.objects.get(slug="pacific-fab")) == Level.READ
    assert level_for(owner, harbor) == Level.NONE
    with scope(harbor):
        assert KeySystem.objects.filter(criticality="critical").count() >= 2


def test_a_random_password_is_printed_when_none_is_given(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    password = out.split("Their password: ")[1].split()[0]
    assert len(password) >= 12
    assert User.objects.get(email="owner@harbor-cpa.example").check_password(password)
