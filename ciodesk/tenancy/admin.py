from ciodesk.core.admin import LeadModelAdmin, site
from ciodesk.tenancy.models import (
    Client,
    ClientMembership,
    Invitation,
    KeySystem,
    Note,
    Person,
    Practice,
    PracticeMembership,
    Site,
)


class ClientAdmin(LeadModelAdmin):
    list_display = ["name", "slug", "industry", "employee_count", "status"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]


class ClientOwnedAdmin(LeadModelAdmin):
    list_filter = ["client"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related, "unscoped"):
            kwargs["queryset"] = related.unscoped.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InvitationAdmin(ClientOwnedAdmin):
    exclude = ["token_hash"]
    list_display = ["email", "client", "role", "expires_at", "accepted_at"]


site.register(Practice, LeadModelAdmin)
site.register(Client, ClientAdmin)
site.register(PracticeMembership, LeadModelAdmin)
for model in (Person, ClientMembership, KeySystem, Site, Note):
    site.register(model, ClientOwnedAdmin)
site.register(Invitation, InvitationAdmin)
