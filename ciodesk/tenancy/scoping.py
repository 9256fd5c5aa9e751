"""Client-owned models: the base class and the manager that fails closed."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q

from ciodesk.core.scope import ScopeError, active_client, require_client


def _own_rows(client) -> Q:
    return Q(client=client)


class ScopedQuerySet(models.QuerySet):
    """A queryset limited to the active client.

    Built inside a scope, the client filter is applied at once. Built outside one (a model
    form's field choices are built when its class is defined), the filter waits and is
    applied when the queryset runs, copied or used as a subquery; if no scope is active by
    then, it raises ScopeError instead of reading every client's rows.
    """

    _scope_q: Callable[[object], Q] | None = None

    def _apply_scope(self) -> None:
        if self._scope_q is not None:
            condition = self._scope_q(require_client())
            self._scope_q = None
            self.query.add_q(condition)

    def _clone(self):
        clone = super()._clone()
        clone._scope_q = self._scope_q
        if clone._scope_q is not None and active_client() is not None:
            clone._apply_scope()
        return clone

    def _fetch_all(self):
        self._apply_scope()
        super()._fetch_all()

    def _scoped(name: str):  # noqa: N805 — builds the wrappers below
        def method(self, *args, **kwargs):
            self._apply_scope()
            return getattr(models.QuerySet, name)(self, *args, **kwargs)

        method.__name__ = name
        return method

    count = _scoped("count")
    exists = _scoped("exists")
    aggregate = _scoped("aggregate")
    update = _scoped("update")
    _update = _scoped("_update")
    delete = _scoped("delete")
    _raw_delete = _scoped("_raw_delete")
    iterator = _scoped("iterator")
    explain = _scoped("explain")
    contains = _scoped("contains")
    resolve_expression = _scoped("resolve_expression")
    del _scoped


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of client-owned models: only the active client's rows, or an error."""

    scope_q: Callable[[object], Q] = staticmethod(_own_rows)

    def get_queryset(self) -> ScopedQuerySet:
        qs = super().get_queryset()
        qs._scope_q = self.scope_q
        if active_client() is not None:
            qs._apply_scope()
        return qs

    def create(self, **kwargs):
        kwargs.setdefault("client", require_client())
        return super().create(**kwargs)


class ClientOwned(models.Model):
    """A row that belongs to exactly one client.

    ``objects`` is scoped; ``unscoped`` is for admin and maintenance code only, and every
    use of it is meant to be found with ``grep -rn "\\.unscoped"``.
    """

    client = models.ForeignKey(
        "tenancy.Client", on_delete=models.PROTECT, related_name="+", db_index=True
    )

    objects = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    def save(self, *args, **kwargs):
        client = active_client()
        if self.client_id is None and client is not None:
            self.client = client
        if client is not None and self.client_id != client.pk:
            raise ScopeError(
                f"{type(self).__name__} of client {self.client_id} saved inside the scope of "
                f"client {client.pk}"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        client = active_client()
        if client is not None and self.client_id != client.pk:
            raise ScopeError(f"{type(self).__name__} deleted outside its client's scope")
        return super().delete(*args, **kwargs)
