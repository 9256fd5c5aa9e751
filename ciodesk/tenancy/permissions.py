"""What a view declares about itself, and how it fetches client-owned objects."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.http import Http404

from ciodesk.tenancy.access import Level

M = TypeVar("M", bound=models.Model)


def client_view(level: Level, model: type[models.Model] | None = None) -> Callable:
    """Mark a view under /c/<client_slug>/: the least level it needs, the model its pk names.

    The middleware refuses to serve a client URL whose view lacks this mark, and the URL
    sweep test reads it to try every URL with another client's objects.
    """

    def mark(view: Callable) -> Callable:
        @functools.wraps(view)
        def marked(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        marked.ciodesk_level = level
        marked.ciodesk_model = model
        return marked

    return mark


def get_for_client_or_404[M: models.Model](model: type[M], **lookup) -> M:
    """Fetch through the scoped manager: another client's object is simply not there."""
    try:
        return model.objects.get(**lookup)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404(f"No {model._meta.verbose_name} here") from exc
