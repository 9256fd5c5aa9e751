"""The demo's extension point: each app registers a loader that `ciodesk demo` runs in order.

A loader must be idempotent (running the demo twice changes nothing) and write inside the
client's scope: ``with scope(client): ...``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Loader = Callable[[Any], None]  # receives the DemoContext
_loaders: dict[str, tuple[int, Loader]] = {}


def register(key: str, order: int = 100) -> Callable[[Loader], Loader]:
    def add(loader: Loader) -> Loader:
        _loaders[key] = (order, loader)
        return loader

    return add


def loaders() -> list[tuple[str, Loader]]:
    return [(k, v[1]) for k, v in sorted(_loaders.items(), key=lambda kv: (kv[1][0], kv[0]))]
