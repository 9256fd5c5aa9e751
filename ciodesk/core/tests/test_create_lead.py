import io

import pytest
from django.core.management import CommandError, call_command

from ciodesk.accounts.models import User
from ciodesk.tenancy.models import Practice


def test_it_creates_the_lead_and_names_the_practice(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-pass-91\n"))
    call_command(
        "create_lead",
        "Dana@Example.com",
        name="Dana W",
        practice="Dana Advisory",
        password_stdin=True,
    )
    user = User.objects.get(email="dana@example.com")
    assert user.is_lead and user.check_password("a-long-enough-pass-91")
    assert Practice.objects.get().name == "Dana Advisory"


def test_it_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command("create_lead", "x@example.com", password_stdin=True)
    assert not User.objects.exists()
