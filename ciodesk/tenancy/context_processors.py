from ciodesk.tenancy.access import Level, visible_clients
from ciodesk.tenancy.models import Practice


def tenancy(request):
    practice = Practice.objects.order_by("pk").first()
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    # Until the second factor is passed, the header shows no navigation and no client names.
    ready = signed_in and (not user.requires_two_factor or request.session.get("otp_verified"))
    if not ready:
        return {"practice": practice, "nav_ready": False}
    access = getattr(request, "access", Level.NONE)
    return {
        "practice": practice,
        "nav_ready": True,
        "nav_clients": visible_clients(user).only("slug", "name"),
        "client": getattr(request, "client", None),
        "access": access,
        # Flags rather than the enum: templates call callables, and an Enum class is one.
        "can_contribute": access >= Level.CONTRIBUTOR,
        "can_practice": access >= Level.PRACTICE,
        "is_lead_here": access >= Level.LEAD,
    }
