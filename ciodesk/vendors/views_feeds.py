"""Calendar feeds: the page where a user makes or revokes a secret address, and the feed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view
from ciodesk.vendors import ics


@client_view(Level.READ)
def calendar_feed(request, client_slug):
    """Everyone who may read the client may subscribe to its deadlines (their own address)."""
    user, client = request.user, request.client
    new_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        practice_wide = action.endswith("-practice")
        if practice_wide and not user.is_practice_user:
            raise PermissionDenied("Only the practice's people have a practice-wide feed.")
        target = None if practice_wide else client
        if action.startswith("create"):
            token = ics.create_feed(user, target)
            new_url = request.build_absolute_uri(ics.feed_path(token))
        elif action.startswith("revoke"):
            if ics.revoke_feeds(user, target):
                messages.success(request, "The calendar address was revoked; it no longer works.")
            return redirect("vendors:calendar-feed", client_slug=client_slug)
        else:
            raise Http404("Unknown action")
    context = {
        "client_feed": ics.active_feed(user, client),
        "practice_feed": ics.active_feed(user, None) if user.is_practice_user else None,
        "new_url": new_url,
        "new_webcal": new_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        "practice_wide": request.method == "POST" and request.POST["action"].endswith("practice"),
    }
    return render(request, "vendors/feed_manage.html", context)


def calendar_ics(request, token):
    """The .ics itself: no sign-in, only a valid, unrevoked token. Anything else is a 404."""
    feed = ics.find_feed(token)
    body = ics.feed_calendar(feed) if feed is not None else None
    if body is None:
        raise Http404("No such calendar")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="contract-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
