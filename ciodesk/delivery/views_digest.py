"""The weekly digest switch of the signed-in user (and a preview of what it would say)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ciodesk.delivery.services_digest import EXECUTIVE, PRACTICE, digest_for


@login_required
def digest_settings(request):
    user = request.user
    if request.method == "POST":
        user.weekly_digest = request.POST.get("weekly_digest") == "on"
        user.save(update_fields=["weekly_digest"])
        state = "on" if user.weekly_digest else "off"
        messages.success(request, f"The weekly digest e-mail is {state}.")
        return redirect("digest-settings")
    digest = digest_for(user, PRACTICE if user.is_practice_user else EXECUTIVE)
    return render(request, "delivery/email/digest_settings.html", {"digest": digest})
