"""The Django admin, for the practice lead only, after the second factor."""

from django.contrib import admin


class LeadAdminSite(admin.AdminSite):
    site_header = "ciodesk administration"
    site_title = "ciodesk admin"
    index_title = "Records (practice lead only)"

    def login(self, request, extra_context=None):
        """Sign-in goes through ciodesk's own page: throttling and the second factor apply."""
        from urllib.parse import urlencode

        from django.shortcuts import redirect
        from django.urls import reverse

        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and user.is_lead
            and request.session.get("otp_verified")
        )


site = LeadAdminSite(name="admin")


class LeadModelAdmin(admin.ModelAdmin):
    """Client-owned rows through the explicitly unscoped manager: the lead sees every client."""

    def get_queryset(self, request):
        manager = getattr(self.model, "unscoped", self.model._default_manager)
        qs = manager.get_queryset()
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    has_module_permission = has_view_permission

    def has_add_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return site.has_permission(request)


class ReadOnlyAdmin(LeadModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
