"""Record every create, update and delete of a client-owned record.

Connected to every model that has a ``client`` (client-owned models and the Client itself)
except ChangeRecord. The actor comes from ``ciodesk.core.scope.current_actor()``: the request's
user, or the label a command sets with ``acting_as("ciodesk demo")``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from ciodesk.core.scope import current_actor


def audited_models() -> list[type[models.Model]]:
    from ciodesk.audit.models import ChangeRecord
    from ciodesk.tenancy.models import Client

    found = []
    for model in apps.get_models():
        if model is ChangeRecord or model._meta.proxy:
            continue
        if model is Client or any(
            f.name == "client" and f.is_relation for f in model._meta.concrete_fields
        ):
            found.append(model)
    return found


def connect_all() -> None:
    for model in audited_models():
        uid = f"audit:{model._meta.label}"
        pre_save.connect(_remember_old, sender=model, dispatch_uid=uid + ":pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=uid + ":post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=uid + ":delete")


def _fields(instance: models.Model) -> list[models.Field]:
    exclude = getattr(instance, "audit_exclude", frozenset())
    return [
        f
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in exclude and f.name != "client"
    ]


def _display(instance: models.Model, field: models.Field, raw: Any) -> Any:
    if raw is None or raw == "":
        return ""
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=raw).first()
        return str(related) if related is not None else f"#{raw}"
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, datetime.datetime | datetime.date | Decimal):
        return str(raw)
    if isinstance(raw, bool | int | float | str):
        return raw
    return str(raw)


def _snapshot(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in _fields(instance)}


def _remember_old(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._audit_old = None
        return
    row = sender._base_manager.filter(pk=instance.pk).values(
        *[f.attname for f in _fields(instance)]
    )
    instance._audit_old = row.first()


def _client_id(instance: models.Model) -> int | None:
    from ciodesk.tenancy.models import Client

    return instance.pk if isinstance(instance, Client) else getattr(instance, "client_id", None)


def _write(instance, action: str, changes: dict[str, list[Any]]) -> None:
    from ciodesk.audit.models import ChangeRecord

    client_id = _client_id(instance)
    if client_id is None:  # the practice's own people are not a client's record
        return
    actor = current_actor()
    user = actor if getattr(actor, "pk", None) and hasattr(actor, "email") else None
    ChangeRecord.unscoped.create(
        client_id=client_id,
        at=timezone.now(),
        actor=user,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )


def _record_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    old = getattr(instance, "_audit_old", None)
    changes: dict[str, list[Any]] = {}
    for field in _fields(instance):
        after = getattr(instance, field.attname)
        before = None if created or old is None else old.get(field.attname)
        if not created and before == after:
            continue
        if created and after in (None, ""):
            continue
        label = str(field.verbose_name)
        changes[label] = [_display(instance, field, before), _display(instance, field, after)]
    if not created and not changes:
        return
    _write(instance, "created" if created else "updated", changes)


def _record_delete(sender, instance, **kwargs) -> None:
    changes = {
        str(f.verbose_name): [_display(instance, f, getattr(instance, f.attname)), ""]
        for f in _fields(instance)
        if getattr(instance, f.attname) not in (None, "")
    }
    _write(instance, "deleted", changes)
