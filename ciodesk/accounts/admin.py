from ciodesk.accounts.models import User
from ciodesk.core.admin import LeadModelAdmin, site


class UserAdmin(LeadModelAdmin):
    list_display = ["email", "full_name", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "is_active"]


site.register(User, UserAdmin)
