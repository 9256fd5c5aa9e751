from ciodesk.tenancy.access import Level, visible_clients
from ciodesk.tenancy.models import Practice


def tenancy(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"practice": Practice.objects.order_by("pk").first()}
    return {
        "practice": Practice.objects.order_by("pk").first(),
        "nav_clients": visible_clients(user).only("slug", "name"),
        "client": getattr(request, "client", None),
        "access": getattr(request, "access", Level.NONE),
        "Level": Level,
    }
