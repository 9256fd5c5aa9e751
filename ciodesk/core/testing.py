"""Helpers the tenancy tests use to walk every URL, present and future."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    view: Any
    kwargs: tuple[str, ...]

    @property
    def level(self):
        return getattr(self.view, "ciodesk_level", None)

    @property
    def model(self):
        return getattr(self.view, "ciodesk_model", None)

    @property
    def is_client_url(self) -> bool:
        return "client_slug" in self.kwargs

    def path(self, **values) -> str:
        out = self.route
        for name in self.kwargs:
            for converter in ("slug", "int", "str", "path", "uuid", ""):
                token = f"<{converter}:{name}>" if converter else f"<{name}>"
                out = out.replace(token, str(values[name]))
        return "/" + out.lstrip("^")


def routes(
    patterns=None, prefix: str = "", namespace: str | None = None, kwargs: tuple[str, ...] = ()
) -> Iterator[Route]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        names = tuple(getattr(pattern.pattern, "converters", {}).keys())
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from routes(
                pattern.url_patterns, prefix + str(pattern.pattern), full_ns, kwargs + names
            )
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield Route(prefix + str(pattern.pattern), name, pattern.callback, kwargs + names)
