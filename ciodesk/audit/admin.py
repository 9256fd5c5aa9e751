from ciodesk.audit.models import ChangeRecord
from ciodesk.core.admin import ReadOnlyAdmin, site


class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "client", "actor_label", "action", "object_repr"]
    list_filter = ["action", "client"]


site.register(ChangeRecord, ChangeRecordAdmin)
