"""Open the client scope for /c/<client_slug>/ URLs after checking the membership."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils import timezone

from ciodesk.core.scope import _active_client, _actor
from ciodesk.tenancy.access import Level, level_for
from ciodesk.tenancy.models import Client


class ClientScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client = None
        request.access = Level.NONE
        actor_token = _actor.set(request.user if request.user.is_authenticated else None)
        try:
            response = self.get_response(request)
        finally:
            _actor.reset(actor_token)
            if token := getattr(request, "_scope_token", None):
                _active_client.reset(token)
            timezone.deactivate()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("client_slug")
        if slug is None:
            return None
        if not hasattr(view_func, "ciodesk_level"):
            raise ImproperlyConfigured(
                f"{view_func.__module__}.{view_func.__name__} serves a client URL without "
                "@client_view(level=...)"
            )
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        client = Client.objects.filter(slug=slug).first()
        level = level_for(request.user, client) if client else Level.NONE
        if level == Level.NONE:
            raise Http404("No such client")
        if level < view_func.ciodesk_level:
            raise PermissionDenied("Your role on this client does not allow this change.")
        request.client = client
        request.access = level
        request._scope_token = _active_client.set(client)
        timezone.activate(zoneinfo.ZoneInfo(client.time_zone))
        return None
