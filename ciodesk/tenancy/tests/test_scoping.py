"""The default manager fails closed; the allow-list names every model that is not client-owned."""

import pytest
from django.apps import apps
from django.db import models

from ciodesk.core.scope import ScopeError, scope
from ciodesk.tenancy.forms import KeySystemForm
from ciodesk.tenancy.models import KeySystem, Person
from ciodesk.tenancy.scoping import ClientOwned, ScopedManager

# Models that are not client-owned, and why. A new model lands here only with a reason.
NOT_CLIENT_OWNED = {
    "accounts.User": "a person who signs in; reaches clients only through memberships",
    "accounts.TOTPDevice": "a user's second factor",
    "accounts.RecoveryCode": "a user's second-factor recovery codes",
    "accounts.LoginFailure": "sign-in throttling, keyed by e-mail and address",
    "tenancy.Practice": "the deployment's one practice",
    "tenancy.Client": "the tenant itself",
    "tenancy.PracticeMembership": "the practice's own roles (lead, consultant)",
    "tenancy.Person": "a client's person or the practice's; PersonManager scopes it",
    "vendors.CalendarFeed": "a user's secret .ics address; serves only what that user may see",
    "security.Framework": "reference framework (CSF, CPG, CIS IDs, OSCAL catalogs), no client data",
    "security.FrameworkItem": "an item of a reference framework, no client data",
    "assessments.AssessmentTemplate": "the practice's assessment templates, no client data",
    "assessments.TemplateDomain": "a domain of a template, no client data",
    "assessments.TemplateQuestion": "a question of a template, no client data",
    "intake.Lead": "a prospect of the practice, before it is a client; practice users only",
    "intake.ReviewAttempt": "rate limiting of the public review form",
    "security.ControlDefinition": "the practice's control catalogue; client state: ClientControl",
}


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("ciodesk.")]


def test_every_model_is_client_owned_or_allow_listed():
    unexplained = [
        m._meta.label
        for m in project_models()
        if not issubclass(m, ClientOwned) and m._meta.label not in NOT_CLIENT_OWNED
    ]
    assert unexplained == []
    stale = set(NOT_CLIENT_OWNED) - {m._meta.label for m in project_models()}
    assert stale == set()


@pytest.mark.parametrize(
    "model",
    [m for m in project_models() if issubclass(m, ClientOwned)],
    ids=lambda m: m._meta.label,
)
def test_client_owned_models_fail_closed(db, model):
    field = model._meta.get_field("client")
    assert not field.null
    assert field.db_index
    assert field.remote_field.on_delete is models.PROTECT
    assert isinstance(model._default_manager, ScopedManager)
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.count()


def test_a_scope_shows_only_its_clients_rows(world):
    with scope(world.a):
        assert list(KeySystem.objects.values_list("name", flat=True)) == ["Microsoft 365"]
        people = set(Person.objects.values_list("name", flat=True))
    assert people == {"Pat Owner"}


def test_saving_another_clients_row_inside_a_scope_is_refused(world):
    system = world.records["b"]["systems"]
    with scope(world.a), pytest.raises(ScopeError):
        system.save()


def test_a_subquery_is_scoped_too(world):
    with scope(world.a):
        owners = Person.objects.filter(pk__in=KeySystem.objects.values("owner_id"))
        assert [p.name for p in owners] == ["Pat Owner"]


def test_a_form_built_outside_a_scope_gets_choices_inside_it(world):
    with scope(world.a):
        form = KeySystemForm()
        choices = [label for _, label in form.fields["owner"].choices if _]
    assert choices == ["Pat Owner"]


def test_person_manager_needs_a_scope(world):
    with pytest.raises(ScopeError):
        list(Person.objects.all())
    assert Person.practice_people.count() == 0
