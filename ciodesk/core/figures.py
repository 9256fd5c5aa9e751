"""The portfolio's extension point: each app registers the figures that need attention.

A provider receives every client the page shows and returns, per client id, one Figure or
None (nothing to say). Providers run a constant number of queries whatever the number of
clients: the portfolio's query-count test holds them to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Sequence[Any]], Mapping[int, "Figure | None"]]


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    attention: bool = False
    url: str = ""
    detail: str = ""


_providers: dict[str, tuple[int, Provider]] = {}


def register(key: str, order: int = 100) -> Callable[[Provider], Provider]:
    def add(provider: Provider) -> Provider:
        _providers[key] = (order, provider)
        return provider

    return add


def registered() -> list[str]:
    return [key for key, _ in sorted(_providers.items(), key=lambda kv: (kv[1][0], kv[0]))]


def figures_for(clients: Sequence[Any]) -> dict[int, list[Figure]]:
    """Every registered figure for every client, in registration order."""
    result: dict[int, list[Figure]] = {client.pk: [] for client in clients}
    if not clients:
        return result
    for key in registered():
        _, provider = _providers[key]
        values = provider(clients)
        for client in clients:
            figure = values.get(client.pk)
            if figure is not None:
                result[client.pk].append(figure)
    return result
