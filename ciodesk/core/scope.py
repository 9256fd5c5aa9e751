"""The active client scope.

Client-owned rows are reachable only inside ``scope(client)``. The request middleware opens
it for ``/c/<client_slug>/`` URLs; management commands and background jobs open it
explicitly. Outside a scope the default manager of every client-owned model raises
``ScopeError`` instead of returning every client's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ciodesk.tenancy.models import Client

_active_client: ContextVar[Client | None] = ContextVar("ciodesk_active_client", default=None)
_actor: ContextVar[Any] = ContextVar("ciodesk_actor", default=None)


class ScopeError(RuntimeError):
    """A client-owned model was queried or written outside its client's scope."""


def active_client() -> Client | None:
    return _active_client.get()


def require_client() -> Client:
    client = _active_client.get()
    if client is None:
        raise ScopeError(
            "No client scope is active. Wrap the code in `with scope(client):` "
            "or use the model's `unscoped` manager in maintenance code."
        )
    return client


@contextmanager
def scope(client: Client) -> Iterator[Client]:
    if client is None or client.pk is None:
        raise ScopeError("scope() needs a saved client")
    token = _active_client.set(client)
    try:
        yield client
    finally:
        _active_client.reset(token)


def current_actor() -> Any:
    """The user (or a label such as "ciodesk demo") that changes are recorded against."""
    return _actor.get()


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)
